// FeatureConfig: Choi et al. defaults, derived frame counts, range and cross-key errors naming the key, JSON round
// trip.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "preprocess/features/feature_config.h"

namespace musictag::preprocess {
namespace {

FeatureConfig parse(const std::string& yaml) {
  auto file = cluster::ConfigFile::from_string(yaml, "test.yaml");
  auto config = FeatureConfig::from(file.section("features"));
  file.finish();
  return config;
}

// Expects a ConfigError whose message contains every one of `parts`.
void expect_error(const std::string& yaml, const std::vector<std::string>& parts) {
  try {
    parse(yaml);
    FAIL() << "expected a ConfigError for " << yaml;
  } catch (const ConfigError& e) {
    for (const auto& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << "'" << e.what() << "' lacks '" << part << "'";
  }
}

TEST(FeatureConfig, DefaultsFollowChoiEtAl) {
  const auto c = parse("features: {}");
  EXPECT_EQ(c.sample_rate, 12000);
  EXPECT_EQ(c.n_fft, 512);
  EXPECT_EQ(c.hop_length, 256);
  EXPECT_EQ(c.n_mels, 96);
  EXPECT_EQ(c.fmin, 0.0);
  EXPECT_EQ(c.fmax, 0.0);
  EXPECT_EQ(c.fmax_hz(), 6000.0);
  EXPECT_EQ(c.mel_scale, MelScale::slaney);
  EXPECT_EQ(c.mel_norm, MelNorm::slaney);
  EXPECT_EQ(c.window, "hann");
  EXPECT_TRUE(c.center);
  EXPECT_EQ(c.power, 2.0);
  EXPECT_EQ(c.amin, 1e-10);
  EXPECT_EQ(c.ref, 1.0);
  EXPECT_EQ(c.top_db, 0.0);
  EXPECT_DOUBLE_EQ(c.segment_seconds, 29.12);
  EXPECT_EQ(c.n_bins(), 257);
  EXPECT_EQ(c.segment_samples(), 349440);
  EXPECT_EQ(c.segment_frames(), 1366);
  EXPECT_EQ(parse("").to_json(), FeatureConfig{}.to_json());  // no section at all = the struct's defaults
}

TEST(FeatureConfig, ReadsEveryKey) {
  const auto c = parse(
      "features: {sample_rate: 16000, n_fft: 400, hop_length: 160, n_mels: 40, fmin: 20, fmax: 7600, "
      "mel_scale: htk, mel_norm: none, window: hann, center: false, power: 1, amin: 1e-5, ref: 2.0, top_db: 80, "
      "segment_seconds: 10}");
  EXPECT_EQ(c.sample_rate, 16000);
  EXPECT_EQ(c.n_fft, 400);
  EXPECT_EQ(c.hop_length, 160);
  EXPECT_EQ(c.n_mels, 40);
  EXPECT_EQ(c.fmin, 20.0);
  EXPECT_EQ(c.fmax_hz(), 7600.0);
  EXPECT_EQ(c.mel_scale, MelScale::htk);
  EXPECT_EQ(c.mel_norm, MelNorm::none);
  EXPECT_FALSE(c.center);
  EXPECT_EQ(c.power, 1.0);
  EXPECT_EQ(c.amin, 1e-5);
  EXPECT_EQ(c.ref, 2.0);
  EXPECT_EQ(c.top_db, 80.0);
  EXPECT_EQ(c.segment_samples(), 160000);
  EXPECT_EQ(c.segment_frames(), 1 + (160000 - 400) / 160);  // not centred
}

TEST(FeatureConfig, FrameCounts) {
  FeatureConfig c;
  EXPECT_EQ(c.n_frames(0), 1);
  EXPECT_EQ(c.n_frames(255), 1);
  EXPECT_EQ(c.n_frames(256), 2);
  EXPECT_EQ(c.n_frames(30 * 12000), 1 + 360000 / 256);
  c.center = false;
  EXPECT_EQ(c.n_frames(511), 0);
  EXPECT_EQ(c.n_frames(512), 1);
  EXPECT_EQ(c.n_frames(1023), 2);
}

TEST(FeatureConfig, OutOfRangeValuesNameTheKey) {
  expect_error("features: {n_mels: 0}", {"test.yaml", "features.n_mels", "[1,1024]", "0"});
  expect_error("features: {sample_rate: 500}", {"features.sample_rate", "[1000,192000]", "500"});
  expect_error("features: {amin: 0}", {"features.amin", "(0,inf)"});
  expect_error("features: {mel_scale: mel}", {"features.mel_scale", "{slaney,htk}", "mel"});
  expect_error("features: {window: hamming}", {"features.window", "{hann}"});
  expect_error("features: {top_db: -1}", {"features.top_db", "[0,inf)"});
}

TEST(FeatureConfig, CrossKeyRulesNameTheKey) {
  expect_error("features: {fmax: 8000}", {"features.fmax", "sample_rate/2", "6000", "8000"});
  expect_error("features: {fmin: 7000, fmax: 6000}", {"features.fmin", "< fmax"});
  expect_error("features: {n_fft: 511}", {"features.n_fft", "even", "511"});
  expect_error("features: {hop_length: 1024}", {"features.hop_length", "n_fft (512)", "1024"});
  expect_error("features: {n_mels: 300}", {"features.n_mels", "without any of the 257 FFT bins"});
  expect_error("features: {center: false, segment_seconds: 0.01}", {"features.segment_seconds", "shorter than"});
  // A bigger n_fft makes the same sample rate and fmax valid for more bands.
  EXPECT_EQ(parse("features: {sample_rate: 16000, n_fft: 2048, n_mels: 128}").n_mels, 128);
}

TEST(FeatureConfig, UnknownKeyIsRefused) {
  expect_error("features: {n_mel: 64}", {"unknown key", "n_mel", "features"});
}

TEST(FeatureConfig, JsonRoundTrip) {
  const auto c = parse(
      "features: {sample_rate: 16000, n_fft: 400, hop_length: 160, n_mels: 40, fmax: 7600.5, "
      "mel_scale: htk, amin: 1e-7, top_db: 80, segment_seconds: 29.12}");
  const auto json = c.to_json();
  EXPECT_EQ(json.at("segment_frames"), c.segment_frames());
  EXPECT_EQ(json.at("pad_mode"), "constant");
  const auto back = FeatureConfig::from_json(json);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_EQ(back.fmax, 7600.5);
  EXPECT_EQ(back.amin, 1e-7);
  EXPECT_EQ(back.segment_seconds, 29.12);

  auto bad = json;
  bad["fmax"] = 9000.0;
  EXPECT_THROW(FeatureConfig::from_json(bad), ConfigError);
  EXPECT_THROW(FeatureConfig::from_json(nlohmann::json::array()), ConfigError);
}

}  // namespace
}  // namespace musictag::preprocess
