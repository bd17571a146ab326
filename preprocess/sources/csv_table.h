// Reads RFC 4180 CSV files (quoted commas, doubled quotes, quoted newlines) with libcsv's streaming parser.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace musictag::preprocess {

using CsvRow = std::vector<std::string>;

// Calls `on_row` once per record, in file order. Fields keep their spaces (no trimming) and their embedded
// newlines; blank lines are skipped. Malformed quoting throws DataError naming `source` and the byte offset.
void for_each_csv_row(const std::string& path, const std::function<void(CsvRow&&)>& on_row);
void for_each_csv_row_in_text(std::string_view text, const std::string& source,
                              const std::function<void(CsvRow&&)>& on_row);

// The same with another field delimiter (e.g. '\t' for MagnaTagATune's annotations_final.csv); quoting rules
// are unchanged. The overloads above use ','.
void for_each_csv_row(const std::string& path, char delimiter, const std::function<void(CsvRow&&)>& on_row);
void for_each_csv_row_in_text(std::string_view text, const std::string& source, char delimiter,
                              const std::function<void(CsvRow&&)>& on_row);

// Whole file in memory; fine for metadata (FMA's tracks.csv is ~300 MB of text at most).
std::vector<CsvRow> read_csv_file(const std::string& path);

}  // namespace musictag::preprocess
