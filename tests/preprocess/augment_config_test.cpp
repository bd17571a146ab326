// AugmentConfig: the variants' order (full combine order included), the range bounds, and messages that name
// the key, the allowed range and the value.
#include <gtest/gtest.h>

#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "preprocess/audio/augment_config.h"

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

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AudioAugmentConfig, CombineIsStretchMajorWithIndicesInOrder) {
  const auto v = parse("augment: {time_stretches: [0.9, 1.1], pitch_shifts: [-2, 2], combine: true}").variants();
  const std::vector<std::pair<double, double>> expected = {{1.0, 0.0}, {0.9, -2}, {0.9, 2}, {1.1, -2}, {1.1, 2}};
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(v[i].index, static_cast<int16_t>(i));
    EXPECT_EQ(v[i].time_stretch, expected[i].first) << i;
    EXPECT_EQ(v[i].pitch_shift, expected[i].second) << i;
    EXPECT_EQ(v[i].is_original(), i == 0);
  }
}

TEST(AudioAugmentConfig, RangeBoundsAreAccepted) {
  const auto c = parse("augment: {time_stretches: [0.5, 2], pitch_shifts: [-12, 12], splits: [training, test]}");
  EXPECT_EQ(c.variants().size(), 5u);
  EXPECT_EQ(c.splits, (std::vector<std::string>{"training", "test"}));
  EXPECT_EQ(parse("{}").splits, (std::vector<std::string>{"training"}));
}

TEST(AudioAugmentConfig, ErrorsNameTheKeyTheRangeAndTheValue) {
  const struct {
    const char* yaml;
    std::vector<std::string> parts;
  } cases[] = {
      {"augment: {time_stretches: [1.1, 2.5]}", {"augment.time_stretches", "[0.5,2]", "2.5"}},
      {"augment: {time_stretches: [0.25]}", {"augment.time_stretches", "[0.5,2]", "0.25"}},
      {"augment: {pitch_shifts: [13]}", {"augment.pitch_shifts", "[-12,12]", "13"}},
      {"augment: {pitch_shifts: [-2, -2]}", {"augment.pitch_shifts", "-2 twice"}},
      {"augment: {time_stretches: [1]}", {"augment.time_stretches", "original"}},
      {"augment: {splits: [train]}", {"augment.splits", "'train'"}},
      {"augment: {combine: true, time_stretches: [1.1]}", {"augment.combine", "pitch_shifts"}},
      {"augment: {combine: yes please}", {"augment.combine"}},
      {"augment: {time_stretch: [1.1]}", {"time_stretch"}},  // a typo is refused, never silently ignored
  };
  for (const auto& c : cases) {
    const std::string message = error_of(c.yaml);
    for (const auto& part : c.parts) EXPECT_NE(message.find(part), std::string::npos) << c.yaml << " → " << message;
  }
}

}  // namespace
}  // namespace musictag::preprocess
