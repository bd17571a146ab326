// Test helpers for DistributedDataParallel: small models, deterministic data, bitwise comparisons across ranks.
#include "ddp_test_support.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>

#include <algorithm>

namespace musictag::train::ddp_testing {

CrnnOptions tiny_crnn_options(double dropout) {
  return CrnnOptions(5)
      .n_mels(16)
      .n_frames(16)
      .conv_channels({8, 16})
      .pool_sizes({PoolSize{2, 2}, PoolSize{2, 2}})
      .gru_hidden(16)
      .gru_layers(2)
      .conv_dropout(dropout)
      .gru_dropout(dropout);
}

Crnn tiny_crnn(double dropout) { return Crnn(tiny_crnn_options(dropout)); }

torch::nn::Sequential small_mlp() {
  return torch::nn::Sequential(torch::nn::Linear(10, 32), torch::nn::Tanh(), torch::nn::Linear(32, 3));
}

void freeze_batchnorm(torch::nn::Module& module) {
  module.train(true);
  for (const auto& child : module.modules(/*include_self=*/false)) {
    if (child->as<torch::nn::BatchNorm1d>() || child->as<torch::nn::BatchNorm2d>()) child->eval();
  }
}

std::vector<Batch> make_batches(int steps, int64_t batch, std::vector<int64_t> example, int64_t tags, uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  std::vector<int64_t> shape{batch};
  shape.insert(shape.end(), example.begin(), example.end());
  std::vector<Batch> batches;
  for (int s = 0; s < steps; ++s) {
    at::Tensor x = at::randn(shape, generator, at::kFloat);
    at::Tensor y = at::bernoulli(at::full({batch, tags}, 0.3, at::kFloat), generator);
    batches.push_back({x, y});
  }
  return batches;
}

Batch rank_slice(const Batch& full, int rank, int ranks) {
  const int64_t share = full.x.size(0) / ranks;
  return {full.x.narrow(0, rank * share, share), full.y.narrow(0, rank * share, share)};
}

std::vector<at::Tensor> snapshot(torch::nn::Module& module) {
  std::vector<at::Tensor> copies;
  for (const at::Tensor& p : module.parameters()) copies.push_back(p.detach().clone());
  for (const at::Tensor& b : module.buffers()) copies.push_back(b.detach().clone());
  return copies;
}

namespace {

// The tensor's raw bits as integers of the same width, so that equality means bit for bit (-0.0 != 0.0).
at::Tensor bits(const at::Tensor& tensor) {
  const at::Tensor dense = tensor.detach().contiguous();
  switch (dense.element_size()) {
    case 2:
      return dense.view(at::kShort);
    case 4:
      return dense.view(at::kInt);
    case 8:
      return dense.view(at::kLong);
    default:
      return dense;
  }
}

}  // namespace

bool bitwise_equal(const at::Tensor& a, const at::Tensor& b) {
  return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() && at::equal(bits(a), bits(b));
}

int64_t count_differing_from_root(const std::vector<at::Tensor>& tensors, cluster::Communicator& comm) {
  int64_t differing = 0;
  for (const at::Tensor& tensor : tensors) {
    const at::Tensor root = tensor.detach().clone().contiguous();
    comm.broadcast(root, 0);
    if (!bitwise_equal(root, tensor)) ++differing;
  }
  const std::vector<int64_t> counts = comm.all_gather(differing);
  return *std::max_element(counts.begin(), counts.end());
}

double max_abs_difference(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i].numel() == 0) continue;
    worst = std::max(worst, (a[i].detach().to(at::kDouble) - b[i].detach().to(at::kDouble)).abs().max().item<double>());
  }
  return a.size() == b.size() ? worst : 1e300;
}

}  // namespace musictag::train::ddp_testing
