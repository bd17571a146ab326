// check_checkpoint_matches_dataset: equal features/tags pass; any difference is a DataError naming both files.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster/errors.h"
#include "eval/checkpoint_dataset_check.h"
#include "preprocess/features/feature_config.h"

namespace musictag::eval {
namespace {

const std::vector<std::string> kTags = {"Rock", "Jazz", "Pop"};

std::string error_of(const preprocess::FeatureConfig& dataset_features, const std::vector<std::string>& dataset_tags,
                     int64_t input_frames = 256) {
  const std::string checkpoint_features = preprocess::FeatureConfig().to_json().dump();
  try {
    check_checkpoint_matches_dataset("run/best.pt", checkpoint_features, kTags, input_frames, "data/manifest.json",
                                     dataset_features.to_json(), dataset_tags);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(CheckpointDatasetCheck, EqualFeaturesAndTagsPass) {
  EXPECT_EQ(error_of(preprocess::FeatureConfig(), kTags), "");
  EXPECT_EQ(error_of(preprocess::FeatureConfig(), kTags, 1366), "");  // exactly the stored frames
}

TEST(CheckpointDatasetCheck, OtherFeaturesNameKeyAndBothFiles) {
  preprocess::FeatureConfig other;
  other.n_mels = 128;
  other.hop_length = 512;
  const std::string error = error_of(other, kTags);
  EXPECT_NE(error.find("run/best.pt"), std::string::npos) << error;
  EXPECT_NE(error.find("data/manifest.json"), std::string::npos) << error;
  EXPECT_NE(error.find("features.n_mels: checkpoint 96, dataset 128"), std::string::npos) << error;
  EXPECT_NE(error.find("features.hop_length"), std::string::npos) << error;
}

TEST(CheckpointDatasetCheck, OtherTagsAreRefused) {
  EXPECT_NE(error_of(preprocess::FeatureConfig(), {"Rock", "Jazz"}).find("3 tags, the dataset 2"), std::string::npos);
  const std::string order = error_of(preprocess::FeatureConfig(), {"Rock", "Pop", "Jazz"});
  EXPECT_NE(order.find("tag 1 is 'Jazz' in the checkpoint but 'Pop' in the dataset"), std::string::npos) << order;
}

TEST(CheckpointDatasetCheck, ShorterStoredExamplesAreRefused) {
  const std::string error = error_of(preprocess::FeatureConfig(), kTags, 2000);
  EXPECT_NE(error.find("reads 2000 frames per example but the dataset stores 1366"), std::string::npos) << error;
}

}  // namespace
}  // namespace musictag::eval
