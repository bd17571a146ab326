// widen_streaming: F16C conversion with aligned non-temporal stores; the scalar converter elsewhere.
#include "train/data/streaming_widen.h"

#include <immintrin.h>

#include "preprocess/format/float16.h"

namespace musictag::train {
namespace {

// As halves_to_floats_f16c (preprocess/format/float16.cpp), but with streaming stores, which need 32-byte aligned
// addresses: the first floats up to that alignment are converted one at a time.
__attribute__((target("avx,f16c"))) void widen_f16c_streaming(const uint16_t* in, float* out, size_t count) {
  const __m128i exponent = _mm_set1_epi16(0x7c00);
  size_t i = 0;
  for (; i < count && (reinterpret_cast<uintptr_t>(out + i) & 31) != 0; ++i) out[i] = preprocess::half_to_float(in[i]);
  for (; i + 8 <= count; i += 8) {
    const __m128i halves = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    const __m128i special = _mm_cmpeq_epi16(_mm_and_si128(halves, exponent), exponent);  // inf or NaN
    if (_mm_movemask_epi8(special) != 0) {
      // F16C returns a signalling NaN quiet; half_to_float keeps its bits.
      for (size_t k = i; k < i + 8; ++k) out[k] = preprocess::half_to_float(in[k]);
    } else {
      _mm256_stream_ps(out + i, _mm256_cvtph_ps(halves));
    }
  }
  for (; i < count; ++i) out[i] = preprocess::half_to_float(in[i]);
  _mm_sfence();  // streaming stores are weakly ordered: drain them before the batch is handed on
}

}  // namespace

void widen_streaming(const uint16_t* in, float* out, size_t count) {
  static const bool f16c = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx");
  if (f16c) return widen_f16c_streaming(in, out, count);
  preprocess::halves_to_floats(in, out, count);
}

}  // namespace musictag::train
