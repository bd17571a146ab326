// Segment-level predictions to track-level: one row per track (sorted by id), scores pooled by mean or max.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "eval/report/predictions.h"

#include "cluster/choice.h"

namespace musictag::eval {

// How a track's segment scores become its score, per tag.
enum class Aggregation {
  kMean,  // arithmetic mean (accumulated in double, rounded to float once)
  kMax,   // maximum (a NaN segment score makes the track's score NaN, so the metrics reject it)
};
inline constexpr ChoiceName<Aggregation> kAggregationNames[] = {{Aggregation::kMean, "mean"},
                                                                {Aggregation::kMax, "max"}};

// "mean" / "max".
std::string aggregation_name(Aggregation method);

// Parses "mean" or "max"; ConfigError naming `key` (e.g. "eval.aggregate"), the allowed values and the value.
Aggregation parse_aggregation(const std::string& value, const std::string& key = "eval.aggregate");

// Track-level rows: track_ids ascending and unique, scores and labels row-major [n_tracks, n_tags].
struct TrackRows {
  std::vector<int64_t> track_ids;
  std::vector<float> scores;
  std::vector<uint8_t> labels;
  std::vector<size_t> segments;  // per track: rows pooled into it

  size_t n_tracks() const { return track_ids.size(); }
};

// Pools the rows of each track. `row_track_ids` has one id per row (rows of a track need not be adjacent);
// `scores` and `labels` are row-major [n_rows, n_tags]. Every row of a track must carry the same labels: otherwise
// DataError naming the track, the tag (by `tag_names` when given, else its column) and the two rows. DataError too
// when the sizes disagree or n_tags is 0. O(n log n) in rows, plus O(n * n_tags).
TrackRows aggregate_tracks(const std::vector<int64_t>& row_track_ids, const std::vector<float>& scores,
                           const std::vector<uint8_t>& labels, size_t n_tags, Aggregation method,
                           const std::vector<std::string>& tag_names = {});

// The same for Predictions: the result keeps tag names, split and checksums, with one row per track.
Predictions aggregate_predictions(const Predictions& segments, Aggregation method);

}  // namespace musictag::eval
