// PendingLosses: read back at sync points, the same sums as reading each loss with .item() at once; batch names kept.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "train/pending_losses.h"

namespace musictag::train {
namespace {

Batch batch_named(int64_t epoch, int64_t index) {
  Batch batch;
  batch.epoch = epoch;
  batch.index = index;
  batch.examples = {index * 2, index * 2 + 1};
  batch.crop_offsets = {index, index + 5};
  return batch;
}

// Losses of very different sizes, as float32 scalars (what binary_cross_entropy_with_logits returns).
std::vector<at::Tensor> losses(int count) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
  const at::Tensor values = at::rand({count}, generator, at::kFloat) * at::pow(10.0, at::arange(count) % 7 - 3);
  std::vector<at::Tensor> scalars;
  for (int i = 0; i < count; ++i) scalars.push_back(values[i].clone());
  return scalars;
}

TEST(PendingLosses, SumsAreBitIdenticalToReadingEveryLossWithItem) {
  const std::vector<at::Tensor> all = losses(37);
  double per_step_sum = 0.0;  // what the trainer did before: loss.item<double>() after every backward
  for (const at::Tensor& loss : all) per_step_sum += loss.item<double>();

  PendingLosses pending;
  double read_sum = 0.0;
  int64_t count = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    pending.add(all[i], batch_named(0, static_cast<int64_t>(i)), static_cast<int64_t>(i));
    if (i % 10 == 9 || i + 1 == all.size()) {  // sync points every 10 losses, and the epoch end
      const LossReadout readout = pending.read();
      for (const double loss : readout.losses) read_sum += loss;
      count += readout.size();
      EXPECT_EQ(pending.size(), 0);
    }
  }
  EXPECT_EQ(count, 37);
  EXPECT_EQ(read_sum, per_step_sum);  // exact: same values, same order
  EXPECT_EQ(read_sum / count, per_step_sum / 37);
}

TEST(PendingLosses, KeepsEachLossWithItsBatchAndForgetsThemAfterARead) {
  PendingLosses pending;
  EXPECT_EQ(pending.read().size(), 0);  // nothing kept: an empty readout
  const at::Tensor loss = at::full({}, 0.25f, at::kFloat).requires_grad_();
  pending.add(loss * 2, batch_named(3, 4), 11);  // a loss with a graph: kept detached
  pending.add(at::full({1}, 0.5f), batch_named(3, 5), 11);
  ASSERT_EQ(pending.size(), 2);
  const LossReadout readout = pending.read();
  ASSERT_EQ(readout.size(), 2);
  EXPECT_EQ(readout.losses, (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(readout.batches[0].step, 11);
  EXPECT_EQ(readout.batches[0].epoch, 3);
  EXPECT_EQ(readout.batches[0].batch, 4);
  EXPECT_EQ(readout.batches[1].examples, (std::vector<int64_t>{10, 11}));
  EXPECT_EQ(readout.batches[1].crop_offsets, (std::vector<int64_t>{5, 10}));
  EXPECT_FALSE(readout.first_non_finite());
  EXPECT_EQ(pending.read().size(), 0);
}

TEST(PendingLosses, FindsTheFirstNonFiniteLoss) {
  PendingLosses pending;
  pending.add(at::full({}, 0.3f), batch_named(0, 0), 0);
  pending.add(at::full({}, std::numeric_limits<float>::infinity()), batch_named(0, 1), 1);
  pending.add(at::full({}, std::numeric_limits<float>::quiet_NaN()), batch_named(0, 2), 2);
  const LossReadout readout = pending.read();
  ASSERT_TRUE(readout.first_non_finite());
  EXPECT_EQ(*readout.first_non_finite(), 1u);
  EXPECT_TRUE(std::isinf(readout.losses[1]));
  EXPECT_TRUE(std::isnan(readout.losses[2]));
}

}  // namespace
}  // namespace musictag::train
