// DatasetIndex: split order, per-split views and tag counts.
#include "preprocess/sources/dataset_index.h"

#include <algorithm>

#include "cluster/errors.h"

namespace musictag::preprocess {

const std::vector<std::string>& dataset_split_names() {
  static const std::vector<std::string> names = {"training", "validation", "test"};
  return names;
}

int dataset_split_rank(const std::string& name) {
  const auto& names = dataset_split_names();
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::vector<const TrackRecord*> DatasetIndex::split(const std::string& name) const {
  if (dataset_split_rank(name) < 0)
    throw DataError("DatasetIndex::split: unknown split '" + name + "'; use training, validation or test");
  std::vector<const TrackRecord*> result;
  for (const auto& track : tracks)
    if (track.split == name) result.push_back(&track);
  return result;
}

std::vector<int64_t> DatasetIndex::tag_counts(const std::string& split_name) const {
  if (!split_name.empty() && dataset_split_rank(split_name) < 0)
    throw DataError("DatasetIndex::tag_counts: unknown split '" + split_name +
                    "'; use training, validation, test or \"\"");
  std::vector<int64_t> counts(tag_names.size(), 0);
  for (const auto& track : tracks) {
    if (!split_name.empty() && track.split != split_name) continue;
    for (size_t i = 0; i < counts.size() && i < track.tags.size(); ++i) counts[i] += track.tags[i] != 0 ? 1 : 0;
  }
  return counts;
}

}  // namespace musictag::preprocess
