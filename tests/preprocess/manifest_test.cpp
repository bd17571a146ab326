// manifest.json: round trip through the file, atomic write, and errors naming the file and the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cluster/errors.h"
#include "part_test_support.h"
#include "preprocess/features/feature_config.h"
#include "preprocess/format/manifest.h"
#include "preprocess/format/sha256.h"

namespace musictag::preprocess {
namespace {
using ManifestFile = testing::PartFolderTest;

Manifest sample_manifest() {
  Manifest manifest;
  manifest.source_dataset = "fma_medium";
  manifest.set_config("dataset:\n  name: fma_medium\nfeatures:\n  n_mels: 96\n");
  manifest.tag_names = {"rock", "electronic", "hip-hop"};
  manifest.features = FeatureConfig().to_json();
  manifest.parts = {{"parts/training-00000.h5", "training", 0, 120, 60, std::string(64, 'a')},
                    {"parts/training-00001.h5", "training", 1, 98, 49, std::string(64, 'b')},
                    {"parts/validation-00000.h5", "validation", 0, 20, 20, std::string(64, 'c')}};
  manifest.counts["training"] = {109, 3, 1};
  manifest.counts["validation"] = {20, 0};
  manifest.duplicates = {{std::string(64, 'd'), {7, 12}, {"training", "validation"}, {12}},
                         {std::string(64, 'e'), {30, 31, 40}, {"training", "training", "training"}, {31, 40}}};
  manifest.created = utc_now_iso8601();
  return manifest;
}

void expect_error(const std::string& path, const std::string& expected) {
  try {
    load_manifest(path);
    FAIL() << "no error, expected: " << expected;
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("manifest '" + path + "'"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
}

void write_json(const std::string& path, const nlohmann::json& json) { std::ofstream(path) << json.dump(1); }

TEST_F(ManifestFile, RoundTripsThroughTheFile) {
  const Manifest manifest = sample_manifest();
  EXPECT_EQ(manifest.config_sha256, sha256_hex(manifest.config_text));
  EXPECT_EQ(manifest.total_examples("training"), 218);
  EXPECT_EQ(manifest.created.size(), 20u);  // 2026-11-24T10:03:00Z
  const std::string path = file("manifest.json");
  write_manifest(manifest, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));

  const Manifest loaded = load_manifest(path);
  EXPECT_EQ(loaded.format_version, 1);
  EXPECT_EQ(loaded.source_dataset, manifest.source_dataset);
  EXPECT_EQ(loaded.config_text, manifest.config_text);
  EXPECT_EQ(loaded.config_sha256, manifest.config_sha256);
  EXPECT_EQ(loaded.tag_names, manifest.tag_names);
  EXPECT_EQ(loaded.features, manifest.features);
  EXPECT_EQ(FeatureConfig::from_json(loaded.features).n_mels, 96);
  EXPECT_EQ(loaded.parts, manifest.parts);
  EXPECT_EQ(loaded.counts, manifest.counts);
  EXPECT_EQ(loaded.duplicates, manifest.duplicates);
  EXPECT_EQ(loaded.created, manifest.created);
  EXPECT_EQ(loaded.musictag_version, Manifest::musictag_version_string());
  EXPECT_EQ(loaded.to_json(), manifest.to_json());
}

// Manifests written before duplicates were recorded have neither key: they still load, with none.
TEST_F(ManifestFile, DuplicatesAreOptional) {
  const std::string path = file("manifest.json");
  auto json = sample_manifest().to_json();
  json.erase("duplicates");
  json["counts"]["training"].erase("duplicates_dropped");
  write_json(path, json);
  const Manifest loaded = load_manifest(path);
  EXPECT_TRUE(loaded.duplicates.empty());
  EXPECT_EQ(loaded.counts.at("training").duplicates_dropped, 0);

  auto unequal = sample_manifest().to_json();
  unequal["duplicates"][0]["splits"] = {"training"};
  write_json(path, unequal);
  expect_error(path, "key 'duplicates[0].splits' must name one split per track id");
  auto mistyped = sample_manifest().to_json();
  mistyped["duplicates"][1]["track_ids"] = {"30", "31"};
  write_json(path, mistyped);
  expect_error(path, "key 'duplicates[1]' must hold track_ids and dropped as integers");
}

TEST_F(ManifestFile, MissingOrMistypedKeysAreNamed) {
  const std::string path = file("manifest.json");
  auto json = sample_manifest().to_json();

  auto missing_part_key = json;
  missing_part_key["parts"][1].erase("sha256");
  write_json(path, missing_part_key);
  expect_error(path, "key 'parts[1].sha256' is missing");

  auto missing_top = json;
  missing_top.erase("tag_names");
  write_json(path, missing_top);
  expect_error(path, "key 'tag_names' is missing");

  auto wrong_type = json;
  wrong_type["counts"]["training"]["tracks_done"] = "many";
  write_json(path, wrong_type);
  expect_error(path, "key 'counts.training.tracks_done' must be an integer (got string)");

  auto edited = json;
  edited["config_text"] = "features:\n  n_mels: 128\n";
  write_json(path, edited);
  expect_error(path, "key 'config_sha256' does not match config_text");

  auto newer = json;
  newer["format_version"] = 2;
  write_json(path, newer);
  expect_error(path, "key 'format_version' is 2, this musictag reads 1");
}

TEST_F(ManifestFile, BadJsonAndMissingFileAreNamed) {
  const std::string path = file("manifest.json");
  std::ofstream(path) << "{\"format_version\": 1,";
  expect_error(path, "is not valid JSON");
  expect_error(file("none.json"), "cannot be opened");
}

}  // namespace
}  // namespace musictag::preprocess
