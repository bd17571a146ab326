// Gradient buckets and DistributedDataParallel in one process: assignment, views as .grad, zero_grad, misuse.
#include <gtest/gtest.h>
#include <torch/nn/modules/linear.h>

#include <cmath>
#include <limits>

#include "cluster/comm/communicator.h"
#include "cluster/errors.h"
#include "cluster/world.h"
#include "ddp_test_support.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/ddp/gradient_bucket.h"

namespace musictag::train {
namespace {

using namespace ddp_testing;
using Buckets = std::vector<std::vector<std::size_t>>;

std::vector<at::Tensor> float_tensors(std::vector<int64_t> sizes) {
  std::vector<at::Tensor> tensors;
  for (const int64_t n : sizes) tensors.push_back(at::zeros({n}, at::kFloat));
  return tensors;
}

TEST(GradientBucketAssignment, WalksParametersLastFirstAndStartsANewBucketBeforeTheCapOverflows) {
  // 4-byte floats: sizes in bytes 40, 40, 40, 80, 8 with a cap of 100 bytes
  EXPECT_EQ(assign_buckets(float_tensors({10, 10, 10, 20, 2}), 100), (Buckets{{4, 3}, {2, 1}, {0}}));
  // exactly full is allowed
  EXPECT_EQ(assign_buckets(float_tensors({5, 5, 15}), 80), (Buckets{{2, 1}, {0}}));
  EXPECT_EQ(assign_buckets(float_tensors({5, 5, 10}), 80), (Buckets{{2, 1, 0}}));
}

TEST(GradientBucketAssignment, AParameterLargerThanTheCapGetsABucketOfItsOwn) {
  EXPECT_EQ(assign_buckets(float_tensors({1, 1000, 1}), 16), (Buckets{{2}, {1}, {0}}));
  EXPECT_EQ(assign_buckets(float_tensors({1, 1000, 1}), 1 << 20), (Buckets{{2, 1, 0}}));
}

TEST(GradientBucketAssignment, DtypesAreNeverMixedAndNoParametersGiveNoBuckets) {
  std::vector<at::Tensor> mixed{at::zeros({2}, at::kFloat), at::zeros({2}, at::kDouble), at::zeros({2}, at::kDouble)};
  EXPECT_EQ(assign_buckets(mixed, 1 << 20), (Buckets{{2, 1}, {0}}));
  EXPECT_TRUE(assign_buckets({}, 100).empty());
}

TEST(GradientBucket, ViewsAreZeroedSlicesOfOneFlatBufferShapedLikeTheParameters) {
  std::vector<at::Tensor> parameters{at::ones({2, 3}), at::ones({4}), at::ones({5, 1})};
  const GradientBucket bucket(parameters, {2, 1, 0});
  EXPECT_EQ(bucket.flat.numel(), 15);
  EXPECT_EQ(bucket.bytes(), 60);
  EXPECT_EQ(bucket.offsets, (std::vector<int64_t>{0, 5, 9}));
  EXPECT_EQ(bucket.views[0].sizes(), parameters[2].sizes());
  EXPECT_EQ(bucket.views[2].sizes(), parameters[0].sizes());
  EXPECT_TRUE(at::equal(bucket.flat, at::zeros({15})));
  bucket.views[1].fill_(7);
  EXPECT_TRUE(at::equal(bucket.flat.narrow(0, 5, 4), at::full({4}, 7.0f)));
  EXPECT_FALSE(bucket.views[1].is_view());  // detached, so zero_grad's detach_() accepts it
}

TEST(DdpOptionsTest, RefusesCapsThatAreNotPositiveNumbers) {
  EXPECT_EQ(DdpOptions().bucket_cap_mb(), 25.0);
  EXPECT_TRUE(DdpOptions().broadcast_buffers());
  EXPECT_EQ(DdpOptions().bucket_cap_bytes(), 25 << 20);
  EXPECT_NO_THROW(DdpOptions().bucket_cap_mb(0.001).validate());
  EXPECT_THROW(DdpOptions().bucket_cap_mb(0).validate(), ConfigError);
  EXPECT_THROW(DdpOptions().bucket_cap_mb(-1).validate(), ConfigError);
  EXPECT_THROW(DdpOptions().bucket_cap_mb(std::nan("")).validate(), ConfigError);
  EXPECT_THROW(DdpOptions().bucket_cap_mb(std::numeric_limits<double>::infinity()).validate(), ConfigError);
}

class DdpAloneTest : public ::testing::Test {
 protected:
  DdpAloneTest() : comm_(cluster::make_communicator(cluster::World::resolve(), cluster::Backend::Mpi)) {
    at::set_num_threads(1);
  }
  std::unique_ptr<cluster::Communicator> comm_;
};

TEST_F(DdpAloneTest, OneRankGradientsEqualPlainBackwardBitwiseAndLiveInTheBuckets) {
  torch::manual_seed(500);
  Crnn model = tiny_crnn(0.0);
  freeze_batchnorm(*model);
  Crnn plain = clone_of(model);
  freeze_batchnorm(*plain);
  DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.01));
  const Batch batch = make_batches(1, 4, {16, 16}, 5, 43)[0];
  bce_loss(model, batch).backward();
  ddp.finish_gradient_sync();
  bce_loss(plain, batch).backward();
  const auto a = model->parameters();
  const auto b = plain->parameters();
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(bitwise_equal(a[i].grad(), b[i].grad())) << i;
  for (const GradientBucket& bucket : ddp.buckets()) {
    for (std::size_t slot = 0; slot < bucket.parameters.size(); ++slot) {
      EXPECT_TRUE(ddp.parameters()[bucket.parameters[slot]].grad().is_same(bucket.views[slot]));
    }
  }
}

TEST_F(DdpAloneTest, ZeroGradInEitherFormStartsTheNextStepFromZero) {
  for (const bool set_to_none : {true, false}) {
    torch::manual_seed(501);
    auto model = small_mlp();
    auto plain = clone_of(model);
    DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.001));
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
    torch::optim::SGD plain_optimizer(plain->parameters(), torch::optim::SGDOptions(0.1));
    for (const Batch& batch : make_batches(3, 4, {10}, 3, 47)) {
      optimizer.zero_grad(set_to_none);
      bce_loss(model, batch).backward();
      ddp.finish_gradient_sync();
      optimizer.step();
      plain_optimizer.zero_grad(set_to_none);
      bce_loss(plain, batch).backward();
      plain_optimizer.step();
    }
    const auto a = snapshot(*model);
    const auto b = snapshot(*plain);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(bitwise_equal(a[i], b[i])) << set_to_none << " " << i;
  }
}

TEST_F(DdpAloneTest, GradientsArrivingTwiceInOneStepAreRefusedButNoSyncAccumulates) {
  torch::manual_seed(502);
  auto model = small_mlp();
  DistributedDataParallel ddp(*model, *comm_);
  const Batch batch = make_batches(1, 2, {10}, 3, 53)[0];
  {
    auto no_sync = ddp.no_sync();
    bce_loss(model, batch).backward();
    bce_loss(model, batch).backward();
  }
  bce_loss(model, batch).backward();
  ddp.finish_gradient_sync();
  EXPECT_EQ(ddp.last_sync_stats().hooks_fired, 4);
  // three times the gradient of one backward
  auto plain = clone_of(model);
  for (auto& p : plain->parameters()) p.mutable_grad().reset();
  bce_loss(plain, batch).backward();
  EXPECT_TRUE(at::allclose(model->parameters()[0].grad(), plain->parameters()[0].grad() * 3, 1e-6, 1e-7));

  bce_loss(model, batch).backward();
  EXPECT_THROW(bce_loss(model, batch).backward(), CommError);
}

TEST_F(DdpAloneTest, NoSyncBackwardWhileASynchronisedStepIsUnfinishedIsRefused) {
  torch::manual_seed(503);
  auto model = small_mlp();
  DistributedDataParallel ddp(*model, *comm_);
  const Batch batch = make_batches(1, 2, {10}, 3, 59)[0];
  bce_loss(model, batch).backward();
  auto no_sync = ddp.no_sync();
  EXPECT_THROW(bce_loss(model, batch).backward(), CommError);
}

TEST_F(DdpAloneTest, AParameterRegisteredTwiceIsBucketedOnce) {
  struct Shared : torch::nn::Module {
    Shared() : layer(register_module("a", torch::nn::Linear(3, 2))) { register_module("b", layer); }
    torch::nn::Linear layer;
  };
  Shared model;
  ASSERT_EQ(model.parameters().size(), 4u);
  DistributedDataParallel ddp(model, *comm_);
  EXPECT_EQ(ddp.parameters().size(), 2u);
  model.layer->forward(at::ones({1, 3})).sum().backward();
  ddp.finish_gradient_sync();
  EXPECT_EQ(ddp.last_sync_stats().hooks_fired, 2);
  EXPECT_TRUE(at::equal(model.layer->bias.grad(), at::ones({2})));
}

TEST_F(DdpAloneTest, AModelWithoutTrainableParametersHasNoBucketsAndFinishes) {
  torch::nn::Linear frozen(3, 2);
  for (auto& p : frozen->parameters()) p.requires_grad_(false);
  DistributedDataParallel ddp(*frozen, *comm_);
  EXPECT_TRUE(ddp.buckets().empty());
  EXPECT_NO_THROW(ddp.finish_gradient_sync());
}

}  // namespace
}  // namespace musictag::train
