// Channels-last (NHWC) conv blocks compute the same logits and gradients as the default layout.
#include <gtest/gtest.h>

#include "train/models/crnn.h"

namespace musictag::train {
namespace {

CrnnOptions small_options() {
  return CrnnOptions(5)
      .n_mels(24)
      .n_frames(32)
      .conv_channels({8, 16, 16})
      .pool_sizes({PoolSize{2, 2}, PoolSize{3, 2}, PoolSize{2, 2}})
      .gru_hidden(8)
      .conv_dropout(0)
      .gru_dropout(0);
}

TEST(CrnnChannelsLast, SameLogitsAndGradientsAsContiguous) {
  at::set_num_threads(1);
  torch::manual_seed(9);
  Crnn plain(small_options());
  Crnn nhwc(small_options());
  {
    torch::NoGradGuard no_grad;
    const auto source = plain->parameters();
    const auto target = nhwc->parameters();
    for (size_t i = 0; i < source.size(); ++i) target[i].copy_(source[i]);
  }
  nhwc->use_channels_last();
  ASSERT_TRUE(nhwc->channels_last());
  EXPECT_TRUE(nhwc->convs[1]->weight.is_contiguous(torch::MemoryFormat::ChannelsLast));

  const torch::Tensor x = torch::randn({4, 24, 32}) * 10.0;
  const torch::Tensor logits_plain = plain->forward(x);
  const torch::Tensor logits_nhwc = nhwc->forward(x);
  // Different convolution kernels sum in another order: float32 rounding only.
  EXPECT_LE((logits_plain - logits_nhwc).abs().max().item<double>(), 1e-4);
  logits_plain.sum().backward();
  logits_nhwc.sum().backward();
  const auto grads_plain = plain->parameters();
  const auto grads_nhwc = nhwc->parameters();
  for (size_t i = 0; i < grads_plain.size(); ++i)
    EXPECT_LE((grads_plain[i].grad() - grads_nhwc[i].grad()).abs().max().item<double>(), 1e-3) << "parameter " << i;
}

}  // namespace
}  // namespace musictag::train
