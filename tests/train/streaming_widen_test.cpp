// widen_streaming: bit-identical to halves_to_floats for every half, at every alignment and length.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "preprocess/format/float16.h"
#include "train/data/streaming_widen.h"

namespace musictag::train {
namespace {

TEST(WidenStreaming, EveryHalfAtEveryAlignmentGivesHalvesToFloatsBits) {
  std::vector<uint16_t> halves(65536 + 16);
  for (size_t i = 0; i < halves.size(); ++i) halves[i] = static_cast<uint16_t>(i * 7919);  // all 65536, shuffled
  std::vector<float> expected(halves.size()), out(halves.size() + 16);
  preprocess::halves_to_floats(halves.data(), expected.data(), halves.size());
  for (size_t shift = 0; shift < 9; ++shift) {  // output start 0..8 floats past a 64-byte boundary
    for (const size_t count : {size_t{0}, size_t{1}, size_t{7}, size_t{9}, size_t{1366}, halves.size()}) {
      std::fill(out.begin(), out.end(), -1.0f);
      widen_streaming(halves.data(), out.data() + shift, count);
      ASSERT_EQ(std::memcmp(out.data() + shift, expected.data(), count * sizeof(float)), 0)
          << "shift " << shift << " count " << count;
      if (shift + count < out.size()) {
        ASSERT_EQ(out[shift + count], -1.0f) << "wrote past the end";
      }
    }
  }
}

}  // namespace
}  // namespace musictag::train
