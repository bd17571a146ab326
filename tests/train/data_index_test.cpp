// DataIndex and DataConfig: examples and tracks as written, parts refused when they disagree with the manifest.
#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/errors.h"
#include "data_test_support.h"
#include "preprocess/format/part_reader.h"
#include "train/data/data_config.h"
#include "train/data/data_index.h"

namespace musictag::train {
namespace {

using testing::DataFolderTest;

// Runs `open` and expects a DataError whose message contains every one of `expected`.
template <typename Open>
void expect_data_error(Open open, const std::vector<std::string>& expected) {
  try {
    open();
    FAIL() << "no DataError";
  } catch (const DataError& error) {
    for (const auto& text : expected) {
      EXPECT_NE(std::string(error.what()).find(text), std::string::npos) << error.what();
    }
  }
}

using DataIndexTest = DataFolderTest;

TEST_F(DataIndexTest, ListsEveryRowWithItsPartTrackVariantSegmentAndTags) {
  const auto data = testing::write_test_dataset(folder(), testing::default_spec());
  const DataIndex index = DataIndex::open(folder(), "training");
  ASSERT_EQ(index.size(), 18);
  ASSERT_EQ(static_cast<size_t>(index.size()), data.mels.size());
  EXPECT_EQ(index.rows(), 8);
  EXPECT_EQ(index.columns(), 40);
  EXPECT_EQ(index.n_tags(), 3);
  EXPECT_EQ(index.part_paths(), data.part_files);
  EXPECT_EQ(index.part_sizes(), (std::vector<int64_t>{8, 10}));
  for (int64_t i = 0; i < index.size(); ++i) {
    const auto& e = index.example(i);
    const auto r = static_cast<size_t>(i);
    EXPECT_EQ(e.part, i < 8 ? 0 : 1);
    EXPECT_EQ(e.row, i < 8 ? i : i - 8);
    EXPECT_EQ(e.track_id, data.track_ids[r]);
    EXPECT_EQ(e.variant, data.variants[r]);
    EXPECT_EQ(e.segment, data.segments[r]);
    EXPECT_EQ(std::vector<uint8_t>(index.tags_of(i), index.tags_of(i) + 3), data.tags[r]);
  }
}

TEST_F(DataIndexTest, GroupsExamplesByTrackAndVariant) {
  testing::write_test_dataset(folder(), testing::default_spec());
  const DataIndex index = DataIndex::open(folder(), "training");
  ASSERT_EQ(index.tracks().size(), 6u);
  const TrackExamples& track = index.tracks()[4];  // id 14: variants 0 (2 segments), 1, 2
  EXPECT_EQ(track.track_id, 14);
  EXPECT_EQ(track.variants, (std::vector<int16_t>{0, 1, 2}));
  EXPECT_EQ(track.examples_of_variant[0], (std::vector<int64_t>{12, 13}));
  EXPECT_EQ(track.examples_of_variant[1], (std::vector<int64_t>{14}));
  EXPECT_EQ(track.examples_of_variant[2], (std::vector<int64_t>{15}));
  int64_t total = 0;
  for (const auto& t : index.tracks()) {
    for (const auto& examples : t.examples_of_variant) total += static_cast<int64_t>(examples.size());
  }
  EXPECT_EQ(total, index.size());
}

TEST_F(DataIndexTest, RefusesAPartComputedWithOtherTags) {
  auto spec = testing::default_spec();
  testing::write_test_dataset(folder(), spec);
  // Rewrite part 1 with the tags in another order; the manifest still lists the original names.
  const std::string other = folder() + "/other";
  spec.tag_names = {"rock", "folk", "jazz"};
  const auto data = testing::write_test_dataset(other, spec);
  std::filesystem::copy_file(data.part_files[1], folder() + "/parts/training-00001.h5",
                             std::filesystem::copy_options::overwrite_existing);
  expect_data_error([&] { DataIndex::open(folder(), "training"); },
                    {folder() + "/parts/training-00001.h5", "tag_names"});
}

TEST_F(DataIndexTest, RefusesAPartComputedWithOtherFeatures) {
  auto spec = testing::default_spec();
  testing::write_test_dataset(folder(), spec);
  spec.n_mels = 9;
  const auto data = testing::write_test_dataset(folder() + "/other", spec);
  std::filesystem::copy_file(data.part_files[0], folder() + "/parts/training-00000.h5",
                             std::filesystem::copy_options::overwrite_existing);
  expect_data_error([&] { DataIndex::open(folder(), "training"); },
                    {folder() + "/parts/training-00000.h5", "features_json"});
}

TEST_F(DataIndexTest, RefusesAPartWithAnotherExampleCountThanTheManifest) {
  auto spec = testing::default_spec();
  testing::write_test_dataset(folder(), spec);
  spec.parts[1].pop_back();
  const auto data = testing::write_test_dataset(folder() + "/other", spec);
  std::filesystem::copy_file(data.part_files[1], folder() + "/parts/training-00001.h5",
                             std::filesystem::copy_options::overwrite_existing);
  expect_data_error([&] { DataIndex::open(folder(), "training"); },
                    {folder() + "/parts/training-00001.h5", "holds 8 examples, manifest.json says 10"});
}

TEST_F(DataIndexTest, RefusesATruncatedPartNamingIt) {
  const auto data = testing::write_test_dataset(folder(), testing::default_spec());
  testing::truncate_file(data.part_files[1]);
  expect_data_error([&] { DataIndex::open(folder(), "training"); }, {data.part_files[1]});
}

TEST_F(DataIndexTest, RefusesAMissingSplitAndAMissingManifest) {
  testing::write_test_dataset(folder(), testing::default_spec());
  expect_data_error([&] { DataIndex::open(folder(), "validation"); }, {"'validation'", "splits present: training"});
  expect_data_error([&] { DataIndex::open(folder() + "/nowhere", "training"); }, {"manifest.json"});
}

TEST_F(DataIndexTest, ChecksumsAreVerifiedOnlyWhenAsked) {
  const auto data = testing::write_test_dataset(folder(), testing::default_spec());
  auto manifest = preprocess::load_manifest(folder() + "/manifest.json");
  manifest.parts[0].sha256 = std::string(64, '0');
  preprocess::write_manifest(manifest, folder() + "/manifest.json");
  EXPECT_EQ(DataIndex::open(folder(), "training").size(), 18);
  expect_data_error([&] { DataIndex::open(folder(), "training", /*verify_checksums=*/true); },
                    {data.part_files[0], "sha256"});
}

TEST(DataConfig, DefaultsValidateAndBadValuesNameTheKey) {
  DataConfig config;
  EXPECT_THROW(config.validate(), ConfigError);  // dataset is required
  config.dataset = "out/dataset";
  config.validate();
  EXPECT_EQ(config.variants, VariantPolicy::random);
  EXPECT_EQ(config.manifest_path(), "out/dataset/manifest.json");
  EXPECT_EQ(config.prefetch_batches, 4);
  EXPECT_EQ(config.loader_threads, 2);

  auto message = [](DataConfig c) -> std::string {
    try {
      c.validate("train.data");
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "(no ConfigError)";
  };
  DataConfig bad = config;
  bad.loader_threads = 0;
  EXPECT_EQ(message(bad), "config key train.data.loader_threads: value 0 is not in [1,64]");
  bad = config;
  bad.input_frames = -1;
  EXPECT_EQ(message(bad), "config key train.data.input_frames: value -1 is not in [0,inf)");
  bad = config;
  bad.prefetch_batches = 0;
  EXPECT_NE(message(bad).find("prefetch_batches"), std::string::npos);
}

}  // namespace
}  // namespace musictag::train
