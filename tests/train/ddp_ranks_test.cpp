// DistributedDataParallel across ranks: identical start, identical steps, and N ranks x B equal to 1 rank x N*B.
#include <gtest/gtest.h>
#include <torch/nn/modules/batchnorm.h>

#include <memory>

#include "cluster/comm/communicator.h"
#include "cluster/world.h"
#include "ddp_test_support.h"
#include "train/ddp/ddp_data_parallel.h"

namespace musictag::train {
namespace {

using namespace ddp_testing;

class DdpRanksTest : public ::testing::Test {
 protected:
  DdpRanksTest() : comm_(cluster::make_communicator(cluster::World::resolve(), cluster::Backend::Mpi)) {
    at::set_num_threads(1);
  }

  int rank() const { return comm_->rank(); }
  int ranks() const { return comm_->size(); }

  std::unique_ptr<cluster::Communicator> comm_;
};

TEST_F(DdpRanksTest, ConstructionGivesEveryRankRootsParametersAndBuffersBitForBit) {
  torch::manual_seed(100 + rank());  // a different initialisation on every rank
  Crnn model = tiny_crnn(0.1);
  {  // rank-specific BatchNorm statistics too
    torch::NoGradGuard no_grad;
    model->train();
    model->forward(make_batches(1, 4, {16, 16}, 5, 7 + rank())[0].x);
  }
  if (ranks() > 1) {
    ASSERT_GT(count_differing_from_root(snapshot(*model), *comm_), 0) << "the test needs a difference";
  }

  DistributedDataParallel ddp(*model, *comm_);
  EXPECT_EQ(count_differing_from_root(snapshot(*model), *comm_), 0);

  // broadcast_from_root() repeats it at any time (e.g. after rank 0 alone loaded a checkpoint).
  {
    torch::NoGradGuard no_grad;
    model->parameters()[3].add_(static_cast<double>(rank()));
  }
  ddp.broadcast_from_root();
  EXPECT_EQ(count_differing_from_root(snapshot(*model), *comm_), 0);
}

TEST_F(DdpRanksTest, SyncBuffersCopiesRootsBatchNormStatisticsOnlyWhenAskedTo) {
  for (const bool broadcast_buffers : {false, true}) {
    torch::manual_seed(150);
    Crnn model = tiny_crnn(0.0);
    DistributedDataParallel ddp(*model, *comm_, DdpOptions().broadcast_buffers(broadcast_buffers));
    {  // a training-mode forward on rank-specific data moves the running statistics apart
      torch::NoGradGuard no_grad;
      model->train();
      model->forward(make_batches(1, 4, {16, 16}, 5, 60 + rank())[0].x);
    }
    ddp.sync_buffers();
    const int64_t differing = count_differing_from_root(model->buffers(), *comm_);
    if (broadcast_buffers || ranks() == 1) {
      EXPECT_EQ(differing, 0);
    } else {
      EXPECT_GT(differing, 0);  // running means and variances stay per rank (the batch counters agree)
    }
  }
}

TEST_F(DdpRanksTest, StepsOnDifferentDataKeepEveryRankBitIdentical) {
  torch::manual_seed(200 + rank());  // different dropout masks per rank as well
  Crnn model = tiny_crnn(0.2);
  model->train();  // BatchNorm on the batch statistics; running statistics follow rank 0 via sync_buffers()
  DistributedDataParallel ddp(*model, *comm_, DdpOptions().bucket_cap_mb(0.01));
  ASSERT_GT(ddp.buckets().size(), 2u);
  const std::vector<Batch> batches = make_batches(4, 4 * ranks(), {16, 16}, 5, 11);
  train_steps(model, batches, &ddp, rank(), ranks());
  ddp.sync_buffers();  // what the next step would start with
  EXPECT_EQ(count_differing_from_root(snapshot(*model), *comm_), 0);
  EXPECT_EQ(ddp.last_sync_stats().hooks_fired, static_cast<int64_t>(ddp.parameters().size()));
}

// The reference: one process training the same initial model on the whole batch (computed locally on each rank).
template <class Holder>
void expect_ranks_equal_one_process(Holder model, cluster::Communicator& comm, std::vector<int64_t> example,
                                    int64_t tags, double cap_mb) {
  freeze_batchnorm(*model);
  DistributedDataParallel ddp(*model, comm, DdpOptions().bucket_cap_mb(cap_mb));
  Holder reference = clone_of(model);
  freeze_batchnorm(*reference);

  const int64_t per_rank = 3;
  const std::vector<Batch> batches = make_batches(5, per_rank * comm.size(), example, tags, 23);
  train_steps(model, batches, &ddp, comm.rank(), comm.size());
  train_steps(reference, batches, nullptr, 0, 1);

  const double difference = max_abs_difference(snapshot(*model), snapshot(*reference));
  EXPECT_LE(difference, 1e-5);
  EXPECT_EQ(count_differing_from_root(snapshot(*model), comm), 0);
}

TEST_F(DdpRanksTest, CrnnOnRanksTimesBatchEqualsOneProcessOnTheWholeBatch) {
  torch::manual_seed(300);
  expect_ranks_equal_one_process(tiny_crnn(0.0), *comm_, {16, 16}, 5, 0.01);
}

TEST_F(DdpRanksTest, MlpOnRanksTimesBatchEqualsOneProcessOnTheWholeBatch) {
  torch::manual_seed(301);
  expect_ranks_equal_one_process(small_mlp(), *comm_, {10}, 3, 25.0);
}

TEST_F(DdpRanksTest, ParametersMoveAwayFromTheirStart) {
  torch::manual_seed(302);
  Crnn model = tiny_crnn(0.0);
  freeze_batchnorm(*model);
  DistributedDataParallel ddp(*model, *comm_);
  const std::vector<at::Tensor> start = snapshot(*model);
  train_steps(model, make_batches(2, 2 * ranks(), {16, 16}, 5, 5), &ddp, rank(), ranks());
  EXPECT_GT(max_abs_difference(snapshot(*model), start), 1e-4);
}

}  // namespace
}  // namespace musictag::train
