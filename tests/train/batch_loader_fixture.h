// BatchLoaderTest: the default test dataset opened as an index, a DataConfig for it, and epoch collection helpers.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "data_test_support.h"
#include "train/data/batch_loader.h"

namespace musictag::train::testing {

class BatchLoaderTest : public DataFolderTest {
 protected:
  void SetUp() override {
    DataFolderTest::SetUp();
    data_ = write_test_dataset(folder(), default_spec());
    index_ = std::make_shared<const DataIndex>(DataIndex::open(folder(), "training"));
    config_.dataset = folder();
    config_.input_frames = 16;
    config_.seed = 42;
  }

  std::vector<Batch> epoch(const DataConfig& config, BatchLoaderOptions options, int64_t epoch, int64_t first = 0) {
    BatchLoader loader(index_, config, options);
    loader.start_epoch(epoch, first);
    std::vector<Batch> batches;
    while (auto batch = loader.next()) batches.push_back(std::move(*batch));
    return batches;
  }

  TestDataset data_;
  std::shared_ptr<const DataIndex> index_;
  DataConfig config_;
};

// Every batch of two runs is the same: examples, crops, mel and tag values.
inline void expect_same(const std::vector<Batch>& a, const std::vector<Batch>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].examples, b[k].examples) << "batch " << k;
    EXPECT_EQ(a[k].crop_offsets, b[k].crop_offsets) << "batch " << k;
    EXPECT_TRUE(at::equal(a[k].input, b[k].input)) << "batch " << k;
    EXPECT_TRUE(at::equal(a[k].tags, b[k].tags)) << "batch " << k;
  }
}

}  // namespace musictag::train::testing
