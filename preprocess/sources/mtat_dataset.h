// The MagnaTagATune adapter: annotations_final.csv (tab-separated, 188 binary tag columns) → DatasetIndex.
#pragma once

#include <string>

#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

// Reads <metadata_folder>/annotations_final.csv: a TAB-separated header `clip_id`, the tag columns, `mp3_path`
// (located by name; every other column is a tag), then one row per clip with 0/1 values and a path like
// "f/american_bach_soloists-j_s__bach_solo_cantatas-01-bwv54__i_aria-30-59.mp3". The file as shipped quotes every
// field and ends lines with CRLF; libcsv unquotes the cells and takes CRLF or LF, so bare LF files read the same.
// Returns
//   - track_id = clip_id; audio_path = <audio_folder>/<mp3_path>;
//   - split by the first folder character, as in Choi et al. 2016 and Pons et al.: 0-b training, c validation,
//     d-f test;
//   - vocabulary: config.tags, or the config.n_tags tags most frequent over ALL clips (the benchmark's top-50 are
//     counted over the whole set, not only the training split), ties by name; with drop_untagged (default) only
//     clips holding one of them are kept — with the conventional top 50 the benchmark's 15,247 / 1,529 / 4,332
//     training / validation / test clips (Lee et al.; Won et al. 2020), tested on generated metadata of that shape;
//   - clips whose audio is empty in the real release (35644, 55753, 57881) are ordinary rows here: no audio is read,
//     so the stage's decoder reports each as a failures.tsv row (stage "empty");
//   - clips with no tag at all are skipped (counts.without_source_tags). subset and tag_source do not apply.
// Throws DataError naming file, line and column for a missing file or column, a bad clip_id, a value other than
// 0/1, a malformed mp3_path or a duplicate clip_id; ConfigError for an unknown explicit tag.
DatasetIndex load_mtat(const DatasetConfig& config);

// The split of an mp3_path by its first character ("" when it is not a folder 0-9/a-f followed by '/').
std::string mtat_split_of_path(const std::string& mp3_path);

}  // namespace musictag::preprocess
