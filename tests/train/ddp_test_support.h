// Test helpers for DistributedDataParallel: small models, deterministic data split by rank, a training loop.
#pragma once

#include <torch/nn/functional/loss.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/optim/sgd.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "cluster/comm/communicator.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/models/crnn.h"

namespace musictag::train::ddp_testing {

// A CRNN small enough for CPU tests (about 7,000 parameters, 5 tags, input [B, 16, 16]).
CrnnOptions tiny_crnn_options(double dropout = 0.0);
Crnn tiny_crnn(double dropout = 0.0);
// Linear(10 -> 32) -> Tanh -> Linear(32 -> 3).
torch::nn::Sequential small_mlp();

// Puts every BatchNorm of `module` in eval mode (running statistics, never updated) and everything else in train
// mode, so that the result no longer depends on how a batch is split between ranks.
void freeze_batchnorm(torch::nn::Module& module);

// A batch of inputs and {0,1} targets.
struct Batch {
  at::Tensor x;
  at::Tensor y;
};

// `steps` full batches of `batch` examples of shape `example` with `tags` targets each, from `seed` (the same on
// every rank).
std::vector<Batch> make_batches(int steps, int64_t batch, std::vector<int64_t> example, int64_t tags, uint64_t seed);
// Rank `rank`'s contiguous share of `full` out of `ranks` equal shares.
Batch rank_slice(const Batch& full, int rank, int ranks);

// Copies of the module's parameters and buffers, in registration order.
std::vector<at::Tensor> snapshot(torch::nn::Module& module);
// Same dtype, shape and bits (so -0.0 differs from 0.0 and NaN equals the same NaN).
bool bitwise_equal(const at::Tensor& a, const at::Tensor& b);
// How many of `tensors` differ, in any bit, from rank 0's (the same count on every rank).
int64_t count_differing_from_root(const std::vector<at::Tensor>& tensors, cluster::Communicator& comm);
// Largest element-wise |a - b| over two equally long lists of equally shaped tensors.
double max_abs_difference(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b);

template <class Holder>
Holder clone_of(const Holder& module) {
  return Holder(std::dynamic_pointer_cast<typename Holder::ContainedType>(module->clone()));
}

template <class Holder>
at::Tensor bce_loss(Holder& model, const Batch& batch) {
  return torch::nn::functional::binary_cross_entropy_with_logits(model->forward(batch.x), batch.y);
}

// SGD with momentum over `batches`; each step this rank trains on its share of the full batch. With `ddp`, buffers
// are synced before forward and gradients averaged after backward; without, it is a plain one-process loop.
template <class Holder>
void train_steps(Holder& model, const std::vector<Batch>& batches, DistributedDataParallel* ddp, int rank, int ranks,
                 double lr = 0.1) {
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(lr).momentum(0.9));
  for (const Batch& full : batches) {
    const Batch mine = rank_slice(full, rank, ranks);
    optimizer.zero_grad();
    if (ddp) ddp->sync_buffers();
    bce_loss(model, mine).backward();
    if (ddp) ddp->finish_gradient_sync();
    optimizer.step();
  }
}

}  // namespace musictag::train::ddp_testing
