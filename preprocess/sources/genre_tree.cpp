// GenreTree: validation and ancestor queries over a parent-linked genre list.
#include "preprocess/sources/genre_tree.h"

#include <algorithm>
#include <set>

#include "cluster/errors.h"

namespace musictag::preprocess {

GenreTree::GenreTree(std::vector<Genre> genres) : genres_(std::move(genres)) {
  for (size_t i = 0; i < genres_.size(); ++i) {
    const Genre& g = genres_[i];
    if (g.id <= 0) throw DataError("genre tree: genre id must be > 0, got " + std::to_string(g.id));
    if (!index_.emplace(g.id, i).second) throw DataError("genre tree: duplicate genre id " + std::to_string(g.id));
  }
  for (const Genre& g : genres_) {
    if (g.parent != 0 && !contains(g.parent)) {
      throw DataError("genre tree: genre " + std::to_string(g.id) + " has unknown parent " + std::to_string(g.parent));
    }
    // Walking up must reach a root within as many steps as there are genres.
    int current = g.id;
    for (size_t steps = 0; genre(current).parent != 0; ++steps) {
      if (steps > genres_.size()) throw DataError("genre tree: cycle through genre " + std::to_string(g.id));
      current = genre(current).parent;
    }
  }
}

const Genre& GenreTree::genre(int id) const {
  const auto it = index_.find(id);
  if (it == index_.end()) throw DataError("genre tree: unknown genre id " + std::to_string(id));
  return genres_[it->second];
}

int GenreTree::top_level(int id) const {
  int current = id;
  while (genre(current).parent != 0) current = genre(current).parent;
  return current;
}

std::vector<int> GenreTree::roots() const {
  std::vector<int> ids;
  for (const Genre& g : genres_) {
    if (g.parent == 0) ids.push_back(g.id);
  }
  return ids;
}

std::vector<int> GenreTree::children(int id) const {
  std::vector<int> ids;
  for (const Genre& g : genres_) {
    if (g.parent == id) ids.push_back(g.id);
  }
  return ids;
}

std::vector<int> GenreTree::with_ancestors(const std::vector<int>& ids) const {
  std::set<int> all;
  for (int id : ids) {
    for (int current = id; current != 0; current = genre(current).parent) all.insert(current);
  }
  return {all.begin(), all.end()};
}

std::vector<int> GenreTree::roots_of(const std::vector<int>& ids) const {
  std::set<int> roots;
  for (int id : ids) roots.insert(top_level(id));
  return {roots.begin(), roots.end()};
}

}  // namespace musictag::preprocess
