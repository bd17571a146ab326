// widen_streaming: float16 -> float32 written past the caches, for whole examples widened into a batch.
#pragma once

#include <cstddef>
#include <cstdint>

namespace musictag::train {

// out[i] = preprocess::half_to_float(in[i]) for i < count, bit for bit as preprocess::halves_to_floats. A batch is
// read by the consumer batches later, long after it would have left the core's caches, so with F16C (every x86-64
// since 2012) the floats go to memory with non-temporal stores, which do not read each destination line first: a
// 96 x 1366 example in 30-44 us instead of 70-100 us on the 2-core dev VM. Worth it only for long contiguous spans
// (a whole example): on short rows the partly written lines at the row ends cost more than they save, so crops use
// halves_to_floats. Ends with a store fence: the values are visible to whichever thread takes the batch next.
void widen_streaming(const uint16_t* in, float* out, size_t count);

}  // namespace musictag::train
