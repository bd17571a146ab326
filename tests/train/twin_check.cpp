// Compares a C++ model with its PyTorch twin's fixture case: state names, logits, loss, gradients, running stats.
#include "twin_check.h"

#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>

#include <algorithm>
#include <iostream>
#include <vector>

namespace musictag::test {
namespace {

template <typename Dict>
std::vector<std::string> keys_of(const Dict& dict) {
  std::vector<std::string> names;
  for (const auto& item : dict) names.push_back(item.key());
  return names;
}

std::vector<std::string> names_of(const std::vector<std::pair<std::string, torch::Tensor>>& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item.first);
  return names;
}

void expect_close(const torch::Tensor& actual, const torch::Tensor& expected, const std::string& what,
                  double& worst_abs) {
  const auto c = compare(actual, expected, kTwinAbs, kTwinRel);
  worst_abs = std::max(worst_abs, c.max_abs);
  EXPECT_TRUE(c.ok) << what << ": max |diff| " << c.max_abs << ", max rel " << c.max_rel << " (tolerance " << kTwinAbs
                    << " abs + " << kTwinRel << " rel)";
}

// Copies every state/<key> tensor into the parameter or buffer of that name; all must exist with equal shape.
void load_state(train::TaggingModelImpl& model, const TensorCase& c) {
  torch::NoGradGuard no_grad;
  auto params = model.named_parameters();
  auto buffers = model.named_buffers();
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

}  // namespace

void expect_matches_twin(train::TaggingModelImpl& model, const TensorCase& c, const std::string& label) {
  // Same names in the same registration order as PyTorch's named_parameters() / named_buffers().
  EXPECT_EQ(keys_of(model.named_parameters()), names_of(c.with_prefix("grad/")));
  EXPECT_EQ(keys_of(model.named_buffers()), names_of(c.with_prefix("after/")));
  load_state(model, c);
  if (::testing::Test::HasFatalFailure()) return;

  double worst_logits = 0, worst_grads = 0, worst_buffers = 0;
  const auto& input = c.at("input");
  model.eval();
  {
    torch::NoGradGuard no_grad;
    expect_close(model.forward(input), c.at("eval_logits"), "eval logits", worst_logits);
  }
  model.train();
  const auto logits = model.forward(input);
  expect_close(logits, c.at("train_logits"), "train logits", worst_logits);
  const auto loss = torch::nn::functional::binary_cross_entropy_with_logits(logits, c.at("targets"));
  expect_close(loss.reshape({1}), c.at("loss"), "loss", worst_logits);
  loss.backward();
  // named_parameters() / named_buffers() return dictionaries by value: copy the tensor handle out of the temporary.
  for (const auto& [name, grad] : c.with_prefix("grad/")) {
    const torch::Tensor param = model.named_parameters()[name];
    ASSERT_TRUE(param.grad().defined()) << name;
    expect_close(param.grad(), grad, "grad of " + name, worst_grads);
  }
  for (const auto& [name, value] : c.with_prefix("after/")) {
    const torch::Tensor buffer = model.named_buffers()[name];
    if (value.scalar_type() == torch::kInt64)
      EXPECT_TRUE(torch::equal(buffer, value)) << name;
    else
      expect_close(buffer, value, "buffer " + name + " after the train-mode forward", worst_buffers);
  }
  std::cout << label << ": max |C++ - PyTorch| logits/loss " << worst_logits << ", gradients " << worst_grads
            << ", running stats " << worst_buffers << "\n";
}

}  // namespace musictag::test
