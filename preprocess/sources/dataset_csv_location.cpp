// CsvLineCounter and strict integer cells with file/line/column in every error.
#include "preprocess/sources/dataset_csv_location.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "cluster/errors.h"

namespace musictag::preprocess {

int64_t CsvLineCounter::next(const CsvRow& row) {
  const int64_t line = next_line_;
  int64_t newlines = 0;
  for (const auto& cell : row) newlines += std::count(cell.begin(), cell.end(), '\n');
  next_line_ += 1 + newlines;
  return line;
}

void throw_cell_error(const std::string& file, int64_t line, const std::string& column, const std::string& message) {
  throw DataError(fmt::format("{} line {}, column {}: {}", file, line, column, message));
}

int64_t parse_integer_cell(const std::string& cell, int64_t minimum, const std::string& file, int64_t line,
                           const std::string& column) {
  // strtoll alone would accept " 12", "+12" and "12abc"; FMA and MTAT write plain digits.
  const bool digits = !cell.empty() && std::all_of(cell.begin() + (cell[0] == '-' ? 1 : 0), cell.end(), [](char c) {
    return c >= '0' && c <= '9';
  }) && cell != "-";
  errno = 0;
  const long long value = digits ? std::strtoll(cell.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE || value < minimum)
    throw_cell_error(file, line, column,
                     fmt::format("'{}' is not an integer >= {}; fix or delete this row", cell, minimum));
  return value;
}

void check_row_width(const CsvRow& row, size_t header_width, const std::string& file, int64_t line) {
  if (row.size() != header_width)
    throw DataError(
        fmt::format("{} line {}: {} cells where the header has {}; the row is cut short or has an "
                    "unquoted delimiter inside a field — fix or delete it",
                    file, line, row.size(), header_width));
}

}  // namespace musictag::preprocess
