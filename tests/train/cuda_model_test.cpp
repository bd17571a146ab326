// CUDA against the CPU for two model kinds: logits, one training step (loss, gradients, SGD update) and bf16 autocast.
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/sgd.h>

#include <fmt/format.h>

#include <string>

#include "cuda_test_support.h"
#include "train/mixed_precision.h"

namespace musictag::train::testing {
namespace {

// Tolerances, stated once. TF32 is off (NoTf32), so CUDA and CPU differ only by float32 rounding in kernels that
// sum in different orders: relative differences of 1e-6..1e-5 in practice; the bounds leave a margin of 10-100x.
constexpr double kLogitsTolerance = 1e-4;    // ||cuda - cpu|| / ||cpu|| of the logits
constexpr double kGradientTolerance = 1e-3;  // of all gradients concatenated (a backward sums more terms)
constexpr double kUpdateTolerance = 1e-5;    // largest |parameter difference| after one SGD step at lr 0.1
// bf16 keeps 8 significant bits (relative rounding 2^-9 = 0.2% per op): measured 0.11% (crnn) and 0.35%
// (short_chunk_resnet) under the CPU's autocast; the GPU's bf16 kernels accumulate differently, so the bound is 5%.
constexpr double kBf16Tolerance = 5e-2;

class CudaModel : public ::testing::TestWithParam<std::string> {};

TEST_P(CudaModel, LogitsMatchTheCpuInEvalMode) {
  MUSICTAG_CUDA_DEVICE_OR_SKIP(device);
  const NoTf32 full_float32;
  TaggingModel cpu = small_model(GetParam());
  auto gpu = std::dynamic_pointer_cast<TaggingModelImpl>(cpu->clone(device));
  cpu->eval();
  gpu->eval();
  const auto [mel, tags] = sample_batch(*cpu, 4);
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = cpu->forward(mel);
  const torch::Tensor logits = gpu->forward(mel.to(device));
  EXPECT_EQ(logits.device(), device);
  const double difference = relative_difference(logits, expected);
  RecordProperty("logits_relative_difference", fmt::format("{:.3g}", difference));  // in the --gtest_output report
  EXPECT_LE(difference, kLogitsTolerance);
}

TEST_P(CudaModel, OneTrainingStepMatchesTheCpu) {
  MUSICTAG_CUDA_DEVICE_OR_SKIP(device);
  const NoTf32 full_float32;
  TaggingModel cpu = small_model(GetParam());
  auto gpu = std::dynamic_pointer_cast<TaggingModelImpl>(cpu->clone(device));
  const auto [mel, tags] = sample_batch(*cpu, 4);
  torch::optim::SGD cpu_sgd(cpu->parameters(), torch::optim::SGDOptions(0.1));
  torch::optim::SGD gpu_sgd(gpu->parameters(), torch::optim::SGDOptions(0.1));

  // Train mode: BatchNorm normalises with the batch's statistics and updates its running ones.
  const torch::Tensor cpu_loss = torch::nn::functional::binary_cross_entropy_with_logits(cpu->forward(mel), tags);
  const torch::Tensor gpu_loss =
      torch::nn::functional::binary_cross_entropy_with_logits(gpu->forward(mel.to(device)), tags.to(device));
  cpu_loss.backward();
  gpu_loss.backward();
  const double loss_difference = relative_difference(gpu_loss, cpu_loss);
  const double gradient_difference = relative_difference(all_gradients(*gpu), all_gradients(*cpu));
  RecordProperty("loss_relative_difference", fmt::format("{:.3g}", loss_difference));
  RecordProperty("gradient_relative_difference", fmt::format("{:.3g}", gradient_difference));
  EXPECT_LE(loss_difference, kLogitsTolerance);
  EXPECT_LE(gradient_difference, kGradientTolerance);
  cpu_sgd.step();
  gpu_sgd.step();

  const auto cpu_parameters = cpu->named_parameters(), gpu_parameters = gpu->named_parameters();
  for (const auto& item : cpu_parameters) {
    const torch::Tensor difference = (gpu_parameters[item.key()].detach().cpu() - item.value().detach()).abs();
    EXPECT_LE(difference.max().item<double>(), kUpdateTolerance) << item.key();
  }
  const auto cpu_buffers = cpu->named_buffers(), gpu_buffers = gpu->named_buffers();
  for (const auto& item : cpu_buffers) {
    if (!item.value().is_floating_point()) continue;  // num_batches_tracked: counted, compared below
    EXPECT_LE(relative_difference(gpu_buffers[item.key()], item.value()), kLogitsTolerance) << item.key();
  }
}

TEST_P(CudaModel, Bf16AutocastStaysCloseToFloat32AndKeepsFloat32Gradients) {
  MUSICTAG_CUDA_DEVICE_OR_SKIP(device);
  TaggingModel model = small_model(GetParam());
  model->to(device);
  model->eval();  // the same normalisation in both passes
  const auto [mel, tags] = sample_batch(*model, 4);
  const torch::Tensor input = mel.to(device);
  torch::Tensor reference;
  {
    torch::NoGradGuard no_grad;
    reference = model->forward(input);
  }
  torch::Tensor logits, loss;
  {
    AutocastScope autocast(device, autocast_dtype(Precision::bf16, device));
    logits = model->forward(input);
    loss = torch::nn::functional::binary_cross_entropy_with_logits(logits.to(torch::kFloat), tags.to(device));
  }
  EXPECT_EQ(logits.scalar_type(), torch::kBFloat16) << "the output layer did not run under bf16 autocast";
  const double difference = relative_difference(logits, reference);
  RecordProperty("bf16_logits_relative_difference", fmt::format("{:.3g}", difference));
  EXPECT_LE(difference, kBf16Tolerance);
  loss.backward();
  for (const auto& p : model->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_EQ(p.value().grad().scalar_type(), torch::kFloat) << p.key();
    EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << p.key();
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, CudaModel, ::testing::Values("crnn", "short_chunk_resnet"));

}  // namespace
}  // namespace musictag::train::testing
