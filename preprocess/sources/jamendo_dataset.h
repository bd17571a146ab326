// The MTG-Jamendo adapter: autotagging*.tsv + splits/split-<k>/<prefix>-{train,validation,test}.tsv → DatasetIndex.
#pragma once

#include <string>

#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

// Reads, below config.metadata_folder(), the table <prefix>.tsv and the three split files
// splits/split-<jamendo_split>/<prefix>-{train,validation,test}.tsv, where <prefix> is jamendo_file_prefix(tag_set)
// (file format: jamendo_tsv.h). Returns
//   - track_id = the TRACK_ID number; split = training / validation / test by the file the track is listed in;
//   - tags from the split files, not the table: MTG dropped rare tags (and then tracks left without tags) from the
//     splits only, so the genre, instrument and mood/theme tables hold tracks and tags the splits do not;
//   - vocabulary: every tag of the three split files, sorted by the full tag string (the order of MTG's
//     tags/top50.txt and the published baselines' labels), or config.tags in its own order; n_tags is not used.
//     Tag names stay as written ("mood/theme---happy"); they are stored as data, never as HDF5 object names;
//   - audio_path = <audio_folder>/<PATH>, or <audio_folder>/NN/<id>.low.mp3 with config.jamendo_low_quality;
//   - counts.rows = rows of the split files; counts.outside_subset = tracks of the table no split file lists.
// Throws DataError naming file, line and field for a malformed row, a tag outside the tag set's category, a track
// listed twice (in one split file or in two) or a split track that the table lacks (PATH is checked against
// TRACK_ID in both); a missing file names the path and the keys that choose it. ConfigError for an unknown
// explicit tag.
DatasetIndex load_jamendo(const DatasetConfig& config);

// The file-name prefix of a tag set: "autotagging" for all, else "autotagging_<tag set>" (autotagging_top50tags).
std::string jamendo_file_prefix(JamendoTagSet tag_set);

}  // namespace musictag::preprocess
