// DataConfig: range checks with Essentia-style messages, and the derived variant policy.
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

VariantPolicy parse_variant_policy(const std::string& text) {
  if (text == "random") return VariantPolicy::random;
  if (text == "all") return VariantPolicy::all;
  if (text == "original") return VariantPolicy::original;
  throw ConfigError(fmt::format("variants: value '{}' is not in {{random, all, original}}", text));
}

const char* to_string(VariantPolicy policy) {
  switch (policy) {
    case VariantPolicy::random:
      return "random";
    case VariantPolicy::all:
      return "all";
    case VariantPolicy::original:
      return "original";
  }
  return "?";
}

void DataConfig::validate(const std::string& section) const {
  if (dataset.empty()) {
    throw ConfigError(
        fmt::format("config key {}.dataset is empty; set it to the folder holding manifest.json "
                    "(preprocess.output)",
                    section));
  }
  check_range(section, "input_frames", input_frames, 0, INT64_MAX);
  if (variants != "random" && variants != "all" && variants != "original") {
    out_of_range(section, "variants", "{random, all, original}", "'" + variants + "'");
  }
  check_range(section, "prefetch_batches", prefetch_batches, 1, 256);
  check_range(section, "loader_threads", loader_threads, 1, 64);
  check_range(section, "max_open_parts", max_open_parts, 1, INT64_MAX);
}

VariantPolicy DataConfig::variant_policy() const { return parse_variant_policy(variants); }

std::string DataConfig::manifest_path() const { return dataset + "/manifest.json"; }

}  // namespace musictag::train
