// Musicnn (Pons et al. 2017/2018) as Won et al. 2020 train it: timbral and temporal front-end filters, a dense 1-D
// CNN back-end, max and mean over time, and a dense head.
#include "train/models/musicnn.h"

#include <torch/nn/modules/container/any.h>

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {
namespace {

// One front-end filter as a module of its own, so its state is layers.<i>.conv.* and layers.<i>.bn.*.
template <typename Conv, typename BatchNorm>
class FilterImpl : public torch::nn::Module {
 public:
  FilterImpl(Conv conv_layer, BatchNorm bn_layer) {
    conv = register_module("conv", conv_layer);
    bn = register_module("bn", bn_layer);
  }
  Conv conv{nullptr};
  BatchNorm bn{nullptr};
};
using TimbralFilterImpl = FilterImpl<torch::nn::Conv2d, torch::nn::BatchNorm2d>;
using TemporalFilterImpl = FilterImpl<torch::nn::Conv1d, torch::nn::BatchNorm1d>;

std::vector<int64_t> timbral_heights(const nlohmann::json& options) {
  std::vector<int64_t> heights;
  const auto n_mels = options.at("n_mels").get<int64_t>();
  for (const double f : options.at("timbral_fractions").get<std::vector<double>>())
    heights.push_back(static_cast<int64_t>(f * static_cast<double>(n_mels)));  // int(0.7 * 96) = 67, as Won's
  return heights;
}

}  // namespace

MusicnnImpl::MusicnnImpl(nlohmann::json options) : JsonOptionsModelImpl(std::move(options)) {
  const auto timbral_channels = option_of<int64_t>(options_, "musicnn", "timbral_channels");
  const auto temporal_lengths = option_of<std::vector<int64_t>>(options_, "musicnn", "temporal_lengths");
  const auto temporal_channels = option_of<int64_t>(options_, "musicnn", "temporal_channels");
  const auto backend = option_of<int64_t>(options_, "musicnn", "backend_channels");
  const auto dense = option_of<int64_t>(options_, "musicnn", "dense_channels");
  dropout_ = option_of<double>(options_, "musicnn", "dropout");
  const auto heights = timbral_heights(options_);
  if (n_tags() < 1) throw ConfigError("musicnn: expected n_tags >= 1, got " + options_.dump());
  for (const int64_t h : heights)
    if (h < 1 || h > n_mels())
      throw ConfigError("musicnn: timbral filter height " + std::to_string(h) + " is outside [1, n_mels]");

  spec_bn_ = register_module("spec_bn", torch::nn::BatchNorm2d(1));
  layers_ = register_module("layers", torch::nn::ModuleList());
  int64_t front_channels = 0;
  for (const int64_t h : heights) {
    auto filter = std::make_shared<TimbralFilterImpl>(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(1, timbral_channels, {h, 7}).padding({0, 3})),
        torch::nn::BatchNorm2d(timbral_channels));
    layers_->push_back(filter);
    filters_.push_back({true, filter->conv, nullptr, filter->bn, nullptr});
    front_channels += timbral_channels;
  }
  for (const int64_t length : temporal_lengths) {
    auto filter = std::make_shared<TemporalFilterImpl>(
        torch::nn::Conv1d(torch::nn::Conv1dOptions(1, temporal_channels, length).padding(length / 2)),
        torch::nn::BatchNorm1d(temporal_channels));
    layers_->push_back(filter);
    filters_.push_back({false, nullptr, filter->conv, nullptr, filter->bn});
    front_channels += temporal_channels;
  }
  int64_t in = front_channels;
  for (int i = 1; i <= 3; ++i) {
    auto block = std::make_shared<TemporalFilterImpl>(
        torch::nn::Conv1d(torch::nn::Conv1dOptions(in, backend, 7).padding(3)), torch::nn::BatchNorm1d(backend));
    register_module("layer" + std::to_string(i), block);
    backend_.push_back({block->conv, block->bn});
    in = backend;
  }
  const int64_t pooled = 2 * (front_channels + 3 * backend);
  dense1_ = register_module("dense1", torch::nn::Linear(pooled, dense));
  bn_ = register_module("bn", torch::nn::BatchNorm1d(dense));
  dense2_ = register_module("dense2", torch::nn::Linear(dense, n_tags()));
}

torch::Tensor MusicnnImpl::front_end(FrontEndFilter& filter, const torch::Tensor& x, bool training) {
  if (filter.timbral) {  // [B, 1, F, T] -> [B, C, F - h + 1, T] -> max over frequency -> [B, C, T]
    const auto y =
        torch::relu(batch_norm_forward(filter.bn2d, filter.conv2d->forward(x), batch_norm_override, training));
    return y.amax(2);
  }
  // mean over frequency [B, 1, T] -> [B, C, T]
  const auto mean = x.mean(2);
  return torch::relu(batch_norm_forward(filter.bn1d, filter.conv1d->forward(mean), batch_norm_override, training));
}

torch::Tensor MusicnnImpl::forward(const torch::Tensor& input) {
  const bool training = is_training();
  torch::Tensor x = input.dim() == 3 ? input.unsqueeze(1) : input;
  if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != n_mels())
    throw DataError("musicnn: expected input [batch, " + std::to_string(n_mels()) + " mels, frames]");
  x = trace("spec_bn", batch_norm_forward(spec_bn_, x, batch_norm_override, training));
  std::vector<torch::Tensor> fronts;
  for (auto& filter : filters_) fronts.push_back(front_end(filter, x, training));
  const torch::Tensor front = trace("layers", torch::cat(fronts, 1));
  std::vector<torch::Tensor> features = {front};
  torch::Tensor h = front;
  for (size_t i = 0; i < backend_.size(); ++i) {
    const auto y =
        torch::relu(batch_norm_forward(backend_[i].bn, backend_[i].conv->forward(h), batch_norm_override, training));
    h = trace("layer" + std::to_string(i + 1), i == 0 ? y : y + h);  // layers 2 and 3 are residual
    features.push_back(h);
  }
  const torch::Tensor all = torch::cat(features, 1);
  const torch::Tensor pooled = trace("max+mean", torch::cat({all.amax(2), all.mean(2)}, 1));
  torch::Tensor out = torch::relu(batch_norm_forward(bn_, dense1_->forward(pooled), batch_norm_override, training));
  return trace("dense1+bn+dense2", dense2_->forward(torch::dropout(out, dropout_, training)));
}

ModelKind musicnn_model_kind() {
  return ModelKind{
      "musicnn",
      "Won et al. 2020's Musicnn: timbral + temporal front-end filters and a dense 1-D CNN back-end on 3 s",
      [](cluster::ConfigSection& s) {
        nlohmann::json o = read_input_keys(s, 96, 188);
        o["timbral_fractions"] = s.reals("timbral_fractions", {0.7, 0.4}, "(0,1]",
                                         "Height of each timbral filter as a fraction of n_mels (int(f * n_mels))");
        o["timbral_channels"] = s.integer("timbral_channels", 204, "[1,4096]", "Channels of each timbral filter");
        o["temporal_lengths"] = s.integers("temporal_lengths", {129, 65, 33}, "[1,100000]",
                                           "Length in frames of each temporal filter (odd keeps the length)");
        o["temporal_channels"] = s.integer("temporal_channels", 51, "[1,4096]", "Channels of each temporal filter");
        o["backend_channels"] = s.integer("backend_channels", 64, "[1,4096]", "Back-end channels (512 for MSD)");
        o["dense_channels"] = s.integer("dense_channels", 200, "[1,65536]", "Head width (500 for MSD)");
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout in the head, before the output layer");
        for (const int64_t h : timbral_heights(o))
          if (h < 1 || h > o.at("n_mels").get<int64_t>())
            s.fail("timbral_fractions",
                   "a filter height int(f * n_mels) = " + std::to_string(h) + " is outside [1, n_mels]");
        return o;
      },
      [](const nlohmann::json& options) -> TaggingModel { return std::make_shared<MusicnnImpl>(options); },
      [](const nlohmann::json&) -> int64_t { return 1; },
  };
}

}  // namespace musictag::train
