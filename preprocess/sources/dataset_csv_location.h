// Where a CSV record starts (line number, counting newlines inside quoted fields) and strict cell parsing whose
// errors name file, line and column — shared by the FMA and MagnaTagATune adapters.
#pragma once

#include <cstdint>
#include <string>

#include "preprocess/sources/csv_table.h"

namespace musictag::preprocess {

// Feed every record in file order; returns the 1-based line on which that record starts. libcsv hands over
// records, not lines, so the count adds 1 per record plus the '\n's inside its fields (CRLF counts once).
// Blank lines, which csv_table skips, are not seen and would shift later numbers; FMA and MTAT files have none.
class CsvLineCounter {
 public:
  int64_t next(const CsvRow& row);

 private:
  int64_t next_line_ = 1;
};

// The error every adapter throws for a bad cell: "<file> line <line>, column <column>: <message>".
[[noreturn]] void throw_cell_error(const std::string& file, int64_t line, const std::string& column,
                                   const std::string& message);

// The whole cell as a decimal integer >= `minimum` (no spaces, no sign other than '-', no fraction); otherwise
// throw_cell_error saying what was found and what to do.
int64_t parse_integer_cell(const std::string& cell, int64_t minimum, const std::string& file, int64_t line,
                           const std::string& column);

// Column `index` of a record whose width was checked against the header; named for messages.
struct CsvColumn {
  size_t index = 0;
  std::string name;  // "set.split", "clip_id", ...
};

// Throws DataError naming `file` and `line` when `row` has a different number of cells than the header.
void check_row_width(const CsvRow& row, size_t header_width, const std::string& file, int64_t line);

}  // namespace musictag::preprocess
