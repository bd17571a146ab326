// The 1-D blocks of the sample-level CNNs: conv block and residual squeeze-excitation block.
#include "train/models/sample_blocks.h"

namespace musictag::train {
namespace {

torch::nn::Conv1d conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride) {
  return torch::nn::Conv1d(
      torch::nn::Conv1dOptions(in_channels, out_channels, kernel).stride(stride).padding(kernel / 2));
}

torch::Tensor pooled(const torch::Tensor& x, int64_t pool) { return pool > 1 ? torch::max_pool1d(x, pool) : x; }

}  // namespace

ConvBlock1dImpl::ConvBlock1dImpl(int64_t in_channels, int64_t out_channels, SampleBlockShape shape) : pool(shape.pool) {
  conv = register_module("conv", conv1d(in_channels, out_channels, shape.kernel, shape.stride));
  bn = register_module("bn", torch::nn::BatchNorm1d(out_channels));
}

torch::Tensor ConvBlock1dImpl::forward(const torch::Tensor& x, const BatchNormFunction& bn_override) {
  return pooled(torch::relu(batch_norm_forward(bn, conv->forward(x), bn_override, is_training())), pool);
}

ResSeBlock1dImpl::ResSeBlock1dImpl(int64_t in_channels, int64_t out_channels, SampleBlockShape shape)
    : pool(shape.pool) {
  conv_1 = register_module("conv_1", conv1d(in_channels, out_channels, shape.kernel, shape.stride));
  bn_1 = register_module("bn_1", torch::nn::BatchNorm1d(out_channels));
  conv_2 = register_module("conv_2", conv1d(out_channels, out_channels, shape.kernel, 1));
  bn_2 = register_module("bn_2", torch::nn::BatchNorm1d(out_channels));
  dense1 = register_module("dense1", torch::nn::Linear(out_channels, out_channels));
  dense2 = register_module("dense2", torch::nn::Linear(out_channels, out_channels));
  if (shape.stride != 1 || in_channels != out_channels) {
    conv_3 = register_module("conv_3", conv1d(in_channels, out_channels, shape.kernel, shape.stride));
    bn_3 = register_module("bn_3", torch::nn::BatchNorm1d(out_channels));
  }
}

torch::Tensor ResSeBlock1dImpl::forward(const torch::Tensor& x, const BatchNormFunction& bn_override) {
  const bool training = is_training();
  torch::Tensor out = torch::relu(batch_norm_forward(bn_1, conv_1->forward(x), bn_override, training));
  out = batch_norm_forward(bn_2, conv_2->forward(out), bn_override, training);
  const torch::Tensor excitation = torch::sigmoid(dense2->forward(torch::relu(dense1->forward(out.mean(2)))));
  out = out * excitation.unsqueeze(2);
  const torch::Tensor shortcut = conv_3 ? batch_norm_forward(bn_3, conv_3->forward(x), bn_override, training) : x;
  return pooled(torch::relu(out + shortcut), pool);
}

}  // namespace musictag::train
