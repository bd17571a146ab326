// The preprocess output folder: refuses to mix runs of different configs, and lays out parts/ and the files.
#include "preprocess/output_folder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "cluster/log.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;

std::string OutputFolder::part_name(const std::string& split, int64_t index) {
  return fmt::format("parts/{}-{:05d}.h5", split, index);
}

std::string OutputFolder::part_path(const std::string& split, int64_t index) const {
  return root + "/" + part_name(split, index);
}

std::string OutputFolder::part_failures_path(const std::string& split, int64_t index) const {
  return fmt::format("{}/parts/{}-{:05d}.failures.tsv", root, split, index);
}

namespace {

std::string flow(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<std::string> differing_keys(const std::string& old_yaml, const std::string& new_yaml) {
  const YAML::Node before = YAML::Load(old_yaml), after = YAML::Load(new_yaml);
  std::vector<std::string> keys;
  const auto compare = [&](const YAML::Node& a, const YAML::Node& b, bool report_missing_in_a) {
    for (const auto& section : b) {
      const auto name = section.first.as<std::string>();
      for (const auto& item : section.second) {
        const auto key = name + "." + item.first.as<std::string>();
        const YAML::Node other = a[name] ? a[name][item.first.as<std::string>()] : YAML::Node();
        const bool missing = !other.IsDefined() || other.IsNull();
        if ((missing && report_missing_in_a) || (!missing && flow(other) != flow(item.second))) {
          if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
        }
      }
    }
  };
  compare(before, after, true);
  compare(after, before, true);
  return keys;
}

void prepare_output_folder(const OutputFolder& folder, const std::string& resolved_config, bool overwrite) {
  const fs::path root(folder.root);
  const bool ours = fs::exists(folder.config_path());
  if (fs::exists(root) && !fs::is_directory(root))
    throw ConfigError(fmt::format("preprocess.output '{}' exists and is not a folder", folder.root));
  if (fs::exists(root) && !ours && !fs::is_empty(root))
    throw ConfigError(fmt::format(
        "preprocess.output '{}' is not empty and holds no preprocess.yaml, so it is not a musictag dataset; "
        "choose an empty or new folder (it is never deleted, even with --overwrite)",
        folder.root));
  if (ours) {
    const auto keys = differing_keys(read_text(folder.config_path()), resolved_config);
    if (!keys.empty() && !overwrite)
      throw ConfigError(fmt::format(
          "'{}' was made with a different config ({} differ{}); rerun with --overwrite to discard it, or set "
          "another preprocess.output",
          folder.root, fmt::join(keys, ", "), keys.size() == 1 ? "s" : ""));
    if (!keys.empty()) {
      log::warn("--overwrite: deleting the earlier run in {} (its config differed in {})", folder.root,
                fmt::join(keys, ", "));
      for (const auto& path :
           {folder.manifest_path(), folder.failures_path(), folder.config_path(), folder.source_hashes_path()})
        fs::remove(path);
      fs::remove_all(folder.parts_dir());
    } else {
      log::info("resuming in {}: same config, only missing parts are computed", folder.root);
    }
  }
  make_folders(folder.parts_dir());  // IoError/DataError naming the folder, where std::filesystem would exit 1
  write_file_atomically(folder.config_path(), resolved_config);
}

}  // namespace musictag::preprocess
