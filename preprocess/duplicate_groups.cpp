// Duplicate groups: grouping by source SHA-256, the lowest id kept, cross-split warnings, dropping the rest.
#include "preprocess/duplicate_groups.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace musictag::preprocess {

std::vector<DuplicateGroup> find_duplicate_groups(const std::vector<TrackRecord>& tracks,
                                                  const std::vector<std::string>& sha256, bool drop) {
  // sha256 -> (track id, split), ids sorted by the set.
  std::map<std::string, std::set<std::pair<int64_t, std::string>>> by_hash;
  for (size_t i = 0; i < tracks.size() && i < sha256.size(); ++i) {
    if (!sha256[i].empty()) by_hash[sha256[i]].emplace(tracks[i].track_id, tracks[i].split);
  }
  std::vector<DuplicateGroup> groups;
  for (const auto& [hash, members] : by_hash) {
    if (members.size() < 2) continue;
    DuplicateGroup group;
    group.sha256 = hash;
    for (const auto& [id, split] : members) {
      group.track_ids.push_back(id);
      group.splits.push_back(split);
    }
    if (drop) group.dropped.assign(group.track_ids.begin() + 1, group.track_ids.end());
    groups.push_back(std::move(group));
  }
  std::sort(groups.begin(), groups.end(),
            [](const DuplicateGroup& a, const DuplicateGroup& b) { return a.track_ids.front() < b.track_ids.front(); });
  return groups;
}

std::string cross_split_warning(const DuplicateGroup& group) {
  const std::set<std::string> splits(group.splits.begin(), group.splits.end());
  if (splits.size() < 2) return "";
  std::vector<std::string> members;
  for (size_t i = 0; i < group.track_ids.size(); ++i)
    members.push_back(fmt::format("track {} ({})", group.track_ids[i], group.splits[i]));
  return fmt::format(
      "bit-identical audio in several splits: {} (sha256 {}); the same music in training and evaluation inflates "
      "scores: {}",
      fmt::join(members, ", "), group.sha256.substr(0, 12),
      group.dropped.empty() ? "set preprocess.drop_duplicates: true to keep only the lowest id"
                            : fmt::format("only track {} is kept", group.track_ids.front()));
}

int64_t drop_duplicate_tracks(DatasetIndex& dataset, const std::vector<DuplicateGroup>& groups) {
  std::set<int64_t> dropped;
  for (const auto& group : groups) dropped.insert(group.dropped.begin(), group.dropped.end());
  const auto before = dataset.tracks.size();
  dataset.tracks.erase(std::remove_if(dataset.tracks.begin(), dataset.tracks.end(),
                                      [&](const TrackRecord& track) { return dropped.count(track.track_id) != 0; }),
                       dataset.tracks.end());
  return static_cast<int64_t>(before - dataset.tracks.size());
}

}  // namespace musictag::preprocess
