// BatchLoader: batches equal the parts' data, crops are in bounds and deterministic, threads do not change batches.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "batch_loader_fixture.h"
#include "cluster/errors.h"
#include "preprocess/format/part_reader.h"

namespace musictag::train {
namespace {

using testing::BatchLoaderTest;
using testing::expect_same;

TEST_F(BatchLoaderTest, BatchesHoldThePartsValuesCroppedAtTheirOffsets) {
  DataConfig all = config_;
  all.variants = VariantPolicy::all;
  all.drop_last = false;
  BatchLoader loader(index_, all, {LoaderMode::training, 3});
  EXPECT_FALSE(loader.pinned());  // no CUDA here
  EXPECT_EQ(loader.input_frames(), 16);
  loader.start_epoch(1);
  std::vector<preprocess::PartReader> readers;
  for (const auto& path : data_.part_files) readers.emplace_back(path);
  std::vector<float> stored(static_cast<size_t>(8 * 40));
  int64_t checked = 0;
  while (auto batch = loader.next()) {
    ASSERT_EQ(batch->input.sizes().vec(), (std::vector<int64_t>{batch->size(), 8, 16}));
    ASSERT_EQ(batch->tags.sizes().vec(), (std::vector<int64_t>{batch->size(), 3}));
    EXPECT_EQ(batch->input.scalar_type(), at::kFloat);
    EXPECT_TRUE(batch->input.is_contiguous());
    const auto mel = batch->input.accessor<float, 3>();
    const auto tags = batch->tags.accessor<float, 2>();
    for (int64_t k = 0; k < batch->size(); ++k) {
      const int64_t i = batch->examples[static_cast<size_t>(k)];
      const int64_t offset = batch->crop_offsets[static_cast<size_t>(k)];
      const auto& ref = index_->example(i);
      readers[static_cast<size_t>(ref.part)].read_example(ref.row, stored.data());
      EXPECT_EQ(batch->track_ids[static_cast<size_t>(k)], data_.track_ids[static_cast<size_t>(i)]);
      EXPECT_EQ(batch->variants[static_cast<size_t>(k)], data_.variants[static_cast<size_t>(i)]);
      EXPECT_EQ(batch->segments[static_cast<size_t>(k)], data_.segments[static_cast<size_t>(i)]);
      for (int64_t m = 0; m < 8; ++m) {
        for (int64_t t = 0; t < 16; ++t) {
          const float expected = data_.mels[static_cast<size_t>(i)][static_cast<size_t>(m * 40 + offset + t)];
          ASSERT_EQ(mel[k][m][t], expected) << "example " << i << " mel " << m << " frame " << t;  // exact: float16
          ASSERT_EQ(mel[k][m][t], stored[static_cast<size_t>(m * 40 + offset + t)]);  // and what PartReader reads
        }
      }
      for (int64_t t = 0; t < 3; ++t) {
        EXPECT_EQ(tags[k][t], data_.tags[static_cast<size_t>(i)][static_cast<size_t>(t)] ? 1.0f : 0.0f);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 18);
}

TEST(ChunkOffsets, OneIsTheCentreCropAndNAreEvenlySpacedFromTheStart) {
  EXPECT_EQ(chunk_offsets(40, 16, 1), (std::vector<int64_t>{12}));
  // Won et al.'s eval.py: hop = floor((40 - 16) / 5) = 4, crop i at 4i.
  EXPECT_EQ(chunk_offsets(40, 16, 5), (std::vector<int64_t>{0, 4, 8, 12, 16}));
  std::vector<int64_t> every_frame;  // hop 24 / 24 = 1
  for (int64_t i = 0; i < 24; ++i) every_frame.push_back(i);
  EXPECT_EQ(chunk_offsets(40, 16, 24), every_frame);
  EXPECT_EQ(chunk_offsets(16, 16, 3), (std::vector<int64_t>{0, 0, 0}));  // the crop is the whole example
  EXPECT_EQ(chunk_offsets(40, 16, 30), std::vector<int64_t>(30, 0));     // fewer spare frames than chunks
  EXPECT_THROW(chunk_offsets(40, 16, 0), std::invalid_argument);
  EXPECT_THROW(chunk_offsets(10, 16, 2), std::invalid_argument);
}

TEST_F(BatchLoaderTest, EvaluationChunksAreConsecutiveRowsOfEachExampleAtTheirOffsets) {
  BatchLoaderOptions options(LoaderMode::evaluation, 2);
  options.chunks = 3;
  BatchLoader chunked(index_, config_, options);
  BatchLoader whole(index_, config_, {LoaderMode::evaluation, 2});
  EXPECT_EQ(chunked.chunks(), 3);
  const std::vector<int64_t> offsets = chunk_offsets(40, 16, 3);  // {0, 8, 16}
  chunked.start_epoch(0);
  whole.start_epoch(0);
  int64_t examples = 0;
  while (auto batch = chunked.next()) {
    const auto plain = whole.next();
    ASSERT_TRUE(plain);
    ASSERT_EQ(batch->size(), 3 * plain->size());
    for (int64_t k = 0; k < batch->size(); ++k) {
      const int64_t i = batch->examples[static_cast<size_t>(k)];
      EXPECT_EQ(i, plain->examples[static_cast<size_t>(k / 3)]);
      EXPECT_EQ(batch->crop_offsets[static_cast<size_t>(k)], offsets[static_cast<size_t>(k % 3)]);
      const at::Tensor expected = at::from_blob(data_.mels[static_cast<size_t>(i)].data(), {8, 40}, at::kFloat)
                                      .narrow(1, offsets[static_cast<size_t>(k % 3)], 16);
      ASSERT_TRUE(at::equal(batch->input[k], expected)) << "example " << i << " chunk " << k % 3;
      ASSERT_TRUE(at::equal(batch->tags[k], plain->tags[k / 3]));
    }
    examples += plain->size();
  }
  EXPECT_FALSE(whole.next());
  EXPECT_EQ(examples, index_->size());
  options.mode = LoaderMode::training;
  EXPECT_THROW(BatchLoader(index_, config_, options), musictag::ConfigError);  // chunks are an evaluation setting
}

TEST_F(BatchLoaderTest, CropOffsetsAreInBoundsDeterministicAndVaryByEpoch) {
  std::set<int64_t> offsets_seen;
  for (int64_t e = 0; e < 4; ++e) {
    const auto plan = BatchLoader(index_, config_, {LoaderMode::training, 2}).plan(e);
    EXPECT_EQ(plan.offsets, BatchLoader(index_, config_, {LoaderMode::training, 2}).plan(e).offsets);
    for (size_t b = 0; b < plan.examples.size(); ++b) {
      for (size_t k = 0; k < plan.examples[b].size(); ++k) {
        const int64_t offset = plan.offsets[b][k];
        ASSERT_TRUE(offset >= 0 && offset <= 40 - 16) << offset;
        offsets_seen.insert(offset);
        // An example's offset depends on (seed, epoch, example) only.
        EXPECT_EQ(offset, random_crop_offset(42, e, plan.examples[b][k], 40, 16));
      }
    }
  }
  EXPECT_GT(offsets_seen.size(), 5u);  // 25 possible offsets
  // Evaluation crops the centre; input_frames 0 takes the stored frames whole.
  const auto eval = BatchLoader(index_, config_, {LoaderMode::evaluation, 4}).plan(0);
  for (const auto& batch : eval.offsets) {
    for (const int64_t offset : batch) EXPECT_EQ(offset, 12);
  }
  DataConfig whole = config_;
  whole.input_frames = 0;
  BatchLoader loader(index_, whole, {LoaderMode::training, 2});
  EXPECT_EQ(loader.input_frames(), 40);
  loader.start_epoch(0);
  const auto batch = loader.next();
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->input.size(2), 40);
  EXPECT_EQ(batch->crop_offsets, (std::vector<int64_t>{0, 0}));
}

// Whole examples take other paths than crops: float16 runs of distinct rows are read straight into the batch,
// float32 ones widened from the read buffer; a row repeated (evaluation chunks) still goes through that buffer.
TEST_F(BatchLoaderTest, WholeExamplesHoldThePartsValuesInBothDtypesAndOrders) {
  DataConfig whole = config_;
  whole.input_frames = 0;
  whole.variants = VariantPolicy::all;
  whole.drop_last = false;
  for (const auto mode : {LoaderMode::training, LoaderMode::evaluation}) {
    for (const int64_t chunks : {int64_t{1}, int64_t{2}}) {
      if (chunks > 1 && mode == LoaderMode::training) continue;
      for (const auto dtype : {at::kFloat, at::kHalf}) {
        BatchLoaderOptions options(mode, 5);
        options.chunks = chunks;
        options.mel_dtype = dtype;
        int64_t checked = 0;
        for (const Batch& batch : epoch(whole, options, 1)) {
          ASSERT_EQ(batch.input.sizes().vec(), (std::vector<int64_t>{batch.size(), 8, 40}));
          ASSERT_EQ(batch.input.scalar_type(), dtype);
          const at::Tensor values = batch.input.to(at::kFloat);
          const auto mel = values.accessor<float, 3>();
          for (int64_t k = 0; k < batch.size(); ++k) {
            const auto& expected = data_.mels[static_cast<size_t>(batch.examples[static_cast<size_t>(k)])];
            for (int64_t v = 0; v < 8 * 40; ++v)
              ASSERT_EQ(mel[k][v / 40][v % 40], expected[static_cast<size_t>(v)])
                  << "mode " << static_cast<int>(mode) << " chunks " << chunks << " dtype " << dtype << " example "
                  << batch.examples[static_cast<size_t>(k)] << " value " << v;
            ++checked;
          }
        }
        EXPECT_EQ(checked, 18 * chunks);
      }
    }
  }
}

TEST_F(BatchLoaderTest, ThreadsAndPrefetchDepthDoNotChangeTheBatches) {
  DataConfig one = config_, three = config_;
  one.loader_threads = 1;
  one.prefetch_batches = 1;
  three.loader_threads = 3;
  three.prefetch_batches = 8;
  three.max_open_parts = 1;  // forces reopening parts
  for (const auto mode : {LoaderMode::training, LoaderMode::evaluation}) {
    for (int64_t e = 0; e < 3; ++e) expect_same(epoch(one, {mode, 2}, e), epoch(three, {mode, 2}, e));
  }
}

TEST_F(BatchLoaderTest, VariantsAllGivesEveryExampleOnceAndRandomOneVariantPerTrack) {
  DataConfig all = config_;
  all.variants = VariantPolicy::all;
  all.drop_last = false;
  std::multiset<int64_t> seen;
  for (const auto& batch : epoch(all, {LoaderMode::training, 4}, 0)) {
    seen.insert(batch.examples.begin(), batch.examples.end());
  }
  EXPECT_EQ(seen.size(), 18u);
  for (int64_t i = 0; i < 18; ++i) EXPECT_EQ(seen.count(i), 1u);

  DataConfig random = config_;
  random.drop_last = false;
  std::map<int64_t, std::set<int16_t>> variants;
  for (const auto& batch : epoch(random, {LoaderMode::training, 4}, 7)) {
    for (int64_t k = 0; k < batch.size(); ++k) variants[batch.track_ids[k]].insert(batch.variants[k]);
  }
  EXPECT_EQ(variants.size(), 6u);
  for (const auto& [track, chosen] : variants) EXPECT_EQ(chosen.size(), 1u) << "track " << track;
}

}  // namespace
}  // namespace musictag::train
