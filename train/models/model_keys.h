// Helpers the model kinds share to declare their `model.*` keys: input shape, pool sizes, and their checks.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/config_reader.h"
#include "train/models/crnn_shape.h"

namespace musictag::train {

// n_tags (default 0 = the dataset's count), n_mels and n_frames with the kind's defaults, as JSON.
nlohmann::json read_input_keys(cluster::ConfigSection& section, int64_t default_n_mels, int64_t default_n_frames);
// The same for waveform kinds: n_tags, n_samples (samples per training example, at least `min_samples`, which the
// error names) and sample_rate (Hz; the dataset's waveforms must have it), as JSON.
nlohmann::json read_waveform_input_keys(cluster::ConfigSection& section, int64_t default_n_samples,
                                        int64_t default_sample_rate);
void check_min_samples(cluster::ConfigSection& section, int64_t n_samples, int64_t min_samples, const char* why);

// Key `pool_sizes`: one "<freq>x<time>" window per block, as a list or one comma-separated string. Fails naming the
// key on a malformed window, or when there are not exactly `n_blocks` of them.
std::vector<PoolSize> read_pool_sizes(cluster::ConfigSection& section, const std::vector<PoolSize>& fallback,
                                      size_t n_blocks, const std::string& doc);
// Fails naming `pool_sizes` when the pools leave no frequency bin of n_mels or no time step of n_frames.
void check_pools_leave_a_step(cluster::ConfigSection& section, const std::vector<PoolSize>& pools, int64_t n_mels,
                              int64_t n_frames);

// Pool sizes as checkpoints store them ("FxT" strings) and back (DataError on a malformed one).
std::vector<std::string> pool_size_texts(const std::vector<PoolSize>& pools);
std::vector<PoolSize> pool_sizes_from_texts(const std::vector<std::string>& texts);
// The product of the pools' frequency (freq = true) or time windows.
int64_t pool_product(const std::vector<PoolSize>& pools, bool freq);

// DataError: "<kind> model option '<key>' is missing or malformed: <reason>".
[[noreturn]] void throw_malformed_option(const char* kind, const char* key, const std::string& reason);
// A JSON field of a kind's options; DataError naming the kind and key when it is missing or of another type.
template <typename T>
T option_of(const nlohmann::json& options, const char* kind, const char* key) {
  try {
    return options.at(key).get<T>();
  } catch (const nlohmann::json::exception& error) {
    throw_malformed_option(kind, key, error.what());
  }
}

}  // namespace musictag::train
