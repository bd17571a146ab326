// Won et al. 2020's short-chunk CNN and ResNet: seven blocks on a 3.69 s 128-band log-mel, max over time, dense head.
#include "train/models/short_chunk.h"

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {
namespace {

constexpr PoolSize kHalve{2, 2};

// Size of one axis after the blocks: a 2x2 pool floors n / 2; a stride-2 3x3 conv with padding 1 gives (n-1)/2 + 1.
int64_t size_after_blocks(int64_t n, size_t blocks, bool residual) {
  for (size_t i = 0; i < blocks; ++i) n = residual ? strided_size(n, 2) : n / 2;
  return n;
}

ModelKind short_chunk_kind(bool residual) {
  const char* name = residual ? "short_chunk_resnet" : "short_chunk_cnn";
  return ModelKind{
      name,
      residual ? "Won et al. 2020's short-chunk ResNet: 7 residual blocks (stride 2) on a 3.69 s 128-band log-mel"
               : "Won et al. 2020's short-chunk CNN: 7 conv blocks (2x2 pools) on a 3.69 s 128-band log-mel",
      [residual](cluster::ConfigSection& s) {
        nlohmann::json o = read_input_keys(s, 128, 231);
        const auto channels =
            s.integers("conv_channels", {128, 128, 256, 256, 256, 256, 512}, "[1,4096]",
                       residual ? "Output channels of each residual block (stride 2)"
                                : "Output channels of each conv block (3x3 conv, BN, ReLU, 2x2 pool)");
        if (channels.empty()) s.fail("conv_channels", "expected at least one block, got an empty list");
        const int64_t n_mels = o.at("n_mels").get<int64_t>(), n_frames = o.at("n_frames").get<int64_t>();
        if (size_after_blocks(n_mels, channels.size(), residual) < 1 ||
            size_after_blocks(n_frames, channels.size(), residual) < 1)
          s.fail("conv_channels", std::to_string(channels.size()) + " blocks halve n_mels = " + std::to_string(n_mels) +
                                      " x n_frames = " + std::to_string(n_frames) +
                                      " to nothing; use fewer blocks or a larger input");
        o["conv_channels"] = channels;
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout in the head, before the output layer");
        return o;
      },
      [residual](const nlohmann::json& options) -> TaggingModel {
        return std::make_shared<ShortChunkImpl>(options, residual);
      },
      [residual](const nlohmann::json& options) -> int64_t {
        return residual ? 1 : int64_t{1} << options.at("conv_channels").size();
      },
  };
}

}  // namespace

ShortChunkImpl::ShortChunkImpl(nlohmann::json options, bool residual)
    : JsonOptionsModelImpl(std::move(options)), residual_(residual) {
  const char* name = residual ? "short_chunk_resnet" : "short_chunk_cnn";
  const auto channels = option_of<std::vector<int64_t>>(options_, name, "conv_channels");
  const auto dropout = option_of<double>(options_, name, "dropout");
  if (channels.empty() || n_tags() < 1 || size_after_blocks(n_mels(), channels.size(), residual) < 1)
    throw ConfigError(std::string(name) + ": expected n_tags >= 1 and blocks leaving >= 1 bin, got " + options_.dump());
  spec_bn_ = register_module("spec_bn", torch::nn::BatchNorm2d(1));
  int64_t in = 1;
  for (size_t i = 0; i < channels.size(); ++i) {
    const std::string layer = "layer" + std::to_string(i + 1);
    if (residual)
      res_layers_.push_back(register_module(layer, ResBlock2d(in, channels[i], kHalve)));
    else
      conv_layers_.push_back(register_module(layer, ConvBlock2d(in, channels[i], kHalve)));
    in = channels[i];
  }
  head_.register_on(*this, in, n_tags(), dropout);
}

torch::Tensor ShortChunkImpl::forward(const torch::Tensor& input) {
  const bool training = is_training();
  torch::Tensor x = trace("spec_bn", batch_norm_forward(spec_bn_, as_image(input, n_mels(), kind().c_str()),
                                                        batch_norm_override, training));
  if (channels_last_) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  for (size_t i = 0; i < conv_layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), conv_layers_[i]->forward(x, batch_norm_override));
  for (size_t i = 0; i < res_layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), res_layers_[i]->forward(x, batch_norm_override));
  x = trace("max", x.amax({2, 3}));  // max over the bins and steps left
  return trace("dense1+bn+dense2", head_.forward(x, batch_norm_override, training));
}

void ShortChunkImpl::use_channels_last() {
  torch::NoGradGuard no_grad;
  auto nhwc = [](torch::nn::Conv2d& conv) {
    if (conv) conv->weight.set_data(conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
  };
  for (auto& layer : conv_layers_) nhwc(layer->conv);
  for (auto& layer : res_layers_) {
    nhwc(layer->conv_1);
    nhwc(layer->conv_2);
    nhwc(layer->conv_3);
  }
  channels_last_ = true;
}

ModelKind short_chunk_cnn_model_kind() { return short_chunk_kind(false); }
ModelKind short_chunk_resnet_model_kind() { return short_chunk_kind(true); }

}  // namespace musictag::train
