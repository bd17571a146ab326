// Segment helpers beyond the basics (audio_loader_test.cpp): min_fraction, exact multiples, bad arguments.
#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

#include "preprocess/audio/audio_segments.h"

namespace musictag::preprocess {
namespace {

std::vector<float> ramp(size_t n) {
  std::vector<float> x(n);
  std::iota(x.begin(), x.end(), 1.0f);
  return x;
}

TEST(AudioSegmentsMore, MinFractionDecidesAboutTheRemainder) {
  const auto x = ramp(10);                                 // 2 full segments of 4, remainder 2 = 0.5 of one
  EXPECT_EQ(consecutive_segments(x, 4, 0.5).size(), 3u);   // 2 >= 0.5 * 4
  EXPECT_EQ(consecutive_segments(x, 4, 0.75).size(), 2u);  // 2 < 3
  const auto all = consecutive_segments(x, 4, 0.1);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2], (std::vector<float>{9, 10, 0, 0}));
  EXPECT_EQ(consecutive_segments(x, 4, 1.0).size(), 2u);  // only whole segments
}

TEST(AudioSegmentsMore, ExactMultipleHasNoPaddedSegment) {
  const auto segments = consecutive_segments(ramp(12), 4, 0.01);
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments[2], (std::vector<float>{9, 10, 11, 12}));
}

TEST(AudioSegmentsMore, ShortSignalAlwaysGivesOneSegment) {
  const auto one = consecutive_segments(ramp(1), 100, 1.0);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0][0], 1.0f);
  EXPECT_EQ(one[0].size(), 100u);
}

TEST(AudioSegmentsMore, CentreCropOfAnOddExcessRoundsTheStartDown) {
  EXPECT_EQ(centre_crop_or_pad(ramp(6), 3), (std::vector<float>{2, 3, 4}));  // excess 3: start 1
  EXPECT_EQ(centre_crop_or_pad(ramp(3), 3), (std::vector<float>{1, 2, 3}));
}

TEST(AudioSegmentsMore, BadArgumentsThrow) {
  EXPECT_THROW(consecutive_segments(ramp(4), 0), std::invalid_argument);
  EXPECT_THROW(consecutive_segments(ramp(4), 2, 0.0), std::invalid_argument);
  EXPECT_THROW(consecutive_segments(ramp(4), 2, 1.5), std::invalid_argument);
  EXPECT_THROW(centre_crop_or_pad(ramp(4), 0), std::invalid_argument);
}

}  // namespace
}  // namespace musictag::preprocess
