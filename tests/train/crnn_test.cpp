// Crnn: output shape of the paper's model, its parameter count against Choi's, option checks, determinism.
#include <gtest/gtest.h>

#include "cluster/errors.h"
#include "train/models/crnn.h"

namespace musictag::train {
namespace {

// Choi's Keras 1 model (keunwoochoi/music-auto_tagging-keras README, "RecurrentNet": 396,786 parameters).
constexpr int64_t kKerasParameters = 396786;
// This model's trainable parameters for the same shape (crnn.h explains every term).
constexpr int64_t kOurParameters = 394290;

TEST(Crnn, DefaultModelMapsThePapersInputToLogits) {
  Crnn model(CrnnOptions(50));
  EXPECT_EQ(model->options.freq_out(), 1);
  EXPECT_EQ(model->options.time_out(), 14);  // 1366 -> 683 -> 227 -> 56 -> 14 (no zero padding to 1440)
  EXPECT_EQ(model->options.gru_input_size(), 128);
  model->eval();
  torch::NoGradGuard no_grad;
  const auto logits = model->forward(torch::randn({2, 96, 1366}));
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, 50}));
  EXPECT_TRUE(torch::isfinite(logits).all().item<bool>());
  // [B, 1, F, T] is accepted too and means the same.
  const auto x = torch::randn({1, 96, 400});
  EXPECT_TRUE(torch::equal(model->forward(x), model->forward(x.unsqueeze(1))));
}

TEST(Crnn, ParameterCountMatchesChoisWithinOnePercent) {
  Crnn model(CrnnOptions(50));
  const int64_t ours = model->parameter_count();
  EXPECT_EQ(ours, kOurParameters);
  EXPECT_LE(std::abs(ours - kKerasParameters), kKerasParameters / 100) << ours << " vs " << kKerasParameters;

  // Keras 1's count of the same network, rebuilt from this module's tensors: its GRU has no second bias vector
  // (bias_hh), and its input BatchNorm normalised the 1366 + 2 x 37 = 1440 zero-padded time frames (gamma + beta
  // each) instead of our 96 mel bins. That reproduces 396,786 exactly.
  int64_t keras = 0;
  for (const auto& item : model->named_parameters()) {
    const std::string& name = item.key();
    if (name.rfind("gru.bias_hh_", 0) == 0) continue;
    keras += name.rfind("input_bn.", 0) == 0 ? 1440 : item.value().numel();
  }
  EXPECT_EQ(keras, kKerasParameters);

  // BatchNorm running statistics are buffers, not parameters.
  int64_t running = 0;
  for (const auto& item : model->named_buffers())
    if (item.key().find("running_") != std::string::npos) running += item.value().numel();
  EXPECT_EQ(running, 2 * (96 + 64 + 3 * 128));
}

TEST(Crnn, ParametersAreRegisteredInForwardOrder) {
  Crnn model(CrnnOptions(3).conv_channels({4, 4}).pool_sizes({{4, 4}, {4, 4}}).n_frames(64));
  std::vector<std::string> names;
  for (const auto& item : model->named_parameters()) names.push_back(item.key());
  const std::vector<std::string> expected = {
      "input_bn.weight",  "input_bn.bias",    "conv1.weight",   "conv1.bias",     "bn1.weight",
      "bn1.bias",         "conv2.weight",     "conv2.bias",     "bn2.weight",     "bn2.bias",
      "gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0", "gru.bias_hh_l0", "gru.weight_ih_l1",
      "gru.weight_hh_l1", "gru.bias_ih_l1",   "gru.bias_hh_l1", "output.weight",  "output.bias"};
  EXPECT_EQ(names, expected);
}

TEST(Crnn, BadOptionsAreConfigErrorsNamingTheOption) {
  auto message_of = [](const CrnnOptions& options) -> std::string {
    try {
      Crnn model(options);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no ConfigError)";
  };
  // The paper's pools need >= 96 mel bins: 48 -> 24 -> 8 -> 2 -> 0.
  EXPECT_NE(message_of(CrnnOptions(5).n_mels(48)).find("pool_sizes"), std::string::npos);
  EXPECT_NE(message_of(CrnnOptions(5).n_frames(95)).find("no time step"), std::string::npos);
  EXPECT_NE(message_of(CrnnOptions(5).pool_sizes({{2, 2}})).find("one pool per conv block"), std::string::npos);
  EXPECT_NE(message_of(CrnnOptions(0)).find("n_tags"), std::string::npos);
  EXPECT_NE(message_of(CrnnOptions(5).conv_dropout(1.0)).find("conv_dropout"), std::string::npos);
  EXPECT_NE(message_of(CrnnOptions(5).conv_channels({})).find("conv_channels"), std::string::npos);
  EXPECT_NE(message_of(CrnnOptions(5).gru_hidden(0)).find("gru_hidden"), std::string::npos);
}

TEST(Crnn, WrongInputShapeIsADataError) {
  Crnn model(CrnnOptions(5).n_frames(96));
  EXPECT_THROW(model->forward(torch::randn({2, 48, 200})), DataError);  // wrong mel count
  EXPECT_THROW(model->forward(torch::randn({2, 96, 95})), DataError);   // too short for the time pools
  EXPECT_THROW(model->forward(torch::randn({96, 200})), DataError);     // no batch axis
  EXPECT_NO_THROW(model->forward(torch::randn({2, 96, 96})));
}

TEST(Crnn, SeededConstructionAndEvalForwardAreDeterministic) {
  const auto options = CrnnOptions(7).n_frames(192).conv_channels({8, 16, 16, 16});
  torch::manual_seed(3);
  Crnn a(options);
  torch::manual_seed(3);
  Crnn b(options);
  const auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;

  const auto x = torch::randn({3, 96, 192});
  a->eval();
  b->eval();
  torch::NoGradGuard no_grad;
  const auto first = a->forward(x);
  EXPECT_TRUE(torch::equal(first, a->forward(x)));
  EXPECT_TRUE(torch::equal(first, b->forward(x)));
  // clone() copies the parameters into independent tensors.
  auto copy = std::dynamic_pointer_cast<CrnnImpl>(a->clone());
  ASSERT_TRUE(copy);
  copy->eval();
  EXPECT_TRUE(torch::equal(first, copy->forward(x)));
  copy->output->bias.add_(1.0);
  EXPECT_TRUE(torch::equal(first, a->forward(x)));

  // Train mode draws dropout masks; eval mode does not.
  a->train();
  EXPECT_FALSE(torch::equal(a->forward(x), a->forward(x)));
}

TEST(Crnn, SizeVariantsOfTrainReadme) {
  // The size variants only change widths: conv {n, 2n, 2n, 2n}, GRU n/2 (train/README.md, "Size variants").
  auto count = [](int64_t n, int64_t gru) {
    return Crnn(CrnnOptions(50).conv_channels({n, 2 * n, 2 * n, 2 * n}).gru_hidden(gru))->parameter_count();
  };
  EXPECT_EQ(count(32, 16), 99730);
  EXPECT_EQ(count(64, 32), kOurParameters);
  EXPECT_EQ(count(102, 51), 997445);
  EXPECT_EQ(count(178, 89), 3029001);
}

}  // namespace
}  // namespace musictag::train
