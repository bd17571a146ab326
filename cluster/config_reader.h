// One section of a YAML config read key by key: typed, range-checked, unknown keys refused, every key documented.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/choice.h"

namespace musictag::cluster {

// An interval in Essentia's notation: "(0,inf)", "[0,1]", "[1,inf)". Empty text = any value.
struct Range {
  double low = -1.0 / 0.0, high = 1.0 / 0.0;
  bool low_open = true, high_open = true;
  std::string text;  // as declared, for messages

  static Range parse(const std::string& text);  // throws ConfigError on a malformed interval
  bool contains(double value) const;
};

// Edit distance (insertions, deletions, substitutions, swaps of neighbours), and the entry of `known` closest to `name`
// when close enough to be a typo of it (<= max(1, min(3, |name| / 3)) edits), else "". For "did you mean" hints.
size_t edit_distance(const std::string& a, const std::string& b);
std::string closest_name(const std::string& name, const std::vector<std::string>& known);

// What --help prints for one key.
struct KeyDoc {
  std::string key, type, default_value, allowed, doc;
};

// Reads one top-level section ("features", "train", ...). Each getter returns the value from the file or the
// default, validates it, and remembers key, default, allowed values and doc for --help and for the resolved
// config. Call finish() after the last getter: a key in the file that no getter asked for is an error, so a typo
// never silently falls back to a default.
class ConfigSection {
 public:
  ConfigSection(std::string source, std::string name, YAML::Node node);

  int64_t integer(const std::string& key, int64_t fallback, const std::string& range, const std::string& doc);
  double real(const std::string& key, double fallback, const std::string& range, const std::string& doc);
  bool boolean(const std::string& key, bool fallback, const std::string& doc);
  std::string text(const std::string& key, const std::string& fallback, const std::string& doc);
  // One of `allowed`, e.g. {"slaney", "htk"}.
  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed,
                     const std::string& doc);
  // One of the names in `names` (cluster/choice.h), returned as its enum value.
  template <typename Enum, size_t N>
  Enum choice(const std::string& key, Enum fallback, const ChoiceName<Enum> (&names)[N], const std::string& doc) {
    std::vector<std::string> allowed;
    for (const auto& entry : names) allowed.emplace_back(entry.name);
    const std::string name = choice(key, choice_name(names, fallback), allowed, doc);
    Enum value = fallback;
    choice_value(names, name.c_str(), value);
    return value;
  }
  std::vector<double> reals(const std::string& key, const std::vector<double>& fallback, const std::string& range,
                            const std::string& doc);
  std::vector<int64_t> integers(const std::string& key, const std::vector<int64_t>& fallback, const std::string& range,
                                const std::string& doc);
  std::vector<std::string> texts(const std::string& key, const std::vector<std::string>& fallback,
                                 const std::string& doc);
  // A list of mappings (default: none), each read by `read_item` from its own ConfigSection named
  // "<section>.<key>[i]" (i from 0), which is finished after it, so an item's unknown or ill-typed key is named with
  // its position. `item_keys` is what --help shows as the allowed value (e.g. "{epoch, optimizer, learning_rate}").
  template <typename T, typename ReadItem>
  std::vector<T> mappings(const std::string& key, const std::string& item_keys, const std::string& doc,
                          ReadItem read_item) {
    std::vector<T> values;
    for (ConfigSection& item : item_sections(key, item_keys, doc)) {
      values.push_back(read_item(item));
      item.finish();
      resolved_[key].push_back(item.resolved());
    }
    return values;
  }
  // True when the file (or an override) sets `key` in this section, whether or not it was read yet.
  bool contains(const std::string& key) const;

  // Throws ConfigError naming every key present in the file that was never read.
  void finish() const;
  // A ConfigError for a rule that spans keys ("segment_frames must be <= ..."), with the file and section named.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

  const std::string& name() const { return name_; }
  const std::vector<KeyDoc>& docs() const { return docs_; }
  // Every key with the value in force (file or default), in the order read.
  const YAML::Node& resolved() const { return resolved_; }

 private:
  std::optional<YAML::Node> lookup(const std::string& key, const KeyDoc& doc);
  std::vector<ConfigSection> item_sections(const std::string& key, const std::string& item_keys,
                                           const std::string& doc);
  template <typename T>
  T convert(const YAML::Node& value, const std::string& key, const std::string& expected) const;
  void remember(const KeyDoc& doc, const YAML::Node& value);
  std::string where(const std::string& key) const;

  std::string source_, name_;
  YAML::Node node_;
  std::vector<std::string> read_keys_;
  std::vector<KeyDoc> docs_;
  YAML::Node resolved_ = YAML::Node(YAML::NodeType::Map);
};

}  // namespace musictag::cluster
