// Pool sizes of the CRNN's conv blocks and the feature-map shape they leave (plain arithmetic, no libtorch).
#include "train/models/crnn_shape.h"

#include <cctype>

namespace musictag::train {
namespace {

// A positive decimal integer made only of digits (no sign, no spaces), at most 9 digits.
bool parse_positive(const std::string& text, int64_t& out) {
  if (text.empty() || text.size() > 9) return false;
  int64_t value = 0;
  for (const char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1) return false;
  out = value;
  return true;
}

}  // namespace

bool parse_pool_size(const std::string& text, PoolSize& out) {
  const auto x = text.find('x');
  if (x == std::string::npos) return false;
  PoolSize pool;
  if (!parse_positive(text.substr(0, x), pool.freq) || !parse_positive(text.substr(x + 1), pool.time)) return false;
  out = pool;
  return true;
}

std::string format_pool_size(const PoolSize& pool) {
  return std::to_string(pool.freq) + "x" + std::to_string(pool.time);
}

std::string format_pool_sizes(const std::vector<PoolSize>& pools) {
  std::string text;
  for (const auto& pool : pools) text += (text.empty() ? "" : ",") + format_pool_size(pool);
  return text;
}

std::vector<PoolSize> default_pool_sizes() { return {{2, 2}, {3, 3}, {4, 4}, {4, 4}}; }

int64_t pooled_freq(int64_t n_mels, const std::vector<PoolSize>& pools) {
  for (const auto& pool : pools) n_mels /= pool.freq;
  return n_mels;
}

int64_t pooled_time(int64_t n_frames, const std::vector<PoolSize>& pools) {
  for (const auto& pool : pools) n_frames /= pool.time;
  return n_frames;
}

}  // namespace musictag::train
