// Turns an adapter's labelled tracks and chosen vocabulary into a sorted, multi-hot DatasetIndex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/dataset_index.h"
#include "preprocess/sources/tag_vocabulary.h"

namespace musictag::preprocess {

// One usable row of a metadata file before the vocabulary is applied.
struct LabelledTrack {
  int64_t track_id = 0;
  std::string audio_path;
  std::string split;              // one of dataset_split_names()
  std::vector<std::string> tags;  // tag names from the source, non-empty
};

// Encodes tags over `vocabulary`, drops (dataset.drop_untagged) or keeps tracks without a vocabulary tag, sorts
// by (split, id) and applies dataset.max_tracks per split. `counts` arrives with the adapter's own counts and
// leaves with without_vocabulary_tags and beyond_max_tracks filled in. DataError naming `source_file` for a
// duplicate id or an unknown split (adapters check both earlier with line numbers; this is the last guard).
DatasetIndex build_dataset_index(const std::string& source, std::vector<LabelledTrack> tracks,
                                 const TagVocabulary& vocabulary, const DatasetConfig& config, DatasetCounts counts,
                                 const std::string& source_file);

}  // namespace musictag::preprocess
