// build_dataset_index: multi-hot encoding, untagged tracks, (split, id) order, unique ids, per-split limit.
#include "preprocess/sources/dataset_builder.h"

#include <algorithm>

#include "cluster/errors.h"

namespace musictag::preprocess {
namespace {

void sort_and_check(std::vector<TrackRecord>& tracks, const std::string& source_file) {
  for (const auto& track : tracks)
    if (dataset_split_rank(track.split) < 0)
      throw DataError(source_file + ": track " + std::to_string(track.track_id) + " has split '" + track.split +
                      "'; expected training, validation or test");
  std::sort(tracks.begin(), tracks.end(), [](const TrackRecord& a, const TrackRecord& b) {
    const int ra = dataset_split_rank(a.split), rb = dataset_split_rank(b.split);
    return ra != rb ? ra < rb : a.track_id < b.track_id;
  });
  std::vector<int64_t> ids;  // unique across splits, not only within one
  ids.reserve(tracks.size());
  for (const auto& track : tracks) ids.push_back(track.track_id);
  std::sort(ids.begin(), ids.end());
  const auto dup = std::adjacent_find(ids.begin(), ids.end());
  if (dup != ids.end())
    throw DataError(source_file + ": track id " + std::to_string(*dup) +
                    " occurs more than once; every track id must be unique (is the file corrupt?)");
}

// Keeps the first `max_tracks` tracks of each split of sorted tracks; returns how many were dropped.
int64_t limit_per_split(std::vector<TrackRecord>& tracks, int64_t max_tracks) {
  if (max_tracks <= 0) return 0;
  std::vector<TrackRecord> kept;
  std::vector<int64_t> per_split(dataset_split_names().size(), 0);
  for (auto& track : tracks) {
    auto& n = per_split[static_cast<size_t>(dataset_split_rank(track.split))];
    if (n < max_tracks) {
      kept.push_back(std::move(track));
      ++n;
    }
  }
  const auto dropped = static_cast<int64_t>(tracks.size() - kept.size());
  tracks = std::move(kept);
  return dropped;
}

}  // namespace

DatasetIndex build_dataset_index(const std::string& source, std::vector<LabelledTrack> tracks,
                                 const TagVocabulary& vocabulary, const DatasetConfig& config, DatasetCounts counts,
                                 const std::string& source_file) {
  DatasetIndex index;
  index.source = source;
  index.tag_names = vocabulary.names();
  index.tracks.reserve(tracks.size());
  for (auto& labelled : tracks) {
    TrackRecord record;
    record.track_id = labelled.track_id;
    record.audio_path = std::move(labelled.audio_path);
    record.split = std::move(labelled.split);
    record.tags = vocabulary.multi_hot(labelled.tags);
    if (std::none_of(record.tags.begin(), record.tags.end(), [](uint8_t v) { return v != 0; })) {
      ++counts.without_vocabulary_tags;
      if (config.drop_untagged) continue;
    }
    index.tracks.push_back(std::move(record));
  }
  sort_and_check(index.tracks, source_file);
  counts.beyond_max_tracks = limit_per_split(index.tracks, config.max_tracks);
  index.counts = counts;
  return index;
}

}  // namespace musictag::preprocess
