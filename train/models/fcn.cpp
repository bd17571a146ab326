// FCN of Choi, Fazekas & Sandler 2016 as Won et al. 2020 train it: five conv blocks pooled to 1x1, then a linear layer.
#include "train/models/fcn.h"

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {

FcnImpl::FcnImpl(nlohmann::json options) : JsonOptionsModelImpl(std::move(options)) {
  const auto channels = option_of<std::vector<int64_t>>(options_, "fcn", "conv_channels");
  const auto pools = pool_sizes_from_texts(option_of<std::vector<std::string>>(options_, "fcn", "pool_sizes"));
  dropout_ = option_of<double>(options_, "fcn", "dropout");
  if (channels.empty() || pools.size() != channels.size() || n_tags() < 1)
    throw ConfigError("fcn: expected n_tags >= 1 and one pool per conv block, got " + options_.dump());
  spec_bn_ = register_module("spec_bn", torch::nn::BatchNorm2d(1));
  int64_t in = 1;
  for (size_t i = 0; i < channels.size(); ++i) {
    layers_.push_back(register_module("layer" + std::to_string(i + 1), ConvBlock2d(in, channels[i], pools[i])));
    in = channels[i];
  }
  dense_ = register_module("dense", torch::nn::Linear(in, n_tags()));
}

torch::Tensor FcnImpl::forward(const torch::Tensor& input) {
  const bool training = is_training();
  torch::Tensor x =
      trace("spec_bn", batch_norm_forward(spec_bn_, as_image(input, n_mels(), "fcn"), batch_norm_override, training));
  if (channels_last_) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  for (size_t i = 0; i < layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), layers_[i]->forward(x, batch_norm_override));
  x = trace("max", x.amax({2, 3}));  // 1x1 with the paper's input: the max is the value itself
  return trace("dense", dense_->forward(torch::dropout(x, dropout_, training)));
}

void FcnImpl::use_channels_last() {
  torch::NoGradGuard no_grad;
  for (auto& layer : layers_)
    layer->conv->weight.set_data(layer->conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
  channels_last_ = true;
}

ModelKind fcn_model_kind() {
  return ModelKind{
      "fcn",
      "Won et al. 2020's FCN: 5 conv blocks pooled to 1x1 on a 29 s 96-band log-mel",
      [](cluster::ConfigSection& s) {
        nlohmann::json o = read_input_keys(s, 96, 1813);
        const auto channels = s.integers("conv_channels", {64, 128, 128, 128, 64}, "[1,4096]",
                                         "Output channels of each conv block (3x3 conv, BN, ReLU, max-pool)");
        if (channels.empty()) s.fail("conv_channels", "expected at least one conv block, got an empty list");
        const auto pools = read_pool_sizes(s, {{2, 4}, {2, 4}, {2, 4}, {3, 5}, {4, 4}}, channels.size(),
                                           "Max-pool window per conv block as \"<freq>x<time>\"; the paper's pool "
                                           "96 x 1813 to 1 x 1 (what remains is max-pooled)");
        check_pools_leave_a_step(s, pools, o.at("n_mels").get<int64_t>(), o.at("n_frames").get<int64_t>());
        o["conv_channels"] = channels;
        o["pool_sizes"] = pool_size_texts(pools);
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout before the output layer");
        return o;
      },
      [](const nlohmann::json& options) -> TaggingModel { return std::make_shared<FcnImpl>(options); },
      [](const nlohmann::json& options) {
        return pool_product(pool_sizes_from_texts(options.at("pool_sizes").get<std::vector<std::string>>()), false);
      },
  };
}

}  // namespace musictag::train
