// Fletcher32: HDF5's word loop, and the same sums kept per SIMD lane and combined once per 8 KiB (AVX2, SSE2).
#include "preprocess/format/fletcher32.h"

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace musictag::preprocess {
namespace {

constexpr uint64_t kModulus = 65535;

// The running sums modulo 65535 (sum1: the words; sum2: sum1 after each word) and whether any word was not 0, which
// decides HDF5's representative of a zero residue (its folds never turn a positive sum into 0).
struct Sums {
  uint64_t sum1 = 0, sum2 = 0;
  bool nonzero = false;

  void add_word(uint32_t word) {
    sum1 += word;
    sum2 += sum1;
    nonzero |= word != 0;
  }

  // A block of `steps` steps of K words each, held in per-word-lane sums: s1[l] = sum of the block's words at lane l
  // (word k * K + l of step k), s2[l] = sum over steps of s1[l] after each step. A word at step j of J, lane l, is
  // followed by K * (J - j) - l words of the block, which is its weight in sum2: K * s2[l] - l * s1[l] summed over l.
  template <int K>
  void add_block(const uint32_t (&s1)[K], const uint32_t (&s2)[K], uint64_t steps) {
    uint64_t words = 0, weighted = 0;
    for (int l = 0; l < K; ++l) {
      words += s1[l];
      weighted += K * static_cast<uint64_t>(s2[l]) - static_cast<uint64_t>(l) * s1[l];
    }
    sum2 = (sum2 + (K * steps % kModulus) * (sum1 % kModulus) + weighted) % kModulus;
    sum1 = (sum1 + words) % kModulus;
    nonzero |= words != 0;
  }

  // HDF5's representative: every fold maps a positive sum to 1..65535, so a zero residue reads 65535 unless every word
  // was 0.
  uint32_t result() const {
    const auto fold = [&](uint64_t sum) {
      const auto residue = static_cast<uint32_t>(sum % kModulus);
      return !nonzero ? 0u : residue == 0 ? 0xffffu : residue;
    };
    return (fold(sum2) << 16) | fold(sum1);
  }
};

// The words after the SIMD steps (and an odd last byte) one at a time.
uint32_t finish(const unsigned char* data, size_t bytes, size_t done, Sums& sums) {
  for (; done + 2 <= bytes; done += 2) sums.add_word((static_cast<uint32_t>(data[done]) << 8) | data[done + 1]);
  if (done < bytes) sums.add_word(static_cast<uint32_t>(data[done]) << 8);
  return sums.result();
}

// Steps per block: a lane's s2 after J steps is at most 65535 * J * (J + 1) / 2, below 2^32 for J <= 361.
constexpr size_t kBlockSteps = 256;

}  // namespace

uint32_t fletcher32_reference(const void* data, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  size_t words = bytes / 2;
  uint32_t sum1 = 0, sum2 = 0;
  while (words > 0) {
    size_t block = words > 360 ? 360 : words;
    words -= block;
    do {
      sum1 += (static_cast<uint32_t>(p[0]) << 8) | static_cast<uint32_t>(p[1]);
      p += 2;
      sum2 += sum1;
    } while (--block);
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (bytes % 2) {
    sum1 += static_cast<uint32_t>(*p) << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

#if defined(__x86_64__)

namespace detail {

// 16 words per step: bytes swapped to big-endian words, then each 32-bit lane holds words 2d (low half) and 2d + 1.
__attribute__((target("avx2"))) uint32_t fletcher32_avx2(const void* data, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  const __m256i swap = _mm256_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14, 1, 0, 3, 2, 5, 4, 7, 6, 9,
                                        8, 11, 10, 13, 12, 15, 14);
  const __m256i low = _mm256_set1_epi32(0xffff);
  Sums sums;
  size_t steps = bytes / 32;
  const size_t done = steps * 32;
  while (steps > 0) {
    const size_t block = std::min(steps, kBlockSteps);
    steps -= block;
    __m256i even1 = _mm256_setzero_si256(), odd1 = even1, even2 = even1, odd2 = even1;
    for (size_t j = 0; j < block; ++j, p += 32) {
      const __m256i words = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), swap);
      even1 = _mm256_add_epi32(even1, _mm256_and_si256(words, low));
      odd1 = _mm256_add_epi32(odd1, _mm256_srli_epi32(words, 16));
      even2 = _mm256_add_epi32(even2, even1);
      odd2 = _mm256_add_epi32(odd2, odd1);
    }
    alignas(32) uint32_t e1[8], o1[8], e2[8], o2[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(e1), even1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(o1), odd1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(e2), even2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(o2), odd2);
    uint32_t s1[16], s2[16];
    for (int d = 0; d < 8; ++d) {
      s1[2 * d] = e1[d];
      s1[2 * d + 1] = o1[d];
      s2[2 * d] = e2[d];
      s2[2 * d + 1] = o2[d];
    }
    sums.add_block<16>(s1, s2, block);
  }
  return finish(static_cast<const unsigned char*>(data), bytes, done, sums);
}

// The same with 8 words per step (SSE2: every x86-64), bytes swapped by shifts.
uint32_t fletcher32_sse2(const void* data, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  const __m128i low = _mm_set1_epi32(0xffff);
  Sums sums;
  size_t steps = bytes / 16;
  const size_t done = steps * 16;
  while (steps > 0) {
    const size_t block = std::min(steps, kBlockSteps);
    steps -= block;
    __m128i even1 = _mm_setzero_si128(), odd1 = even1, even2 = even1, odd2 = even1;
    for (size_t j = 0; j < block; ++j, p += 16) {
      const __m128i stored = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i words = _mm_or_si128(_mm_slli_epi16(stored, 8), _mm_srli_epi16(stored, 8));
      even1 = _mm_add_epi32(even1, _mm_and_si128(words, low));
      odd1 = _mm_add_epi32(odd1, _mm_srli_epi32(words, 16));
      even2 = _mm_add_epi32(even2, even1);
      odd2 = _mm_add_epi32(odd2, odd1);
    }
    alignas(16) uint32_t e1[4], o1[4], e2[4], o2[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(e1), even1);
    _mm_store_si128(reinterpret_cast<__m128i*>(o1), odd1);
    _mm_store_si128(reinterpret_cast<__m128i*>(e2), even2);
    _mm_store_si128(reinterpret_cast<__m128i*>(o2), odd2);
    uint32_t s1[8], s2[8];
    for (int d = 0; d < 4; ++d) {
      s1[2 * d] = e1[d];
      s1[2 * d + 1] = o1[d];
      s2[2 * d] = e2[d];
      s2[2 * d + 1] = o2[d];
    }
    sums.add_block<8>(s1, s2, block);
  }
  return finish(static_cast<const unsigned char*>(data), bytes, done, sums);
}

bool has_avx2() {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2;
}

}  // namespace detail

uint32_t fletcher32(const void* data, size_t bytes) {
  return detail::has_avx2() ? detail::fletcher32_avx2(data, bytes) : detail::fletcher32_sse2(data, bytes);
}

#else

uint32_t fletcher32(const void* data, size_t bytes) { return fletcher32_reference(data, bytes); }

#endif

bool fletcher32_accepts(uint32_t computed, const unsigned char* stored) {
  const uint32_t little_endian =
      stored[0] | (stored[1] << 8) | (stored[2] << 16) | (static_cast<uint32_t>(stored[3]) << 24);
  const uint32_t swapped = ((computed & 0x00ff00ffu) << 8) | ((computed >> 8) & 0x00ff00ffu);
  return little_endian == computed || little_endian == swapped;
}

}  // namespace musictag::preprocess
