// DatasetIndex: what a dataset adapter (FMA, MagnaTagATune, MTG-Jamendo) hands the preprocess stage: tag names and
// tracks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace musictag::preprocess {

// The three splits, in the order DatasetIndex::tracks holds them.
const std::vector<std::string>& dataset_split_names();  // {"training", "validation", "test"}
// Position of `name` in dataset_split_names(), or -1 for anything else.
int dataset_split_rank(const std::string& name);

struct TrackRecord {
  int64_t track_id = 0;       // FMA track id / MagnaTagATune clip_id / MTG-Jamendo TRACK_ID number
  std::string audio_path;     // the config's folder joined with the file's relative path (absolute or relative to cwd)
  std::string split;          // "training" | "validation" | "test"
  std::vector<uint8_t> tags;  // multi-hot (0/1) over DatasetIndex::tag_names; all zero only when
                              // dataset.drop_untagged is false
};

// What the adapter dropped or changed on the way, for logs and manifest.json.
struct DatasetCounts {
  int64_t rows = 0;                     // data rows read from the metadata file (Jamendo: the split files)
  int64_t outside_subset = 0;           // FMA: rows whose set.subset is above the configured subset; Jamendo:
                                        // tracks of the table that no split file of the split lists
  int64_t without_source_tags = 0;      // rows with no tag at all in the source column (skipped: nothing to learn)
  int64_t without_vocabulary_tags = 0;  // tracks none of whose tags is in tag_names: dropped, or kept with
                                        // all-zero `tags` when dataset.drop_untagged is false
  int64_t beyond_max_tracks = 0;        // dropped by dataset.max_tracks
};

struct DatasetIndex {
  std::string source;                  // "fma" | "mtat" | "jamendo"
  std::vector<std::string> tag_names;  // column order of every TrackRecord::tags
  std::vector<TrackRecord> tracks;     // sorted by split (training, validation, test), then track_id; ids unique
  DatasetCounts counts;

  // The tracks of one split, in track-id order; empty for a split with no tracks. Throws DataError for a name
  // outside dataset_split_names(). The pointers live as long as `tracks` is not modified.
  std::vector<const TrackRecord*> split(const std::string& name) const;
  // Number of tracks carrying each tag in `split_name` ("" = all splits), in tag_names order.
  std::vector<int64_t> tag_counts(const std::string& split_name = "") const;
};

}  // namespace musictag::preprocess
