// Duplicate groups: tracks whose source audio files have the same SHA-256; which id is kept, which are dropped.
#pragma once

#include <string>
#include <vector>

#include "preprocess/format/manifest.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

// The groups of tracks with equal `sha256` ("" = the file could not be read: never grouped; its decode fails later
// and failures.tsv says why). `sha256[i]` belongs to `tracks[i]`. Ids ascending in each group, groups by their
// first id, so the result depends only on the files, not on the order of the tracks or the number of ranks. With
// `drop`, every id after the first (the lowest) of a group is listed in `dropped`.
std::vector<DuplicateGroup> find_duplicate_groups(const std::vector<TrackRecord>& tracks,
                                                  const std::vector<std::string>& sha256, bool drop);

// One warning line for a group that spans splits (the same audio in training and test inflates test scores),
// naming every id and its split; "" for a group within one split.
std::string cross_split_warning(const DuplicateGroup& group);

// Removes every `dropped` id of `groups` from dataset.tracks (the order of the rest is kept). Returns how many.
int64_t drop_duplicate_tracks(DatasetIndex& dataset, const std::vector<DuplicateGroup>& groups);

}  // namespace musictag::preprocess
