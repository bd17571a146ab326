// ModelConfig with the default kind (crnn): section `model` read from YAML, its checks naming keys, the CRNN it builds.
#include <gtest/gtest.h>

#include "cluster/errors.h"
#include "config_test_support.h"
#include "train/models/crnn_config.h"
#include "train/models/model_config.h"

namespace musictag::train {
namespace {

ModelConfig read(const std::string& yaml) { return test::read_section<ModelConfig>(yaml, "model", "test.yaml"); }

// The CRNN options section `model` gives, n_tags resolved against `dataset_tags` (0: as read).
CrnnOptions crnn_of(const ModelConfig& config, int64_t dataset_tags = 0) {
  return crnn_options_from_json(dataset_tags > 0 ? config.options_for(dataset_tags) : config.options);
}

std::string error_of(const std::string& yaml) {
  return test::config_error_of([&] { read(yaml); });
}

TEST(ModelConfig, DefaultsArePapersModel) {
  const auto c = read("{}");
  EXPECT_EQ(c.kind, "crnn");
  EXPECT_EQ(c.n_mels(), 96);
  EXPECT_EQ(c.n_frames(), 1366);
  EXPECT_EQ(c.n_tags(), 0);
  const auto o = crnn_of(c);
  EXPECT_EQ(o.conv_channels(), (std::vector<int64_t>{64, 128, 128, 128}));
  EXPECT_EQ(o.pool_sizes(), default_pool_sizes());
  EXPECT_EQ(o.gru_hidden(), 32);
  EXPECT_EQ(o.gru_layers(), 2);
  EXPECT_DOUBLE_EQ(o.conv_dropout(), 0.1);
  EXPECT_DOUBLE_EQ(o.gru_dropout(), 0.3);
  const TaggingModel model = c.build(50);
  EXPECT_EQ(model->kind(), "crnn");
  EXPECT_EQ(model->parameter_count(), 394290);
  EXPECT_EQ(model->options_json(), c.options_for(50));
  EXPECT_EQ(read("model: {kind: crnn}").options, c.options);
  EXPECT_NE(error_of("model: {kind: resnet}").find("model.kind"), std::string::npos);
}

TEST(ModelConfig, PoolsReadAsListOrAsOneString) {
  const auto list = read("model:\n  pool_sizes: [2x2, '3x3', 4x4, 4x4]\n");
  const auto flat = read("model:\n  pool_sizes: \"2x2, 3x3,4x4,4x4\"\n");
  EXPECT_EQ(crnn_of(list).pool_sizes(), default_pool_sizes());
  EXPECT_EQ(crnn_of(flat).pool_sizes(), default_pool_sizes());
  const auto uneven = read("model:\n  conv_channels: [8, 8]\n  pool_sizes: [4x2, 6x3]\n  n_frames: 6\n");
  EXPECT_EQ(crnn_of(uneven).pool_sizes(), (std::vector<PoolSize>{{4, 2}, {6, 3}}));
  EXPECT_EQ(crnn_of(uneven, 3).freq_out(), 4);
  EXPECT_EQ(crnn_of(uneven, 3).time_out(), 1);
  EXPECT_EQ(uneven.min_frames(), 6);
}

TEST(ModelConfig, LeftoverFrequencyBinsAreFoldedIntoTheGruInput) {
  const auto c = read("model: {n_mels: 48, n_frames: 256, pool_sizes: \"2x2,2x2,2x2,2x2\"}");
  const auto options = crnn_of(c, 10);
  EXPECT_EQ(options.freq_out(), 3);
  EXPECT_EQ(options.time_out(), 16);
  EXPECT_EQ(options.gru_input_size(), 128 * 3);
  Crnn model(options);
  model->eval();
  torch::NoGradGuard no_grad;
  EXPECT_EQ(model->forward(torch::randn({2, 48, 256})).sizes(), (std::vector<int64_t>{2, 10}));
}

TEST(ModelConfig, BadPoolsAreConfigErrorsNamingTheKey) {
  // The paper's pools on 48 mel bins leave none (48 -> 24 -> 8 -> 2 -> 0).
  auto message = error_of("model: {n_mels: 48}");
  EXPECT_NE(message.find("test.yaml: model.pool_sizes"), std::string::npos) << message;
  EXPECT_NE(message.find("n_mels = 48"), std::string::npos) << message;
  EXPECT_NE(message.find("multiply to 96"), std::string::npos) << message;
  message = error_of("model: {n_frames: 64}");
  EXPECT_NE(message.find("model.pool_sizes"), std::string::npos) << message;
  EXPECT_NE(message.find("no time step of n_frames = 64"), std::string::npos) << message;
  message = error_of("model: {pool_sizes: [2x2, 3x3, 4x4]}");
  EXPECT_NE(message.find("model.pool_sizes"), std::string::npos) << message;
  EXPECT_NE(message.find("one pool per conv block (4 in conv_channels), got 3"), std::string::npos) << message;
  for (const char* bad : {"[4by4, 2x2, 2x2, 2x2]", "[0x2, 2x2, 2x2, 2x2]", "[2x, 2x2, 2x2, 2x2]", "'2x2,,2x2,2x2'",
                          "[-2x2, 2x2, 2x2, 2x2]", "[[2, 2], 2x2, 2x2, 2x2]"}) {
    message = error_of(std::string("model: {pool_sizes: ") + bad + "}");
    EXPECT_NE(message.find("model.pool_sizes"), std::string::npos) << bad << ": " << message;
  }
}

TEST(ModelConfig, OtherBadValuesNameTheirKey) {
  EXPECT_NE(error_of("model: {conv_channels: []}").find("model.conv_channels"), std::string::npos);
  EXPECT_NE(error_of("model: {conv_channels: [64, 0, 128, 128]}").find("model.conv_channels"), std::string::npos);
  EXPECT_NE(error_of("model: {gru_dropout: 1.0}").find("model.gru_dropout"), std::string::npos);
  EXPECT_NE(error_of("model: {n_tags: -1}").find("model.n_tags"), std::string::npos);
  EXPECT_NE(error_of("model: {gru_hiden: 16}").find("gru_hiden"), std::string::npos);  // typo refused
}

TEST(ModelConfig, TagCountComesFromTheDatasetUnlessExplicit) {
  EXPECT_EQ(read("{}").options_for(50).at("n_tags"), 50);
  EXPECT_EQ(read("model: {n_tags: 40}").options_for().at("n_tags"), 40);
  EXPECT_EQ(read("model: {n_tags: 40}").options_for(40).at("n_tags"), 40);
  EXPECT_THROW(read("{}").options_for(), ConfigError);
  try {
    read("model: {n_tags: 40}").options_for(50);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("model.n_tags = 40 but the dataset's manifest lists 50"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace musictag::train
