// ConfigFile: loading files, --set overrides, unknown sections, the resolved config and the key listing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cluster/errors.h"
#include "example_config.h"

namespace musictag::cluster {
namespace {

namespace fs = std::filesystem;

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no ConfigError)";
}

fs::path write_file(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigFile, MissingFileIsNamed) {
  const auto message = message_of([] { ConfigFile::load("/no/such/dir/config.yaml"); });
  EXPECT_NE(message.find("/no/such/dir/config.yaml"), std::string::npos) << message;
}

TEST(ConfigFile, InvalidYamlIsNamed) {
  const auto path = write_file("bad.yaml", "features: {sample_rate: [1,\n");
  const auto message = message_of([&] { ConfigFile::load(path.string()); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not valid YAML"), std::string::npos) << message;
  fs::remove(path);
}

TEST(ConfigFile, IncludesMergeKeyByKeyUnderTheIncludingFile) {
  const fs::path folder = fs::temp_directory_path() / ("includes-" + std::to_string(::getpid()));
  fs::create_directories(folder / "common");
  std::ofstream(folder / "common" / "base.yaml") << "train: {epochs: 7, batch_size: 4}\neval: {chunks: 16}\n";
  std::ofstream(folder / "common" / "protocol.yaml") << "include: base.yaml\ntrain: {epochs: 200, seed: 3}\n";
  std::ofstream(folder / "run.yaml") << "include: [common/protocol.yaml]\ntrain: {seed: 5}\nmodel: {kind: fcn}\n";
  const YAML::Node merged = load_config_yaml((folder / "run.yaml").string());
  EXPECT_FALSE(merged["include"].IsDefined());
  EXPECT_EQ(merged["train"]["epochs"].as<int>(), 200);    // protocol.yaml over base.yaml
  EXPECT_EQ(merged["train"]["batch_size"].as<int>(), 4);  // only in base.yaml (nested include, relative to its file)
  EXPECT_EQ(merged["train"]["seed"].as<int>(), 5);        // the including file wins
  EXPECT_EQ(merged["eval"]["chunks"].as<int>(), 16);
  EXPECT_EQ(merged["model"]["kind"].as<std::string>(), "fcn");

  std::ofstream(folder / "a.yaml") << "include: b.yaml\n";
  std::ofstream(folder / "b.yaml") << "include: a.yaml\n";
  const auto cycle = message_of([&] { load_config_yaml((folder / "a.yaml").string()); });
  EXPECT_NE(cycle.find("form a cycle"), std::string::npos) << cycle;
  std::ofstream(folder / "missing.yaml") << "include: nowhere.yaml\n";
  const auto missing = message_of([&] { ConfigFile::load((folder / "missing.yaml").string()); });
  EXPECT_NE(missing.find("nowhere.yaml"), std::string::npos) << missing;
  fs::remove_all(folder);
}

TEST(ConfigFile, LoadsFileAndAppliesOverridesWithTheirTypes) {
  const auto path = write_file("good.yaml", "features:\n  sample_rate: 16000\n  mel_scale: htk\n");
  auto file = ConfigFile::load(path.string());
  file.apply_override("features.sample_rate=22050");
  file.apply_override("features.pitch_shifts=[-1, 1]");
  file.apply_override("features.shuffle=false");
  const auto c = test::read_example(file);
  file.finish();
  EXPECT_EQ(c.sample_rate, 22050);
  EXPECT_EQ(c.mel_scale, "htk");
  EXPECT_EQ(c.pitch_shifts, (std::vector<double>{-1.0, 1.0}));
  EXPECT_FALSE(c.shuffle);
  fs::remove(path);
}

TEST(ConfigFile, OverrideOfAMisspeltKeyIsRefused) {
  auto file = ConfigFile::from_string("{}", "x.yaml");
  file.apply_override("features.sampel_rate=1");
  test::read_example(file);
  const auto message = message_of([&] { file.finish(); });
  EXPECT_NE(message.find("sampel_rate"), std::string::npos) << message;
}

TEST(ConfigFile, MalformedOverridesAreRefused) {
  auto file = ConfigFile::from_string("{}");
  EXPECT_NE(message_of([&] { file.apply_override("sample_rate=1"); }).find("section.key=value"), std::string::npos);
  EXPECT_NE(message_of([&] { file.apply_override("features.sample_rate"); }).find("section.key=value"),
            std::string::npos);
  EXPECT_NE(message_of([&] { file.apply_override("featurez.sample_rate=1"); }).find("unknown section 'featurez'"),
            std::string::npos);
}

TEST(ConfigFile, UnknownSectionIsRefused) {
  auto file = ConfigFile::from_string("trian: {epochs: 3}", "x.yaml");
  const auto message = message_of([&] { file.finish(); });
  EXPECT_NE(message.find("x.yaml"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown section 'trian'"), std::string::npos) << message;
}

TEST(ConfigFile, SectionsOfOtherStagesAreLeftToThem) {
  auto file = ConfigFile::from_string("features: {sample_rate: 16000}\ntrain: {anything: 1}", "x.yaml");
  test::read_example(file);
  EXPECT_NO_THROW(file.finish());
}

TEST(ConfigFile, ResolvedConfigHoldsEveryKeyAndParsesBackToTheSameValues) {
  auto file = ConfigFile::from_string("features: {sample_rate: 16000, pitch_shifts: [2]}");
  const auto first = test::read_example(file);
  const std::string resolved = file.resolved_yaml();
  for (const char* key : {"sample_rate", "learning_rate", "mel_scale", "shuffle", "pitch_shifts"})
    EXPECT_NE(resolved.find(key), std::string::npos) << resolved;
  auto again = ConfigFile::from_string(resolved);
  const auto second = test::read_example(again);
  again.finish();
  EXPECT_EQ(second.sample_rate, first.sample_rate);
  EXPECT_EQ(second.learning_rate, first.learning_rate);
  EXPECT_EQ(second.mel_scale, first.mel_scale);
  EXPECT_EQ(second.shuffle, first.shuffle);
  EXPECT_EQ(second.pitch_shifts, first.pitch_shifts);
}

TEST(ConfigFile, DescribeListsKeysWithDefaultsAndRanges) {
  auto file = ConfigFile::from_string("{}");
  test::read_example(file);
  const auto text = file.describe_keys();
  EXPECT_NE(text.find("features:"), std::string::npos) << text;
  EXPECT_NE(text.find("sample_rate"), std::string::npos) << text;
  EXPECT_NE(text.find("default 12000"), std::string::npos) << text;
  EXPECT_NE(text.find("[1000,192000]"), std::string::npos) << text;
  EXPECT_NE(text.find("{slaney,htk}"), std::string::npos) << text;
}

}  // namespace
}  // namespace musictag::cluster
