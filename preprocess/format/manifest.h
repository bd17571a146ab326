// Manifest: manifest.json of a preprocessing run (config, tags, features, parts with checksums, counts), atomic I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace musictag::preprocess {

// One finished part file.
struct ManifestPart {
  std::string file;      // relative to the output folder, e.g. "parts/training-00003.h5"
  std::string split;     // training / validation / test
  int64_t index = 0;     // k of parts/<split>-<k>.h5
  int64_t examples = 0;  // rows N of the part's datasets
  int64_t tracks = 0;    // distinct tracks in it (examples count segments and augmented variants too)
  std::string sha256;    // of the file's bytes (sha256_file)

  bool operator==(const ManifestPart& other) const;
};

// Tracks of one split that made it into parts / ended in failures.tsv / were left out as duplicates.
struct SplitCounts {
  int64_t tracks_done = 0;
  int64_t tracks_failed = 0;
  int64_t duplicates_dropped = 0;  // preprocess.drop_duplicates; optional in the JSON (absent: 0)

  bool operator==(const SplitCounts& other) const {
    return tracks_done == other.tracks_done && tracks_failed == other.tracks_failed &&
           duplicates_dropped == other.duplicates_dropped;
  }
};

// Tracks whose source audio files are bit-identical (FMA and MTG-Jamendo ship some under several ids).
struct DuplicateGroup {
  std::string sha256;               // of each file's bytes
  std::vector<int64_t> track_ids;   // ascending, at least two
  std::vector<std::string> splits;  // the split of each id, in the same order
  std::vector<int64_t> dropped;     // ids left out of the parts: track_ids after the first with
                                    // preprocess.drop_duplicates, else none

  bool operator==(const DuplicateGroup& other) const {
    return sha256 == other.sha256 && track_ids == other.track_ids && splits == other.splits && dropped == other.dropped;
  }
};

// Everything train and eval need to know about a preprocessing run; the JSON keys are the field names.
struct Manifest {
  static constexpr int64_t kFormatVersion = 1;  // readers refuse other versions

  int64_t format_version = kFormatVersion;
  std::string source_dataset;                          // e.g. "fma_medium", "mtat", "demo"
  std::string config_text;                             // the full resolved config (YAML), as written to preprocess.yaml
  std::string config_sha256;                           // sha256_hex(config_text); set_config() keeps the two together
  std::vector<std::string> tag_names;                  // column order of every part's /tags
  nlohmann::json features = nlohmann::json::object();  // FeatureConfig::to_json()
  std::vector<ManifestPart> parts;                     // sorted by split, then index
  std::map<std::string, SplitCounts> counts;           // per split
  // Sorted by first track id. Optional in the JSON (manifests written before it have none), so the format version
  // stays 1: older readers ignore the key.
  std::vector<DuplicateGroup> duplicates;
  std::string created;  // UTC, ISO 8601 ("2026-11-24T10:03:00Z"); utc_now_iso8601()
  std::string musictag_version = musictag_version_string();

  void set_config(std::string resolved_config_text);  // sets config_text and config_sha256
  int64_t total_examples(const std::string& split) const;

  nlohmann::json to_json() const;
  // The inverse; DataError naming `source` (the file) and the key ("parts[2].sha256") that is missing or of the
  // wrong type, another format version, or a config_sha256 that does not match config_text.
  static Manifest from_json(const nlohmann::json& json, const std::string& source);

  static std::string musictag_version_string();  // this build's version
};

// Writes `path` atomically (`path`.partial, then rename), pretty-printed; DataError when it cannot.
void write_manifest(const Manifest& manifest, const std::string& path);
// Reads and validates `path`; DataError naming the file (and the key, or the JSON parser's position).
Manifest load_manifest(const std::string& path);

// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now_iso8601();

}  // namespace musictag::preprocess
