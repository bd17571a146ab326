// The model zoo (Won et al. 2020's spectrogram models) through the registry: the spec's exact parameter counts,
// state names as Won's code has them, the paper's input shapes, reduced versions, config errors naming keys,
// every BatchNorm reachable by SyncBatchNorm, clones, and a few training steps that fit a fixed batch.
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <map>
#include <set>
#include <string>

#include "cluster/errors.h"
#include "config_test_support.h"
#include "train/models/model_config.h"
#include "train/models/model_registry.h"

namespace musictag::train {
namespace {

using test::state_names;

ModelConfig read(const std::string& yaml) { return test::read_section<ModelConfig>(yaml, "model", "zoo.yaml"); }

std::string config_error_of(const std::string& yaml) {
  return test::config_error_of([&] { read(yaml); });
}

// Trainable parameters for 50 tags, from ../shared/models-won2020.md (each re-created in PyTorch by the spec's
// author) and, for crnn, Choi et al.'s model as this project ports it (tests/train/crnn_test.cpp).
const std::map<std::string, int64_t> kParametersFor50Tags = {
    {"crnn", 394290},
    {"fcn", 447732},
    {"musicnn", 784300},
    {"crnn_won", 394100},
    {"short_chunk_cnn", 3687348},
    {"short_chunk_resnet", 12104244},
    {"self_attention", 10521652},
    {"sample_cnn", 1869874},
    {"sample_cnn_se", 6951858},
    {"harmonic_cnn", 3631551},
};

TEST(ModelZoo, EveryKindHasTheSpecsParameterCountAndTakesThePapersInput) {
  for (const auto& name : model_kind_names()) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(kParametersFor50Tags.count(name)) << "a registered kind without a reference parameter count";
    const ModelConfig config = read("model: {kind: " + name + "}");
    torch::manual_seed(0);
    const TaggingModel model = config.build(50);
    EXPECT_EQ(model->kind(), name);
    EXPECT_EQ(model->parameter_count(), kParametersFor50Tags.at(name));
    model->eval();
    torch::NoGradGuard no_grad;
    const auto logits = model->forward(torch::randn(model->input_shape(2)));  // waveform kinds: [2, n_samples]
    EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, 50}));
    EXPECT_TRUE(torch::isfinite(logits).all().item<bool>());
  }
}

TEST(ModelZoo, StateNamesFollowWonsCode) {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"fcn", {"spec_bn.weight", "layer1.conv.weight", "layer1.bn.running_mean", "layer5.conv.bias", "dense.weight"}},
      {"musicnn",
       {"layers.0.conv.weight", "layers.1.bn.running_mean", "layers.4.conv.bias", "layer3.bn.weight", "dense2.bias"}},
      {"crnn_won", {"spec_bn.weight", "layer4.bn.weight", "layer5.weight_ih_l0", "layer5.weight_hh_l1", "dense.bias"}},
      {"short_chunk_cnn", {"spec_bn.bias", "layer7.conv.weight", "dense1.weight", "bn.running_var", "dense2.weight"}},
      {"self_attention",
       {"vec_cls", "layer7.conv_3.weight", "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.1.output.LayerNorm.bias", "pooler.dense.weight"}},
      {"short_chunk_resnet",
       {"layer1.conv_1.weight", "layer1.bn_2.weight", "layer7.conv_3.weight", "layer7.bn_3.running_mean",
        "dense2.bias"}},
  };
  for (const auto& [name, keys] : expected) {
    const auto names = state_names(*read("model: {kind: " + name + "}").build(50));
    for (const auto& key : keys) EXPECT_TRUE(names.count(key)) << name << " has no '" << key << "'";
  }
}

TEST(ModelZoo, ReducedVersionsFitTheDemoInputAndRebuildFromTheirOptions) {
  const std::vector<std::string> reduced = {
      "model: {kind: fcn, n_frames: 256, conv_channels: [8, 16, 16, 8], pool_sizes: [2x4, 2x4, 4x4, 6x4]}",
      "model: {kind: crnn_won, n_frames: 256, conv_channels: [8, 16, 16, 16], gru_hidden: 8}",
      "model: {kind: musicnn, n_frames: 256, timbral_channels: 16, temporal_channels: 8, backend_channels: 16, "
      "dense_channels: 32}",
      "model: {kind: short_chunk_cnn, n_mels: 96, n_frames: 256, conv_channels: [8, 16, 16, 32, 32, 32]}",
      "model: {kind: short_chunk_resnet, n_mels: 96, n_frames: 256, conv_channels: [8, 8, 16, 16, 16, 16, 32]}",
      "model: {kind: self_attention, n_mels: 96, n_frames: 256, conv_channels: [8, 8, 16, 16, 16, 16, 16], "
      "intermediate_size: 32}",
  };
  for (const auto& yaml : reduced) {
    SCOPED_TRACE(yaml);
    const ModelConfig config = read(yaml);
    torch::manual_seed(1);
    const TaggingModel model = config.build(12);
    EXPECT_LT(model->parameter_count(), 60000);
    // What a checkpoint stores rebuilds the same structure; clone() copies the values.
    const TaggingModel rebuilt = make_model(model->kind(), model->options_json());
    EXPECT_EQ(state_names(*rebuilt), state_names(*model));
    const auto copy = std::dynamic_pointer_cast<TaggingModelImpl>(model->clone());
    ASSERT_NE(copy, nullptr);
    model->eval();
    copy->eval();
    torch::NoGradGuard no_grad;
    const auto x = torch::randn({3, 96, 256});
    EXPECT_TRUE(torch::equal(model->forward(x), copy->forward(x)));
    EXPECT_EQ(model->forward(x).sizes(), (std::vector<int64_t>{3, 12}));
  }
}

TEST(ModelZoo, ConfigErrorsNameTheKey) {
  // The paper's FCN pools need 4 x 5 x 4 x 4 x 4 = 1280 frames; 256 leave none.
  auto message = config_error_of("model: {kind: fcn, n_frames: 256}");
  EXPECT_NE(message.find("zoo.yaml: model.pool_sizes"), std::string::npos) << message;
  EXPECT_NE(message.find("no time step of n_frames = 256"), std::string::npos) << message;
  message = config_error_of("model: {kind: short_chunk_cnn, n_mels: 96}");  // 7 halvings of 96 leave nothing
  EXPECT_NE(message.find("model.conv_channels"), std::string::npos) << message;
  message = config_error_of("model: {kind: crnn_won, gru_dropout: 0.2}");  // a key of the other CRNN
  EXPECT_NE(message.find("gru_dropout"), std::string::npos) << message;
  message = config_error_of("model: {kind: fcn, dropout: 1.5}");
  EXPECT_NE(message.find("model.dropout"), std::string::npos) << message;
  EXPECT_NE(config_error_of("model: {kind: musicnn2}").find("model.kind"), std::string::npos);
}

TEST(ModelZoo, EveryBatchNormGoesThroughTheSyncBatchNormHookWhileTraining) {
  for (const auto& name : model_kind_names()) {
    SCOPED_TRACE(name);
    const ModelConfig config = read("model: {kind: " + name + "}");
    if (config.input() == ModelInput::waveform) continue;  // reduced versions in waveform_models_test.cpp
    const TaggingModel model = config.build(5);
    int64_t batch_norms = 0;
    for (const auto& module : model->modules(/*include_self=*/false))
      if (module->as<torch::nn::BatchNorm1d>() || module->as<torch::nn::BatchNorm2d>()) ++batch_norms;
    int64_t calls = 0;
    model->batch_norm_override = [&calls](const torch::Tensor& x, const BatchNormState& state) {
      ++calls;
      return torch::batch_norm(x, state.weight, state.bias, state.running_mean, state.running_var, true, state.momentum,
                               state.eps, false);
    };
    model->train();
    model->forward(torch::randn({2, config.n_mels(), config.n_frames()}));
    EXPECT_GT(batch_norms, 0);
    EXPECT_EQ(calls, batch_norms);
    calls = 0;
    model->eval();  // running statistics: the hook is not used
    model->forward(torch::randn({2, config.n_mels(), config.n_frames()}));
    EXPECT_EQ(calls, 0);
  }
}

TEST(ModelZoo, ReducedModelsFitAFixedBatch) {
  // Real gradients through every layer: 30 Adam steps on one batch must cut the loss by at least half.
  const std::vector<std::string> reduced = {
      "model: {kind: fcn, n_frames: 64, conv_channels: [8, 8], pool_sizes: [4x4, 4x4], dropout: 0}",
      "model: {kind: crnn_won, n_frames: 64, conv_channels: [8, 8], pool_sizes: [4x4, 4x4], gru_hidden: 8, "
      "dropout: 0}",
      "model: {kind: musicnn, n_mels: 32, n_frames: 64, timbral_channels: 8, temporal_channels: 4, "
      "backend_channels: 8, dense_channels: 16, dropout: 0}",
      "model: {kind: short_chunk_cnn, n_mels: 32, n_frames: 64, conv_channels: [8, 8, 16], dropout: 0}",
      "model: {kind: short_chunk_resnet, n_mels: 32, n_frames: 64, conv_channels: [8, 8, 16], dropout: 0}",
      "model: {kind: self_attention, n_mels: 32, n_frames: 64, conv_channels: [8, 8, 16], intermediate_size: 16, "
      "hidden_dropout: 0, attention_dropout: 0, dropout: 0}",
  };
  for (const auto& yaml : reduced) {
    SCOPED_TRACE(yaml);
    const ModelConfig config = read(yaml);
    torch::manual_seed(2);
    const TaggingModel model = config.build(4);
    const auto x = torch::randn({8, config.n_mels(), config.n_frames()});
    const auto y = (torch::rand({8, 4}) > 0.5).to(torch::kFloat);
    torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(1e-2));
    model->train();
    double first = 0.0, last = 0.0;
    for (int step = 0; step < 30; ++step) {
      adam.zero_grad();
      const auto loss = torch::nn::functional::binary_cross_entropy_with_logits(model->forward(x), y);
      loss.backward();
      adam.step();
      (step == 0 ? first : last) = loss.item<double>();
    }
    EXPECT_LT(last, 0.5 * first) << "loss " << first << " -> " << last;
  }
}

}  // namespace
}  // namespace musictag::train
