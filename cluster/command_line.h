// The flags every musictag executable shares: --config FILE, repeatable --set section.key=value, --print-config.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "cluster/config_file.h"

namespace musictag::cluster {

// Reads the sections a stage uses from a ConfigFile into that stage's config structs.
using SectionReader = std::function<void(ConfigFile&)>;

class ConfigFlags {
 public:
  // Adds the flags to `app`, and a --help footer listing every key `read_sections` reads, with defaults.
  void add_to(CLI::App& app, SectionReader read_sections);

  // The config file with the overrides applied, read by `read_sections` and checked (unknown keys refused).
  ConfigFile load() const;

  // --print-config: print the resolved config and exit without running.
  bool print_only() const { return print_only_; }

 private:
  std::string path_;
  std::vector<std::string> overrides_;
  bool print_only_ = false;
  SectionReader read_sections_;
};

// The --help footer: every key of the sections `read_sections` reads, with type, default, allowed values and doc.
std::string describe_config_keys(const SectionReader& read_sections);

}  // namespace musictag::cluster
