// The preprocess output folder: refuses to mix runs of different configs, and lays out parts/ and the files.
#pragma once

#include <string>
#include <vector>

namespace musictag::preprocess {

// Paths inside one preprocessing run's output folder (the data contract in the README).
struct OutputFolder {
  std::string root;

  std::string config_path() const { return root + "/preprocess.yaml"; }  // the resolved config of the run
  std::string manifest_path() const { return root + "/manifest.json"; }
  std::string failures_path() const { return root + "/failures.tsv"; }
  std::string source_hashes_path() const { return root + "/source_sha256.tsv"; }  // every source file's sha256
  std::string parts_dir() const { return root + "/parts"; }
  // "parts/training-00003.h5" relative to root, and its absolute form.
  static std::string part_name(const std::string& split, int64_t index);
  std::string part_path(const std::string& split, int64_t index) const;
  // The failures of one part, written before the part itself is committed.
  std::string part_failures_path(const std::string& split, int64_t index) const;
};

// Keys ("section.key") whose values differ between two resolved configs (YAML text), in order.
std::vector<std::string> differing_keys(const std::string& old_yaml, const std::string& new_yaml);

// Makes `root` ready for a run with `resolved_config` (YAML text):
// - a new or empty folder: creates it and parts/;
// - a folder from a run with the same config: kept, so the run resumes and computes only missing parts;
// - a folder from a run with a different config: ConfigError naming the keys that differ, unless `overwrite`,
//   which deletes that run's files (manifest.json, failures.tsv, preprocess.yaml, source_sha256.tsv, parts/) and
//   starts afresh;
// - a non-empty folder that is not a musictag output: ConfigError (never deleted, even with overwrite).
// Then writes preprocess.yaml (atomically). Call on one rank only.
void prepare_output_folder(const OutputFolder& folder, const std::string& resolved_config, bool overwrite);

}  // namespace musictag::preprocess
