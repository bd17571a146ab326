// TagVocabulary: the tag list of a dataset — the N most frequent tags or an explicit list — and multi-hot rows.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace musictag::preprocess {

class TagVocabulary {
 public:
  explicit TagVocabulary(std::vector<std::string> names);  // names must be unique (DataError otherwise)

  // The `n` tags with the highest count, most frequent first; equal counts in ascending byte order of the name
  // (std::string <), so the choice never depends on file order. Tags with count 0 are never chosen, so the
  // result has fewer than n names when fewer tags occur.
  static TagVocabulary most_frequent(const std::map<std::string, int64_t>& counts, int64_t n);

  // `wanted` in its own order; every name must be in `available`, else ConfigError naming `key` (e.g.
  // "dataset.tags"), the unknown name(s) and the available ones.
  static TagVocabulary explicit_list(const std::vector<std::string>& wanted, const std::vector<std::string>& available,
                                     const std::string& key);

  // explicit_list(explicit_tags, ...) when explicit_tags is non-empty, else most_frequent(counts, n). A result
  // without any tag is a DataError naming `counted_over` ("the training split of .../tracks.csv").
  static TagVocabulary choose(const std::vector<std::string>& explicit_tags, int64_t n,
                              const std::map<std::string, int64_t>& counts, const std::vector<std::string>& available,
                              const std::string& key, const std::string& counted_over);

  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }
  int index_of(const std::string& name) const;  // -1 when not in the vocabulary

  // 0/1 per vocabulary tag: 1 when the tag is in `tags`; names outside the vocabulary are ignored.
  std::vector<uint8_t> multi_hot(const std::vector<std::string>& tags) const;

 private:
  std::vector<std::string> names_;
  std::map<std::string, int> index_;
};

}  // namespace musictag::preprocess
