// failures.tsv: sanitised tab-separated rows, atomic writes, strict reading, sorted merge of per-part files.
#include "preprocess/failure_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "cluster/errors.h"
#include "cluster/files.h"

namespace musictag::preprocess {

bool TrackFailure::operator<(const TrackFailure& other) const {
  return std::tie(track_id, stage, path, reason) < std::tie(other.track_id, other.stage, other.path, other.reason);
}

std::string sanitize_tsv_field(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return text;
}

std::string format_failures_tsv(const std::vector<TrackFailure>& failures) {
  std::string text = std::string(kFailuresHeader) + "\n";
  for (const auto& failure : failures) {
    text += fmt::format("{}\t{}\t{}\t{}\n", failure.track_id, sanitize_tsv_field(failure.path),
                        sanitize_tsv_field(failure.stage), sanitize_tsv_field(failure.reason));
  }
  return text;
}

void write_failures_tsv(const std::vector<TrackFailure>& failures, const std::string& path) {
  write_file_atomically(path, format_failures_tsv(failures));
}

std::vector<TrackFailure> read_failures_tsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(fmt::format("failure log '{}' cannot be opened; check the path", path));
  std::string line;
  if (!std::getline(in, line) || line != kFailuresHeader) {
    throw DataError(
        fmt::format("failure log '{}': line 1 must be the header '{}'; the file is not a musictag "
                    "failures.tsv",
                    path, "track_id<TAB>path<TAB>stage<TAB>reason"));
  }
  std::vector<TrackFailure> failures;
  for (size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      fields.push_back(line.substr(start, tab - start));
    }
    fields.push_back(line.substr(start));
    TrackFailure failure;
    size_t parsed = 0;
    bool ok = fields.size() == 4;
    try {
      if (ok) failure.track_id = std::stoll(fields[0], &parsed);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok || parsed != fields[0].size()) {
      throw DataError(
          fmt::format("failure log '{}' line {}: expected 4 tab-separated fields starting with an "
                      "integer track id, got {} field(s); the file is damaged, rerun preprocess",
                      path, number, fields.size()));
    }
    failure.path = std::move(fields[1]);
    failure.stage = std::move(fields[2]);
    failure.reason = std::move(fields[3]);
    failures.push_back(std::move(failure));
  }
  return failures;
}

size_t merge_failures_tsv(const std::vector<std::string>& inputs, const std::string& output) {
  std::vector<TrackFailure> all;
  for (const auto& input : inputs) {
    auto failures = read_failures_tsv(input);
    all.insert(all.end(), std::make_move_iterator(failures.begin()), std::make_move_iterator(failures.end()));
  }
  // Compare sanitised rows, as they will be written.
  for (auto& failure : all) {
    failure.path = sanitize_tsv_field(std::move(failure.path));
    failure.stage = sanitize_tsv_field(std::move(failure.stage));
    failure.reason = sanitize_tsv_field(std::move(failure.reason));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  write_failures_tsv(all, output);
  return all.size();
}

}  // namespace musictag::preprocess
