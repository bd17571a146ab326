// One section of a YAML config read key by key: typed, range-checked, unknown keys refused, every key documented.
#include "cluster/config_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "cluster/errors.h"

namespace musictag::cluster {
namespace {

double parse_bound(const std::string& text, const std::string& whole) {
  if (text == "inf" || text == "+inf") return INFINITY;
  if (text == "-inf") return -INFINITY;
  try {
    size_t used = 0;
    double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw ConfigError(fmt::format("malformed range '{}': bound '{}' is not a number or inf", whole, text));
}

std::string shown(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  YAML::Emitter out;
  out << YAML::Flow << node;
  return fmt::format("'{}'", out.c_str());
}

template <typename T>
std::string text_of(const T& value) {
  YAML::Emitter out;
  out << YAML::Flow << YAML::Node(value);
  return out.c_str();
}

// Numbers in their shortest exact form (29.12, not 29.120000000000001).
std::string text_of(double value) { return fmt::format("{}", value); }
std::string text_of(const std::vector<double>& values) { return fmt::format("[{}]", fmt::join(values, ", ")); }

}  // namespace

Range Range::parse(const std::string& text) {
  Range range;
  range.text = text;
  if (text.empty()) return range;
  const auto comma = text.find(',');
  if (text.size() < 5 || comma == std::string::npos || (text.front() != '(' && text.front() != '[') ||
      (text.back() != ')' && text.back() != ']'))
    throw ConfigError(fmt::format("malformed range '{}': expected e.g. (0,inf) or [0,1]", text));
  range.low_open = text.front() == '(';
  range.high_open = text.back() == ')';
  range.low = parse_bound(text.substr(1, comma - 1), text);
  range.high = parse_bound(text.substr(comma + 1, text.size() - comma - 2), text);
  return range;
}

bool Range::contains(double value) const {
  if (std::isnan(value)) return false;
  const bool above = low_open ? value > low : value >= low;
  const bool below = high_open ? value < high : value <= high;
  return above && below;
}

ConfigSection::ConfigSection(std::string source, std::string name, YAML::Node node)
    : source_(std::move(source)), name_(std::move(name)), node_(std::move(node)) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap())
    throw ConfigError(
        fmt::format("{}: section '{}' must be a mapping of key: value, got {}", source_, name_, shown(node_)));
}

std::string ConfigSection::where(const std::string& key) const { return fmt::format("{}: {}.{}", source_, name_, key); }

void ConfigSection::fail(const std::string& key, const std::string& message) const {
  throw ConfigError(fmt::format("{}: {}", where(key), message));
}

std::optional<YAML::Node> ConfigSection::lookup(const std::string& key, const KeyDoc& doc) {
  docs_.push_back(doc);
  read_keys_.push_back(key);
  if (!node_.IsDefined() || node_.IsNull()) return std::nullopt;
  const YAML::Node& map = node_;  // const lookup: never inserts the key
  YAML::Node value = map[key];
  if (!value.IsDefined()) return std::nullopt;
  return value;
}

template <typename T>
T ConfigSection::convert(const YAML::Node& value, const std::string& key, const std::string& expected) const {
  try {
    if (value.IsScalar()) return value.as<T>();
  } catch (const YAML::Exception&) {
  }
  fail(key, fmt::format("expected {}, got {}", expected, shown(value)));
}

void ConfigSection::remember(const KeyDoc&, const YAML::Node& value) { resolved_[read_keys_.back()] = value; }

int64_t ConfigSection::integer(const std::string& key, int64_t fallback, const std::string& range,
                               const std::string& doc) {
  const Range allowed = Range::parse(range);
  const KeyDoc entry{key, "integer", text_of(fallback), range, doc};
  const auto node = lookup(key, entry);
  const int64_t value = node ? convert<int64_t>(*node, key, "an integer in " + range) : fallback;
  if (!allowed.contains(static_cast<double>(value)))
    fail(key, fmt::format("expected an integer in {}, got {}", range, value));
  remember(entry, YAML::Node(value));
  return value;
}

double ConfigSection::real(const std::string& key, double fallback, const std::string& range, const std::string& doc) {
  const Range allowed = Range::parse(range);
  const KeyDoc entry{key, "number", text_of(fallback), range, doc};
  const auto node = lookup(key, entry);
  const double value = node ? convert<double>(*node, key, "a number in " + range) : fallback;
  if (!allowed.contains(value)) fail(key, fmt::format("expected a number in {}, got {}", range, value));
  remember(entry, YAML::Node(value));
  return value;
}

bool ConfigSection::boolean(const std::string& key, bool fallback, const std::string& doc) {
  const KeyDoc entry{key, "bool", fallback ? "true" : "false", "{true,false}", doc};
  const auto node = lookup(key, entry);
  const bool value = node ? convert<bool>(*node, key, "true or false") : fallback;
  remember(entry, YAML::Node(value));
  return value;
}

std::string ConfigSection::text(const std::string& key, const std::string& fallback, const std::string& doc) {
  const KeyDoc entry{key, "string", fallback.empty() ? "\"\"" : fallback, "", doc};
  const auto node = lookup(key, entry);
  const std::string value = node ? convert<std::string>(*node, key, "a string") : fallback;
  remember(entry, YAML::Node(value));
  return value;
}

std::string ConfigSection::choice(const std::string& key, const std::string& fallback,
                                  const std::vector<std::string>& allowed, const std::string& doc) {
  const std::string set = fmt::format("{{{}}}", fmt::join(allowed, ","));
  const KeyDoc entry{key, "choice", fallback, set, doc};
  const auto node = lookup(key, entry);
  const std::string value = node ? convert<std::string>(*node, key, "one of " + set) : fallback;
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
    fail(key, fmt::format("expected one of {}, got '{}'", set, value));
  remember(entry, YAML::Node(value));
  return value;
}

template <typename T>
static std::vector<T> read_list(const std::optional<YAML::Node>& node, const std::vector<T>& fallback,
                                const std::function<T(const YAML::Node&)>& one) {
  if (!node) return fallback;
  std::vector<T> values;
  if (node->IsScalar()) {
    values.push_back(one(*node));  // a single value stands for a list of one
  } else {
    for (const auto& item : *node) values.push_back(one(item));
  }
  return values;
}

std::vector<double> ConfigSection::reals(const std::string& key, const std::vector<double>& fallback,
                                         const std::string& range, const std::string& doc) {
  const Range allowed = Range::parse(range);
  const KeyDoc entry{key, "list of numbers", text_of(fallback), range, doc};
  const auto node = lookup(key, entry);
  if (node && !node->IsScalar() && !node->IsSequence())
    fail(key, fmt::format("expected a list of numbers in {}, got {}", range, shown(*node)));
  auto values = read_list<double>(node, fallback, [&](const YAML::Node& item) {
    const double value = convert<double>(item, key, "a list of numbers in " + range);
    if (!allowed.contains(value)) fail(key, fmt::format("expected numbers in {}, got {}", range, value));
    return value;
  });
  remember(entry, YAML::Node(values));
  return values;
}

std::vector<int64_t> ConfigSection::integers(const std::string& key, const std::vector<int64_t>& fallback,
                                             const std::string& range, const std::string& doc) {
  const Range allowed = Range::parse(range);
  const KeyDoc entry{key, "list of integers", text_of(fallback), range, doc};
  const auto node = lookup(key, entry);
  if (node && !node->IsScalar() && !node->IsSequence())
    fail(key, fmt::format("expected a list of integers in {}, got {}", range, shown(*node)));
  auto values = read_list<int64_t>(node, fallback, [&](const YAML::Node& item) {
    const int64_t value = convert<int64_t>(item, key, "a list of integers in " + range);
    if (!allowed.contains(static_cast<double>(value)))
      fail(key, fmt::format("expected integers in {}, got {}", range, value));
    return value;
  });
  remember(entry, YAML::Node(values));
  return values;
}

std::vector<std::string> ConfigSection::texts(const std::string& key, const std::vector<std::string>& fallback,
                                              const std::string& doc) {
  const KeyDoc entry{key, "list of strings", text_of(fallback), "", doc};
  const auto node = lookup(key, entry);
  if (node && !node->IsScalar() && !node->IsSequence())
    fail(key, fmt::format("expected a list of strings, got {}", shown(*node)));
  auto values = read_list<std::string>(
      node, fallback, [&](const YAML::Node& item) { return convert<std::string>(item, key, "a list of strings"); });
  remember(entry, YAML::Node(values));
  return values;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours ("trian" -> "train").
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string closest_name(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = 0;
  for (const auto& candidate : known) {
    const size_t d = edit_distance(name, candidate);
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  // A suggestion only when it is plausibly a typo: at most a third of the name's letters differ (at least 1, at most
  // 3).
  const size_t allowed = std::clamp<size_t>(name.size() / 3, 1, 3);
  return !best.empty() && best_distance <= allowed ? best : std::string();
}

std::vector<ConfigSection> ConfigSection::item_sections(const std::string& key, const std::string& item_keys,
                                                        const std::string& doc) {
  const KeyDoc entry{key, "list of mappings", "[]", item_keys, doc};
  const auto node = lookup(key, entry);
  resolved_[key] = YAML::Node(YAML::NodeType::Sequence);
  std::vector<ConfigSection> items;
  if (!node || node->IsNull()) return items;
  if (!node->IsSequence()) fail(key, fmt::format("expected a list of mappings {}, got {}", item_keys, shown(*node)));
  for (size_t i = 0; i < node->size(); ++i) {
    const YAML::Node item = (*node)[i];
    const std::string name = fmt::format("{}.{}[{}]", name_, key, i);
    if (!item.IsMap())
      throw ConfigError(
          fmt::format("{}: {}: expected a mapping with keys {}, got {}", source_, name, item_keys, shown(item)));
    items.emplace_back(source_, name, item);
  }
  return items;
}

bool ConfigSection::contains(const std::string& key) const {
  if (!node_.IsDefined() || !node_.IsMap()) return false;
  const YAML::Node& map = node_;
  return map[key].IsDefined();
}

void ConfigSection::finish() const {
  if (!node_.IsDefined() || node_.IsNull()) return;
  std::vector<std::string> unknown;
  for (const auto& item : node_) {
    const auto key = item.first.as<std::string>();
    if (std::find(read_keys_.begin(), read_keys_.end(), key) == read_keys_.end()) unknown.push_back(key);
  }
  if (unknown.empty()) return;
  std::string hints;
  for (const auto& key : unknown) {
    const std::string closest = closest_name(key, read_keys_);
    if (!closest.empty()) hints += fmt::format("{}did you mean {} (not {})", hints.empty() ? "; " : ", ", closest, key);
  }
  throw ConfigError(fmt::format("{}: unknown key{} {} in section '{}'{}; known keys: {}", source_,
                                unknown.size() > 1 ? "s" : "", fmt::join(unknown, ", "), name_, hints,
                                fmt::join(read_keys_, ", ")));
}

}  // namespace musictag::cluster
