// Reads FMA's genres.csv (genre_id,#tracks,parent,title,top_level) into a GenreTree; unique tag names per genre.
#include "preprocess/sources/dataset_fma_genres.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/dataset_csv_location.h"

namespace musictag::preprocess {

GenreTree read_fma_genres(const std::string& path) {
  CsvLineCounter lines;
  std::vector<std::string> header;
  size_t id_col = 0, parent_col = 0, title_col = 0;
  std::vector<Genre> genres;
  for_each_csv_row(path, [&](CsvRow&& row) {
    const int64_t line = lines.next(row);
    if (header.empty()) {
      header = row;
      const auto find = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
          throw DataError(
              fmt::format("{} line 1: no column '{}' (FMA's genres.csv has genre_id,#tracks,parent,"
                          "title,top_level); check dataset.metadata_dir",
                          path, name));
        return static_cast<size_t>(it - header.begin());
      };
      id_col = find("genre_id");
      parent_col = find("parent");
      title_col = find("title");
      return;
    }
    check_row_width(row, header.size(), path, line);
    Genre genre;
    genre.id = static_cast<int>(parse_integer_cell(row[id_col], 1, path, line, "genre_id"));
    genre.parent = static_cast<int>(parse_integer_cell(row[parent_col], 0, path, line, "parent"));
    genre.title = row[title_col];
    if (genre.title.empty()) throw_cell_error(path, line, "title", "empty genre title; every genre needs one");
    genres.push_back(std::move(genre));
  });
  if (genres.empty()) throw DataError(path + ": no genres; FMA's genres.csv lists 163 (check dataset.metadata_dir)");
  try {
    return GenreTree(std::move(genres));
  } catch (const DataError& e) {
    throw DataError(path + ": " + e.what());
  }
}

std::map<int, std::string> fma_genre_tag_names(const GenreTree& tree) {
  std::map<std::string, int> uses;
  for (const auto& genre : tree.genres()) ++uses[genre.title];
  std::map<int, std::string> names;
  for (const auto& genre : tree.genres())
    names[genre.id] = uses[genre.title] > 1 ? fmt::format("{} ({})", genre.title, genre.id) : genre.title;
  return names;
}

}  // namespace musictag::preprocess
