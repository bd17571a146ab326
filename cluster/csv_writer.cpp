// CsvWriter: minimal RFC 4180 quoting.
#include "cluster/csv_writer.h"

namespace musictag {

std::string CsvWriter::escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted;
  quoted.reserve(field.size() + 8);
  quoted.push_back('"');
  for (const char c : field) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

void CsvWriter::write_row(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.put(',');
    out_ << escape(fields[i]);
  }
  out_.put('\n');
}

}  // namespace musictag
