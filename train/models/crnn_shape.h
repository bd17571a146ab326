// Pool sizes of the CRNN's conv blocks and the feature-map shape they leave (plain arithmetic, no libtorch).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace musictag::train {

// One max-pool window (= stride, as Keras' MaxPooling2D and Choi's code): frequency bins x time frames.
struct PoolSize {
  int64_t freq = 1;
  int64_t time = 1;

  bool operator==(const PoolSize& other) const { return freq == other.freq && time == other.time; }
};

// Parses "FxT" ("4x4", "2x3"; F and T >= 1). Returns false on anything else.
bool parse_pool_size(const std::string& text, PoolSize& out);
// "FxT", the form parse_pool_size reads.
std::string format_pool_size(const PoolSize& pool);
// "2x2,3x3,4x4,4x4".
std::string format_pool_sizes(const std::vector<PoolSize>& pools);

// The paper's pools: (2,2), (3,3), (4,4), (4,4); with 96 mel bins they leave exactly 1 frequency bin.
std::vector<PoolSize> default_pool_sizes();

// Size of one axis after the conv blocks: 3x3 'same' convolutions keep it, each pool floors it
// (size / window, as PyTorch's and Keras' valid max-pooling do). 0 means the input is too small.
int64_t pooled_freq(int64_t n_mels, const std::vector<PoolSize>& pools);
int64_t pooled_time(int64_t n_frames, const std::vector<PoolSize>& pools);

}  // namespace musictag::train
