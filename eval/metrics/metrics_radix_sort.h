// Order-preserving uint32 keys for float scores and an LSD radix sort on them (the metrics' one sort).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace musictag::eval {

// Maps a non-NaN float to a uint32 whose unsigned order is the float order (-inf < ... < -0 = +0 < ... < +inf).
// -0.0 and +0.0 map to the same key, so they tie, as they compare equal (and as numpy's np.diff sees them).
inline uint32_t score_sort_key(float score) {
  uint32_t bits;
  std::memcpy(&bits, &score, sizeof bits);
  if (score == 0.0f) bits = 0;  // -0.0 -> +0.0
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// Sorts data[0, n) ascending by key(element), a uint32, stably. Hand-written rather than std::sort because the
// metrics sort n_tags + 2 arrays of up to n_examples * n_tags keys: three 11-bit LSD passes are O(n) and several
// times faster than a comparison sort at 10^6 keys. Passes where every key shares the digit are skipped.
// scratch must hold n elements. Returns the buffer holding the sorted result: data or scratch.
template <typename T, typename KeyFn>
T* radix_sort_by_key(T* data, T* scratch, size_t n, KeyFn key) {
  constexpr int kDigitBits = 11;
  constexpr int kPasses = 3;  // 33 bits >= 32
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  constexpr uint32_t kMask = kBuckets - 1;
  if (n < 512) {  // histograms would cost more than the sort
    std::stable_sort(data, data + n, [&](const T& a, const T& b) { return key(a) < key(b); });
    return data;
  }
  std::array<std::array<size_t, kBuckets>, kPasses> counts{};
  for (size_t i = 0; i < n; ++i) {
    const uint32_t k = key(data[i]);
    for (int p = 0; p < kPasses; ++p) ++counts[p][(k >> (p * kDigitBits)) & kMask];
  }
  T* from = data;
  T* to = scratch;
  for (int p = 0; p < kPasses; ++p) {
    auto& count = counts[p];
    const uint32_t first_digit = (key(from[0]) >> (p * kDigitBits)) & kMask;
    if (count[first_digit] == n) continue;  // every key has this digit: the pass would copy
    size_t offset = 0;
    for (size_t& c : count) {
      const size_t here = c;
      c = offset;
      offset += here;
    }
    for (size_t i = 0; i < n; ++i) {
      const uint32_t digit = (key(from[i]) >> (p * kDigitBits)) & kMask;
      to[count[digit]++] = from[i];
    }
    std::swap(from, to);
  }
  return from;
}

// Sorts uint32 keys ascending; see radix_sort_by_key.
inline uint32_t* radix_sort_keys(uint32_t* keys, uint32_t* scratch, size_t n) {
  return radix_sort_by_key(keys, scratch, n, [](uint32_t k) { return k; });
}

}  // namespace musictag::eval
