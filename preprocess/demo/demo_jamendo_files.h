// Writes the demo's MTG-Jamendo metadata: autotagging*.tsv, splits/split-<k>/*.tsv and tags/*.txt, byte for byte in
// the format of MTG's files (tab-separated, CRLF, one tag per field).
#pragma once

#include <filesystem>
#include <string>

#include "preprocess/demo/demo_jamendo_plan.h"

namespace musictag::preprocess {

// The table <prefix>.tsv of `tag_set`: the header, then every track with at least one tag of the set, by id.
std::string demo_jamendo_table_text(const DemoJamendoPlan& plan, JamendoTagSet tag_set);

// splits/split-<split>/<prefix>-<part>.tsv (part: train, validation, test): the tracks of that part, with their tags
// of the set that plan.split_tags keeps; tracks left without a tag are not listed (MTG's rule).
std::string demo_jamendo_split_text(const DemoJamendoPlan& plan, JamendoTagSet tag_set, int split,
                                    const std::string& part);

// Writes, below `root` (created if missing), the five tables, the 5 x 5 x 3 split files and tags/top50.txt,
// tags/moodtheme.txt, tags/moodtheme_split.txt (sorted, LF), each atomically. No audio.
void write_demo_jamendo_metadata(const std::filesystem::path& root, const DemoJamendoPlan& plan);

}  // namespace musictag::preprocess
