// write_synthetic_dataset: PartWriter + Manifest, the same writers musictag-preprocess uses.
#include "bench/loader_dataset.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/features/feature_config.h"
#include "preprocess/format/manifest.h"
#include "preprocess/format/part_header.h"
#include "preprocess/format/part_writer.h"
#include "preprocess/format/sha256.h"

namespace musictag::bench {
namespace {

// mkdir -p for one or two levels (the folder and its parts/); std::filesystem is avoided in binaries that link
// libtorch (tests/train/data_test_support.h says why).
void make_folder(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
    throw DataError(
        fmt::format("cannot create folder '{}': {}; check the path and permissions", path, std::strerror(errno)));
}

}  // namespace

void write_synthetic_dataset(const std::string& folder, const SyntheticDatasetOptions& options) {
  if (options.examples < 1 || options.part_size < 1 || options.n_mels < 1 || options.n_tags < 1 ||
      options.deflate_level < 0 || options.deflate_level > 9 || !(options.segment_seconds > 0.0))
    throw ConfigError(
        fmt::format("synthetic dataset: need examples, part size, n_mels, n_tags >= 1, deflate level in [0, 9] and "
                    "segment seconds > 0; got {}, {}, {}, {}, {}, {}",
                    options.examples, options.part_size, options.n_mels, options.n_tags, options.deflate_level,
                    options.segment_seconds));
  make_folder(folder);
  make_folder(folder + "/parts");
  preprocess::FeatureConfig features;
  features.n_mels = options.n_mels;
  features.segment_seconds = options.segment_seconds;
  std::vector<std::string> tag_names;
  for (int64_t t = 0; t < options.n_tags; ++t) tag_names.push_back(fmt::format("tag{:02d}", t));

  preprocess::Manifest manifest;
  manifest.source_dataset = "synthetic";
  manifest.set_config(fmt::format("synthetic: {{examples: {}, n_mels: {}, deflate_level: {}, seed: {}}}\n",
                                  options.examples, options.n_mels, options.deflate_level, options.seed));
  manifest.tag_names = tag_names;
  manifest.features = features.to_json();
  manifest.created = preprocess::utc_now_iso8601();

  std::mt19937_64 random(options.seed);
  std::normal_distribution<float> noise(0.0f, 6.0f);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  const preprocess::PartWriterOptions writer_options{options.deflate_level, /*shuffle=*/true};
  for (int64_t first = 0, k = 0; first < options.examples; first += options.part_size, ++k) {
    const int64_t count = std::min(options.part_size, options.examples - first);
    const std::string relative = fmt::format("parts/training-{:05d}.h5", k);
    const std::string path = folder + "/" + relative;
    const auto header = preprocess::PartHeader::make(features, tag_names, "training", k);
    preprocess::PartWriter writer(path, header, writer_options);
    const int64_t n_frames = header.n_frames;
    std::vector<float> mel(static_cast<size_t>(header.example_values()));
    std::vector<uint8_t> tags(static_cast<size_t>(options.n_tags));
    for (int64_t i = first; i < first + count; ++i) {
      // Envelope falling with the band, a slow per-example wobble, and noise: -80 .. +20 dB like a music log-mel.
      const float tilt = 20.0f * uniform(random), phase = 6.28f * uniform(random);
      for (int64_t m = 0; m < options.n_mels; ++m) {
        const float band = 10.0f - tilt - 50.0f * static_cast<float>(m) / static_cast<float>(options.n_mels);
        for (int64_t f = 0; f < n_frames; ++f)
          mel[static_cast<size_t>(m * n_frames + f)] =
              band + 8.0f * std::sin(phase + 0.01f * static_cast<float>(f)) + noise(random);
      }
      for (auto& tag : tags) tag = uniform(random) < 0.1f ? 1 : 0;
      preprocess::PartExample example;
      example.track_id = i;
      example.data = mel.data();
      example.tags = tags.data();
      writer.append(example);
    }
    writer.commit();
    manifest.parts.push_back({relative, "training", k, count, count, preprocess::sha256_file(path)});
  }
  manifest.counts["training"] = {options.examples, 0};
  preprocess::write_manifest(manifest, folder + "/manifest.json");
}

}  // namespace musictag::bench
