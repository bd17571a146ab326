// Manifest: manifest.json <-> struct with key-naming errors, atomic write (tmp + rename).
#include "preprocess/format/manifest.h"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "preprocess/format/sha256.h"

#ifndef MUSICTAG_VERSION
#define MUSICTAG_VERSION "0.0.0-dev"
#endif

namespace musictag::preprocess {
namespace {

// Key lookup that names the file and the full key path in its errors.
class Reader {
 public:
  Reader(const nlohmann::json& json, std::string source, std::string prefix = "")
      : json_(json), source_(std::move(source)), prefix_(std::move(prefix)) {}

  const nlohmann::json& at(const std::string& key, nlohmann::json::value_t kind, const char* kind_name) const {
    const auto found = json_.find(key);
    if (found == json_.end()) fail(key, "is missing");
    const bool ok = found->type() == kind || (kind == nlohmann::json::value_t::number_integer &&
                                              found->type() == nlohmann::json::value_t::number_unsigned);
    if (!ok) fail(key, fmt::format("must be {} (got {})", kind_name, found->type_name()));
    return *found;
  }
  std::string string(const std::string& key) const {
    return at(key, nlohmann::json::value_t::string, "a string").get<std::string>();
  }
  int64_t integer(const std::string& key) const {
    return at(key, nlohmann::json::value_t::number_integer, "an integer").get<int64_t>();
  }
  const nlohmann::json& object(const std::string& key) const {
    return at(key, nlohmann::json::value_t::object, "an object");
  }
  const nlohmann::json& array(const std::string& key) const {
    return at(key, nlohmann::json::value_t::array, "an array");
  }
  Reader child(const nlohmann::json& json, const std::string& name) const { return {json, source_, name}; }
  std::string name(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw DataError(
        fmt::format("manifest '{}': key '{}' {}; the file is damaged or from another musictag version, "
                    "rerun preprocess to rewrite it",
                    source_, name(key), what));
  }

 private:
  const nlohmann::json& json_;
  std::string source_, prefix_;
};

}  // namespace

bool ManifestPart::operator==(const ManifestPart& other) const {
  return file == other.file && split == other.split && index == other.index && examples == other.examples &&
         tracks == other.tracks && sha256 == other.sha256;
}

std::string Manifest::musictag_version_string() { return MUSICTAG_VERSION; }

void Manifest::set_config(std::string resolved_config_text) {
  config_text = std::move(resolved_config_text);
  config_sha256 = sha256_hex(config_text);
}

int64_t Manifest::total_examples(const std::string& split) const {
  int64_t total = 0;
  for (const auto& part : parts) total += part.split == split ? part.examples : 0;
  return total;
}

nlohmann::json Manifest::to_json() const {
  nlohmann::json json_parts = nlohmann::json::array();
  for (const auto& part : parts) {
    json_parts.push_back({{"file", part.file},
                          {"split", part.split},
                          {"index", part.index},
                          {"examples", part.examples},
                          {"tracks", part.tracks},
                          {"sha256", part.sha256}});
  }
  nlohmann::json json_counts = nlohmann::json::object();
  for (const auto& [split, count] : counts) {
    json_counts[split] = {{"tracks_done", count.tracks_done},
                          {"tracks_failed", count.tracks_failed},
                          {"duplicates_dropped", count.duplicates_dropped}};
  }
  nlohmann::json json_duplicates = nlohmann::json::array();
  for (const auto& group : duplicates) {
    json_duplicates.push_back({{"sha256", group.sha256},
                               {"track_ids", group.track_ids},
                               {"splits", group.splits},
                               {"dropped", group.dropped}});
  }
  return {{"format_version", format_version},
          {"musictag_version", musictag_version},
          {"created", created},
          {"source_dataset", source_dataset},
          {"config_text", config_text},
          {"config_sha256", config_sha256},
          {"tag_names", tag_names},
          {"features", features},
          {"parts", json_parts},
          {"counts", json_counts},
          {"duplicates", json_duplicates}};
}

Manifest Manifest::from_json(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object()) throw DataError(fmt::format("manifest '{}' is not a JSON object", source));
  const Reader root(json, source);
  Manifest manifest;
  manifest.format_version = root.integer("format_version");
  if (manifest.format_version != kFormatVersion) {
    root.fail("format_version", fmt::format("is {}, this musictag reads {}", manifest.format_version, kFormatVersion));
  }
  manifest.musictag_version = root.string("musictag_version");
  manifest.created = root.string("created");
  manifest.source_dataset = root.string("source_dataset");
  manifest.config_text = root.string("config_text");
  manifest.config_sha256 = root.string("config_sha256");
  if (manifest.config_sha256 != sha256_hex(manifest.config_text)) {
    root.fail("config_sha256", "does not match config_text (edited by hand?)");
  }
  const auto& tags = root.array("tag_names");
  for (size_t i = 0; i < tags.size(); ++i) {
    if (!tags[i].is_string()) root.fail(fmt::format("tag_names[{}]", i), "must be a string");
    manifest.tag_names.push_back(tags[i].get<std::string>());
  }
  manifest.features = root.object("features");
  const auto& parts = root.array("parts");
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string name = fmt::format("parts[{}]", i);
    if (!parts[i].is_object()) root.fail(name, "must be an object");
    const Reader part = root.child(parts[i], name);
    manifest.parts.push_back({part.string("file"), part.string("split"), part.integer("index"),
                              part.integer("examples"), part.integer("tracks"), part.string("sha256")});
  }
  for (const auto& [split, count] : root.object("counts").items()) {
    const std::string name = "counts." + split;
    if (!count.is_object()) root.fail(name, "must be an object");
    const Reader counts = root.child(count, name);
    manifest.counts[split] = {counts.integer("tracks_done"), counts.integer("tracks_failed"),
                              count.contains("duplicates_dropped") ? counts.integer("duplicates_dropped") : 0};
  }
  if (json.contains("duplicates")) {
    const auto& groups = root.array("duplicates");
    for (size_t i = 0; i < groups.size(); ++i) {
      const std::string name = fmt::format("duplicates[{}]", i);
      if (!groups[i].is_object()) root.fail(name, "must be an object");
      const Reader group = root.child(groups[i], name);
      DuplicateGroup read{group.string("sha256"), {}, {}, {}};
      try {
        read.track_ids = group.array("track_ids").get<std::vector<int64_t>>();
        read.splits = group.array("splits").get<std::vector<std::string>>();
        read.dropped = group.array("dropped").get<std::vector<int64_t>>();
      } catch (const nlohmann::json::type_error&) {
        root.fail(name, "must hold track_ids and dropped as integers and splits as strings");
      }
      if (read.splits.size() != read.track_ids.size()) root.fail(name + ".splits", "must name one split per track id");
      manifest.duplicates.push_back(std::move(read));
    }
  }
  return manifest;
}

void write_manifest(const Manifest& manifest, const std::string& path) {
  write_file_atomically(path, manifest.to_json().dump(2) + "\n");
}

Manifest load_manifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw DataError(fmt::format("manifest '{}' cannot be opened; check the path (run preprocess first)", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    throw DataError(
        fmt::format("manifest '{}' is not valid JSON ({}); rerun preprocess to rewrite it", path, error.what()));
  }
  return Manifest::from_json(json, path);
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace musictag::preprocess
