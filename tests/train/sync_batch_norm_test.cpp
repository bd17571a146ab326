// SyncBatchNorm across ranks against torch's BatchNorm on the whole batch in one process (forward, backward, and
// running statistics), for the 1-D input BatchNorm and the 2-D conv BatchNorms; and inside the CRNN.
#include <gtest/gtest.h>
#include <torch/nn/modules/batchnorm.h>

#include <memory>

#include "cluster/comm/communicator.h"
#include "cluster/world.h"
#include "ddp_test_support.h"
#include "train/ddp/sync_batch_norm.h"

namespace musictag::train {
namespace {

// float32 sums of a few hundred values in another order: a few ulps of the values' scale.
constexpr double kTolerance = 1e-5;

class SyncBatchNormTest : public ::testing::Test {
 protected:
  SyncBatchNormTest() : comm_(cluster::make_communicator(cluster::World::resolve(), cluster::Backend::Mpi)) {
    at::set_num_threads(1);
  }
  std::unique_ptr<cluster::Communicator> comm_;
};

BatchNormState state_of(torch::nn::BatchNorm2d& bn) {
  return {bn->weight, bn->bias, bn->running_mean, bn->running_var, bn->num_batches_tracked, 1e-5, 0.1};
}
BatchNormState state_of(torch::nn::BatchNorm1d& bn) {
  return {bn->weight, bn->bias, bn->running_mean, bn->running_var, bn->num_batches_tracked, 1e-5, 0.1};
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

// The rank's rows of a global batch (rows rank*per_rank .. ), all ranks generating the same global tensor.
torch::Tensor my_rows(const torch::Tensor& global, int rank, int ranks) {
  const int64_t per_rank = global.size(0) / ranks;
  return global.slice(0, rank * per_rank, (rank + 1) * per_rank);
}

template <typename BatchNorm>
void expect_matches_whole_batch(cluster::Communicator& comm, std::vector<int64_t> shape) {
  const int rank = comm.rank(), ranks = comm.size();
  shape[0] *= ranks;
  torch::manual_seed(42);  // same global batch, weights and upstream gradient on every rank
  const torch::Tensor x = torch::randn(shape) * 3.0 + 1.5;
  const torch::Tensor upstream = torch::randn(shape);
  BatchNorm whole(shape[1]);
  {
    torch::NoGradGuard no_grad;
    whole->weight.uniform_(0.5, 1.5);
    whole->bias.uniform_(-0.5, 0.5);
  }
  BatchNorm synced(shape[1]);
  {
    torch::NoGradGuard no_grad;
    synced->weight.copy_(whole->weight);
    synced->bias.copy_(whole->bias);
  }
  // Reference: one process, the whole batch; the objective is sum(y * upstream).
  const torch::Tensor x_whole = x.clone().requires_grad_(true);
  (whole->forward(x_whole) * upstream).sum().backward();

  const torch::Tensor x_mine = my_rows(x, rank, ranks).clone().requires_grad_(true);
  const torch::Tensor y_mine = sync_batch_norm(x_mine, state_of(synced), comm);
  (y_mine * my_rows(upstream, rank, ranks)).sum().backward();

  EXPECT_TRUE(torch::allclose(y_mine, my_rows(whole->forward(x).detach(), rank, ranks), 0, 1e-3))
      << "train-mode output differs (whole-batch forward run again only updates its running stats)";
  EXPECT_LE(max_abs_diff(x_mine.grad(), my_rows(x_whole.grad(), rank, ranks)), kTolerance);
  // Weight and bias gradients are each rank's share; their sum over ranks is the whole batch's.
  torch::Tensor grad_weight = synced->weight.grad().clone(), grad_bias = synced->bias.grad().clone();
  comm.all_reduce(grad_weight, cluster::ReduceOp::Sum);
  comm.all_reduce(grad_bias, cluster::ReduceOp::Sum);
  EXPECT_LE(max_abs_diff(grad_weight, whole->weight.grad()), 1e-4);
  EXPECT_LE(max_abs_diff(grad_bias, whole->bias.grad()), 1e-4);
}

TEST_F(SyncBatchNormTest, Conv2dLayerMatchesWholeBatchForwardAndBackward) {
  expect_matches_whole_batch<torch::nn::BatchNorm2d>(*comm_, {3, 4, 5, 7});
}

TEST_F(SyncBatchNormTest, MelBandLayer1dMatchesWholeBatchForwardAndBackward) {
  expect_matches_whole_batch<torch::nn::BatchNorm1d>(*comm_, {2, 6, 11});
}

TEST_F(SyncBatchNormTest, RunningStatisticsEqualWholeBatchOnes) {
  const int rank = comm_->rank(), ranks = comm_->size();
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({4 * ranks, 3, 6, 5}) * 2.0 - 1.0;
  torch::nn::BatchNorm2d whole(3), synced(3);
  for (int step = 0; step < 3; ++step) {
    whole->forward(x + step);
    sync_batch_norm(my_rows(x + step, rank, ranks), state_of(synced), *comm_);
  }
  EXPECT_LE((synced->running_mean - whole->running_mean).abs().max().item<double>(), kTolerance);
  EXPECT_LE((synced->running_var - whole->running_var).abs().max().item<double>(), kTolerance);
  EXPECT_EQ(synced->num_batches_tracked.item<int64_t>(), 3);
}

TEST_F(SyncBatchNormTest, CrnnWithSyncBatchNormGivesWholeBatchLogits) {
  const int rank = comm_->rank(), ranks = comm_->size();
  torch::manual_seed(3);
  Crnn whole = ddp_testing::tiny_crnn(0.0);
  Crnn synced = ddp_testing::tiny_crnn(0.0);
  {
    torch::NoGradGuard no_grad;
    const auto source = whole->parameters();
    const auto target = synced->parameters();
    for (size_t i = 0; i < source.size(); ++i) target[i].copy_(source[i]);
  }
  enable_sync_batch_norm(*synced, *comm_);
  const auto example = ddp_testing::make_batches(1, 2 * ranks, {16, 16}, 5, 11)[0].x;
  const torch::Tensor logits_whole = whole->forward(example);
  const torch::Tensor logits_mine = synced->forward(my_rows(example, rank, ranks));
  EXPECT_LE((logits_mine - my_rows(logits_whole, rank, ranks)).abs().max().item<double>(), kTolerance);
  synced->eval();  // eval() uses the running statistics, not the override
  whole->eval();
  EXPECT_LE((synced->forward(example) - whole->forward(example)).abs().max().item<double>(), kTolerance);
}

}  // namespace
}  // namespace musictag::train
