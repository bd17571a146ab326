// FMA tracks.csv column list, from mdeff/fma's fma_metadata (see shared/data/fma-format.md).
#include "preprocess/sources/fma_columns.h"

namespace musictag::preprocess {

const std::vector<FmaColumn>& fma_track_columns() {
  static const std::vector<FmaColumn> columns = [] {
    const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
        {"album",
         {"comments", "date_created", "date_released", "engineer", "favorites", "id", "information", "listens",
          "producer", "tags", "title", "tracks", "type"}},
        {"artist",
         {"active_year_begin", "active_year_end", "associated_labels", "bio", "comments", "date_created", "favorites",
          "id", "latitude", "location", "longitude", "members", "name", "related_projects", "tags", "website",
          "wikipedia_page"}},
        {"set", {"split", "subset"}},
        {"track", {"bit_rate",  "comments", "composer",   "date_created", "date_recorded", "duration",      "favorites",
                   "genre_top", "genres",   "genres_all", "information",  "interest",      "language_code", "license",
                   "listens",   "lyricist", "number",     "publisher",    "tags",          "title"}},
    };
    std::vector<FmaColumn> all;
    for (const auto& [group, names] : groups) {
      for (const auto& name : names) all.push_back({group, name});
    }
    return all;
  }();
  return columns;
}

int fma_track_column_index(const std::string& group, const std::string& name) {
  const auto& columns = fma_track_columns();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].group == group && columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace musictag::preprocess
