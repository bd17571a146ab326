// ConfigFlags: --config, repeated --set, --print-config and the --help footer, through a real CLI11 parse.
#include <gtest/gtest.h>

#include "cluster/command_line.h"
#include "cluster/errors.h"
#include "example_config.h"

namespace musictag::cluster {
namespace {

struct Parsed {
  test::ExampleConfig config;
  ConfigFlags flags;
};

void parse(Parsed& parsed, std::vector<std::string> args) {
  CLI::App app{"test"};
  parsed.flags.add_to(app, [&parsed](ConfigFile& file) { parsed.config = test::read_example(file); });
  args.insert(args.begin(), "prog");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  app.parse(static_cast<int>(argv.size()), argv.data());
  parsed.flags.load();
}

TEST(ConfigFlags, RepeatedSetOverridesAllApply) {
  Parsed parsed;
  parse(parsed, {"--set", "features.sample_rate=16000", "--set", "features.mel_scale=htk"});
  EXPECT_EQ(parsed.config.sample_rate, 16000);
  EXPECT_EQ(parsed.config.mel_scale, "htk");
  EXPECT_FALSE(parsed.flags.print_only());
}

TEST(ConfigFlags, PrintConfigFlag) {
  Parsed parsed;
  parse(parsed, {"--print-config"});
  EXPECT_TRUE(parsed.flags.print_only());
}

TEST(ConfigFlags, BadOverrideValueIsAConfigError) {
  Parsed parsed;
  EXPECT_THROW(parse(parsed, {"--set", "features.sample_rate=-5"}), ConfigError);
}

TEST(ConfigFlags, MissingConfigFileIsAConfigError) {
  Parsed parsed;
  EXPECT_THROW(parse(parsed, {"--config", "/nonexistent/musictag.yaml"}), ConfigError);
}

TEST(ConfigFlags, HelpFooterListsKeys) {
  test::ExampleConfig sink;
  const auto text = describe_config_keys([&sink](ConfigFile& file) { sink = test::read_example(file); });
  EXPECT_NE(text.find("learning_rate"), std::string::npos) << text;
  EXPECT_NE(text.find("Pitch-shift variants"), std::string::npos) << text;
}

}  // namespace
}  // namespace musictag::cluster
