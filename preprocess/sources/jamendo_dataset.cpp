// load_jamendo: the table for membership, the split files for splits and tags, a sorted vocabulary of the splits.
#include "preprocess/sources/jamendo_dataset.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/sources/dataset_builder.h"
#include "preprocess/sources/dataset_csv_location.h"
#include "preprocess/sources/jamendo_tsv.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;
namespace {

// Where a track was first seen, for "already listed" messages.
struct Place {
  std::string file;
  int64_t line = 0;
};

// The category every tag of a per-category tag set must have; "" for top50tags and all (any category).
std::string required_category(JamendoTagSet tag_set) {
  switch (tag_set) {
    case JamendoTagSet::genre:
      return "genre";
    case JamendoTagSet::instrument:
      return "instrument";
    case JamendoTagSet::moodtheme:
      return "mood/theme";
    case JamendoTagSet::top50tags:
    case JamendoTagSet::all:
      break;
  }
  return "";
}

void require_file(const std::string& path, const DatasetConfig& config) {
  if (!fs::is_regular_file(path))
    throw DataError(
        fmt::format("MTG-Jamendo file not found: {} (dataset.tag_set {}, dataset.jamendo_split {}); set "
                    "dataset.root (or dataset.metadata_dir) to the folder holding autotagging*.tsv and "
                    "splits/ — the data/ folder of MTG's mtg-jamendo-dataset repository",
                    path, config.tag_set_name(), config.jamendo_split));
}

// TRACK_ID -> where the table lists it; a duplicate is an error.
std::map<int64_t, Place> read_table(const std::string& path) {
  std::map<int64_t, Place> table;
  for_each_jamendo_row(path, [&](JamendoRow&& row) {
    const auto [it, fresh] = table.emplace(row.track_id, Place{path, row.line});
    if (!fresh)
      throw_cell_error(path, row.line, "TRACK_ID",
                       fmt::format("track_{:07d} already appeared on line {}; delete one of the rows", row.track_id,
                                   it->second.line));
  });
  return table;
}

}  // namespace

std::string jamendo_file_prefix(JamendoTagSet tag_set) {
  if (tag_set == JamendoTagSet::all) return "autotagging";
  return std::string("autotagging_") + choice_name(kJamendoTagSetNames, tag_set);
}

DatasetIndex load_jamendo(const DatasetConfig& config) {
  const fs::path metadata(config.metadata_folder());
  const std::string prefix = jamendo_file_prefix(config.tag_set);
  const std::string table_path = (metadata / (prefix + ".tsv")).string();
  const fs::path split_dir = metadata / "splits" / fmt::format("split-{}", config.jamendo_split);
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"train", "training"}, {"validation", "validation"}, {"test", "test"}};
  require_file(table_path, config);
  for (const auto& part : parts) require_file((split_dir / (prefix + "-" + part.first + ".tsv")).string(), config);

  const std::map<int64_t, Place> table = read_table(table_path);
  const std::string category = required_category(config.tag_set);
  std::map<int64_t, Place> listed;
  std::set<std::string> split_tags;
  std::vector<LabelledTrack> tracks;
  DatasetCounts counts;
  for (const auto& [file_part, split] : parts) {
    const std::string file = (split_dir / (prefix + "-" + file_part + ".tsv")).string();
    for_each_jamendo_row(file, [&, split = split](JamendoRow&& row) {
      ++counts.rows;
      const auto [seen, fresh] = listed.emplace(row.track_id, Place{file, row.line});
      if (!fresh)
        throw_cell_error(file, row.line, "TRACK_ID",
                         fmt::format("track_{:07d} is already listed on line {} of {}; a track belongs to one split "
                                     "once — are these split files from the same split-<k> folder and unmodified?",
                                     row.track_id, seen->second.line, seen->second.file));
      if (table.count(row.track_id) == 0)
        throw_cell_error(file, row.line, "TRACK_ID",
                         fmt::format("track_{:07d} is not in {}; are the table and the split files from the same "
                                     "MTG-Jamendo release?",
                                     row.track_id, table_path));
      for (size_t i = 0; i < row.tags.size(); ++i) {
        if (!category.empty() && jamendo_tag_category(row.tags[i]) != category)
          throw_cell_error(file, row.line, fmt::format("TAGS (field {})", i + 6),
                           fmt::format("'{}' is not a {} tag, yet this is a file of tag set {}; is dataset.tag_set "
                                       "right and the file unmodified?",
                                       row.tags[i], category, config.tag_set_name()));
        split_tags.insert(row.tags[i]);
      }
      LabelledTrack track;
      track.track_id = row.track_id;
      track.split = split;
      track.tags = std::move(row.tags);
      const std::string relative = config.jamendo_low_quality ? jamendo_low_quality_path(row.path) : row.path;
      track.audio_path = (fs::path(config.audio_folder()) / relative).string();
      tracks.push_back(std::move(track));
    });
  }
  if (tracks.empty())
    throw DataError(
        fmt::format("the split files of {} in {} list no track, so there is nothing to learn; check "
                    "dataset.tag_set and dataset.jamendo_split",
                    prefix, split_dir.string()));
  counts.outside_subset = static_cast<int64_t>(table.size() - listed.size());

  const std::vector<std::string> available(split_tags.begin(), split_tags.end());  // std::set: sorted by bytes
  const TagVocabulary vocabulary = config.tags.empty()
                                       ? TagVocabulary(available)
                                       : TagVocabulary::explicit_list(config.tags, available, "dataset.tags");
  return build_dataset_index("jamendo", std::move(tracks), vocabulary, config, counts,
                             (split_dir / (prefix + "-*.tsv")).string());
}

}  // namespace musictag::preprocess
