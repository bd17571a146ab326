// Power STFT of waveform batches: centre padding as the CPU frontend pads (zeros or numpy reflect), then torch::stft.
#include "train/models/waveform_stft.h"

#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/torch.h>

#include <cmath>
#include <string>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

torch::Tensor pad_centre(const torch::Tensor& x, const StftFraming& framing) {
  const int64_t pad = framing.n_fft / 2, n = x.size(1);
  if (!framing.reflect || n < 2) return torch::constant_pad_nd(x, {pad, pad}, 0.0);
  if (n > pad) return torch::reflection_pad1d(x.unsqueeze(1), {pad, pad}).squeeze(1);
  // Not longer than the pad: numpy (and the CPU frontend) reflect repeatedly; the edges by index (a host copy, for
  // such short signals only).
  auto edge = [&](bool left) {
    const auto indices = reflect_pad_indices(n, pad, left);
    return x.index_select(1, torch::tensor(indices, torch::kLong).to(x.device()));
  };
  return torch::cat({edge(true), x, edge(false)}, 1);
}

}  // namespace

torch::Tensor periodic_hann(int64_t n_fft, torch::ScalarType dtype, torch::Device device) {
  const auto i = torch::arange(n_fft, torch::TensorOptions().dtype(torch::kDouble).device(device));
  return (0.5 - 0.5 * torch::cos(i * (2.0 * M_PI) / static_cast<double>(n_fft))).to(dtype);
}

std::vector<int64_t> reflect_pad_indices(int64_t n, int64_t pad, bool left) {
  const int64_t period = 2 * (n - 1);
  std::vector<int64_t> indices(static_cast<size_t>(pad));
  for (int64_t j = 0; j < pad; ++j) {
    int64_t i = (left ? j - pad : n + j) % period;
    if (i < 0) i += period;
    if (i >= n) i = period - i;
    indices[j] = i;
  }
  return indices;
}

torch::Tensor waveform_stft(const torch::Tensor& waveform, const torch::Tensor& window, const StftFraming& framing) {
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::autocast_dispatch_keyset);
  const auto dtype = window.scalar_type();
  torch::Tensor x = waveform.to(dtype);
  if (framing.center) x = pad_centre(x, framing);
  if (x.size(1) < framing.n_fft)
    throw DataError("waveform of " + std::to_string(waveform.size(1)) + " samples is shorter than one frame (n_fft " +
                    std::to_string(framing.n_fft) + ", center false); give at least n_fft samples");
  const torch::Tensor spectrum = torch::stft(x, framing.n_fft, framing.hop_length, framing.n_fft, window,
                                             /*normalized=*/false, /*onesided=*/true, /*return_complex=*/true);
  if (framing.power == 2.0) return torch::view_as_real(spectrum).pow(2).sum(-1);
  const torch::Tensor magnitude = spectrum.abs();
  return framing.power == 1.0 ? magnitude : magnitude.pow(framing.power);
}

torch::Tensor as_waveform_batch(const torch::Tensor& input, const char* kind) {
  const torch::Tensor x = input.dim() == 3 && input.size(1) == 1 ? input.squeeze(1) : input;
  if (x.dim() != 2 || x.size(1) < 1) {
    std::string shape = "[";
    for (int64_t d = 0; d < input.dim(); ++d) shape += (d ? ", " : "") + std::to_string(input.size(d));
    throw DataError(std::string(kind) + ": expected a waveform batch [batch, samples] (or [batch, 1, samples]), got " +
                    shape + "]");
  }
  return x;
}

}  // namespace musictag::train
