// TagVocabulary: top-N by count (ties by name) or an explicit, checked list; multi-hot encoding.
#include "preprocess/sources/tag_vocabulary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <utility>

#include "cluster/errors.h"

namespace musictag::preprocess {

TagVocabulary::TagVocabulary(std::vector<std::string> names) : names_(std::move(names)) {
  for (size_t i = 0; i < names_.size(); ++i)
    if (!index_.emplace(names_[i], static_cast<int>(i)).second)
      throw DataError(fmt::format("tag vocabulary: '{}' occurs twice; tag names must be unique", names_[i]));
}

TagVocabulary TagVocabulary::most_frequent(const std::map<std::string, int64_t>& counts, int64_t n) {
  std::vector<std::pair<std::string, int64_t>> ranked;
  for (const auto& [name, count] : counts)
    if (count > 0) ranked.emplace_back(name, count);
  // std::map iterates names in ascending order and stable_sort keeps that order among equal counts.
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (n >= 0 && ranked.size() > static_cast<size_t>(n)) ranked.resize(static_cast<size_t>(n));
  std::vector<std::string> names;
  names.reserve(ranked.size());
  for (auto& entry : ranked) names.push_back(std::move(entry.first));
  return TagVocabulary(std::move(names));
}

TagVocabulary TagVocabulary::explicit_list(const std::vector<std::string>& wanted,
                                           const std::vector<std::string>& available, const std::string& key) {
  const std::set<std::string> known(available.begin(), available.end());
  std::vector<std::string> unknown;
  for (const auto& name : wanted)
    if (known.count(name) == 0) unknown.push_back("'" + name + "'");
  if (!unknown.empty())
    throw ConfigError(fmt::format("{}: unknown tag(s) {}; the dataset has these {} tags (names are case-sensitive): {}",
                                  key, fmt::join(unknown, ", "), known.size(), fmt::join(known, ", ")));
  std::set<std::string> seen;
  for (const auto& name : wanted)
    if (!seen.insert(name).second)
      throw ConfigError(fmt::format("{}: lists '{}' twice; list each tag once", key, name));
  return TagVocabulary(wanted);
}

TagVocabulary TagVocabulary::choose(const std::vector<std::string>& explicit_tags, int64_t n,
                                    const std::map<std::string, int64_t>& counts,
                                    const std::vector<std::string>& available, const std::string& key,
                                    const std::string& counted_over) {
  if (!explicit_tags.empty()) return explicit_list(explicit_tags, available, key);
  TagVocabulary vocabulary = most_frequent(counts, n);
  if (vocabulary.size() == 0)
    throw DataError("no tag occurs in " + counted_over +
                    ", so there is nothing to learn; check the dataset's split and tag columns (or dataset.subset)");
  return vocabulary;
}

int TagVocabulary::index_of(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? -1 : it->second;
}

std::vector<uint8_t> TagVocabulary::multi_hot(const std::vector<std::string>& tags) const {
  std::vector<uint8_t> row(names_.size(), 0);
  for (const auto& tag : tags) {
    const int i = index_of(tag);
    if (i >= 0) row[static_cast<size_t>(i)] = 1;
  }
  return row;
}

}  // namespace musictag::preprocess
