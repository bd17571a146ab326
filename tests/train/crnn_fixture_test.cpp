// Crnn against its PyTorch twin (scripts/dev/make_crnn_fixture.py) on the same libtorch: names, logits, gradients.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>

#include <iostream>

#include "tensor_fixture.h"
#include "train/models/crnn.h"

namespace musictag::train {
namespace {

// Python and C++ run the same ATen kernels single-threaded, so differences are at most a few float32 ulps;
// 1e-5 abs + 1e-5 rel leaves room for a different summation order (e.g. other thread counts).
constexpr double kAbs = 1e-5, kRel = 1e-5;

CrnnOptions options_of(const nlohmann::json& model) {
  std::vector<PoolSize> pools;
  for (const auto& p : model.at("pool_sizes")) pools.push_back({p.at(0).get<int64_t>(), p.at(1).get<int64_t>()});
  return CrnnOptions(model.at("n_tags").get<int64_t>())
      .n_mels(model.at("n_mels").get<int64_t>())
      .conv_channels(model.at("conv_channels").get<std::vector<int64_t>>())
      .pool_sizes(pools)
      .gru_hidden(model.at("gru_hidden").get<int64_t>())
      .gru_layers(model.at("gru_layers").get<int64_t>())
      .conv_dropout(model.at("conv_dropout").get<double>())
      .gru_dropout(model.at("gru_dropout").get<double>());
}

std::vector<std::string> names_of(const std::vector<std::pair<std::string, torch::Tensor>>& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item.first);
  return names;
}

template <typename Dict>
std::vector<std::string> keys_of(const Dict& dict) {
  std::vector<std::string> names;
  for (const auto& item : dict) names.push_back(item.key());
  return names;
}

// Copies every state/<key> tensor into the parameter or buffer of that name; all must exist with equal shape.
void load_state(Crnn& model, const test::TensorCase& c) {
  torch::NoGradGuard no_grad;
  auto params = model->named_parameters();
  auto buffers = model->named_buffers();
  size_t loaded = 0;
  for (const auto& [name, value] : c.with_prefix("state/")) {
    torch::Tensor* target = params.find(name);
    if (!target) target = buffers.find(name);
    ASSERT_NE(target, nullptr) << "no C++ parameter or buffer named " << name;
    ASSERT_EQ(target->sizes(), value.sizes()) << name;
    target->copy_(value);
    ++loaded;
  }
  EXPECT_EQ(loaded, params.size() + buffers.size()) << "fixture state must cover every parameter and buffer";
}

void expect_close(const torch::Tensor& actual, const torch::Tensor& expected, const std::string& what,
                  double& worst_abs) {
  const auto c = test::compare(actual, expected, kAbs, kRel);
  worst_abs = std::max(worst_abs, c.max_abs);
  EXPECT_TRUE(c.ok) << what << ": max |diff| " << c.max_abs << ", max rel " << c.max_rel << " (tolerance " << kAbs
                    << " abs + " << kRel << " rel)";
}

class CrnnFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CrnnFixture, MatchesPyTorch) {
  at::set_num_threads(1);
  const auto cases = test::load_tensor_fixture(test::fixture_dir("crnn"));
  const auto found = std::find_if(cases.begin(), cases.end(), [&](const auto& c) { return c.name == GetParam(); });
  ASSERT_NE(found, cases.end()) << "no fixture case " << GetParam();
  const test::TensorCase& c = *found;

  Crnn model(options_of(c.info.at("model")));
  // Same names in the same registration order as PyTorch's named_parameters() / named_buffers().
  EXPECT_EQ(keys_of(model->named_parameters()), names_of(c.with_prefix("grad/")));
  EXPECT_EQ(keys_of(model->named_buffers()), names_of(c.with_prefix("after/")));
  load_state(model, c);

  double worst_logits = 0, worst_grads = 0, worst_buffers = 0;
  const auto& input = c.at("input");
  model->eval();
  {
    torch::NoGradGuard no_grad;
    expect_close(model->forward(input), c.at("eval_logits"), "eval logits", worst_logits);
  }
  model->train();
  const auto logits = model->forward(input);
  expect_close(logits, c.at("train_logits"), "train logits", worst_logits);
  const auto loss = torch::nn::functional::binary_cross_entropy_with_logits(logits, c.at("targets"));
  expect_close(loss.reshape({1}), c.at("loss"), "loss", worst_logits);
  loss.backward();
  for (const auto& [name, grad] : c.with_prefix("grad/")) {
    const auto& param = model->named_parameters()[name];
    ASSERT_TRUE(param.grad().defined()) << name;
    expect_close(param.grad(), grad, "grad of " + name, worst_grads);
  }
  for (const auto& [name, value] : c.with_prefix("after/")) {
    const auto& buffer = model->named_buffers()[name];
    if (value.scalar_type() == torch::kInt64)
      EXPECT_TRUE(torch::equal(buffer, value)) << name;
    else
      expect_close(buffer, value, "buffer " + name + " after the train-mode forward", worst_buffers);
  }
  std::cout << GetParam() << ": max |C++ - PyTorch| logits/loss " << worst_logits << ", gradients " << worst_grads
            << ", running stats " << worst_buffers << "\n";
}

INSTANTIATE_TEST_SUITE_P(Cases, CrnnFixture, ::testing::Values("paper_pools", "folded_freq"));

}  // namespace
}  // namespace musictag::train
