// load_mtat: reads annotations_final.csv with libcsv (tab delimiter), folder-based splits, top-N over all clips.
#include "preprocess/sources/mtat_dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/dataset_builder.h"
#include "preprocess/sources/dataset_csv_location.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;

std::string mtat_split_of_path(const std::string& mp3_path) {
  if (mp3_path.size() < 3 || mp3_path[1] != '/') return "";
  const char folder = mp3_path[0];
  if (folder >= '0' && folder <= '9') return "training";
  if (folder == 'a' || folder == 'b') return "training";
  if (folder == 'c') return "validation";
  if (folder >= 'd' && folder <= 'f') return "test";
  return "";
}

DatasetIndex load_mtat(const DatasetConfig& config) {
  const std::string path = (fs::path(config.metadata_folder()) / "annotations_final.csv").string();
  if (!fs::is_regular_file(path))
    throw DataError(
        fmt::format("MagnaTagATune annotations_final.csv not found: {}; set dataset.root (or "
                    "dataset.metadata_dir) to the folder holding it",
                    path));
  CsvLineCounter lines;
  CsvRow header;
  CsvColumn clip_col, path_col;
  std::vector<CsvColumn> tag_cols;
  DatasetCounts counts;
  std::vector<LabelledTrack> tracks;
  std::map<int64_t, int64_t> line_of_id;
  std::map<std::string, int64_t> tag_counts;
  for_each_csv_row(path, '\t', [&](CsvRow&& row) {
    const int64_t line = lines.next(row);
    if (header.empty()) {
      header = std::move(row);
      const auto find = [&](const std::string& name) -> CsvColumn {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
          throw DataError(
              fmt::format("{} line 1: no column '{}' in the tab-separated header (MagnaTagATune's "
                          "annotations_final.csv has clip_id, 188 tags, mp3_path); is the file "
                          "tab-separated and unmodified?",
                          path, name));
        return {static_cast<size_t>(it - header.begin()), name};
      };
      clip_col = find("clip_id");
      path_col = find("mp3_path");
      std::set<std::string> seen;
      for (size_t i = 0; i < header.size(); ++i) {
        if (i == clip_col.index || i == path_col.index) continue;
        if (header[i].empty() || !seen.insert(header[i]).second)
          throw DataError(
              fmt::format("{} line 1, column {}: tag name '{}' is empty or repeated; tag columns need "
                          "unique names",
                          path, i + 1, header[i]));
        tag_cols.push_back({i, header[i]});
      }
      if (tag_cols.empty()) throw DataError(path + " line 1: no tag columns between clip_id and mp3_path");
      return;
    }
    check_row_width(row, header.size(), path, line);
    ++counts.rows;
    LabelledTrack track;
    track.track_id = parse_integer_cell(row[clip_col.index], 0, path, line, "clip_id");
    const auto [previous, fresh] = line_of_id.emplace(track.track_id, line);
    if (!fresh)
      throw_cell_error(path, line, "clip_id",
                       fmt::format("clip_id {} already appeared on line {}; delete one of the rows", track.track_id,
                                   previous->second));
    const std::string& mp3_path = row[path_col.index];
    track.split = mtat_split_of_path(mp3_path);
    if (track.split.empty())
      throw_cell_error(path, line, "mp3_path",
                       fmt::format("'{}' is not <folder 0-9 or a-f>/<name>.mp3; fix or delete this row", mp3_path));
    for (const auto& column : tag_cols) {
      const std::string& value = row[column.index];
      if (value == "1") {
        track.tags.push_back(column.name);
      } else if (value != "0") {
        throw_cell_error(path, line, column.name, fmt::format("'{}' is not 0 or 1; fix or delete this row", value));
      }
    }
    if (track.tags.empty()) {
      ++counts.without_source_tags;
      return;
    }
    for (const auto& tag : track.tags) ++tag_counts[tag];
    track.audio_path = (fs::path(config.audio_folder()) / mp3_path).string();
    tracks.push_back(std::move(track));
  });
  if (header.empty()) throw DataError(path + ": empty file; expected MagnaTagATune's annotations_final.csv");

  std::vector<std::string> available;
  for (const auto& column : tag_cols) available.push_back(column.name);
  const TagVocabulary vocabulary =
      TagVocabulary::choose(config.tags, config.n_tags, tag_counts, available, "dataset.tags", "all clips of " + path);
  return build_dataset_index("mtat", std::move(tracks), vocabulary, config, counts, path);
}

}  // namespace musictag::preprocess
