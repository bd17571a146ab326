// Won et al. 2020's port of the CRNN: four conv blocks (ReLU, no dropout), a 2-layer GRU, dropout, a linear layer.
#include "train/models/crnn_won.h"

#include <tuple>

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {

CrnnWonImpl::CrnnWonImpl(nlohmann::json options) : JsonOptionsModelImpl(std::move(options)) {
  const auto channels = option_of<std::vector<int64_t>>(options_, "crnn_won", "conv_channels");
  const auto pools = pool_sizes_from_texts(option_of<std::vector<std::string>>(options_, "crnn_won", "pool_sizes"));
  const auto hidden = option_of<int64_t>(options_, "crnn_won", "gru_hidden");
  const auto gru_layers = option_of<int64_t>(options_, "crnn_won", "gru_layers");
  dropout_ = option_of<double>(options_, "crnn_won", "dropout");
  if (channels.empty() || pools.size() != channels.size() || n_tags() < 1 || pooled_freq(n_mels(), pools) < 1)
    throw ConfigError("crnn_won: expected n_tags >= 1 and one pool per conv block leaving >= 1 bin, got " +
                      options_.dump());
  spec_bn_ = register_module("spec_bn", torch::nn::BatchNorm2d(1));
  int64_t in = 1;
  for (size_t i = 0; i < channels.size(); ++i) {
    layers_.push_back(register_module("layer" + std::to_string(i + 1), ConvBlock2d(in, channels[i], pools[i])));
    in = channels[i];
  }
  const int64_t features = in * pooled_freq(n_mels(), pools);
  gru_ = register_module(
      gru_name(), torch::nn::GRU(torch::nn::GRUOptions(features, hidden).num_layers(gru_layers).batch_first(true)));
  dense_ = register_module("dense", torch::nn::Linear(hidden, n_tags()));
}

torch::Tensor CrnnWonImpl::forward(const torch::Tensor& input) {
  const bool training = is_training();
  torch::Tensor x = trace(
      "spec_bn", batch_norm_forward(spec_bn_, as_image(input, n_mels(), "crnn_won"), batch_norm_override, training));
  if (channels_last_) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  for (size_t i = 0; i < layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), layers_[i]->forward(x, batch_norm_override));
  x = x.permute({0, 3, 1, 2}).flatten(2);  // [B, C, F', T'] -> [B, T', C * F']: time is the GRU's sequence
  const torch::Tensor sequence = trace(gru_name(), std::get<0>(gru_->forward(x)));
  const torch::Tensor last = sequence.select(1, sequence.size(1) - 1);
  return trace("dense", dense_->forward(torch::dropout(last, dropout_, training)));
}

void CrnnWonImpl::use_channels_last() {
  torch::NoGradGuard no_grad;
  for (auto& layer : layers_)
    layer->conv->weight.set_data(layer->conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
  channels_last_ = true;
}

ModelKind crnn_won_model_kind() {
  return ModelKind{
      "crnn_won",
      "Won et al. 2020's CRNN port: 4 conv blocks + 2-layer GRU on a 29 s 96-band log-mel",
      [](cluster::ConfigSection& s) {
        nlohmann::json o = read_input_keys(s, 96, 1813);
        const auto channels = s.integers("conv_channels", {64, 128, 128, 128}, "[1,4096]",
                                         "Output channels of each conv block (3x3 conv, BN, ReLU, max-pool)");
        if (channels.empty()) s.fail("conv_channels", "expected at least one conv block, got an empty list");
        const auto pools = read_pool_sizes(s, {{2, 2}, {3, 3}, {4, 4}, {4, 4}}, channels.size(),
                                           "Max-pool window per conv block as \"<freq>x<time>\"; bins left over are "
                                           "folded into the GRU input");
        check_pools_leave_a_step(s, pools, o.at("n_mels").get<int64_t>(), o.at("n_frames").get<int64_t>());
        o["conv_channels"] = channels;
        o["pool_sizes"] = pool_size_texts(pools);
        o["gru_hidden"] = s.integer("gru_hidden", 32, "[1,4096]", "Units per GRU layer");
        o["gru_layers"] = s.integer("gru_layers", 2, "[1,16]", "Stacked GRU layers");
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout on the last GRU output");
        return o;
      },
      [](const nlohmann::json& options) -> TaggingModel { return std::make_shared<CrnnWonImpl>(options); },
      [](const nlohmann::json& options) {
        return pool_product(pool_sizes_from_texts(options.at("pool_sizes").get<std::vector<std::string>>()), false);
      },
  };
}

}  // namespace musictag::train
