// The input path on the CPU: float16 batches hold the float32 path's values; DeviceBatches passes batches through.
#include <gtest/gtest.h>

#include <stdexcept>

#include "batch_loader_fixture.h"
#include "cluster/errors.h"
#include "train/data/device_batches.h"
#include "train/data/device_upload.h"

namespace musictag::train {
namespace {

using testing::BatchLoaderTest;
using testing::expect_same;

BatchLoaderOptions float16_options() {
  BatchLoaderOptions options(LoaderMode::training, 3);
  options.mel_dtype = at::kHalf;
  return options;
}

TEST_F(BatchLoaderTest, Float16BatchesHoldTheStoredValuesThatTheFloat32PathWidens) {
  DataConfig all = config_;
  all.variants = VariantPolicy::all;
  all.drop_last = false;
  const std::vector<Batch> widened = epoch(all, {LoaderMode::training, 3}, 2);
  const std::vector<Batch> stored = epoch(all, float16_options(), 2);
  ASSERT_EQ(stored.size(), widened.size());
  ASSERT_EQ(stored.size(), 6u);  // 18 examples in batches of 3
  for (size_t k = 0; k < stored.size(); ++k) {
    EXPECT_EQ(stored[k].input.scalar_type(), at::kHalf);
    EXPECT_EQ(stored[k].tags.scalar_type(), at::kFloat);
    EXPECT_EQ(stored[k].examples, widened[k].examples);
    EXPECT_EQ(stored[k].crop_offsets, widened[k].crop_offsets);
    // float16 -> float32 is exact, so widening afterwards (on the GPU) gives the float32 path's bits.
    EXPECT_TRUE(at::equal(stored[k].input.to(at::kFloat), widened[k].input)) << "batch " << k;
    EXPECT_TRUE(at::equal(stored[k].tags, widened[k].tags)) << "batch " << k;
  }
}

TEST_F(BatchLoaderTest, EvaluationChunksInFloat16MatchTheFloat32Path) {
  BatchLoaderOptions widened(LoaderMode::evaluation, 4);
  widened.chunks = 3;  // one stored row repeated in a row: read once, cropped three times
  BatchLoaderOptions stored = widened;
  stored.mel_dtype = at::kHalf;
  const std::vector<Batch> a = epoch(config_, widened, 0);
  const std::vector<Batch> b = epoch(config_, stored, 0);
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) EXPECT_TRUE(at::equal(b[k].input.to(at::kFloat), a[k].input)) << "batch " << k;
}

TEST_F(BatchLoaderTest, OnlyFloat32AndFloat16MelsAreAccepted) {
  BatchLoaderOptions options(LoaderMode::training, 3);
  options.mel_dtype = at::kDouble;
  EXPECT_THROW(BatchLoader(index_, config_, options), ConfigError);
}

TEST_F(BatchLoaderTest, DeviceBatchesOnTheCpuDeliverTheLoadersBatchesUnchanged) {
  const std::vector<Batch> direct = epoch(config_, {LoaderMode::training, 2}, 1);
  BatchLoader loader(index_, config_, {LoaderMode::training, 2});
  DeviceBatches batches(loader, c10::Device(c10::kCPU));
  std::vector<Batch> through;
  for (const int64_t epoch : {1, 2}) {  // a second epoch: nothing of the first is left in flight
    loader.start_epoch(epoch);
    while (auto batch = batches.next()) {
      EXPECT_EQ(batch->input.scalar_type(), at::kFloat);
      EXPECT_TRUE(batch->input.device().is_cpu());
      if (epoch == 1) through.push_back(std::move(*batch));
    }
  }
  expect_same(direct, through);
}

TEST_F(BatchLoaderTest, DeviceBatchesResumeMidEpochLikeTheLoader) {
  const std::vector<Batch> direct = epoch(config_, {LoaderMode::training, 2}, 0, 2);
  BatchLoader loader(index_, config_, {LoaderMode::training, 2});
  DeviceBatches batches(loader, c10::Device(c10::kCPU));
  loader.start_epoch(0, 2);
  std::vector<Batch> through;
  while (auto batch = batches.next()) through.push_back(std::move(*batch));
  expect_same(direct, through);
}

TEST(DeviceUpload, TheCpuPassThroughKeepsFloat32TensorsAndWidensFloat16) {
  auto upload = make_device_upload(c10::Device(c10::kCPU));
  Batch batch;
  batch.input = at::randn({2, 3, 4});
  batch.tags = at::ones({2, 5});
  const void* mel_data = batch.input.data_ptr();
  upload->start(batch);
  const Batch same = upload->finish();
  EXPECT_EQ(same.input.data_ptr(), mel_data);  // no copy on the CPU path

  Batch half = batch;
  half.input = batch.input.to(at::kHalf);
  upload->start(half);
  const Batch widened = upload->finish();
  EXPECT_EQ(widened.input.scalar_type(), at::kFloat);
  EXPECT_TRUE(at::equal(widened.input, half.input.to(at::kFloat)));
}

TEST(DeviceUpload, CallsMustAlternate) {
  auto upload = make_device_upload(c10::Device(c10::kCPU));
  EXPECT_THROW(upload->finish(), std::logic_error);
  Batch batch;
  batch.input = at::zeros({1, 1, 1});
  batch.tags = at::zeros({1, 1});
  upload->start(batch);
  EXPECT_THROW(upload->start(batch), std::logic_error);
  EXPECT_NO_THROW(upload->finish());
}

}  // namespace
}  // namespace musictag::train
