// A whole config: a YAML file plus `--set section.key=value` overrides, split into validated sections.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster/config_reader.h"

namespace musictag::cluster {

// Every top-level section any musictag stage reads. A stage validates the sections it reads key by key; a section
// name outside this list is refused by every stage.
inline const std::vector<std::string> kPipelineSections = {"dataset", "features", "augment", "preprocess", "model",
                                                           "train",   "eval",     "predict", "sweep"};

// A config file may start from others: `include: protocol.yaml` (or a list), paths relative to the including file.
// The included files are merged in order, then the file's own sections over them key by key (a key's value is
// replaced whole, lists included); includes may nest (up to 8 deep, no cycles).
inline constexpr const char* kIncludeKey = "include";

// `path` as one YAML mapping of sections with its includes merged (ConfigError naming the file when it is missing,
// not YAML, not a mapping, or its includes are malformed or cyclic). The sweep's run configs are written from it.
YAML::Node load_config_yaml(const std::string& path);

// Copies every section of `over` into `into`, key by key within sections both have.
void merge_config_sections(YAML::Node& into, const YAML::Node& over);

class ConfigFile {
 public:
  // Loads `path` with its includes (load_config_yaml). An empty path = all defaults.
  static ConfigFile load(const std::string& path);
  static ConfigFile from_string(const std::string& yaml, const std::string& source = "<string>");

  // Applies "section.key=value" (value parsed as YAML, so numbers, bools and [lists] keep their type).
  void apply_override(const std::string& assignment);

  // The section to hand to a module's `from(ConfigSection&)`. The same ConfigSection is returned on each call.
  ConfigSection& section(const std::string& name);

  // Refuses top-level names outside kPipelineSections and unknown keys in every section this stage read.
  void finish() const;

  // The resolved config (every key this stage read, with the value in force) as YAML text.
  std::string resolved_yaml() const;
  // Keys, defaults, allowed values and docs of the sections read so far, for --help.
  std::string describe_keys() const;

  const std::string& source() const { return source_; }

 private:
  std::string source_;
  YAML::Node root_;
  std::vector<std::string> section_order_;
  std::map<std::string, std::unique_ptr<ConfigSection>> sections_;
};

}  // namespace musictag::cluster
