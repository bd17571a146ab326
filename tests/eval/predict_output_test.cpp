// predict's JSON lines: top-k order and ties, exact float probabilities, the error line.
#include <gtest/gtest.h>

#include "cluster/errors.h"
#include "eval/predict/predict_output.h"

namespace musictag::eval {
namespace {

TEST(PredictOutput, TopKLargestFirstTiesByColumn) {
  const std::vector<float> p = {0.2f, 0.9f, 0.5f, 0.9f, 0.1f};
  EXPECT_EQ(top_k_tags(p, 3), (std::vector<size_t>{1, 3, 2}));
  EXPECT_EQ(top_k_tags(p, 0), (std::vector<size_t>{1, 3, 2, 0, 4}));
  EXPECT_EQ(top_k_tags(p, 9).size(), 5u);
}

TEST(PredictOutput, PredictionLineKeepsFloatValuesExactly) {
  const std::vector<float> p = {0.1f, 0.7f, 1.0f / 3.0f};
  const nlohmann::ordered_json line = prediction_line("a.mp3", p, {"x", "y", "z"}, 2, 1, 29.5);
  EXPECT_EQ(line.at("file"), "a.mp3");
  EXPECT_EQ(line.at("segments"), 1);
  EXPECT_DOUBLE_EQ(line.at("duration_s").get<double>(), 29.5);
  ASSERT_EQ(line.at("tags").size(), 2u);
  EXPECT_EQ(line.at("tags")[0].at("tag"), "y");
  EXPECT_EQ(line.at("tags")[1].at("tag"), "z");
  // Through text and back, the float32 value is exact.
  const nlohmann::json parsed = nlohmann::json::parse(line.dump());
  EXPECT_EQ(static_cast<float>(parsed.at("tags")[1].at("probability").get<double>()), 1.0f / 3.0f);
  EXPECT_THROW(prediction_line("a.mp3", p, {"x"}, 2, 1, 1.0), DataError);
}

TEST(PredictOutput, ErrorLine) {
  const nlohmann::ordered_json line = error_line("b.mp3", "too_short", "b.mp3: 3.0 s is shorter than 15 s");
  EXPECT_EQ(line.at("file"), "b.mp3");
  EXPECT_EQ(line.at("stage"), "too_short");
  EXPECT_FALSE(line.contains("tags"));
}

}  // namespace
}  // namespace musictag::eval
