// The layers Won et al. 2020's spectrogram models share: conv block, residual blocks, dense head.
#include "train/models/zoo_blocks.h"

#include <torch/nn/functional/pooling.h>

#include <string>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

torch::nn::Conv2d conv3x3(int64_t in_channels, int64_t out_channels, PoolSize stride) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in_channels, out_channels, 3).stride({stride.freq, stride.time}).padding(1));
}

}  // namespace

ConvBlock2dImpl::ConvBlock2dImpl(int64_t in_channels, int64_t out_channels, PoolSize pool_size) : pool(pool_size) {
  conv = register_module("conv", conv3x3(in_channels, out_channels, {1, 1}));
  bn = register_module("bn", torch::nn::BatchNorm2d(out_channels));
}

torch::Tensor ConvBlock2dImpl::forward(const torch::Tensor& x, const BatchNormFunction& bn_override) {
  const torch::Tensor y = torch::relu(batch_norm_forward(bn, conv->forward(x), bn_override, is_training()));
  return torch::max_pool2d(y, {pool.freq, pool.time});
}

ResBlock2dImpl::ResBlock2dImpl(int64_t in_channels, int64_t out_channels, PoolSize stride) {
  conv_1 = register_module("conv_1", conv3x3(in_channels, out_channels, stride));
  bn_1 = register_module("bn_1", torch::nn::BatchNorm2d(out_channels));
  conv_2 = register_module("conv_2", conv3x3(out_channels, out_channels, {1, 1}));
  bn_2 = register_module("bn_2", torch::nn::BatchNorm2d(out_channels));
  if (stride.freq != 1 || stride.time != 1 || in_channels != out_channels) {
    conv_3 = register_module("conv_3", conv3x3(in_channels, out_channels, stride));
    bn_3 = register_module("bn_3", torch::nn::BatchNorm2d(out_channels));
  }
}

torch::Tensor ResBlock2dImpl::forward(const torch::Tensor& x, const BatchNormFunction& bn_override) {
  const bool training = is_training();
  torch::Tensor out = torch::relu(batch_norm_forward(bn_1, conv_1->forward(x), bn_override, training));
  out = batch_norm_forward(bn_2, conv_2->forward(out), bn_override, training);
  const torch::Tensor shortcut = conv_3 ? batch_norm_forward(bn_3, conv_3->forward(x), bn_override, training) : x;
  return torch::relu(out + shortcut);
}

ResPoolBlock2dImpl::ResPoolBlock2dImpl(int64_t channels, PoolSize pool_size) : pool(pool_size) {
  conv_1 = register_module("conv_1", conv3x3(channels, channels, {1, 1}));
  bn_1 = register_module("bn_1", torch::nn::BatchNorm2d(channels));
  conv_2 = register_module("conv_2", conv3x3(channels, channels, {1, 1}));
  bn_2 = register_module("bn_2", torch::nn::BatchNorm2d(channels));
}

torch::Tensor ResPoolBlock2dImpl::forward(const torch::Tensor& x, const BatchNormFunction& bn_override) {
  const bool training = is_training();
  torch::Tensor out = torch::relu(batch_norm_forward(bn_1, conv_1->forward(x), bn_override, training));
  out = batch_norm_forward(bn_2, conv_2->forward(out), bn_override, training);
  return torch::max_pool2d(torch::relu(out + x), {pool.freq, pool.time});
}

int64_t strided_size(int64_t n, int64_t stride) { return n < 1 ? 0 : (n - 1) / stride + 1; }

void DenseHead::register_on(torch::nn::Module& model, int64_t channels, int64_t n_tags, double dropout_rate) {
  dense1 = model.register_module("dense1", torch::nn::Linear(channels, channels));
  bn = model.register_module("bn", torch::nn::BatchNorm1d(channels));
  dense2 = model.register_module("dense2", torch::nn::Linear(channels, n_tags));
  dropout = dropout_rate;
}

torch::Tensor DenseHead::forward(const torch::Tensor& x, const BatchNormFunction& bn_override, bool training) {
  torch::Tensor y = torch::relu(batch_norm_forward(bn, dense1->forward(x), bn_override, training));
  return dense2->forward(torch::dropout(y, dropout, training));
}

torch::Tensor as_image(const torch::Tensor& input, int64_t n_mels, const char* kind) {
  torch::Tensor x = input.dim() == 3 ? input.unsqueeze(1) : input;
  if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != n_mels) {
    std::string shape = "[";
    for (int64_t d = 0; d < input.dim(); ++d) shape += (d ? ", " : "") + std::to_string(input.size(d));
    throw DataError(std::string(kind) + ": expected input [batch, " + std::to_string(n_mels) +
                    " mels, frames] (or [batch, 1, mels, frames]), got " + shape + "]");
  }
  return x;
}

}  // namespace musictag::train
