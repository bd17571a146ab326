// A whole config: a YAML file plus `--set section.key=value` overrides, split into validated sections.
#include "cluster/config_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cluster/errors.h"

namespace musictag::cluster {

ConfigFile ConfigFile::load(const std::string& path) {
  if (path.empty()) return from_string("{}", "<defaults>");
  if (!std::filesystem::is_regular_file(path))
    throw ConfigError(
        fmt::format("config file '{}' does not exist or is not a file (see configs/ for examples)", path));
  ConfigFile config;
  config.source_ = path;
  try {
    config.root_ = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}: not valid YAML: {}", path, e.what()));
  }
  if (config.root_.IsNull()) config.root_ = YAML::Node(YAML::NodeType::Map);
  if (!config.root_.IsMap())
    throw ConfigError(
        fmt::format("{}: the top level must be a mapping of sections ({})", path, fmt::join(kPipelineSections, ", ")));
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
    throw ConfigError(fmt::format("--set '{}': unknown section '{}'; sections: {}", assignment, section,
                                  fmt::join(kPipelineSections, ", ")));
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
      throw ConfigError(
          fmt::format("{}: unknown section '{}'; sections: {}", source_, name, fmt::join(kPipelineSections, ", ")));
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
