// Helpers of the CUDA-only tests (cuda_*.cpp): the device they run on, two small models, relative differences.
#pragma once

#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <ATen/Context.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "cluster/config_file.h"
#include "train/models/model_config.h"

namespace musictag::train::testing {

// cuda:0 when CUDA is available. Without it the tests skip, unless MUSICTAG_CUDA_TESTS_ON_CPU=1: then they run on
// the CPU (each comparison is CPU against CPU, so it proves only that the tests' own code still works: ctest
// train.cuda_tests_on_cpu keeps them from rotting on machines without a GPU).
inline std::optional<torch::Device> cuda_test_device() {
  if (torch::cuda::is_available()) return torch::Device(torch::kCUDA, 0);
  const char* on_cpu = std::getenv("MUSICTAG_CUDA_TESTS_ON_CPU");
  if (on_cpu != nullptr && std::string(on_cpu) == "1") return torch::Device(torch::kCPU);
  return std::nullopt;
}

// In a test body: `torch::Device device = ...;` or GTEST_SKIP.
#define MUSICTAG_CUDA_DEVICE_OR_SKIP(device)                                                                 \
  const std::optional<torch::Device> device##_found = ::musictag::train::testing::cuda_test_device();        \
  if (!device##_found) GTEST_SKIP() << "no CUDA device (MUSICTAG_CUDA_TESTS_ON_CPU=1 runs this on the CPU)"; \
  const torch::Device device = *device##_found

// Full float32 in cuDNN and cuBLAS (no TF32), so that CUDA and CPU results compare at float32 tolerances; restores
// the previous settings when destroyed.
class NoTf32 {
 public:
  NoTf32() : cudnn_(at::globalContext().allowTF32CuDNN()), cublas_(at::globalContext().allowTF32CuBLAS()) {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
  }
  ~NoTf32() {
    at::globalContext().setAllowTF32CuDNN(cudnn_);
    at::globalContext().setAllowTF32CuBLAS(cublas_);
  }
  NoTf32(const NoTf32&) = delete;
  NoTf32& operator=(const NoTf32&) = delete;

 private:
  bool cudnn_, cublas_;
};

// A narrow model of `kind` (crnn: the demo input 96 x 256; short_chunk_resnet: its paper input 128 x 231) with 5
// tags and no dropout, so that a training step is deterministic up to kernel rounding; weights seeded with 1.
inline TaggingModel small_model(const std::string& kind) {
  const std::string yaml =
      kind == "crnn"
          ? "model: {kind: crnn, n_tags: 5, n_mels: 96, n_frames: 256, conv_channels: [8, 16, 16, 16], "
            "gru_hidden: 8, conv_dropout: 0, gru_dropout: 0}\n"
          : "model: {kind: " + kind + ", n_tags: 5, conv_channels: [8, 8, 16, 16, 16, 16, 32], dropout: 0}\n";
  cluster::ConfigFile file = cluster::ConfigFile::from_string(yaml, "cuda test model");
  const ModelConfig config = ModelConfig::from(file.section("model"));
  file.finish();
  torch::manual_seed(1);
  return config.build();
}

// A log-mel-like batch [batch, n_mels, n_frames] and multi-hot targets for `model`, from a seeded CPU generator.
inline std::pair<torch::Tensor, torch::Tensor> sample_batch(const TaggingModelImpl& model, int64_t batch) {
  torch::manual_seed(7);
  torch::Tensor mel = torch::randn({batch, model.n_mels(), model.n_frames()}) * 20.0 - 30.0;
  torch::Tensor tags = (torch::rand({batch, model.n_tags()}) < 0.3).to(torch::kFloat);
  return {mel, tags};
}

// ||a - b|| / ||b|| in float64 on the CPU (a and b may live on different devices and dtypes).
inline double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.detach().to(torch::kCPU, torch::kDouble), y = b.detach().to(torch::kCPU, torch::kDouble);
  return (x - y).norm().item<double>() / std::max(y.norm().item<double>(), 1e-30);
}

// Every parameter's gradient, flattened and concatenated on the CPU in float64.
inline torch::Tensor all_gradients(const TaggingModelImpl& model) {
  std::vector<torch::Tensor> parts;
  for (const auto& p : model.parameters()) parts.push_back(p.grad().detach().to(torch::kCPU, torch::kDouble).flatten());
  return torch::cat(parts);
}

}  // namespace musictag::train::testing
