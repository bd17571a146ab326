// Segment -> track aggregation on a hand example (mean, max), label disagreement, NaN, and parsing the method.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cluster/errors.h"
#include "eval/report/aggregate.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

// Five rows of three tracks (7, 3, 7, 3, 5: not adjacent, not sorted), two tags.
const std::vector<int64_t> kIds = {7, 3, 7, 3, 5};
const std::vector<float> kScores = {0.2f, 0.9f, 0.4f, 0.1f, 0.6f, 0.5f, 0.8f, 0.3f, 0.5f, 0.25f};
const std::vector<uint8_t> kLabels = {1, 0, 0, 1, 1, 0, 0, 1, 1, 1};

float mean_of(float a, float b) { return static_cast<float>((double{a} + double{b}) / 2.0); }

TEST(Aggregate, MeanOnHandExample) {
  const TrackRows rows = aggregate_tracks(kIds, kScores, kLabels, 2, Aggregation::kMean);
  EXPECT_EQ(rows.track_ids, (std::vector<int64_t>{3, 5, 7}));
  EXPECT_EQ(rows.segments, (std::vector<size_t>{2, 1, 2}));
  EXPECT_EQ(rows.labels, (std::vector<uint8_t>{0, 1, 1, 1, 1, 0}));
  // Tolerance 0: the mean is accumulated in double and rounded to float once, as the reference here.
  const std::vector<float> expected = {mean_of(0.4f, 0.8f), mean_of(0.1f, 0.3f), 0.5f, 0.25f,
                                       mean_of(0.2f, 0.6f), mean_of(0.9f, 0.5f)};
  EXPECT_EQ(rows.scores, expected);
  EXPECT_NEAR(rows.scores[0], 0.6, 1e-7);
  EXPECT_NEAR(rows.scores[5], 0.7, 1e-7);
}

TEST(Aggregate, MaxOnHandExample) {
  const TrackRows rows = aggregate_tracks(kIds, kScores, kLabels, 2, Aggregation::kMax);
  EXPECT_EQ(rows.track_ids, (std::vector<int64_t>{3, 5, 7}));
  EXPECT_EQ(rows.scores, (std::vector<float>{0.8f, 0.3f, 0.5f, 0.25f, 0.6f, 0.9f}));
}

TEST(Aggregate, OneRowPerTrackOnlySorts) {
  const std::vector<int64_t> ids = {9, -1, 4};
  const std::vector<float> scores = {0.9f, 0.1f, 0.4f};
  const std::vector<uint8_t> labels = {1, 0, 1};
  for (const Aggregation method : {Aggregation::kMean, Aggregation::kMax}) {
    const TrackRows rows = aggregate_tracks(ids, scores, labels, 1, method);
    EXPECT_EQ(rows.track_ids, (std::vector<int64_t>{-1, 4, 9}));
    EXPECT_EQ(rows.scores, (std::vector<float>{0.1f, 0.4f, 0.9f}));
    EXPECT_EQ(rows.labels, (std::vector<uint8_t>{0, 1, 1}));
  }
}

TEST(Aggregate, LabelDisagreementNamesTrackAndTag) {
  std::vector<uint8_t> labels = kLabels;
  labels[7] = 0;  // row 3 (track 3), tag 1
  try {
    aggregate_tracks(kIds, kScores, labels, 2, Aggregation::kMean, {"guitar", "voice"});
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("track 3: rows 1 and 3 disagree on tag 'voice' (label 1 vs 0)"), std::string::npos)
        << message;
  }
  // Without names the column is given.
  try {
    aggregate_tracks(kIds, kScores, labels, 2, Aggregation::kMax);
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("on tag column 1"), std::string::npos) << error.what();
  }
}

TEST(Aggregate, NanSurvivesBothMethods) {
  std::vector<float> scores = kScores;
  scores[6] = std::numeric_limits<float>::quiet_NaN();  // row 3 (track 3), tag 0
  for (const Aggregation method : {Aggregation::kMean, Aggregation::kMax}) {
    const TrackRows rows = aggregate_tracks(kIds, scores, kLabels, 2, method);
    EXPECT_TRUE(std::isnan(rows.scores[0])) << aggregation_name(method);
    EXPECT_FALSE(std::isnan(rows.scores[1])) << aggregation_name(method);
  }
}

TEST(Aggregate, SizeMismatchAndNoTags) {
  EXPECT_THROW(aggregate_tracks(kIds, {0.1f}, kLabels, 2, Aggregation::kMean), DataError);
  EXPECT_THROW(aggregate_tracks(kIds, kScores, kLabels, 0, Aggregation::kMean), DataError);
  const TrackRows empty = aggregate_tracks({}, {}, {}, 3, Aggregation::kMean);
  EXPECT_EQ(empty.n_tracks(), 0u);
}

TEST(Aggregate, PredictionsKeepMetadata) {
  const Predictions segments = testing::sample_predictions(5, 3, 4, 7);
  const Predictions tracks = aggregate_predictions(segments, Aggregation::kMax);
  EXPECT_EQ(tracks.n_rows(), 5u);
  EXPECT_EQ(tracks.track_ids, (std::vector<int64_t>{100, 103, 106, 109, 112}));
  EXPECT_EQ(tracks.tag_names, segments.tag_names);
  EXPECT_EQ(tracks.split, segments.split);
  EXPECT_EQ(tracks.checkpoint_sha256, segments.checkpoint_sha256);
  EXPECT_EQ(tracks.manifest_sha256, segments.manifest_sha256);
  // Track 103 (index 1) tag 2: the max over its three rows (1, 6, 11).
  const float expected =
      std::max({segments.scores[1 * 4 + 2], segments.scores[6 * 4 + 2], segments.scores[11 * 4 + 2]});
  EXPECT_EQ(tracks.scores[1 * 4 + 2], expected);
}

TEST(Aggregate, ParsesMethodNames) {
  EXPECT_EQ(parse_aggregation("mean"), Aggregation::kMean);
  EXPECT_EQ(parse_aggregation("max"), Aggregation::kMax);
  EXPECT_EQ(aggregation_name(Aggregation::kMax), "max");
  try {
    parse_aggregation("median");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "eval.aggregate: must be one of {mean,max}, got 'median'");
  }
}

}  // namespace
}  // namespace musictag::eval
