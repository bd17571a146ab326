// Train data test helpers: a small dataset (manifest.json + parts) written with PartWriter, and its expected values.
#pragma once

#include <ftw.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "preprocess/features/feature_config.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/manifest.h"
#include "preprocess/format/part_header.h"
#include "preprocess/format/part_writer.h"
#include "preprocess/format/sha256.h"

namespace musictag::train::testing {

// One track of a part: its id and, per variant 0..k-1, how many segments that variant has.
struct TrackSpec {
  int64_t id = 0;
  std::vector<int> segments_of_variant = {1};
};

struct DatasetSpec {
  int64_t n_mels = 8;
  double segment_seconds = 0.832;  // 9984 samples at 12 kHz, hop 256: 40 frames
  std::vector<std::string> tag_names = {"rock", "jazz", "folk"};
  std::string split = "training";
  std::vector<std::vector<TrackSpec>> parts;  // tracks of each part, ids ascending across parts
  uint64_t seed = 1;
  preprocess::PartWriterOptions writer;  // uncompressed (read with direct chunk reads) unless deflate_level > 0
};

// The parts of `spec` under `root`/parts and `root`/manifest.json; keeps every row's written values in index order.
struct TestDataset {
  std::string root;
  preprocess::FeatureConfig features;
  int64_t n_frames = 0;
  std::vector<std::string> part_files;      // full paths, part order
  std::vector<std::vector<float>> mels;     // per row (index order), float16-rounded: what a reader must return
  std::vector<std::vector<uint8_t>> tags;   // per row
  std::vector<int64_t> track_ids;           // per row
  std::vector<int16_t> variants, segments;  // per row
};

inline TestDataset write_test_dataset(const std::string& root, const DatasetSpec& spec) {
  TestDataset data;
  data.root = root;
  data.features.n_mels = spec.n_mels;
  data.features.segment_seconds = spec.segment_seconds;
  data.n_frames = data.features.segment_frames();
  std::filesystem::create_directories(root + "/parts");
  std::mt19937_64 random(spec.seed);
  std::uniform_real_distribution<float> decibels(-100.0f, 40.0f);

  preprocess::Manifest manifest;
  manifest.source_dataset = "test";
  manifest.set_config("test: true\n");
  manifest.tag_names = spec.tag_names;
  manifest.features = data.features.to_json();
  manifest.created = preprocess::utc_now_iso8601();
  int64_t tracks_done = 0;
  for (size_t k = 0; k < spec.parts.size(); ++k) {
    const std::string relative = fmt::format("parts/{}-{:05d}.h5", spec.split, k);
    const std::string path = root + "/" + relative;
    const auto header =
        preprocess::PartHeader::make(data.features, spec.tag_names, spec.split, static_cast<int64_t>(k));
    preprocess::PartWriter writer(path, header, spec.writer);
    const size_t first_row = data.mels.size();
    for (const TrackSpec& track : spec.parts[k]) {
      std::vector<uint8_t> labels(spec.tag_names.size());
      for (auto& label : labels) label = (random() % 2) ? 1 : 0;
      for (size_t v = 0; v < track.segments_of_variant.size(); ++v) {
        for (int s = 0; s < track.segments_of_variant[v]; ++s) {
          std::vector<float> mel(static_cast<size_t>(header.example_values()));
          for (float& value : mel) value = decibels(random);
          preprocess::PartExample example;
          example.track_id = track.id;
          example.variant = static_cast<int16_t>(v);
          example.segment = static_cast<int16_t>(s);
          example.time_stretch = v == 0 ? 1.0f : 1.1f;
          example.data = mel.data();
          example.tags = labels.data();
          writer.append(example);
          for (float& value : mel) value = preprocess::round_to_half(value);
          data.mels.push_back(std::move(mel));
          data.tags.push_back(labels);
          data.track_ids.push_back(track.id);
          data.variants.push_back(static_cast<int16_t>(v));
          data.segments.push_back(static_cast<int16_t>(s));
        }
      }
    }
    writer.commit();
    data.part_files.push_back(path);
    manifest.parts.push_back({relative, spec.split, static_cast<int64_t>(k),
                              static_cast<int64_t>(data.mels.size() - first_row),
                              static_cast<int64_t>(spec.parts[k].size()), preprocess::sha256_file(path)});
    tracks_done += static_cast<int64_t>(spec.parts[k].size());
  }
  manifest.counts[spec.split] = {tracks_done, 0};
  preprocess::write_manifest(manifest, root + "/manifest.json");
  return data;
}

// Two parts, five tracks: some with augmented variants, some variants with two segments (8 + 10 rows).
inline DatasetSpec default_spec() {
  DatasetSpec spec;
  spec.parts = {{{10, {1, 1, 1}}, {11, {2, 2}}, {12, {1}}}, {{13, {1, 2, 1}}, {14, {2, 1, 1}}, {15, {1, 1}}}};
  return spec;
}

// Removes `path` and everything below it. Not std::filesystem::remove_all: the torch wheel's libtorch.so exports
// its own copy of std::filesystem (64 symbols, from a statically linked libstdc++fs), the dynamic linker binds
// binaries that link libtorch to it, and its remove_all jumps to a null pointer (SIGSEGV, seen with torch 2.11.0).
inline void remove_tree(const std::string& path) {
  ::nftw(
      path.c_str(), [](const char* name, const struct stat*, int, struct FTW*) { return ::remove(name); }, 16,
      FTW_DEPTH | FTW_PHYS);
}

// A fresh folder for the running test, removed afterwards.
class DataFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            fmt::format("musictag-data-{}-{}-{}", ::getpid(), info->test_suite_name(), info->name());
    remove_tree(root_.string());
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { remove_tree(root_.string()); }
  std::string folder() const { return root_.string(); }

  std::filesystem::path root_;
};

// Truncates `path` to half its size (a damaged part).
inline void truncate_file(const std::string& path) {
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
}

}  // namespace musictag::train::testing
