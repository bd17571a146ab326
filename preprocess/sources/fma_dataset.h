// The Free Music Archive adapter: fma_metadata/tracks.csv + genres.csv → DatasetIndex (subset, split, genre tags).
#pragma once

#include <cstdint>
#include <string>

#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

// Reads <metadata_folder>/tracks.csv (FMA's 3 header rows: group, name, `track_id`; columns found by (group, name))
// and genres.csv, and returns the tracks of config.subset with
//   - split = set.split; subset filter: set.subset rank <= config.subset rank (small < medium < large; full = all);
//   - tags from track.<tag_source>: genre ids → titles via genres.csv (genres, genres_all) or the title itself
//     (genre_top). Rows with no tag in that column are skipped (nothing to learn; counts.without_source_tags);
//     with genre_top these are the ~53% of FMA tracks whose genres span several roots.
//   - vocabulary: config.tags, or the config.n_tags most frequent tags in the training split of the subset
//     (counted before max_tracks, so a quick run keeps the full run's tags), ties by name;
//   - audio_path = <audio_folder>/NNN/NNNNNN.mp3. Files are not opened here: missing or broken audio is the
//     decoder's failure to report (failures.tsv), not a metadata error.
// Throws DataError naming file, line and column for a missing file or column, an unparsable track id, list or
// subset/split value, an unknown genre id or title, or a duplicate id; ConfigError for an unknown explicit tag.
DatasetIndex load_fma(const DatasetConfig& config);

// FMA's audio file of a track relative to the audio folder: "000/000002.mp3" (id zero-padded to 6 digits,
// folder = id / 1000 padded to 3).
std::string fma_audio_relative_path(int64_t track_id);

}  // namespace musictag::preprocess
