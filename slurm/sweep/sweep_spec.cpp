// SweepSpec: reading and checking a sweep file.
#include "slurm/sweep/sweep_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cluster/config_file.h"
#include "cluster/errors.h"

namespace musictag::sweep {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMaxRuns = 100000;
const std::vector<std::string> kSweepKeys = {"name", "base", "set", "grid", "random", "variants", "reference_source"};
const std::vector<std::string> kVariantKeys = {"name", "base", "replace", "set", "reference"};
const std::vector<std::string> kRandomKeys = {"n", "seed", "params"};
const std::vector<std::string> kDistributions = {"values", "uniform", "log_uniform", "int_uniform"};

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& message) {
  throw ConfigError(fmt::format("{}: {}: {}", source, key, message));
}

void refuse_unknown_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& source,
                         const std::string& where) {
  for (const auto& item : map) {
    const auto key = item.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      fail(source, where + "." + key, fmt::format("unknown key; allowed: {}", fmt::join(allowed, ", ")));
  }
}

const YAML::Node& require_map(const YAML::Node& node, const std::string& source, const std::string& key) {
  if (!node.IsMap()) fail(source, key, "must be a mapping of section.key entries");
  return node;
}

int64_t read_integer(const YAML::Node& node, const std::string& source, const std::string& key, int64_t low,
                     int64_t high) {
  int64_t value = 0;
  try {
    value = node.as<int64_t>();
  } catch (const YAML::Exception&) {
    fail(source, key, fmt::format("must be an integer in [{},{}], got '{}'", low, high, yaml_text(node)));
  }
  if (value < low || value > high) fail(source, key, fmt::format("must be in [{},{}], got {}", low, high, value));
  return value;
}

// [lo, hi] of a uniform / log_uniform / int_uniform distribution.
std::pair<double, double> read_interval(const YAML::Node& node, const std::string& source, const std::string& key,
                                        bool positive) {
  if (!node.IsSequence() || node.size() != 2)
    fail(source, key, fmt::format("must be [low, high], got '{}'", yaml_text(node)));
  double low = 0, high = 0;
  try {
    low = node[0].as<double>();
    high = node[1].as<double>();
  } catch (const YAML::Exception&) {
    fail(source, key, fmt::format("must be two numbers [low, high], got '{}'", yaml_text(node)));
  }
  if (!std::isfinite(low) || !std::isfinite(high) || !(low <= high))
    fail(source, key, fmt::format("needs finite low <= high, got '{}'", yaml_text(node)));
  if (positive && low <= 0) fail(source, key, fmt::format("log_uniform needs low > 0, got {}", low));
  return {low, high};
}

RandomParam read_random_param(const std::string& key, const YAML::Node& node, const std::string& source) {
  const std::string where = "sweep.random.params." + key;
  if (!node.IsMap() || node.size() != 1)
    fail(source, where,
         fmt::format("must be one of {{values: [...]}}, {{uniform: [lo, hi]}}, {{log_uniform: [lo, hi]}}, "
                     "{{int_uniform: [lo, hi]}}; got '{}'",
                     yaml_text(node)));
  RandomParam param;
  param.key = key;
  param.distribution = node.begin()->first.as<std::string>();
  const YAML::Node& spec = node.begin()->second;
  if (std::find(kDistributions.begin(), kDistributions.end(), param.distribution) == kDistributions.end())
    fail(source, where,
         fmt::format("unknown distribution '{}'; allowed: {}", param.distribution, fmt::join(kDistributions, ", ")));
  if (param.distribution == "values") {
    if (!spec.IsSequence() || spec.size() == 0) fail(source, where + ".values", "must be a non-empty list");
    for (const auto& value : spec) param.values.push_back(YAML::Clone(value));
  } else {
    std::tie(param.low, param.high) =
        read_interval(spec, source, where + "." + param.distribution, param.distribution == "log_uniform");
    if (param.distribution == "int_uniform" &&
        (param.low != std::floor(param.low) || param.high != std::floor(param.high)))
      fail(source, where + ".int_uniform", fmt::format("needs integer ends, got '{}'", yaml_text(spec)));
  }
  return param;
}

RandomSpec read_random(const YAML::Node& node, const std::string& source) {
  if (!node.IsMap()) fail(source, "sweep.random", "must be a mapping with n, seed and params");
  refuse_unknown_keys(node, kRandomKeys, source, "sweep.random");
  RandomSpec random;
  if (!node["n"]) fail(source, "sweep.random.n", "missing: how many random samples to draw, e.g. n: 8");
  random.n = read_integer(node["n"], source, "sweep.random.n", 1, kMaxRuns);
  random.seed =
      node["seed"] ? static_cast<uint64_t>(read_integer(node["seed"], source, "sweep.random.seed", 0, int64_t{1} << 53))
                   : 0;
  if (!node["params"] || !node["params"].IsMap() || node["params"].size() == 0)
    fail(source, "sweep.random.params", "missing or empty: a mapping of section.key to a distribution");
  for (const auto& item : node["params"]) {
    const auto key = item.first.as<std::string>();
    check_override_key(key, source + ": sweep.random.params");
    random.params.push_back(read_random_param(key, item.second, source));
  }
  return random;
}

std::string resolve(const std::string& path, const std::string& folder) {
  const fs::path p = path;
  return (p.is_absolute() || folder.empty() ? p : fs::path(folder) / p).lexically_normal().string();
}

std::vector<SweepVariant> read_variants(const YAML::Node& node, const std::string& source, const std::string& folder,
                                        const std::string& sweep_base) {
  if (!node.IsSequence() || node.size() == 0)
    fail(source, "sweep.variants", "must be a non-empty list of {name, base, set, reference}");
  std::vector<SweepVariant> variants;
  std::set<std::string> names;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string where = fmt::format("sweep.variants[{}]", i);
    const YAML::Node item = node[i];
    if (!item.IsMap()) fail(source, where, "must be a mapping {name, base, set, reference}");
    refuse_unknown_keys(item, kVariantKeys, source, where);
    SweepVariant v;
    if (!item["name"] || item["name"].as<std::string>("").empty())
      fail(source, where + ".name", "missing: a short name for the leaderboard, e.g. name: fcn");
    v.name = item["name"].as<std::string>();
    if (!names.insert(v.name).second) fail(source, where + ".name", "'" + v.name + "' names two variants");
    v.base = item["base"] ? resolve(item["base"].as<std::string>(), folder) : sweep_base;
    if (v.base.empty()) fail(source, where + ".base", "missing, and the sweep has no `base` for it to fall back to");
    if (item["replace"]) {
      if (!item["replace"].IsMap()) fail(source, where + ".replace", "must map section names to whole sections");
      for (const auto& entry : item["replace"]) {
        const auto section = entry.first.as<std::string>();
        check_override_key(section + ".key", source + ": " + where + ".replace");
        if (!entry.second.IsMap()) fail(source, where + ".replace." + section, "must be a mapping of key: value");
        v.replace.emplace_back(section, YAML::Clone(entry.second));
      }
    }
    if (item["set"]) {
      for (const auto& entry : require_map(item["set"], source, where + ".set")) {
        const auto key = entry.first.as<std::string>();
        check_override_key(key, source + ": " + where + ".set");
        v.set.push_back({key, YAML::Clone(entry.second)});
      }
    }
    if (item["reference"]) {
      if (!item["reference"].IsMap()) fail(source, where + ".reference", "must map metric names to numbers");
      for (const auto& entry : item["reference"]) {
        const auto metric = entry.first.as<std::string>();
        double value = 0;
        try {
          value = entry.second.as<double>();
        } catch (const YAML::Exception&) {
          fail(source, where + ".reference." + metric, "must be a number, got '" + yaml_text(entry.second) + "'");
        }
        v.reference.emplace_back(metric, value);
      }
    }
    variants.push_back(std::move(v));
  }
  return variants;
}

}  // namespace

void check_override_key(const std::string& key, const std::string& where) {
  const auto dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == key.size() || key.find('.', dot + 1) != std::string::npos)
    throw ConfigError(
        fmt::format("{}: key '{}' is not of the form section.key (e.g. train.learning_rate)", where, key));
  const std::string section = key.substr(0, dot);
  const auto& known = cluster::kPipelineSections;
  if (std::find(known.begin(), known.end(), section) == known.end())
    throw ConfigError(fmt::format("{}: key '{}' has unknown section '{}'; sections: {}", where, key, section,
                                  fmt::join(known, ", ")));
}

std::string yaml_text(const YAML::Node& value) {
  YAML::Emitter out;
  out.SetSeqFormat(YAML::Flow);
  out.SetMapFormat(YAML::Flow);
  out << value;
  return out.c_str();
}

SweepSpec SweepSpec::load(const std::string& path) {
  if (!fs::is_regular_file(path))
    throw ConfigError(fmt::format("sweep file '{}' does not exist or is not a file (see configs/sweeps/)", path));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  SweepSpec spec = parse(text.str(), path, fs::path(path).parent_path().string());
  if (spec.name.empty()) spec.name = fs::path(path).stem().string();
  return spec;
}

SweepSpec SweepSpec::parse(const std::string& yaml, const std::string& source, const std::string& folder) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}: not valid YAML: {}", source, e.what()));
  }
  try {
    return parse_root(root, source, folder);
  } catch (const YAML::Exception& e) {  // a value of the wrong kind, e.g. a list where a name belongs
    throw ConfigError(fmt::format("{}: {} (see configs/sweeps/demo_lr.yaml for the format)", source, e.what()));
  }
}

SweepSpec SweepSpec::parse_root(const YAML::Node& root, const std::string& source, const std::string& folder) {
  if (!root.IsMap() || !root["sweep"] || !root["sweep"].IsMap())
    throw ConfigError(fmt::format("{}: a sweep file has one top-level section `sweep` (keys: {})", source,
                                  fmt::join(kSweepKeys, ", ")));
  if (root.size() != 1)
    throw ConfigError(
        fmt::format("{}: only the section `sweep` is allowed at the top level; put config values "
                    "for every run under sweep.set",
                    source));
  const YAML::Node node = root["sweep"];
  refuse_unknown_keys(node, kSweepKeys, source, "sweep");

  SweepSpec spec;
  spec.file = source;
  if (node["name"]) spec.name = node["name"].as<std::string>();
  if (node["base"] && !node["base"].as<std::string>("").empty())
    spec.base = resolve(node["base"].as<std::string>(), folder);
  if (node["variants"]) spec.variants = read_variants(node["variants"], source, folder, spec.base);
  if (spec.base.empty() && spec.variants.empty())
    fail(source, "sweep.base", "missing: the base config every run starts from, e.g. base: ../demo.yaml");
  if (node["reference_source"]) spec.reference_source = node["reference_source"].as<std::string>();

  std::set<std::string> seen;
  const auto remember = [&](const std::string& key, const std::string& where) {
    if (!seen.insert(key).second)
      fail(source, where + "." + key, "appears twice in set / grid / random.params; give each key one place");
  };
  if (node["set"]) {
    for (const auto& item : require_map(node["set"], source, "sweep.set")) {
      const auto key = item.first.as<std::string>();
      check_override_key(key, source + ": sweep.set");
      remember(key, "sweep.set");
      spec.fixed.push_back({key, YAML::Clone(item.second)});
    }
  }
  if (node["grid"]) {
    for (const auto& item : require_map(node["grid"], source, "sweep.grid")) {
      const auto key = item.first.as<std::string>();
      check_override_key(key, source + ": sweep.grid");
      remember(key, "sweep.grid");
      if (!item.second.IsSequence() || item.second.size() == 0)
        fail(source, "sweep.grid." + key,
             fmt::format("must be a non-empty list of values, got '{}' (a single value belongs under sweep.set)",
                         yaml_text(item.second)));
      GridAxis axis{key, {}};
      for (const auto& value : item.second) axis.values.push_back(YAML::Clone(value));
      spec.grid.push_back(std::move(axis));
    }
  }
  if (node["random"]) {
    spec.random = read_random(node["random"], source);
    for (const auto& param : spec.random->params) remember(param.key, "sweep.random.params");
  }
  double runs = static_cast<double>(spec.random_samples() * spec.variant_count());
  for (const auto& axis : spec.grid) runs *= static_cast<double>(axis.values.size());
  if (runs > kMaxRuns)
    fail(source, "sweep", fmt::format("{} runs is more than the limit {}; split the sweep", runs, kMaxRuns));
  return spec;
}

int64_t SweepSpec::grid_points() const {
  int64_t points = 1;
  for (const auto& axis : grid) points *= static_cast<int64_t>(axis.values.size());
  return points;
}

}  // namespace musictag::sweep
