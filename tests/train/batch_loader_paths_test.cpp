// The loader's two read paths: batches from uncompressed parts (direct chunk reads, outside HDF5) are bit-identical
// to those from the same values deflated (H5Dread), in every dtype, crop, order and thread count.
#include <gtest/gtest.h>

#include "batch_loader_fixture.h"
#include "preprocess/format/part_reader.h"

namespace musictag::train::testing {
namespace {

class BatchLoaderPaths : public DataFolderTest {
 protected:
  // The default dataset written twice from the same seed: uncompressed under plain/, deflated under deflated/.
  void SetUp() override {
    DataFolderTest::SetUp();
    DatasetSpec spec = default_spec();
    plain_ = write_test_dataset(folder() + "/plain", spec);
    spec.writer.deflate_level = 4;
    deflated_ = write_test_dataset(folder() + "/deflated", spec);
  }

  std::vector<Batch> epoch(const std::string& root, DataConfig config, const BatchLoaderOptions& options, int64_t e) {
    config.dataset = root;
    auto index = std::make_shared<const DataIndex>(DataIndex::open(root, "training"));
    BatchLoader loader(index, config, options);
    loader.start_epoch(e);
    std::vector<Batch> batches;
    while (auto batch = loader.next()) batches.push_back(std::move(*batch));
    return batches;
  }

  TestDataset plain_, deflated_;
};

TEST_F(BatchLoaderPaths, DirectReadsAndH5DreadGiveBitIdenticalBatches) {
  // The two datasets take the two paths.
  EXPECT_TRUE(preprocess::PartReader(plain_.part_files[0]).reads_chunks_directly());
  EXPECT_FALSE(preprocess::PartReader(deflated_.part_files[0]).reads_chunks_directly());
  ASSERT_EQ(plain_.mels, deflated_.mels);

  DataConfig config;
  config.seed = 7;
  config.variants = VariantPolicy::all;
  config.drop_last = false;
  for (const int64_t frames : {int64_t{0}, int64_t{16}}) {
    for (const int threads : {1, 3}) {
      config.input_frames = frames;
      config.loader_threads = threads;
      for (const auto mode : {LoaderMode::training, LoaderMode::evaluation}) {
        for (const auto dtype : {at::kFloat, at::kHalf}) {
          BatchLoaderOptions options(mode, 4);
          options.mel_dtype = dtype;
          for (int64_t e = 0; e < 2; ++e) {
            SCOPED_TRACE(::testing::Message() << "frames " << frames << " threads " << threads << " mode "
                                              << static_cast<int>(mode) << " dtype " << dtype << " epoch " << e);
            expect_same(epoch(plain_.root, config, options, e), epoch(deflated_.root, config, options, e));
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace musictag::train::testing
