// A genre hierarchy as in FMA's genres.csv: ids, parents (0 = root), titles; ancestors and top-level lookups.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace musictag::preprocess {

struct Genre {
  int id = 0;
  int parent = 0;  // 0 for a root
  std::string title;
};

class GenreTree {
 public:
  // Checks ids are positive and unique, every parent exists and there is no cycle; throws DataError otherwise.
  explicit GenreTree(std::vector<Genre> genres);

  const std::vector<Genre>& genres() const { return genres_; }
  bool contains(int id) const { return index_.count(id) != 0; }
  const Genre& genre(int id) const;  // throws DataError for an unknown id

  // The root above `id` (itself for a root): genres.csv's top_level column.
  int top_level(int id) const;
  std::vector<int> roots() const;           // in declaration order
  std::vector<int> children(int id) const;  // in declaration order

  // `ids` plus all their ancestors, sorted and unique: how FMA derives track.genres_all from track.genres.
  std::vector<int> with_ancestors(const std::vector<int>& ids) const;
  // The distinct top-level genres of `ids`, sorted.
  std::vector<int> roots_of(const std::vector<int>& ids) const;

 private:
  std::vector<Genre> genres_;
  std::map<int, size_t> index_;
};

}  // namespace musictag::preprocess
