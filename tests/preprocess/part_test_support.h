// Helpers of the part file tests: a per-test temporary folder, a default header and random examples in dB range.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "preprocess/features/feature_config.h"
#include "preprocess/format/part_header.h"
#include "preprocess/format/part_writer.h"

namespace musictag::preprocess::testing {

// A fresh folder under the system temp dir for the running test, removed afterwards.
class PartFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("musictag-parts-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string file(const std::string& name) const { return (root_ / name).string(); }

  std::filesystem::path root_;
};

inline std::vector<std::string> test_tag_names() { return {"rock", "electronic", "hip-hop", "folk", "jazz"}; }

// Default features (96 mels x 1366 frames) unless `n_mels` is given.
inline PartHeader test_header(int64_t part_index = 0, int64_t n_mels = 96) {
  FeatureConfig features;
  features.n_mels = n_mels;
  return PartHeader::make(features, test_tag_names(), "training", part_index);
}

// Examples with mels uniform in [-100, 40] dB (the range of power_to_db output), tags and ids varying by row.
struct TestExamples {
  std::vector<std::vector<float>> mels;
  std::vector<std::vector<uint8_t>> tags;
  std::vector<PartExample> examples;

  TestExamples(const PartHeader& header, int count, uint64_t seed) {
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<float> decibels(-100.0f, 40.0f);
    for (int i = 0; i < count; ++i) {
      mels.emplace_back(static_cast<size_t>(header.example_values()));
      for (float& value : mels.back()) value = decibels(random);
      tags.emplace_back(static_cast<size_t>(header.n_tags()));
      for (size_t t = 0; t < tags.back().size(); ++t) tags.back()[t] = (random() % 3 == 0) ? 1 : 0;
    }
    for (int i = 0; i < count; ++i) {
      PartExample example;
      example.track_id = 1000 + 7 * i;
      example.variant = static_cast<int16_t>(i % 3);
      example.time_stretch = i % 3 == 0 ? 1.0f : 0.9f + 0.05f * static_cast<float>(i);
      example.pitch_shift = i % 3 == 0 ? 0.0f : -2.0f + static_cast<float>(i);
      example.segment = static_cast<int16_t>(i / 2);
      example.data = mels[static_cast<size_t>(i)].data();
      example.tags = tags[static_cast<size_t>(i)].data();
      examples.push_back(example);
    }
  }
};

// Writes `examples` to `path` and commits.
inline void write_part(const std::string& path, const PartHeader& header, const TestExamples& examples,
                       PartWriterOptions options = {}) {
  PartWriter writer(path, header, options);
  for (const auto& example : examples.examples) writer.append(example);
  writer.commit();
}

}  // namespace musictag::preprocess::testing
