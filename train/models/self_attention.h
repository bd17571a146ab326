// Won et al. 2019/2020's CNN + self-attention tagger (CNNSA): residual CNN to a sequence, a BERT-style encoder, a CLS
// pooler and a linear layer.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "train/models/model_registry.h"
#include "train/models/zoo_blocks.h"

namespace musictag::train {

// Layers (state names as Won's code, whose encoder is huggingface's BERT): spec_bn; layer1..7 ResBlock2d with
// strides 2 (the first time_stride_blocks blocks) or 2x1 (the rest): 128 x 938 -> 1 x 118; the bins left are
// max-pooled and the time axis becomes 118 tokens of 256; a fixed CLS vector (buffer vec_cls: numpy's
// random((1, 256)) after seed 0, as Won's get_cls) is prepended; encoder.layer.<i> (attention.self.{query,key,value},
// attention.output.{dense,LayerNorm}, intermediate.dense, output.{dense,LayerNorm}; post-LayerNorm, GELU, eps 1e-12);
// pooler.dense + tanh on the CLS token; dropout; dense. 10,521,652 parameters for 50 tags.
class SelfAttentionImpl : public JsonOptionsModelImpl {
 public:
  explicit SelfAttentionImpl(nlohmann::json options);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return "self_attention"; }
  void use_channels_last() override {}

 private:
  struct EncoderLayer {
    torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, attention_dense{nullptr};
    torch::nn::LayerNorm attention_norm{nullptr};
    torch::nn::Linear intermediate{nullptr}, output_dense{nullptr};
    torch::nn::LayerNorm output_norm{nullptr};
  };
  torch::Tensor encode(EncoderLayer& layer, const torch::Tensor& x, bool training) const;

  int64_t heads_ = 8;
  double hidden_dropout_ = 0.4, attention_dropout_ = 0.5, dropout_ = 0.5;
  torch::nn::BatchNorm2d spec_bn_{nullptr};
  std::vector<ResBlock2d> layers_;
  std::vector<EncoderLayer> encoder_;
  torch::nn::Linear pooler_{nullptr}, dense_{nullptr};
  torch::Tensor vec_cls_;
};

// Registry entry "self_attention": keys n_tags, n_mels (128), n_frames (938 = 15 s), conv_channels (128, 128, 256,
// 256, 256, 256, 256), time_stride_blocks (3), attention_heads (8), attention_layers (2), intermediate_size (1024),
// hidden_dropout (0.4), attention_dropout (0.5), dropout (0.5).
ModelKind self_attention_model_kind();

}  // namespace musictag::train
