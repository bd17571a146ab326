// Fletcher32 exactly as HDF5's checksum filter computes it, vectorised, to verify chunks read without HDF5.
#pragma once

#include <cstddef>
#include <cstdint>

namespace musictag::preprocess {

// H5_checksum_fletcher32 (HDF5 1.10, H5checksum.c): the bytes as 16-bit big-endian words (an odd last byte is the high
// byte of one more word), sum1 = the words' sum, sum2 = the sum of sum1 after each word, both reduced modulo 65535 to
// the representative HDF5's folding leaves (0 only when every byte is 0, else 1..65535); returns (sum2 << 16) | sum1.
// AVX2 or SSE2 where the CPU has them (10x HDF5's byte-at-a-time loop), else fletcher32_reference; equal to it for
// every input.
uint32_t fletcher32(const void* data, size_t bytes);

// HDF5's loop transcribed: words summed in blocks of 360 with an end-around carry after each block. The tests'
// reference and the baseline of the timings.
uint32_t fletcher32_reference(const void* data, size_t bytes);

// True when `stored` (the 4 bytes HDF5's Fletcher32 filter appends to a chunk) holds `computed` as the filter accepts
// it on read: little-endian, or with the bytes of each 16-bit half swapped (what HDF5 before 1.6.3 wrote on
// little-endian hosts; H5Z__filter_fletcher32 accepts both).
bool fletcher32_accepts(uint32_t computed, const unsigned char* stored);

#if defined(__x86_64__)
namespace detail {
// The kernels fletcher32 chooses from, for the tests: SSE2 (every x86-64) and AVX2 (only where has_avx2()).
uint32_t fletcher32_sse2(const void* data, size_t bytes);
uint32_t fletcher32_avx2(const void* data, size_t bytes);
bool has_avx2();
}  // namespace detail
#endif

}  // namespace musictag::preprocess
