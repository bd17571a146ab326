// Segment -> track aggregation: group rows by track id (stable sort of row indices), pool each tag, check labels.
#include "eval/report/aggregate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "cluster/errors.h"

namespace musictag::eval {
namespace {

std::string tag_label(size_t tag, const std::vector<std::string>& tag_names) {
  return tag < tag_names.size() ? fmt::format("'{}'", tag_names[tag]) : fmt::format("column {}", tag);
}

// Pools rows [begin, end) of `order` (all of one track) into `out` (n_tags values).
void pool_scores(const std::vector<size_t>& order, size_t begin, size_t end, const float* scores, size_t n_tags,
                 Aggregation method, float* out) {
  for (size_t t = 0; t < n_tags; ++t) {
    if (method == Aggregation::kMean) {
      double sum = 0.0;
      for (size_t k = begin; k < end; ++k) sum += scores[order[k] * n_tags + t];
      out[t] = static_cast<float>(sum / static_cast<double>(end - begin));
    } else {
      float best = -std::numeric_limits<float>::infinity();
      for (size_t k = begin; k < end; ++k) {
        const float value = scores[order[k] * n_tags + t];
        if (std::isnan(value)) {
          best = value;
          break;
        }
        best = std::max(best, value);
      }
      out[t] = best;
    }
  }
}

}  // namespace

std::string aggregation_name(Aggregation method) { return choice_name(kAggregationNames, method); }

Aggregation parse_aggregation(const std::string& value, const std::string& key) {
  Aggregation method = Aggregation::kMean;
  if (!choice_value(kAggregationNames, value.c_str(), method))
    throw ConfigError(fmt::format("{}: must be one of {{mean,max}}, got '{}'", key, value));
  return method;
}

TrackRows aggregate_tracks(const std::vector<int64_t>& row_track_ids, const std::vector<float>& scores,
                           const std::vector<uint8_t>& labels, size_t n_tags, Aggregation method,
                           const std::vector<std::string>& tag_names) {
  const size_t n_rows = row_track_ids.size();
  if (n_tags == 0) throw DataError("aggregate_tracks: no tags; pass the predictions' tag count (a bug in the caller)");
  if (scores.size() != n_rows * n_tags || labels.size() != n_rows * n_tags) {
    throw DataError(
        fmt::format("aggregate_tracks: {} rows x {} tags need {} scores and labels, got {} and {} (a bug "
                    "in the caller)",
                    n_rows, n_tags, n_rows * n_tags, scores.size(), labels.size()));
  }
  std::vector<size_t> order(n_rows);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return row_track_ids[a] < row_track_ids[b]; });

  TrackRows out;
  for (size_t begin = 0; begin < n_rows;) {
    const int64_t track = row_track_ids[order[begin]];
    size_t end = begin + 1;
    while (end < n_rows && row_track_ids[order[end]] == track) ++end;

    const size_t first = order[begin];
    for (size_t k = begin + 1; k < end; ++k) {
      for (size_t t = 0; t < n_tags; ++t) {
        const uint8_t a = labels[first * n_tags + t], b = labels[order[k] * n_tags + t];
        if (a != b) {
          throw DataError(
              fmt::format("track {}: rows {} and {} disagree on tag {} (label {} vs {}); every segment "
                          "of a track must carry the track's labels, so check the part files or the "
                          "predictions that were written",
                          track, first, order[k], tag_label(t, tag_names), a, b));
        }
      }
    }
    out.track_ids.push_back(track);
    out.segments.push_back(end - begin);
    out.labels.insert(out.labels.end(), labels.begin() + static_cast<std::ptrdiff_t>(first * n_tags),
                      labels.begin() + static_cast<std::ptrdiff_t>((first + 1) * n_tags));
    out.scores.resize(out.scores.size() + n_tags);
    pool_scores(order, begin, end, scores.data(), n_tags, method, out.scores.data() + out.scores.size() - n_tags);
    begin = end;
  }
  return out;
}

Predictions aggregate_predictions(const Predictions& segments, Aggregation method) {
  TrackRows rows = aggregate_tracks(segments.track_ids, segments.scores, segments.labels, segments.n_tags(), method,
                                    segments.tag_names);
  Predictions tracks;
  tracks.tag_names = segments.tag_names;
  tracks.track_ids = std::move(rows.track_ids);
  tracks.scores = std::move(rows.scores);
  tracks.labels = std::move(rows.labels);
  tracks.split = segments.split;
  tracks.checkpoint_sha256 = segments.checkpoint_sha256;
  tracks.manifest_sha256 = segments.manifest_sha256;
  return tracks;
}

}  // namespace musictag::eval
