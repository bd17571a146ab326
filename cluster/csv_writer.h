// RFC 4180 CSV writer that quotes only when needed, as pandas' to_csv (QUOTE_MINIMAL) writes FMA's files.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace musictag {

// Hand-written on purpose: libcsv's csv_write/csv_fwrite quote every field, while FMA's files (pandas,
// QUOTE_MINIMAL) quote a field only when it holds the delimiter, a quote, CR or LF.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  // Writes one record terminated by '\n' (pandas' default line terminator on Linux).
  void write_row(const std::vector<std::string>& fields);

  // `field` as it appears in the file: unchanged, or in double quotes with inner quotes doubled.
  static std::string escape(std::string_view field);

 private:
  std::ostream& out_;
};

}  // namespace musictag
