// ConfigSection: typed getters, ranges, choices, unknown keys, and the messages that name file and key.
#include <gtest/gtest.h>

#include "cluster/errors.h"
#include "example_config.h"

namespace musictag::cluster {
namespace {

using test::ExampleConfig;

// Runs `body` expecting a ConfigError whose message contains every one of `parts`.
template <typename F>
void expect_config_error(F body, const std::vector<std::string>& parts) {
  try {
    body();
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    for (const auto& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "message '" << e.what() << "' lacks '" << part << "'";
  }
}

ExampleConfig parse(const std::string& yaml) {
  auto file = ConfigFile::from_string(yaml, "test.yaml");
  auto config = test::read_example(file);
  file.finish();
  return config;
}

TEST(ConfigSection, MissingKeysTakeDefaults) {
  const auto c = parse("features: {}");
  EXPECT_EQ(c.sample_rate, 12000);
  EXPECT_DOUBLE_EQ(c.learning_rate, 1e-3);
  EXPECT_EQ(c.mel_scale, "slaney");
  EXPECT_TRUE(c.shuffle);
  EXPECT_TRUE(c.pitch_shifts.empty());
}

TEST(ConfigSection, ReadsEveryType) {
  const auto c = parse(
      "features: {sample_rate: 22050, learning_rate: 0.01, mel_scale: htk, shuffle: false, "
      "pitch_shifts: [-2, 2.5]}");
  EXPECT_EQ(c.sample_rate, 22050);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.01);
  EXPECT_EQ(c.mel_scale, "htk");
  EXPECT_FALSE(c.shuffle);
  EXPECT_EQ(c.pitch_shifts, (std::vector<double>{-2.0, 2.5}));
}

TEST(ConfigSection, MisspeltKeyIsRefusedNamingKeyAndFile) {
  expect_config_error([] { parse("features: {sample_rat: 22050}"); },
                      {"test.yaml", "sample_rat", "features", "known keys", "sample_rate"});
}

TEST(ConfigSection, MisspeltKeyNamesTheClosestKnownKey) {
  expect_config_error([] { parse("features: {sample_rat: 22050}"); }, {"did you mean sample_rate (not sample_rat)"});
  expect_config_error([] { parse("features: {lerning_rate: 0.1}"); }, {"did you mean learning_rate"});
  try {
    parse("features: {banana: 1}");  // nothing close: no guess
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("did you mean"), std::string::npos) << e.what();
  }
  expect_config_error([] { parse("trian: {epochs: 1}"); }, {"unknown section 'trian'; did you mean train"});
  EXPECT_EQ(edit_distance("learning_rat", "learning_rate"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("trian", "train"), 1u);  // a swap of neighbours is one edit
  EXPECT_EQ(closest_name("epoch", {"epochs", "seed"}), "epochs");
  EXPECT_EQ(closest_name("xyz", {"epochs", "seed"}), "");
}

TEST(ConfigSection, WrongTypeNamesKeyAndValue) {
  expect_config_error([] { parse("features: {sample_rate: fast}"); },
                      {"test.yaml", "features.sample_rate", "integer", "'fast'"});
  expect_config_error([] { parse("features: {sample_rate: 12000.5}"); }, {"features.sample_rate", "12000.5"});
  expect_config_error([] { parse("features: {shuffle: 3}"); }, {"features.shuffle", "true or false"});
  expect_config_error([] { parse("features: {pitch_shifts: {a: 1}}"); }, {"features.pitch_shifts", "list"});
}

TEST(ConfigSection, OutOfRangeNamesKeyRangeAndValue) {
  expect_config_error([] { parse("features: {sample_rate: 500}"); },
                      {"test.yaml", "features.sample_rate", "[1000,192000]", "500"});
  expect_config_error([] { parse("features: {learning_rate: 0}"); }, {"features.learning_rate", "(0,inf)", "0"});
  expect_config_error([] { parse("features: {pitch_shifts: [1, 13]}"); }, {"features.pitch_shifts", "13"});
}

TEST(ConfigSection, ChoiceOutsideSetIsRefused) {
  expect_config_error([] { parse("features: {mel_scale: bark}"); }, {"features.mel_scale", "{slaney,htk}", "bark"});
}

TEST(ConfigSection, SectionThatIsNotAMappingIsRefused) {
  expect_config_error([] { parse("features: 3"); }, {"test.yaml", "features", "mapping"});
}

TEST(ConfigSection, SingleValueStandsForAListOfOne) {
  EXPECT_EQ(parse("features: {pitch_shifts: 2}").pitch_shifts, (std::vector<double>{2.0}));
}

TEST(Range, ParsesOpenAndClosedBounds) {
  const auto r = Range::parse("(0,1]");
  EXPECT_FALSE(r.contains(0.0));
  EXPECT_TRUE(r.contains(1e-12));
  EXPECT_TRUE(r.contains(1.0));
  EXPECT_FALSE(r.contains(1.0 + 1e-12));
  EXPECT_FALSE(Range::parse("[0,inf)").contains(-1e-300));
  EXPECT_TRUE(Range::parse("[0,inf)").contains(1e300));
  EXPECT_TRUE(Range::parse("").contains(-1e300));
  EXPECT_FALSE(Range::parse("[0,1]").contains(std::nan("")));
  EXPECT_THROW(Range::parse("0,1"), ConfigError);
  EXPECT_THROW(Range::parse("[a,1]"), ConfigError);
}

}  // namespace
}  // namespace musictag::cluster
