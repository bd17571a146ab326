// AugmentConfig: the variants' order and the keys' checks.
#include <gtest/gtest.h>

#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "preprocess/augment_config.h"

namespace musictag::preprocess {
namespace {

AugmentConfig parse(const std::string& yaml) {
  auto file = cluster::ConfigFile::from_string(yaml, "augment.yaml");
  auto config = AugmentConfig::from(file.section("augment"));
  file.finish();
  return config;
}

TEST(AugmentConfig, NoKeysMeansOnlyTheOriginal) {
  const auto variants = parse("{}").variants();
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_TRUE(variants[0].is_original());
}

TEST(AugmentConfig, EachAloneStretchesThenShifts) {
  const auto v = parse("augment: {time_stretches: [0.9, 1.1], pitch_shifts: [-2]}").variants();
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[1].time_stretch, 0.9);
  EXPECT_EQ(v[2].time_stretch, 1.1);
  EXPECT_EQ(v[3].pitch_shift, -2.0);
  EXPECT_EQ(v[3].time_stretch, 1.0);
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i].index, static_cast<int16_t>(i));
}

TEST(AugmentConfig, CombineMakesEveryPair) {
  const auto v = parse("augment: {time_stretches: [0.9, 1.1], pitch_shifts: [-2, 2], combine: true}").variants();
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[2].time_stretch, 0.9);
  EXPECT_EQ(v[2].pitch_shift, 2.0);
}

TEST(AugmentConfig, BadValuesNameTheKey) {
  for (const char* yaml : {"augment: {time_stretches: [3]}", "augment: {pitch_shifts: [0]}",
                           "augment: {splits: [train]}", "augment: {combine: true, pitch_shifts: [1]}"}) {
    try {
      parse(yaml);
      FAIL() << yaml;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("augment."), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace musictag::preprocess
