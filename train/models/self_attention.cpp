// Won et al. 2019/2020's CNN + self-attention tagger (CNNSA): residual CNN to a sequence, a BERT-style encoder, a CLS
// pooler and a linear layer.
#include "train/models/self_attention.h"

#include <cmath>
#include <random>

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {
namespace {

// numpy's np.random.seed(0); np.random.random((1, n)) (MT19937 init_genrand(0), 53-bit doubles), as float32.
torch::Tensor numpy_seed0_random(int64_t n) {
  std::mt19937 mt(0);
  std::vector<float> values;
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t a = mt() >> 5, b = mt() >> 6;
    values.push_back(static_cast<float>((a * 67108864.0 + b) / 9007199254740992.0));
  }
  return torch::tensor(values).reshape({1, 1, n});
}

torch::nn::Linear linear(torch::nn::Module& owner, const std::string& name, int64_t in, int64_t out) {
  return owner.register_module(name, torch::nn::Linear(in, out));
}

torch::nn::LayerNorm layer_norm(torch::nn::Module& owner, int64_t size) {
  return owner.register_module("LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({size}).eps(1e-12)));
}

}  // namespace

SelfAttentionImpl::SelfAttentionImpl(nlohmann::json options) : JsonOptionsModelImpl(std::move(options)) {
  const char* kind_name = "self_attention";
  const auto channels = option_of<std::vector<int64_t>>(options_, kind_name, "conv_channels");
  const auto stride_blocks = option_of<int64_t>(options_, kind_name, "time_stride_blocks");
  heads_ = option_of<int64_t>(options_, kind_name, "attention_heads");
  const auto n_layers = option_of<int64_t>(options_, kind_name, "attention_layers");
  const auto intermediate = option_of<int64_t>(options_, kind_name, "intermediate_size");
  hidden_dropout_ = option_of<double>(options_, kind_name, "hidden_dropout");
  attention_dropout_ = option_of<double>(options_, kind_name, "attention_dropout");
  dropout_ = option_of<double>(options_, kind_name, "dropout");
  if (channels.empty() || n_tags() < 1 || heads_ < 1 || channels.back() % heads_ != 0)
    throw ConfigError(
        "self_attention: expected n_tags >= 1 and a last conv channel count divisible by "
        "attention_heads, got " +
        options_.dump());
  spec_bn_ = register_module("spec_bn", torch::nn::BatchNorm2d(1));
  int64_t in = 1;
  for (size_t i = 0; i < channels.size(); ++i) {
    const PoolSize stride{2, static_cast<int64_t>(i) < stride_blocks ? 2 : 1};
    layers_.push_back(register_module("layer" + std::to_string(i + 1), ResBlock2d(in, channels[i], stride)));
    in = channels[i];
  }
  const int64_t hidden = in;
  auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
  auto layer_list = encoder->register_module("layer", std::make_shared<torch::nn::Module>());
  for (int64_t i = 0; i < n_layers; ++i) {
    auto block = layer_list->register_module(std::to_string(i), std::make_shared<torch::nn::Module>());
    auto attention = block->register_module("attention", std::make_shared<torch::nn::Module>());
    auto self = attention->register_module("self", std::make_shared<torch::nn::Module>());
    auto attention_output = attention->register_module("output", std::make_shared<torch::nn::Module>());
    auto intermediate_module = block->register_module("intermediate", std::make_shared<torch::nn::Module>());
    auto output = block->register_module("output", std::make_shared<torch::nn::Module>());
    EncoderLayer layer;
    layer.query = linear(*self, "query", hidden, hidden);
    layer.key = linear(*self, "key", hidden, hidden);
    layer.value = linear(*self, "value", hidden, hidden);
    layer.attention_dense = linear(*attention_output, "dense", hidden, hidden);
    layer.attention_norm = layer_norm(*attention_output, hidden);
    layer.intermediate = linear(*intermediate_module, "dense", hidden, intermediate);
    layer.output_dense = linear(*output, "dense", intermediate, hidden);
    layer.output_norm = layer_norm(*output, hidden);
    encoder_.push_back(layer);
  }
  auto pooler = register_module("pooler", std::make_shared<torch::nn::Module>());
  pooler_ = linear(*pooler, "dense", hidden, hidden);
  dense_ = register_module("dense", torch::nn::Linear(hidden, n_tags()));
  vec_cls_ = register_buffer("vec_cls", numpy_seed0_random(hidden));
}

torch::Tensor SelfAttentionImpl::encode(EncoderLayer& layer, const torch::Tensor& x, bool training) const {
  const int64_t batch = x.size(0), tokens = x.size(1), hidden = x.size(2), head = hidden / heads_;
  auto heads = [&](const torch::Tensor& t) { return t.view({batch, tokens, heads_, head}).permute({0, 2, 1, 3}); };
  const auto q = heads(layer.query->forward(x)), k = heads(layer.key->forward(x)), v = heads(layer.value->forward(x));
  auto probabilities = torch::softmax(torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(head)), -1);
  probabilities = torch::dropout(probabilities, attention_dropout_, training);
  const auto context = torch::matmul(probabilities, v).permute({0, 2, 1, 3}).contiguous().view({batch, tokens, hidden});
  const auto attended = layer.attention_norm->forward(
      torch::dropout(layer.attention_dense->forward(context), hidden_dropout_, training) + x);
  const auto expanded = torch::gelu(layer.intermediate->forward(attended));
  return layer.output_norm->forward(torch::dropout(layer.output_dense->forward(expanded), hidden_dropout_, training) +
                                    attended);
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor& input) {
  const bool training = is_training();
  torch::Tensor x = trace("spec_bn", batch_norm_forward(spec_bn_, as_image(input, n_mels(), "self_attention"),
                                                        batch_norm_override, training));
  for (size_t i = 0; i < layers_.size(); ++i)
    x = trace("layer" + std::to_string(i + 1), layers_[i]->forward(x, batch_norm_override));
  x = x.amax(2).permute({0, 2, 1});  // [B, C, F', T'] -> [B, T', C]: max over the bins left (1 with the paper's)
  x = torch::cat({vec_cls_.expand({x.size(0), 1, x.size(2)}), x}, 1);
  for (auto& layer : encoder_) x = encode(layer, x, training);
  trace("encoder", x);
  x = trace("pooler", torch::tanh(pooler_->forward(x.select(1, 0))));
  return trace("dense", dense_->forward(torch::dropout(x, dropout_, training)));
}

ModelKind self_attention_model_kind() {
  return ModelKind{
      "self_attention",
      "Won et al. 2019/2020's CNN + self-attention (CNNSA): 7 residual blocks, a 2-layer BERT encoder on 15 s",
      [](cluster::ConfigSection& s) {
        nlohmann::json o = read_input_keys(s, 128, 938);
        const auto channels = s.integers("conv_channels", {128, 128, 256, 256, 256, 256, 256}, "[1,4096]",
                                         "Output channels of each residual block; the last is the encoder width");
        if (channels.empty()) s.fail("conv_channels", "expected at least one block, got an empty list");
        o["conv_channels"] = channels;
        o["time_stride_blocks"] = s.integer("time_stride_blocks", 3, "[0,64]",
                                            "Leading blocks that halve time as well as frequency (the rest halve "
                                            "frequency only)");
        o["attention_heads"] = s.integer("attention_heads", 8, "[1,64]", "Attention heads (divide the width)");
        o["attention_layers"] = s.integer("attention_layers", 2, "[1,64]", "Encoder layers");
        o["intermediate_size"] = s.integer("intermediate_size", 1024, "[1,65536]", "Feed-forward width");
        o["hidden_dropout"] = s.real("hidden_dropout", 0.4, "[0,1)", "Dropout on the encoder's dense outputs");
        o["attention_dropout"] = s.real("attention_dropout", 0.5, "[0,1)", "Dropout on the attention weights");
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout before the output layer");
        if (channels.back() % o.at("attention_heads").get<int64_t>() != 0)
          s.fail("attention_heads", "must divide the last conv_channels entry " + std::to_string(channels.back()));
        int64_t freq = o.at("n_mels").get<int64_t>();
        for (size_t i = 0; i < channels.size(); ++i) freq = strided_size(freq, 2);
        if (freq < 1) s.fail("conv_channels", "too many blocks for n_mels");
        return o;
      },
      [](const nlohmann::json& options) -> TaggingModel { return std::make_shared<SelfAttentionImpl>(options); },
      [](const nlohmann::json&) -> int64_t { return 1; },
  };
}

}  // namespace musictag::train
