// PartHeader: writing, reading and comparing the root attributes of a part file.
#include "preprocess/format/part_header.h"

#include <fmt/format.h>

#include <set>

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
  header.features_json = features.to_json().dump();
  header.sample_rate = features.sample_rate;
  header.n_mels = features.n_mels;
  header.n_frames = features.segment_frames();
  header.hop_length = features.hop_length;
  header.n_fft = features.n_fft;
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
  write_attribute(file, "features_json", features_json, path);
  write_attribute(file, "sample_rate", sample_rate, path);
  write_attribute(file, "n_mels", n_mels, path);
  write_attribute(file, "n_frames", n_frames, path);
  write_attribute(file, "hop_length", hop_length, path);
  write_attribute(file, "n_fft", n_fft, path);
  write_attribute(file, "tag_names", tag_names, path);
  write_attribute(file, "split", split, path);
  write_attribute(file, "part_index", part_index, path);
}

PartHeader PartHeader::read(hid_t file, const std::string& path) {
  PartHeader header;
  header.format_version = read_int64_attribute(file, "format_version", path);
  if (header.format_version != kFormatVersion) {
    throw DataError(
        fmt::format("part file '{}': attribute 'format_version' is {}, this musictag reads {}; rerun "
                    "preprocess with this version or use the matching musictag",
                    path, header.format_version, kFormatVersion));
  }
  header.features_json = read_string_attribute(file, "features_json", path);
  header.sample_rate = read_int64_attribute(file, "sample_rate", path);
  header.n_mels = read_int64_attribute(file, "n_mels", path);
  header.n_frames = read_int64_attribute(file, "n_frames", path);
  header.hop_length = read_int64_attribute(file, "hop_length", path);
  header.n_fft = read_int64_attribute(file, "n_fft", path);
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
  const std::pair<const char*, int64_t> repeated[] = {{"sample_rate", header.sample_rate},
                                                      {"n_mels", header.n_mels},
                                                      {"segment_frames", header.n_frames},
                                                      {"hop_length", header.hop_length},
                                                      {"n_fft", header.n_fft}};
  for (const auto& [key, value] : repeated) {
    const auto found = features.find(key);
    if (found == features.end() || !found->is_number_integer() || found->get<int64_t>() != value) {
      throw DataError(
          fmt::format("part file '{}': attribute '{}' ({}) disagrees with features_json's '{}' ({}); the "
                      "file is damaged, rerun preprocess for it",
                      path, key == std::string("segment_frames") ? "n_frames" : key, value, key,
                      found == features.end() ? "missing" : found->dump()));
    }
  }
  if (header.n_mels <= 0 || header.n_frames <= 0) {
    throw DataError(fmt::format("part file '{}': n_mels {} and n_frames {} must be positive", path, header.n_mels,
                                header.n_frames));
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
