// Won et al. 2020's sample-level CNNs on raw waveforms: strided first conv, pools of 3, 1x1 last conv, max, head.
#include "train/models/sample_cnn.h"

#include "cluster/errors.h"
#include "train/models/model_keys.h"
#include "train/models/waveform_stft.h"

namespace musictag::train {
namespace {

// Block i of n: the first strides by 3, the middle ones pool by 3, the last is a 1x1 conv.
SampleBlockShape block_shape(size_t i, size_t n) {
  if (i == 0) return {3, 3, 1};
  if (i + 1 == n) return {1, 1, 1};
  return {3, 1, 3};
}

ModelKind sample_kind(bool se) {
  return ModelKind{
      se ? "sample_cnn_se" : "sample_cnn",
      se ? "Won et al. 2020's sample-level CNN + SE (Kim et al. 2018): 11 residual SE blocks on 59,049 raw samples"
         : "Won et al. 2020's sample-level CNN (Lee et al. 2017): 11 conv blocks on 59,049 raw samples",
      [](cluster::ConfigSection& s) {
        nlohmann::json o = read_waveform_input_keys(s, 59049, 16000);
        const auto channels =
            s.integers("conv_channels", {128, 128, 128, 256, 256, 256, 256, 256, 256, 512, 512}, "[1,4096]",
                       "Output channels of each block: the first strides by 3, the middle ones "
                       "max-pool by 3, the last is a 1x1 conv");
        if (channels.size() < 2) s.fail("conv_channels", "expected at least 2 blocks (first and last)");
        check_min_samples(s, o.at("n_samples").get<int64_t>(), sample_cnn_min_samples(channels.size()),
                          "the blocks divide the length by 3 each but the last");
        o["conv_channels"] = channels;
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout before the output layer");
        return o;
      },
      [se](const nlohmann::json& options) -> TaggingModel { return std::make_shared<SampleCnnImpl>(options, se); },
      [](const nlohmann::json& options) -> int64_t {
        return sample_cnn_min_samples(options.at("conv_channels").size());
      },
      ModelInput::waveform,
  };
}

}  // namespace

int64_t sample_cnn_min_samples(size_t blocks) {
  int64_t power = 1;
  for (size_t i = 1; i < blocks; ++i) power *= 3;
  return power - 2;
}

SampleCnnImpl::SampleCnnImpl(nlohmann::json options, bool squeeze_excitation)
    : JsonOptionsModelImpl(std::move(options)), se_(squeeze_excitation) {
  const std::string name = kind();
  const auto channels = option_of<std::vector<int64_t>>(options_, name.c_str(), "conv_channels");
  dropout_ = option_of<double>(options_, name.c_str(), "dropout");
  option_of<int64_t>(options_, name.c_str(), "n_samples");
  if (channels.size() < 2 || n_tags() < 1)
    throw ConfigError(name + ": expected n_tags >= 1 and at least 2 blocks, got " + options_.dump());
  int64_t in = 1;
  for (size_t i = 0; i < channels.size(); ++i) {
    const std::string layer = "layer" + std::to_string(i + 1);
    const SampleBlockShape shape = block_shape(i, channels.size());
    if (se_)
      se_layers_.push_back(register_module(layer, ResSeBlock1d(in, channels[i], shape)));
    else
      conv_layers_.push_back(register_module(layer, ConvBlock1d(in, channels[i], shape)));
    in = channels[i];
  }
  if (se_)
    head_.register_on(*this, in, n_tags(), dropout_);
  else
    dense_ = register_module("dense", torch::nn::Linear(in, n_tags()));
}

torch::Tensor SampleCnnImpl::forward(const torch::Tensor& input) {
  torch::Tensor x = as_waveform_batch(input, kind().c_str()).unsqueeze(1);  // [B, 1, samples]
  const size_t blocks = conv_layers_.size() + se_layers_.size();
  if (x.size(2) < sample_cnn_min_samples(blocks))
    throw DataError(kind() + ": " + std::to_string(x.size(2)) + " samples leave no time step after " +
                    std::to_string(blocks) + " blocks; give at least " +
                    std::to_string(sample_cnn_min_samples(blocks)));
  for (size_t i = 0; i < conv_layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), conv_layers_[i]->forward(x, batch_norm_override));
  for (size_t i = 0; i < se_layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), se_layers_[i]->forward(x, batch_norm_override));
  x = trace("max", x.amax(2));  // over the steps left (one at the paper's input length)
  if (se_) return trace("dense1+bn+dense2", head_.forward(x, batch_norm_override, is_training()));
  return trace("dense", dense_->forward(torch::dropout(x, dropout_, is_training())));
}

ModelKind sample_cnn_model_kind() { return sample_kind(false); }
ModelKind sample_cnn_se_model_kind() { return sample_kind(true); }

}  // namespace musictag::train
