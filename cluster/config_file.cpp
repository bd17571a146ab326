// A whole config: a YAML file plus `--set section.key=value` overrides, split into validated sections.
#include "cluster/config_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cluster/errors.h"

namespace musictag::cluster {

namespace {

constexpr int kMaxIncludeDepth = 8;

// "; did you mean train" for a section name one typo away from a known one, else "".
std::string section_hint(const std::string& name) {
  const std::string closest = closest_name(name, kPipelineSections);
  return closest.empty() ? "" : "; did you mean " + closest;
}

YAML::Node read_yaml_file(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw ConfigError(
        fmt::format("config file '{}' does not exist or is not a file (see configs/ for examples)", path));
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}: not valid YAML: {}", path, e.what()));
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap())
    throw ConfigError(
        fmt::format("{}: the top level must be a mapping of sections ({})", path, fmt::join(kPipelineSections, ", ")));
  return root;
}

// `path` with its `include:` files merged under it, depth first; `chain` holds the including files (for cycles).
YAML::Node load_with_includes(const std::string& path, std::vector<std::string>& chain) {
  YAML::Node own = read_yaml_file(path);
  const YAML::Node includes = own[kIncludeKey];
  if (!includes.IsDefined()) return own;
  own.remove(kIncludeKey);
  if (!includes.IsScalar() && !includes.IsSequence())
    throw ConfigError(
        fmt::format("{}: {} must be a file name or a list of them, relative to this file", path, kIncludeKey));
  if (chain.size() >= static_cast<size_t>(kMaxIncludeDepth) ||
      std::find(chain.begin(), chain.end(), path) != chain.end())
    throw ConfigError(fmt::format("{}: includes nest deeper than {} or form a cycle: {} -> {}", path, kMaxIncludeDepth,
                                  fmt::join(chain, " -> "), path));
  chain.push_back(path);
  YAML::Node merged(YAML::NodeType::Map);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const auto merge_file = [&](const YAML::Node& name) {
    if (!name.IsScalar()) throw ConfigError(fmt::format("{}: {} entries must be file names", path, kIncludeKey));
    const std::filesystem::path relative(name.as<std::string>());
    merge_config_sections(merged, load_with_includes((folder / relative).lexically_normal().string(), chain));
  };
  if (includes.IsScalar()) {
    merge_file(includes);
  } else {
    for (const auto& name : includes) merge_file(name);
  }
  chain.pop_back();
  merge_config_sections(merged, own);
  return merged;
}

}  // namespace

void merge_config_sections(YAML::Node& into, const YAML::Node& over) {
  for (const auto& section : over) {
    const auto name = section.first.as<std::string>();
    if (!section.second.IsMap() || !into[name].IsDefined() || !into[name].IsMap()) {
      into[name] = YAML::Clone(section.second);
      continue;
    }
    for (const auto& item : section.second) into[name][item.first.as<std::string>()] = YAML::Clone(item.second);
  }
}

YAML::Node load_config_yaml(const std::string& path) {
  std::vector<std::string> chain;
  return load_with_includes(path, chain);
}

ConfigFile ConfigFile::load(const std::string& path) {
  if (path.empty()) return from_string("{}", "<defaults>");
  ConfigFile config;
  config.source_ = path;
  config.root_ = load_config_yaml(path);
  return config;
}

ConfigFile ConfigFile::from_string(const std::string& yaml, const std::string& source) {
  ConfigFile config;
  config.source_ = source;
  try {
    config.root_ = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}: not valid YAML: {}", source, e.what()));
  }
  if (config.root_.IsNull()) config.root_ = YAML::Node(YAML::NodeType::Map);
  if (!config.root_.IsMap()) throw ConfigError(fmt::format("{}: the top level must be a mapping of sections", source));
  return config;
}

void ConfigFile::apply_override(const std::string& assignment) {
  const auto equals = assignment.find('=');
  const auto dot = assignment.find('.');
  if (equals == std::string::npos || dot == std::string::npos || dot > equals || dot == 0 || dot + 1 == equals)
    throw ConfigError(fmt::format("--set '{}': expected section.key=value, e.g. --set train.epochs=3", assignment));
  const std::string section = assignment.substr(0, dot);
  const std::string key = assignment.substr(dot + 1, equals - dot - 1);
  const std::string value = assignment.substr(equals + 1);
  if (std::find(kPipelineSections.begin(), kPipelineSections.end(), section) == kPipelineSections.end())
    throw ConfigError(fmt::format("--set '{}': unknown section '{}'{}; sections: {}", assignment, section,
                                  section_hint(section), fmt::join(kPipelineSections, ", ")));
  if (!root_[section].IsDefined() || root_[section].IsNull()) root_[section] = YAML::Node(YAML::NodeType::Map);
  try {
    root_[section][key] = value.empty() ? YAML::Node(std::string()) : YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("--set '{}': value is not valid YAML: {}", assignment, e.what()));
  }
  source_ += " + --set " + assignment;
}

ConfigSection& ConfigFile::section(const std::string& name) {
  auto found = sections_.find(name);
  if (found != sections_.end()) return *found->second;
  const YAML::Node& root = root_;
  auto inserted = sections_.emplace(name, std::make_unique<ConfigSection>(source_, name, root[name]));
  section_order_.push_back(name);
  return *inserted.first->second;
}

void ConfigFile::finish() const {
  for (const auto& item : root_) {
    const auto name = item.first.as<std::string>();
    if (std::find(kPipelineSections.begin(), kPipelineSections.end(), name) == kPipelineSections.end())
      throw ConfigError(fmt::format("{}: unknown section '{}'{}; sections: {}", source_, name, section_hint(name),
                                    fmt::join(kPipelineSections, ", ")));
  }
  for (const auto& name : section_order_) sections_.at(name)->finish();
}

std::string ConfigFile::resolved_yaml() const {
  YAML::Node resolved(YAML::NodeType::Map);
  for (const auto& name : section_order_) resolved[name] = sections_.at(name)->resolved();
  YAML::Emitter out;
  out << resolved;
  return std::string(out.c_str()) + "\n";
}

std::string ConfigFile::describe_keys() const {
  std::ostringstream out;
  for (const auto& name : section_order_) {
    out << name << ":\n";
    for (const auto& doc : sections_.at(name)->docs()) {
      out << fmt::format("  {:<22} {} (default {}{}{})\n", doc.key, doc.doc, doc.default_value,
                         doc.allowed.empty() ? "" : ", allowed ", doc.allowed);
    }
  }
  return out.str();
}

}  // namespace musictag::cluster
