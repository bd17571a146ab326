// DistributedDataParallel across ranks: bucketing, overlap with backward, no_sync() accumulation, unused parameters.
#include <gtest/gtest.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <memory>
#include <numeric>

#include "cluster/comm/communicator.h"
#include "cluster/errors.h"
#include "cluster/world.h"
#include "ddp_test_support.h"
#include "train/ddp/ddp_data_parallel.h"

namespace musictag::train {
namespace {

using namespace ddp_testing;

class DdpBucketsTest : public ::testing::Test {
 protected:
  DdpBucketsTest() : comm_(cluster::make_communicator(cluster::World::resolve(), cluster::Backend::Mpi)) {
    at::set_num_threads(1);
  }

  int rank() const { return comm_->rank(); }
  int ranks() const { return comm_->size(); }

  std::unique_ptr<cluster::Communicator> comm_;
};

TEST_F(DdpBucketsTest, TinyBucketsGiveBitwiseTheResultOfOneBucket) {
  torch::manual_seed(400);
  Crnn many = tiny_crnn(0.0);
  freeze_batchnorm(*many);
  Crnn one = clone_of(many);
  freeze_batchnorm(*one);
  const std::vector<Batch> batches = make_batches(3, 4 * ranks(), {16, 16}, 5, 29);

  DistributedDataParallel ddp_many(*many, *comm_, DdpOptions().bucket_cap_mb(0.004));
  train_steps(many, batches, &ddp_many, rank(), ranks());
  DistributedDataParallel ddp_one(*one, *comm_, DdpOptions().bucket_cap_mb(25));
  train_steps(one, batches, &ddp_one, rank(), ranks());

  EXPECT_GE(ddp_many.buckets().size(), 5u);
  EXPECT_EQ(ddp_one.buckets().size(), 1u);
  const std::vector<at::Tensor> a = snapshot(*many);
  const std::vector<at::Tensor> b = snapshot(*one);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(bitwise_equal(a[i], b[i])) << "tensor " << i;
  }
}

TEST_F(DdpBucketsTest, BucketsFollowReverseRegistrationOrderUnderTheCap) {
  torch::manual_seed(401);
  Crnn model = tiny_crnn(0.0);
  DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.01));
  const int64_t cap = ddp.options().bucket_cap_bytes();
  std::vector<std::size_t> order;
  for (const GradientBucket& bucket : ddp.buckets()) {
    order.insert(order.end(), bucket.parameters.begin(), bucket.parameters.end());
    // a bucket exceeds the cap only when it is a single oversized parameter
    if (bucket.parameters.size() > 1) {
      EXPECT_LE(bucket.bytes(), cap);
    }
  }
  std::vector<std::size_t> reversed(ddp.parameters().size());
  std::iota(reversed.rbegin(), reversed.rend(), 0);
  EXPECT_EQ(order, reversed);
  // the output layer (registered last) is in the first bucket
  EXPECT_TRUE(ddp.parameters().back().is_same(model->output->bias));
}

TEST_F(DdpBucketsTest, FirstBucketStartsWhileBackwardIsStillRunning) {
  torch::manual_seed(402);
  Crnn model = tiny_crnn(0.0);
  freeze_batchnorm(*model);
  DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.01));
  ASSERT_GE(ddp.buckets().size(), 3u);
  const Batch mine = rank_slice(make_batches(1, 4 * ranks(), {16, 16}, 5, 31)[0], rank(), ranks());
  bce_loss(model, mine).backward();
  ddp.finish_gradient_sync();

  const GradientSyncStats& stats = ddp.last_sync_stats();
  const auto parameters = static_cast<int64_t>(ddp.parameters().size());
  EXPECT_EQ(stats.hooks_fired, parameters);
  EXPECT_EQ(stats.unused_parameters, 0);
  ASSERT_EQ(stats.buckets.size(), ddp.buckets().size());
  EXPECT_TRUE(stats.buckets.front().during_backward);
  EXPECT_LT(stats.buckets.front().hooks_before, stats.hooks_fired);  // before the last gradient hook fired
  int64_t previous = 0;
  for (const BucketLaunch& launch : stats.buckets) {
    EXPECT_TRUE(launch.during_backward);  // every parameter is used, so every bucket starts inside backward
    EXPECT_GE(launch.hooks_before, previous);
    previous = launch.hooks_before;
  }
}

TEST_F(DdpBucketsTest, NoSyncOverTwoMicroBatchesEqualsOneStepOnTheConcatenatedBatch) {
  torch::manual_seed(403);
  Crnn model = tiny_crnn(0.0);
  freeze_batchnorm(*model);
  DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.01));
  Crnn reference = clone_of(model);
  freeze_batchnorm(*reference);

  // Each rank's share of the whole batch, cut into two micro-batches; the loss is a mean, hence the halves.
  const Batch whole = make_batches(1, 4 * ranks(), {16, 16}, 5, 37)[0];
  const Batch mine = rank_slice(whole, rank(), ranks());
  const Batch first = rank_slice(mine, 0, 2);
  const Batch second = rank_slice(mine, 1, 2);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.5));
  {
    auto no_sync = ddp.no_sync();
    EXPECT_FALSE(ddp.sync_enabled());
    (bce_loss(model, first) * 0.5).backward();
    ddp.finish_gradient_sync();  // does nothing inside no_sync()
  }
  EXPECT_TRUE(ddp.sync_enabled());
  (bce_loss(model, second) * 0.5).backward();
  ddp.finish_gradient_sync();
  optimizer.step();

  torch::optim::SGD reference_optimizer(reference->parameters(), torch::optim::SGDOptions(0.5));
  bce_loss(reference, whole).backward();
  reference_optimizer.step();

  EXPECT_LE(max_abs_difference(snapshot(*model), snapshot(*reference)), 1e-6);
  EXPECT_EQ(count_differing_from_root(snapshot(*model), *comm_), 0);
}

// Rank 0 uses both heads, the other ranks only `shared`; `never` is used by no rank.
struct TwoHeads : torch::nn::Module {
  TwoHeads()
      : shared(register_module("shared", torch::nn::Linear(6, 4))),
        head(register_module("head", torch::nn::Linear(6, 4))),
        never(register_module("never", torch::nn::Linear(6, 4))) {}
  at::Tensor forward(const at::Tensor& x, bool use_head) {
    at::Tensor y = shared->forward(x);
    return use_head ? y + head->forward(x) : y;
  }
  torch::nn::Linear shared, head, never;
};

TEST_F(DdpBucketsTest, ParametersWithoutGradientsDoNotDeadlockAndAverageZeros) {
  torch::manual_seed(404);
  auto model = std::make_shared<TwoHeads>();
  DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.0001));  // one bucket per parameter
  const at::Tensor x = at::ones({2, 6});
  for (int step = 0; step < 2; ++step) {  // twice: the zeros must not leak stale values into the next step
    for (auto& p : model->parameters()) p.mutable_grad().reset();
    model->forward(x, rank() == 0).sum().backward();
    ddp.finish_gradient_sync();
    const GradientSyncStats& stats = ddp.last_sync_stats();
    EXPECT_EQ(stats.unused_parameters, rank() == 0 ? 2 : 4);
    // d(sum)/d(bias) = batch size 2 where used; averaged over the ranks of which only rank 0 used the head
    EXPECT_TRUE(at::allclose(model->shared->bias.grad(), at::full({4}, 2.0)));
    EXPECT_TRUE(at::allclose(model->head->bias.grad(), at::full({4}, 2.0 / ranks())));
    EXPECT_TRUE(at::equal(model->never->bias.grad(), at::zeros({4})));
  }
}

TEST_F(DdpBucketsTest, ASecondBackwardBeforeFinishIsRefused) {
  torch::manual_seed(405);
  auto model = small_mlp();
  DistributedDataParallel ddp(*model, *comm_);
  const Batch batch = make_batches(1, 2, {10}, 3, 41)[0];
  bce_loss(model, batch).backward();
  EXPECT_THROW(bce_loss(model, batch).backward(), CommError);
}

}  // namespace
}  // namespace musictag::train
