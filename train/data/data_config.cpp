// DataConfig: range checks with Essentia-style messages.
#include "train/data/data_config.h"

#include <fmt/format.h>

#include "cluster/errors.h"

namespace musictag::train {

namespace {

[[noreturn]] void out_of_range(const std::string& section, const std::string& key, const std::string& allowed,
                               const std::string& value) {
  throw ConfigError(fmt::format("config key {}.{}: value {} is not in {}", section, key, value, allowed));
}

void check_range(const std::string& section, const std::string& key, int64_t value, int64_t low, int64_t high) {
  if (value < low || value > high) {
    out_of_range(section, key, high == INT64_MAX ? fmt::format("[{},inf)", low) : fmt::format("[{},{}]", low, high),
                 std::to_string(value));
  }
}

}  // namespace

void DataConfig::validate(const std::string& section) const {
  if (dataset.empty()) {
    throw ConfigError(
        fmt::format("config key {}.dataset is empty; set it to the folder holding manifest.json "
                    "(preprocess.output)",
                    section));
  }
  check_range(section, "input_frames", input_frames, 0, INT64_MAX);
  check_range(section, "prefetch_batches", prefetch_batches, 1, 256);
  check_range(section, "loader_threads", loader_threads, 1, 64);
  check_range(section, "max_open_parts", max_open_parts, 1, INT64_MAX);
}

std::string DataConfig::manifest_path() const { return dataset + "/manifest.json"; }

}  // namespace musictag::train
