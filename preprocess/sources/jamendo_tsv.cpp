// for_each_jamendo_row: libcsv with a tab delimiter, header and per-cell checks with file, line and field.
#include "preprocess/sources/jamendo_tsv.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "cluster/errors.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/dataset_csv_location.h"

namespace musictag::preprocess {
namespace {

const std::vector<std::string>& header_names() {
  static const std::vector<std::string> names = {"TRACK_ID", "ARTIST_ID", "ALBUM_ID", "PATH", "DURATION", "TAGS"};
  return names;
}

bool all_digits(const std::string& text, size_t from) {
  return text.size() > from && text.size() - from <= 18 &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// "track_0004217" -> 4217 for prefix "track_".
int64_t parse_prefixed_id(const std::string& cell, const std::string& prefix, const std::string& file, int64_t line,
                          const std::string& column) {
  if (cell.compare(0, prefix.size(), prefix) != 0 || !all_digits(cell, prefix.size()))
    throw_cell_error(file, line, column,
                     fmt::format("'{}' is not {} followed by digits (e.g. {}0004217); is this an MTG-Jamendo "
                                 "file with its columns in order? Fix or delete this row",
                                 cell, prefix, prefix));
  return std::stoll(cell.substr(prefix.size()));
}

// PATH must be "NN/<id>.mp3": NN = id mod 100 (two digits), <id> unpadded, as on every row of the real files.
void check_path(const std::string& path, int64_t track_id, const std::string& file, int64_t line) {
  const std::string expected = fmt::format("{:02d}/{}.mp3", track_id % 100, track_id);
  if (path != expected)
    throw_cell_error(file, line, "PATH",
                     fmt::format("'{}' is not the audio path of track_{:07d}, which MTG-Jamendo writes as '{}'; "
                                 "fix or delete this row",
                                 path, track_id, expected));
}

double parse_duration(const std::string& cell, const std::string& file, int64_t line) {
  char* end = nullptr;
  errno = 0;
  const double value = cell.empty() ? 0.0 : std::strtod(cell.c_str(), &end);
  if (cell.empty() || end != cell.c_str() + cell.size() || errno == ERANGE || !std::isfinite(value) || value <= 0)
    throw_cell_error(
        file, line, "DURATION",
        fmt::format("'{}' is not a positive number of seconds (e.g. 203.6); fix or delete this row", cell));
  return value;
}

void check_tag(const std::string& tag, size_t field, const std::string& file, int64_t line) {
  const std::string category = jamendo_tag_category(tag);
  const bool known = category == "genre" || category == "instrument" || category == "mood/theme";
  if (!known || tag.size() == category.size() + 3)
    throw_cell_error(file, line, fmt::format("TAGS (field {})", field + 1),
                     fmt::format("'{}' is not a tag <category>---<name> with category genre, instrument or "
                                 "mood/theme (one tag per tab-separated field; an empty field is a stray tab); "
                                 "fix or delete this row",
                                 tag));
}

void check_header(const CsvRow& row, const std::string& file) {
  if (row != header_names())
    throw DataError(
        fmt::format("{} line 1: header is '{}'; MTG-Jamendo files start with the tab-separated header "
                    "TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION, TAGS — is this an unmodified "
                    "autotagging*.tsv or split file?",
                    file, fmt::join(row, "\\t")));
}

}  // namespace

std::string jamendo_tag_category(const std::string& tag) {
  const size_t at = tag.find("---");
  return at == std::string::npos ? "" : tag.substr(0, at);
}

std::string jamendo_low_quality_path(const std::string& path) {
  const std::string mp3 = ".mp3";
  if (path.size() < mp3.size() || path.compare(path.size() - mp3.size(), mp3.size(), mp3) != 0) return path + ".low";
  return path.substr(0, path.size() - mp3.size()) + ".low.mp3";
}

void for_each_jamendo_row(const std::string& path, const std::function<void(JamendoRow&&)>& on_row) {
  if (!std::filesystem::is_regular_file(path)) throw DataError(fmt::format("MTG-Jamendo file not found: {}", path));
  CsvLineCounter lines;
  bool header_seen = false;
  for_each_csv_row(path, '\t', [&](CsvRow&& row) {
    const int64_t line = lines.next(row);
    if (!header_seen) {
      check_header(row, path);
      header_seen = true;
      return;
    }
    if (row.size() < 6)
      throw DataError(
          fmt::format("{} line {}: {} field(s); a row holds TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION "
                      "and at least one tag (field 6 on, one tag per field) — fix or delete it",
                      path, line, row.size()));
    JamendoRow out;
    out.line = line;
    out.track_id = parse_prefixed_id(row[0], "track_", path, line, "TRACK_ID");
    out.artist_id = parse_prefixed_id(row[1], "artist_", path, line, "ARTIST_ID");
    out.album_id = parse_prefixed_id(row[2], "album_", path, line, "ALBUM_ID");
    check_path(row[3], out.track_id, path, line);
    out.path = std::move(row[3]);
    out.duration = parse_duration(row[4], path, line);
    for (size_t field = 5; field < row.size(); ++field) {
      check_tag(row[field], field, path, line);
      out.tags.push_back(std::move(row[field]));
    }
    on_row(std::move(out));
  });
  if (!header_seen)
    throw DataError(
        fmt::format("{}: empty file; expected MTG-Jamendo's header TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, "
                    "DURATION, TAGS and one row per track",
                    path));
}

}  // namespace musictag::preprocess
