// The config of each run of a sweep and the sweep's output folder.
#include "slurm/sweep/sweep_run_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "cluster/files.h"

namespace musictag::sweep {
namespace {

namespace fs = std::filesystem;

std::pair<std::string, std::string> split_key(const std::string& key) {
  const auto dot = key.find('.');
  return {key.substr(0, dot), key.substr(dot + 1)};
}

void apply(YAML::Node& root, const Override& o) {
  const auto [section, key] = split_key(o.key);
  if (!root[section] || !root[section].IsMap()) root[section] = YAML::Node(YAML::NodeType::Map);
  root[section][key] = YAML::Clone(o.value);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

YAML::Node load_base_config(const SweepSpec& spec, int64_t variant) {
  const std::string& path = spec.base_of(variant);
  if (!fs::is_regular_file(path))
    throw ConfigError(
        fmt::format("{}: base config '{}' does not exist or is not a file (a relative base is taken "
                    "from the sweep file's folder)",
                    spec.file, path));
  YAML::Node root;
  try {
    root = cluster::load_config_yaml(path);  // includes merged, so each run's config stands alone
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: base config: {}", spec.file, e.what()));
  }
  const auto& known = cluster::kPipelineSections;
  for (const auto& item : root) {
    const auto name = item.first.as<std::string>();
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw ConfigError(fmt::format("{}: base config {} has unknown section '{}'; sections: {}", spec.file, path, name,
                                    fmt::join(known, ", ")));
  }
  return root;
}

std::vector<std::string> keys_not_in_base(const SweepSpec& spec, int64_t variant, const YAML::Node& base) {
  std::vector<std::string> keys;
  YAML::Node merged = YAML::Clone(base);
  if (variant >= 0) {
    const SweepVariant& v = spec.variants[static_cast<size_t>(variant)];
    for (const auto& [section, node] : v.replace) merged[section] = node;
    for (const auto& o : v.set) keys.push_back(o.key);
  }
  for (const auto& o : spec.fixed) keys.push_back(o.key);
  for (const auto& axis : spec.grid) keys.push_back(axis.key);
  if (spec.random)
    for (const auto& param : spec.random->params) keys.push_back(param.key);
  std::vector<std::string> missing;
  for (const auto& key : keys) {
    const auto [section, name] = split_key(key);
    if (!merged[section] || !merged[section].IsMap() || !merged[section][name]) missing.push_back(key);
  }
  return missing;
}

std::string run_config_yaml(const SweepSpec& spec, const YAML::Node& base, const SweepRun& run) {
  YAML::Node root = YAML::Clone(base);
  std::vector<std::string> fixed, varying;
  for (const auto& o : spec.fixed) {
    apply(root, o);
    fixed.push_back(override_text(o));
  }
  std::string variant = "-";
  if (run.variant >= 0) {
    const SweepVariant& v = spec.variants[static_cast<size_t>(run.variant)];
    variant = v.name;
    for (const auto& [section, node] : v.replace) {
      root[section] = YAML::Clone(node);
      varying.push_back(section + "=" + yaml_text(node));
    }
    for (const auto& o : v.set) {
      apply(root, o);
      varying.push_back(override_text(o));
    }
  }
  for (const auto& o : run.overrides) {
    apply(root, o);
    varying.push_back(override_text(o));
  }
  YAML::Emitter out;
  out << root;
  return fmt::format("# {} of sweep {} ({}): base {}, variant {}\n#   set for every run: {}\n#   this run: {}\n{}\n",
                     run.name, spec.name, spec.file, spec.base_of(run.variant), variant,
                     fixed.empty() ? "-" : fmt::format("{}", fmt::join(fixed, " ")),
                     varying.empty() ? "-" : fmt::format("{}", fmt::join(varying, " ")), out.c_str());
}

std::string sweep_json_text(const SweepSpec& spec, const std::vector<SweepRun>& runs) {
  nlohmann::ordered_json fixed = nlohmann::ordered_json::object();
  for (const auto& o : spec.fixed) fixed[o.key] = yaml_text(o.value);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& run : runs) {
    nlohmann::ordered_json overrides = nlohmann::ordered_json::object();
    for (const auto& o : run.overrides) overrides[o.key] = yaml_text(o.value);
    nlohmann::ordered_json entry = {{"index", run.index}, {"name", run.name}, {"overrides", overrides}};
    if (run.variant >= 0) {
      // Leaderboard columns that are not config overrides: the variant and the published figures beside ours.
      const SweepVariant& v = spec.variants[static_cast<size_t>(run.variant)];
      nlohmann::ordered_json labels = {{"variant", v.name}};
      for (const auto& [metric, value] : v.reference) labels["paper " + metric] = fmt::format("{}", value);
      entry["labels"] = labels;
    }
    list.push_back(entry);
  }
  nlohmann::ordered_json json = {{"format_version", 1}, {"name", spec.name},        {"sweep_file", spec.file},
                                 {"base", spec.base},   {"run_count", runs.size()}, {"set", fixed},
                                 {"runs", list}};
  if (!spec.reference_source.empty()) json["reference_source"] = spec.reference_source;
  return json.dump(2) + "\n";
}

void write_sweep_folder(const SweepSpec& spec, const std::vector<SweepRun>& runs, const std::string& dir) {
  const std::string json_path = (fs::path(dir) / kSweepJson).string();
  const std::string json = sweep_json_text(spec, runs);
  if (fs::exists(json_path)) {
    const auto old = nlohmann::json::parse(read_text(json_path), nullptr, false);
    const auto now = nlohmann::json::parse(json);
    if (old.is_discarded() || old.value("runs", nlohmann::json()) != now["runs"] ||
        old.value("base", "") != now["base"] || old.value("set", nlohmann::json()) != now["set"])
      throw ConfigError(fmt::format("{} holds another sweep ({}); choose another output folder or delete it", json_path,
                                    old.is_discarded() ? "unreadable" : old.value("name", "?")));
  }
  std::vector<YAML::Node> bases;
  for (int64_t v = 0; v < spec.variant_count(); ++v)
    bases.push_back(load_base_config(spec, spec.variants.empty() ? -1 : v));
  for (const auto& run : runs)
    write_text_file((fs::path(dir) / run.name / kRunConfig).string(),
                    run_config_yaml(spec, bases[static_cast<size_t>(std::max<int64_t>(run.variant, 0))], run));
  write_text_file(json_path, json);
}

void write_text_file(const std::string& path, const std::string& text) {
  std::error_code error;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, error);
  if (error)
    throw DataError(
        fmt::format("cannot create folder '{}': {}; check the path and permissions", parent.string(), error.message()));
  write_file_atomically(path, text);
}

}  // namespace musictag::sweep
