// float32 <-> IEEE 754 binary16 ("half") conversion, round to nearest even, for the float16 `/mel` datasets.
#pragma once

#include <cstddef>
#include <cstdint>

namespace musictag::preprocess {

// Bits of the nearest binary16 value to `value`: ties to even, overflow (|x| >= 65520) to +-inf, values below the
// smallest subnormal (2^-24) to +-0 or the subnormals by the same rounding, NaN to a quiet NaN keeping the sign and
// the top mantissa bits. Hand-written because HDF5 1.10 has no half type and C++17 none either; branch-light so that
// the array form vectorises.
uint16_t float_to_half(float value);

// The binary16 value of `bits` as float (exact: every half is a float); NaN payloads are kept.
float half_to_float(uint16_t bits);

// Array forms of the two, for whole mel spectrograms.
void floats_to_halves(const float* in, uint16_t* out, size_t count);
void halves_to_floats(const uint16_t* in, float* out, size_t count);

// float_to_half then half_to_float: what a float reads back as after a float16 round trip.
inline float round_to_half(float value) { return half_to_float(float_to_half(value)); }

}  // namespace musictag::preprocess
