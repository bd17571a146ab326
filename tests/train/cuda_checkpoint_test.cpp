// A checkpoint written from a model and Adam on the GPU resumes on the CPU: same tensors, bit for bit, and the run
// continues as on the GPU.
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <string>

#include "checkpoint_test_support.h"
#include "cuda_test_support.h"
#include "train/checkpoint.h"
#include "train/rng_state.h"

namespace musictag::train::testing {
namespace {

// After the resume, one more Adam step on each device from the same state: float32 rounding only (TF32 off). Adam's
// first steps move each weight by about lr = 1e-3 whatever the gradient's size, so a gradient that is nearly zero
// can round to either side: the bound is on the whole update, relative.
constexpr double kContinueTolerance = 1e-3;

void adam_step(TaggingModelImpl& model, torch::optim::Adam& adam, const torch::Tensor& mel, const torch::Tensor& tags) {
  adam.zero_grad();
  torch::nn::functional::binary_cross_entropy_with_logits(model.forward(mel), tags).backward();
  adam.step();
}

const torch::optim::AdamParamState& adam_state(const torch::optim::Adam& adam, const torch::Tensor& parameter) {
  return static_cast<const torch::optim::AdamParamState&>(*adam.state().at(parameter.unsafeGetTensorImpl()));
}

TEST(CudaCheckpoint, WrittenOnTheGpuResumesOnTheCpu) {
  MUSICTAG_CUDA_DEVICE_OR_SKIP(device);
  const NoTf32 full_float32;
  const TempFolder folder;
  const std::string path = folder.at("checkpoint-2.pt");
  TaggingModel gpu = small_model("crnn");
  gpu->to(device);
  torch::optim::Adam gpu_adam(gpu->parameters(), torch::optim::AdamOptions(1e-3));
  const auto [mel, tags] = sample_batch(*gpu, 4);
  for (int step = 0; step < 2; ++step) adam_step(*gpu, gpu_adam, mel.to(device), tags.to(device));

  CheckpointInfo info;
  info.progress.step = 2;
  info.config_yaml = "train: {precision: fp32}\n";
  info.tag_names = {"a", "b", "c", "d", "e"};
  save_checkpoint(path, *gpu, gpu_adam, info, capture_rng_state({{"step", 2}}));

  TaggingModel cpu = small_model("crnn");
  {
    torch::NoGradGuard no_grad;
    for (auto& p : cpu->parameters()) p.zero_();  // so that only the checkpoint can make them equal
  }
  torch::optim::Adam cpu_adam(cpu->parameters(), torch::optim::AdamOptions(1e-3));
  const LoadedCheckpoint loaded = load_checkpoint(path, *cpu, cpu_adam);
  EXPECT_EQ(loaded.metadata.info.progress.step, 2);
  EXPECT_EQ(loaded.rng.counters.at("step"), 2);
  EXPECT_NO_THROW(restore_rng_state(loaded.rng));

  const auto gpu_parameters = gpu->named_parameters();
  for (const auto& item : cpu->named_parameters()) {
    EXPECT_EQ(item.value().device(), torch::Device(torch::kCPU)) << item.key();
    EXPECT_TRUE(torch::equal(item.value(), gpu_parameters[item.key()].cpu())) << item.key();
    const auto& cpu_state = adam_state(cpu_adam, item.value());
    const auto& gpu_state = adam_state(gpu_adam, gpu_parameters[item.key()]);
    EXPECT_EQ(cpu_state.step(), gpu_state.step()) << item.key();
    EXPECT_EQ(cpu_state.exp_avg().device(), torch::Device(torch::kCPU)) << item.key();
    EXPECT_TRUE(torch::equal(cpu_state.exp_avg(), gpu_state.exp_avg().cpu())) << item.key();
    EXPECT_TRUE(torch::equal(cpu_state.exp_avg_sq(), gpu_state.exp_avg_sq().cpu())) << item.key();
  }
  const auto gpu_buffers = gpu->named_buffers();
  for (const auto& item : cpu->named_buffers())
    EXPECT_TRUE(torch::equal(item.value(), gpu_buffers[item.key()].cpu())) << item.key();

  // The resumed CPU run takes the step the GPU run takes.
  std::vector<torch::Tensor> before;
  for (const auto& p : cpu->parameters()) before.push_back(p.detach().clone());
  adam_step(*cpu, cpu_adam, mel, tags);
  adam_step(*gpu, gpu_adam, mel.to(device), tags.to(device));
  std::vector<torch::Tensor> cpu_update, gpu_update;
  const auto cpu_after = cpu->parameters(), gpu_after = gpu->parameters();
  for (size_t i = 0; i < before.size(); ++i) {
    cpu_update.push_back((cpu_after[i].detach() - before[i]).flatten());
    gpu_update.push_back((gpu_after[i].detach().cpu() - before[i]).flatten());
  }
  EXPECT_LE(relative_difference(torch::cat(gpu_update), torch::cat(cpu_update)), kContinueTolerance);
}

}  // namespace
}  // namespace musictag::train::testing
