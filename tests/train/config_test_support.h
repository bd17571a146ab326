// Test helpers for config sections: one section read from YAML text, the ConfigError a bad text gives, and a model's
// state names.
#pragma once

#include <set>
#include <string>

#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "train/models/tagging_model.h"

namespace musictag::train::test {

// Config::from(section) on `yaml` as if read from `file_name`; every key must be known (file.finish()). The
// resolved YAML (defaults filled in) goes to `resolved` when given.
template <typename Config>
Config read_section(const std::string& yaml, const std::string& section, const std::string& file_name,
                    std::string* resolved = nullptr) {
  auto file = cluster::ConfigFile::from_string(yaml, file_name);
  auto config = Config::from(file.section(section));
  file.finish();
  if (resolved) *resolved = file.resolved_yaml();
  return config;
}

// The message of the ConfigError `read()` throws, or "(no ConfigError)".
template <typename Read>
std::string config_error_of(Read&& read) {
  try {
    read();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no ConfigError)";
}

// Names of every parameter and buffer of `model` (its state_dict keys).
inline std::set<std::string> state_names(const TaggingModelImpl& model) {
  std::set<std::string> names;
  for (const auto& item : model.named_parameters()) names.insert(item.key());
  for (const auto& item : model.named_buffers()) names.insert(item.key());
  return names;
}

}  // namespace musictag::train::test
