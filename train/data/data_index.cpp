// DataIndex: manifest + parts opened and cross-checked, example table and per-track grouping built.
#include "train/data/data_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cluster/errors.h"
#include "preprocess/format/part_reader.h"
#include "preprocess/format/sha256.h"

namespace musictag::train {

namespace {

std::string split_names(const preprocess::Manifest& manifest) {
  std::vector<std::string> names;
  for (const auto& part : manifest.parts) {
    if (std::find(names.begin(), names.end(), part.split) == names.end()) names.push_back(part.split);
  }
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

void check_part(const preprocess::PartReader& reader, const preprocess::ManifestPart& part,
                const preprocess::Manifest& manifest) {
  reader.check_matches(manifest.features, manifest.tag_names);
  if (reader.header().split != part.split || reader.header().part_index != part.index) {
    throw DataError(
        fmt::format("part file '{}' says it is part {} of split '{}', the manifest lists it as part {} "
                    "of '{}'; the dataset folder mixes runs, rerun preprocess into a fresh folder",
                    reader.path(), reader.header().part_index, reader.header().split, part.index, part.split));
  }
  if (reader.size() != part.examples) {
    throw DataError(
        fmt::format("part file '{}' holds {} examples, manifest.json says {}; the file was replaced or "
                    "damaged, rerun preprocess for it",
                    reader.path(), reader.size(), part.examples));
  }
}

}  // namespace

DataIndex DataIndex::open(const std::string& dataset, const std::string& split, bool verify_checksums) {
  DataIndex index;
  index.dataset_ = dataset;
  index.split_ = split;
  index.manifest_ = preprocess::load_manifest(dataset + "/manifest.json");
  const auto& manifest = index.manifest_;

  std::vector<const preprocess::ManifestPart*> parts;
  for (const auto& part : manifest.parts) {
    if (part.split == split) parts.push_back(&part);
  }
  std::sort(parts.begin(), parts.end(), [](auto* a, auto* b) { return a->index < b->index; });
  if (parts.empty()) {
    throw DataError(
        fmt::format("dataset '{}': manifest.json lists no parts of split '{}' (splits present: {}); "
                    "check the split name or rerun preprocess",
                    dataset, split, split_names(manifest)));
  }

  for (const auto* part : parts) {
    const std::string path = dataset + "/" + part->file;
    if (verify_checksums && preprocess::sha256_file(path) != part->sha256) {
      throw DataError(
          fmt::format("part file '{}': sha256 differs from manifest.json's {}; the file is damaged, "
                      "delete it and rerun preprocess (it recomputes only missing parts)",
                      path, part->sha256));
    }
    preprocess::PartReader reader(path);
    check_part(reader, *part, manifest);
    const auto& header = reader.header();
    if (index.part_paths_.empty()) {
      index.kind_ = header.kind;
      index.rows_ = header.rows();
      index.columns_ = header.columns();
      index.sample_rate_ = header.sample_rate;
    } else if (header.kind != index.kind_ || header.rows() != index.rows_ || header.columns() != index.columns_) {
      throw DataError(
          fmt::format("part file '{}' stores {} examples of [{}, {}], '{}' {} examples of [{}, {}]; "
                      "rerun preprocess into a fresh folder",
                      path, header.kind_text(), header.rows(), header.columns(), index.part_paths_.front(),
                      index.is_waveform() ? "waveform" : "log-mel", index.rows_, index.columns_));
    }
    const auto part_number = static_cast<int32_t>(index.part_paths_.size());
    index.part_paths_.push_back(path);
    index.part_sizes_.push_back(reader.size());
    for (int64_t row = 0; row < reader.size(); ++row) {
      const auto r = static_cast<size_t>(row);
      index.examples_.push_back({part_number, row, reader.track_ids()[r], reader.variants()[r], reader.segments()[r]});
    }
    index.tags_.insert(index.tags_.end(), reader.tags().begin(), reader.tags().end());
  }

  // Group by track (std::map keeps ids ascending), then by variant; example indices ascend within each variant.
  std::map<int64_t, std::map<int16_t, std::vector<int64_t>>> by_track;
  for (int64_t i = 0; i < index.size(); ++i) {
    const ExampleRef& e = index.examples_[static_cast<size_t>(i)];
    by_track[e.track_id][e.variant].push_back(i);
  }
  index.tracks_.reserve(by_track.size());
  for (auto& [track_id, variants] : by_track) {
    TrackExamples track;
    track.track_id = track_id;
    for (auto& [variant, examples] : variants) {
      track.variants.push_back(variant);
      track.examples_of_variant.push_back(std::move(examples));
    }
    index.tracks_.push_back(std::move(track));
  }
  return index;
}

}  // namespace musictag::train
