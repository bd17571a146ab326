// One MTG-Jamendo metadata file (autotagging*.tsv or a split file) read row by row: tab-separated, CRLF, ragged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace musictag::preprocess {

// One data row: the five fixed columns, then one tag per field.
struct JamendoRow {
  int64_t line = 0;      // 1-based line on which the row starts
  int64_t track_id = 0;  // TRACK_ID without "track_" (track_0004217 -> 4217)
  int64_t artist_id = 0;
  int64_t album_id = 0;
  std::string path;               // PATH as written, "NN/<id>.mp3"
  double duration = 0;            // DURATION, seconds of the whole track
  std::vector<std::string> tags;  // fields 6, 7, ... as written, e.g. "mood/theme---happy"
};

// Calls `on_row` for every data row of `path` in file order. The file is read with libcsv (tab delimiter) as
// Python's csv module wrote it: CRLF or LF line ends, nothing quoted (quotes would be undone), and rows of 5 + k
// fields because TAGS holds one tag per field. Checks the header (TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION,
// TAGS) and every cell: track_/artist_/album_ plus digits, PATH "NN/<id>.mp3" with <id> the TRACK_ID's number and NN
// that number mod 100 in two digits, DURATION a positive number, at least one tag, each "<category>---<name>" with
// category genre, instrument or mood/theme. Anything else is a DataError "<file> line <L>, column <field>: ..."
// saying what was found and what to do; a missing file names the path.
void for_each_jamendo_row(const std::string& path, const std::function<void(JamendoRow&&)>& on_row);

// The category of a tag, the part before "---" ("genre", "instrument", "mood/theme"); "" when there is no "---".
std::string jamendo_tag_category(const std::string& tag);

// The low-quality mono copy of a PATH: "05/3905.mp3" -> "05/3905.low.mp3".
std::string jamendo_low_quality_path(const std::string& path);

}  // namespace musictag::preprocess
