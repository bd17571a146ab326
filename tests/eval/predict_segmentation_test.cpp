// with_training_segmentation: predict cuts audio as the training data was cut unless the user says otherwise.
#include <gtest/gtest.h>

#include <string>

#include "cluster/errors.h"
#include "eval/predict/predict_frontend.h"

namespace musictag::eval {
namespace {

const std::string kDatasetConfig =
    "dataset:\n  kind: fma\npreprocess:\n  segments: all\n  min_seconds: 8\n  max_seconds: 120\n";

TEST(PredictSegmentation, TakesTheTrainingDatasSegmentation) {
  const PredictFrontendOptions options = with_training_segmentation({}, kDatasetConfig, {});
  EXPECT_EQ(options.segments, "all");
  EXPECT_DOUBLE_EQ(options.min_seconds, 8.0);
  EXPECT_DOUBLE_EQ(options.max_seconds, 120.0);
}

TEST(PredictSegmentation, FlagsTheUserGaveWin) {
  PredictFrontendOptions mine;
  mine.segments = "centre";
  mine.min_seconds = 3.0;
  const PredictFrontendOptions options = with_training_segmentation(mine, kDatasetConfig, {"segments", "min_seconds"});
  EXPECT_EQ(options.segments, "centre");
  EXPECT_DOUBLE_EQ(options.min_seconds, 3.0);
  EXPECT_DOUBLE_EQ(options.max_seconds, 120.0);
}

TEST(PredictSegmentation, OlderCheckpointsKeepTheDefaults) {
  const PredictFrontendOptions defaults;
  const PredictFrontendOptions options = with_training_segmentation(defaults, "", {});
  EXPECT_EQ(options.segments, defaults.segments);
  EXPECT_DOUBLE_EQ(options.min_seconds, defaults.min_seconds);
  EXPECT_EQ(with_training_segmentation(defaults, "dataset: {kind: fma}\n", {}).segments, defaults.segments);
}

TEST(PredictSegmentation, BrokenYamlSaysWhichFlagsToPass) {
  try {
    with_training_segmentation({}, "preprocess: [unclosed", {});
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("--segments"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace musictag::eval
