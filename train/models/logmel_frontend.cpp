// The device log-mel: waveform_stft(), preprocess' mel filterbank as a matrix product, dB with the CPU's floor.
#include "train/models/logmel_frontend.h"

#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "preprocess/features/mel_filterbank.h"

namespace musictag::train {
namespace {

torch::Tensor filterbank_matrix(const preprocess::FeatureConfig& config) {
  const preprocess::MelFilterbank bank(config);
  return torch::tensor(bank.dense(), torch::kFloat).reshape({bank.n_mels(), bank.n_bins()});
}

}  // namespace

LogMelFrontendImpl::LogMelFrontendImpl(const preprocess::FeatureConfig& config)
    : config_(preprocess::FeatureConfig::from_json(config.parameters())) {
  framing_ = StftFraming{config_.n_fft, config_.hop_length, config_.center,
                         config_.pad_mode == preprocess::PadMode::reflect, config_.power};
  filterbank = register_buffer("filterbank", filterbank_matrix(config_));
}

torch::Tensor LogMelFrontendImpl::forward(const torch::Tensor& waveform) {
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::autocast_dispatch_keyset);
  const torch::Tensor x = as_waveform_batch(waveform, "log-mel frontend");
  const torch::Tensor window = periodic_hann(config_.n_fft, torch::kDouble, x.device());
  const torch::Tensor power = waveform_stft(x, window, framing_);                 // float64
  const torch::Tensor mel = torch::matmul(filterbank.to(torch::kDouble), power);  // [B, n_mels, frames]
  const double ref_db = 10.0 * std::log10(std::max(config_.ref, config_.amin));
  torch::Tensor db = torch::log10(torch::clamp_min(mel, config_.amin)) * 10.0 - ref_db;
  if (config_.top_db > 0.0) db = torch::maximum(db, db.amax({1, 2}, /*keepdim=*/true) - config_.top_db);
  return db.to(x.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat);
}

}  // namespace musictag::train
