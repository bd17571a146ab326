// load_fma: streams tracks.csv with libcsv, checks FMA's header rows, filters the subset, maps genres to tags.
#include "preprocess/sources/fma_dataset.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/dataset_builder.h"
#include "preprocess/sources/dataset_csv_location.h"
#include "preprocess/sources/dataset_fma_genres.h"
#include "preprocess/sources/fma_columns.h"
#include "preprocess/sources/fma_list_literal.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;
namespace {

// Maps one row's tag cell to tag names, for the configured tag_source.
class FmaTagReader {
 public:
  FmaTagReader(const GenreTree& tree, FmaTagSource source) : tree_(tree), source_(source) {
    names_ = fma_genre_tag_names(tree);
    for (int root : tree.roots()) root_by_title_[tree.genre(root).title] = names_.at(root);
  }

  // Every tag name a track can carry with this source, in genres.csv order.
  std::vector<std::string> available() const {
    std::vector<std::string> names;
    for (const auto& genre : tree_.genres())
      if (source_ != FmaTagSource::genre_top || genre.parent == 0) names.push_back(names_.at(genre.id));
    return names;
  }

  std::vector<std::string> tags(const std::string& cell, const std::string& file, int64_t line,
                                const std::string& column) const {
    if (source_ == FmaTagSource::genre_top) {
      if (cell.empty()) return {};
      const auto it = root_by_title_.find(cell);
      if (it == root_by_title_.end())
        throw_cell_error(file, line, column,
                         fmt::format("'{}' is not the title of a top-level genre in genres.csv; are tracks.csv and "
                                     "genres.csv from the same FMA release?",
                                     cell));
      return {it->second};
    }
    std::vector<int> ids;
    try {
      ids = parse_int_list(cell);
    } catch (const DataError& e) {
      throw_cell_error(file, line, column, std::string(e.what()) + "; fix or delete this row");
    }
    std::vector<std::string> names;
    for (int id : ids) {
      const auto it = names_.find(id);
      if (it == names_.end())
        throw_cell_error(file, line, column,
                         fmt::format("genre id {} is not in genres.csv; are tracks.csv and genres.csv from the same "
                                     "FMA release?",
                                     id));
      names.push_back(it->second);
    }
    return names;
  }

 private:
  const GenreTree& tree_;
  FmaTagSource source_;
  std::map<int, std::string> names_;
  std::map<std::string, std::string> root_by_title_;
};

// Column of (group, name) in the file's first two header rows.
CsvColumn find_column(const CsvRow& groups, const CsvRow& names, const std::string& group, const std::string& name,
                      const std::string& file) {
  if (fma_track_column_index(group, name) < 0)
    throw DataError("load_fma: " + group + "." + name + " is not one of FMA's tracks.csv columns (program error)");
  for (size_t i = 1; i < groups.size() && i < names.size(); ++i)
    if (groups[i] == group && names[i] == name) return {i, group + "." + name};
  throw DataError(
      fmt::format("{}: no column {}.{} (header line 1 = group '{}', line 2 = name '{}'); FMA's "
                  "tracks.csv has it — use an unmodified fma_metadata/tracks.csv",
                  file, group, name, group, name));
}

void require_file(const std::string& path, const std::string& what) {
  if (!fs::is_regular_file(path))
    throw DataError(
        fmt::format("{} not found: {}; set dataset.root (or dataset.metadata_dir) to the folder holding "
                    "FMA's fma_metadata",
                    what, path));
}

}  // namespace

std::string fma_audio_relative_path(int64_t track_id) {
  if (track_id < 0) throw DataError(fmt::format("FMA track id {} is negative", track_id));
  return fmt::format("{:03d}/{:06d}.mp3", track_id / 1000, track_id);
}

DatasetIndex load_fma(const DatasetConfig& config) {
  const std::string tracks_path = (fs::path(config.metadata_folder()) / "tracks.csv").string();
  const std::string genres_path = (fs::path(config.metadata_folder()) / "genres.csv").string();
  require_file(tracks_path, "FMA tracks.csv");
  require_file(genres_path, "FMA genres.csv");
  const GenreTree tree = read_fma_genres(genres_path);
  const FmaTagReader tag_reader(tree, config.tag_source);
  const int max_subset = DatasetConfig::subset_rank(config.subset);

  CsvLineCounter lines;
  CsvRow groups, names;
  CsvColumn split_col, subset_col, tags_col;
  int64_t records = 0;
  DatasetCounts counts;
  std::vector<LabelledTrack> tracks;
  std::map<int64_t, int64_t> line_of_id;
  std::map<std::string, int64_t> training_counts;
  for_each_csv_row(tracks_path, [&](CsvRow&& row) {
    const int64_t line = lines.next(row);
    ++records;
    if (records == 1) {
      groups = std::move(row);
      return;
    }
    if (records == 2) {
      names = std::move(row);
      split_col = find_column(groups, names, "set", "split", tracks_path);
      subset_col = find_column(groups, names, "set", "subset", tracks_path);
      tags_col = find_column(groups, names, "track", config.tag_source_name(), tracks_path);
      return;
    }
    if (records == 3) {
      if (row.empty() || row[0] != "track_id")
        throw DataError(
            fmt::format("{} line {}: expected 'track_id' in the first cell (FMA's third header row), got "
                        "'{}'; use an unmodified fma_metadata/tracks.csv",
                        tracks_path, line, row.empty() ? "" : row[0]));
      return;
    }
    check_row_width(row, names.size(), tracks_path, line);
    ++counts.rows;
    LabelledTrack track;
    track.track_id = parse_integer_cell(row[0], 1, tracks_path, line, "track_id");
    const auto [previous, fresh] = line_of_id.emplace(track.track_id, line);
    if (!fresh)
      throw_cell_error(tracks_path, line, "track_id",
                       fmt::format("track id {} already appeared on line {}; delete one of the rows", track.track_id,
                                   previous->second));
    const std::string& subset = row[subset_col.index];
    const int rank = DatasetConfig::subset_rank(subset);
    if (rank < 0 || rank > 2)
      throw_cell_error(tracks_path, line, subset_col.name,
                       fmt::format("'{}' is not an FMA subset (small, medium or large)", subset));
    track.split = row[split_col.index];
    if (dataset_split_rank(track.split) < 0)
      throw_cell_error(tracks_path, line, split_col.name,
                       fmt::format("'{}' is not a split (training, validation or test)", track.split));
    track.tags = tag_reader.tags(row[tags_col.index], tracks_path, line, tags_col.name);
    if (rank > max_subset) {
      ++counts.outside_subset;
      return;
    }
    if (track.tags.empty()) {
      ++counts.without_source_tags;
      return;
    }
    if (track.split == "training")
      for (const auto& tag : track.tags) ++training_counts[tag];
    track.audio_path = (fs::path(config.audio_folder()) / fma_audio_relative_path(track.track_id)).string();
    tracks.push_back(std::move(track));
  });
  if (records < 3)
    throw DataError(fmt::format("{}: {} line(s); FMA's tracks.csv starts with 3 header rows (group, name, track_id)",
                                tracks_path, records));

  const TagVocabulary vocabulary =
      TagVocabulary::choose(config.tags, config.n_tags, training_counts, tag_reader.available(), "dataset.tags",
                            fmt::format("track.{} of the training split of {} (subset {})", config.tag_source_name(),
                                        tracks_path, config.subset));
  return build_dataset_index("fma", std::move(tracks), vocabulary, config, counts, tracks_path);
}

}  // namespace musictag::preprocess
