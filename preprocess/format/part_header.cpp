// PartHeader: writing, reading and comparing the root attributes of a part file.
#include "preprocess/format/part_header.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/format/hdf5_attribute.h"

namespace musictag::preprocess {
namespace {

// "n_mels (part 128, expected 96), hop_length (...)" over the union of keys.
std::string json_differences(const nlohmann::json& part, const nlohmann::json& expected) {
  std::set<std::string> keys;
  for (const auto& item : part.items()) keys.insert(item.key());
  for (const auto& item : expected.items()) keys.insert(item.key());
  std::string text;
  for (const auto& key : keys) {
    const auto a = part.find(key), b = expected.find(key);
    const std::string in_part = a == part.end() ? "missing" : a->dump();
    const std::string in_expected = b == expected.end() ? "missing" : b->dump();
    if (in_part == in_expected) continue;
    text += fmt::format("{}{} (part {}, expected {})", text.empty() ? "" : ", ", key, in_part, in_expected);
  }
  return text;
}

}  // namespace

PartHeader PartHeader::make(const FeatureConfig& features, std::vector<std::string> tag_names, std::string split,
                            int64_t part_index) {
  PartHeader header;
  header.kind = features.kind;
  header.features_json = features.to_json().dump();
  header.sample_rate = features.sample_rate;
  header.n_samples = features.segment_samples();
  if (!features.is_waveform()) {
    header.n_mels = features.n_mels;
    header.n_frames = features.segment_frames();
    header.hop_length = features.hop_length;
    header.n_fft = features.n_fft;
  }
  header.tag_names = std::move(tag_names);
  header.split = std::move(split);
  header.part_index = part_index;
  return header;
}

nlohmann::json PartHeader::features() const {
  const auto parsed = nlohmann::json::parse(features_json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw DataError("attribute 'features_json' is not a JSON object: '" + features_json.substr(0, 80) + "'");
  }
  return parsed;
}

void PartHeader::write(hid_t file, const std::string& path) const {
  write_attribute(file, "format_version", format_version, path);
  write_attribute(file, "feature_kind", std::string(choice_name(kFeatureKindNames, kind)), path);
  write_attribute(file, "features_json", features_json, path);
  write_attribute(file, "sample_rate", sample_rate, path);
  write_attribute(file, "n_samples", n_samples, path);
  if (!is_waveform()) {
    write_attribute(file, "n_mels", n_mels, path);
    write_attribute(file, "n_frames", n_frames, path);
    write_attribute(file, "hop_length", hop_length, path);
    write_attribute(file, "n_fft", n_fft, path);
  }
  write_attribute(file, "tag_names", tag_names, path);
  write_attribute(file, "split", split, path);
  write_attribute(file, "part_index", part_index, path);
}

PartHeader PartHeader::read(hid_t file, const std::string& path) {
  PartHeader header;
  header.format_version = read_int64_attribute(file, "format_version", path);
  if (header.format_version < kOldestReadableVersion || header.format_version > kFormatVersion) {
    throw DataError(
        fmt::format("part file '{}': attribute 'format_version' is {}, this musictag reads {} to {}; rerun "
                    "preprocess with this version or use the matching musictag",
                    path, header.format_version, kOldestReadableVersion, kFormatVersion));
  }
  if (header.format_version >= 2) {
    const std::string kind = read_string_attribute(file, "feature_kind", path);
    if (kind == "waveform")
      header.kind = FeatureKind::waveform;
    else if (kind != "logmel")
      throw DataError(
          fmt::format("part file '{}': attribute 'feature_kind' is '{}', expected logmel or waveform; "
                      "the file is damaged or from a newer musictag",
                      path, kind));
  }
  header.features_json = read_string_attribute(file, "features_json", path);
  header.sample_rate = read_int64_attribute(file, "sample_rate", path);
  if (!header.is_waveform()) {
    header.n_mels = read_int64_attribute(file, "n_mels", path);
    header.n_frames = read_int64_attribute(file, "n_frames", path);
    header.hop_length = read_int64_attribute(file, "hop_length", path);
    header.n_fft = read_int64_attribute(file, "n_fft", path);
  }
  header.tag_names = read_string_array_attribute(file, "tag_names", path);
  header.split = read_string_attribute(file, "split", path);
  header.part_index = read_int64_attribute(file, "part_index", path);

  nlohmann::json features;
  try {
    features = header.features();
  } catch (const DataError& error) {
    throw DataError(
        fmt::format("part file '{}': {}; the file is damaged, rerun preprocess for it", path, error.what()));
  }
  const auto integer_in_features = [&](const char* key) -> int64_t {
    const auto found = features.find(key);
    return found != features.end() && found->is_number_integer() ? found->get<int64_t>() : -1;
  };
  // Version 1 has no n_samples attribute: the segment's samples as features_json gives them.
  header.n_samples = header.format_version >= 2 ? read_int64_attribute(file, "n_samples", path)
                                                : integer_in_features("segment_samples");
  const bool features_say_waveform = features.value("kind", std::string("logmel")) == "waveform";
  if (features_say_waveform != header.is_waveform()) {
    throw DataError(
        fmt::format("part file '{}': attribute 'feature_kind' ({}) disagrees with features_json ({}); "
                    "the file is damaged, rerun preprocess for it",
                    path, header.kind_text(), features.value("kind", std::string("logmel"))));
  }
  std::vector<std::pair<const char*, int64_t>> repeated = {{"sample_rate", header.sample_rate},
                                                           {"segment_samples", header.n_samples}};
  if (!header.is_waveform()) {
    repeated.insert(repeated.end(), {{"n_mels", header.n_mels},
                                     {"segment_frames", header.n_frames},
                                     {"hop_length", header.hop_length},
                                     {"n_fft", header.n_fft}});
  }
  for (const auto& [key, value] : repeated) {
    if (integer_in_features(key) != value) {
      const auto found = features.find(key);
      const std::string attribute = key == std::string("segment_frames")    ? "n_frames"
                                    : key == std::string("segment_samples") ? "n_samples"
                                                                            : key;
      throw DataError(
          fmt::format("part file '{}': attribute '{}' ({}) disagrees with features_json's '{}' ({}); the "
                      "file is damaged, rerun preprocess for it",
                      path, attribute, value, key, found == features.end() ? "missing" : found->dump()));
    }
  }
  if (header.rows() <= 0 || header.columns() <= 0) {
    throw DataError(fmt::format("part file '{}': each {} example must have a positive size, got [{}, {}]", path,
                                header.kind_text(), header.rows(), header.columns()));
  }
  return header;
}

void PartHeader::check_matches(const nlohmann::json& expected_features, const std::vector<std::string>& expected_tags,
                               const std::string& path) const {
  const nlohmann::json part_features = features();
  if (part_features != expected_features) {
    throw DataError(
        fmt::format("part file '{}': attribute 'features_json' differs from the manifest: {}; the part "
                    "comes from another preprocessing run, rerun preprocess (--overwrite) or point to "
                    "the right folder",
                    path, json_differences(part_features, expected_features)));
  }
  if (tag_names != expected_tags) {
    size_t i = 0;
    while (i < tag_names.size() && i < expected_tags.size() && tag_names[i] == expected_tags[i]) ++i;
    const auto at = [i](const std::vector<std::string>& names) {
      return i < names.size() ? "'" + names[i] + "'" : std::string("nothing");
    };
    throw DataError(
        fmt::format("part file '{}': attribute 'tag_names' differs from the manifest ({} tags vs {}; "
                    "first difference at index {}: {} vs {}); the part comes from another "
                    "preprocessing run, rerun preprocess (--overwrite) or point to the right folder",
                    path, tag_names.size(), expected_tags.size(), i, at(tag_names), at(expected_tags)));
  }
}

}  // namespace musictag::preprocess
