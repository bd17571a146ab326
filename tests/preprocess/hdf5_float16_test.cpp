// float16 conversion: all 65536 halves exactly, float -> half against an exact nearest-even reference, HDF5's type.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_types.h"

namespace musictag::preprocess {
namespace {

// The value of half `bits` from its fields, in double (independent of the bit tricks in float16.cpp).
double reference_value(uint16_t bits) {
  const int sign = bits >> 15, exponent = (bits >> 10) & 0x1f, mantissa = bits & 0x3ff;
  double magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(mantissa, -24);
  else if (exponent == 31)
    magnitude = mantissa == 0 ? INFINITY : NAN;
  else
    magnitude = std::ldexp(1024 + mantissa, exponent - 25);
  return sign ? -magnitude : magnitude;
}

// Nearest half to x by exact double arithmetic: the two neighbouring finite halves (65536 standing in for the step
// past 65504, which rounds to inf), compared with their midpoint (exact in double); ties to the even code.
uint16_t reference_half(float x) {
  static const std::vector<double> values = [] {
    std::vector<double> v;
    for (uint32_t bits = 0; bits <= 0x7c00; ++bits) v.push_back(bits == 0x7c00 ? 65536.0 : reference_value(bits));
    return v;
  }();
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const double magnitude = std::fabs(static_cast<double>(x));
  if (magnitude >= 65536.0) return sign | 0x7c00;
  const auto above = std::upper_bound(values.begin(), values.end(), magnitude);
  const auto lo = static_cast<uint16_t>(above - values.begin() - 1);
  if (values[lo] == magnitude) return sign | lo;
  const double midpoint = 0.5 * (values[lo] + values[lo + 1]);
  uint16_t nearest;
  if (magnitude < midpoint)
    nearest = lo;
  else if (magnitude > midpoint)
    nearest = lo + 1;
  else
    nearest = (lo % 2 == 0) ? lo : lo + 1;
  return sign | nearest;
}

TEST(Float16, EveryHalfConvertsExactlyAndRoundTrips) {
  for (uint32_t bits = 0; bits < 65536; ++bits) {
    const auto half = static_cast<uint16_t>(bits);
    const float value = half_to_float(half);
    const double expected = reference_value(half);
    if (std::isnan(expected)) {
      ASSERT_TRUE(std::isnan(value)) << std::hex << bits;
      ASSERT_EQ(std::signbit(value), (bits & 0x8000) != 0) << std::hex << bits;
      ASSERT_EQ(float_to_half(value), half | 0x200) << std::hex << bits;  // quietened, payload kept
      continue;
    }
    ASSERT_EQ(static_cast<double>(value), expected) << std::hex << bits;
    ASSERT_EQ(std::signbit(value), (bits & 0x8000) != 0) << std::hex << bits;  // -0 stays -0
    ASSERT_EQ(float_to_half(value), half) << std::hex << bits;
  }
}

TEST(Float16, RandomFloatsRoundToNearestEven) {
  std::mt19937_64 random(20261124);
  std::vector<float> inputs;
  std::uniform_int_distribution<uint32_t> any_bits;
  for (int i = 0; i < 1000000; ++i) {  // every exponent, including overflow, subnormal floats and NaN
    const uint32_t bits = any_bits(random);
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    inputs.push_back(value);
  }
  std::uniform_real_distribution<float> range(-70000.0f, 70000.0f), decibels(-100.0f, 40.0f), log2(-30.0f, -10.0f);
  for (int i = 0; i < 500000; ++i) {
    inputs.push_back(range(random));
    inputs.push_back(decibels(random));
    inputs.push_back((i % 2 ? -1.0f : 1.0f) * std::exp2(log2(random)));  // around the subnormal halves
  }
  for (uint16_t bits = 0; bits < 0x7c00; ++bits) {  // every tie and its float neighbours
    const auto midpoint = static_cast<float>(0.5 * (reference_value(bits) + reference_value(bits + 1)));
    for (const float value : {midpoint, std::nextafter(midpoint, 0.0f), std::nextafter(midpoint, INFINITY)}) {
      inputs.push_back(value);
      inputs.push_back(-value);
    }
  }
  inputs.insert(inputs.end(), {0.0f, -0.0f, INFINITY, -INFINITY, 65504.0f, 65519.99f, 65520.0f, 1e-8f, 3e-8f});

  std::vector<uint16_t> batch(inputs.size());
  floats_to_halves(inputs.data(), batch.data(), inputs.size());
  size_t checked = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const float x = inputs[i];
    const uint16_t half = float_to_half(x);
    ASSERT_EQ(batch[i], half) << "array form differs at " << x;
    if (std::isnan(x)) {
      ASSERT_TRUE(std::isnan(half_to_float(half))) << x;
      continue;
    }
    ASSERT_EQ(half, reference_half(x)) << "x = " << x << std::hex << " got 0x" << half;
    ++checked;
  }
  EXPECT_GT(checked, 2500000u);
}

TEST(Float16, ArrayWidensLikeScalar) {
  std::vector<uint16_t> halves(65536);
  for (uint32_t i = 0; i < 65536; ++i) halves[i] = static_cast<uint16_t>(i);
  std::vector<float> floats(halves.size());
  halves_to_floats(halves.data(), floats.data(), halves.size());
  for (uint32_t i = 0; i < 65536; ++i) {
    const float scalar = half_to_float(halves[i]);
    ASSERT_EQ(std::memcmp(&floats[i], &scalar, sizeof(float)), 0) << i;
  }
  // Unaligned start and a tail shorter than the 8-wide vector path, in reverse so NaNs fall mid-block.
  std::vector<uint16_t> reversed(halves.rbegin(), halves.rend());
  std::vector<float> shifted(reversed.size() - 3);
  halves_to_floats(reversed.data() + 1, shifted.data(), shifted.size());
  for (size_t i = 0; i < shifted.size(); ++i) {
    const float scalar = half_to_float(reversed[i + 1]);
    ASSERT_EQ(std::memcmp(&shifted[i], &scalar, sizeof(float)), 0) << i;
  }
}

// HDF5's own (soft) conversion of our binary16 type to native float agrees with ours on every finite half, so the
// type really is IEEE binary16 to HDF5 (and h5py, which builds it the same way).
TEST(Float16, Hdf5TypeIsBinary16) {
  const Hdf5Datatype type = make_float16_type();
  EXPECT_TRUE(is_float16_type(type.get()));
  EXPECT_EQ(H5Tget_size(type.get()), 2u);
  EXPECT_EQ(H5Tget_precision(type.get()), 16u);
  EXPECT_EQ(H5Tget_ebias(type.get()), 15u);
  size_t spos, epos, esize, mpos, msize;
  ASSERT_GE(H5Tget_fields(type.get(), &spos, &epos, &esize, &mpos, &msize), 0);
  EXPECT_EQ(spos, 15u);
  EXPECT_EQ(epos, 10u);
  EXPECT_EQ(esize, 5u);
  EXPECT_EQ(mpos, 0u);
  EXPECT_EQ(msize, 10u);

  std::vector<uint16_t> finite;
  for (uint32_t bits = 0; bits < 65536; ++bits) {
    if (((bits >> 10) & 0x1f) != 0x1f) finite.push_back(static_cast<uint16_t>(bits));
  }
  std::vector<float> converted(finite.size());
  std::memcpy(converted.data(), finite.data(), finite.size() * sizeof(uint16_t));
  H5_CHECK(H5Tconvert(type.get(), H5T_NATIVE_FLOAT, finite.size(), converted.data(), nullptr, H5P_DEFAULT));
  for (size_t i = 0; i < finite.size(); ++i) {
    ASSERT_EQ(converted[i], half_to_float(finite[i])) << std::hex << finite[i];
  }
}

}  // namespace
}  // namespace musictag::preprocess
