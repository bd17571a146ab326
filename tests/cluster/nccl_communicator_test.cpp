// NCCL backend across the ranks of this job, on GPUs only: skipped (by all ranks together) where none can run it.
#include <gtest/gtest.h>

#include "cluster/comm/communicator.h"
#include "cluster/comm/nccl_communicator.h"
#include "cluster/errors.h"
#include "cluster/world.h"

namespace musictag::cluster {
namespace {

class NcclCommunicatorTest : public ::testing::Test {
 protected:
  // Every rank decides together (over MPI), so no rank waits in NCCL setup for one that skipped.
  void SetUp() override {
    const World& world = World::resolve();
    const bool usable =
        nccl_compiled_in() && at::hasCUDA() && (at::getNumGPUs() >= static_cast<std::size_t>(world.local_size));
    const std::vector<int64_t> votes = make_communicator(world, Backend::Mpi)->all_gather(usable ? 1 : 0);
    for (int64_t vote : votes) {
      if (vote == 0) {
        GTEST_SKIP() << "NCCL cannot run on every rank here (built with NCCL: " << nccl_compiled_in()
                     << ", CUDA devices on this rank: " << (at::hasCUDA() ? at::getNumGPUs() : 0)
                     << ", ranks on this node: " << world.local_size << ")";
      }
    }
    comm_ = make_communicator(world, Backend::Nccl);
  }

  at::Tensor on_gpu(const at::Tensor& cpu) const { return cpu.to(comm_->device()); }

  std::unique_ptr<Communicator> comm_;
};

TEST_F(NcclCommunicatorTest, SumAndAverageAreExactAndInStreamOrder) {
  const int n = comm_->size();
  const int r = comm_->rank();
  const at::Tensor values = (at::arange(8, at::kFloat) - 3) * 0.25f;
  for (at::ScalarType type : {at::kFloat, at::kDouble, at::kHalf, at::kBFloat16}) {
    const at::Tensor sum = on_gpu((values * (r + 1)).to(type));
    comm_->all_reduce(sum, ReduceOp::Sum);
    EXPECT_TRUE(at::equal(sum.cpu(), (values * (n * (n + 1) / 2.0)).to(type))) << c10::toString(type);

    const at::Tensor average = on_gpu((values * (r + 1)).to(type));
    comm_->all_reduce(average, ReduceOp::Average);
    EXPECT_TRUE(at::equal(average.cpu(), (values * ((n + 1) / 2.0)).to(type))) << c10::toString(type);
  }
  const at::Tensor longs = on_gpu(at::full({5}, (int64_t{1} << 40) + r, at::kLong));
  comm_->all_reduce(longs, ReduceOp::Sum);
  EXPECT_TRUE(at::equal(longs.cpu(), at::full({5}, n * (int64_t{1} << 40) + n * (n - 1) / 2, at::kLong)));
}

TEST_F(NcclCommunicatorTest, AsyncWorkOrdersTheCallersStream) {
  const int n = comm_->size();
  const at::Tensor big = on_gpu(at::full({1 << 20}, comm_->rank() + 1.0f));
  auto work = comm_->all_reduce_async(big, ReduceOp::Sum);
  work->wait();
  const at::Tensor doubled = big * 2;  // queued on the current stream after the all-reduce
  EXPECT_TRUE(at::equal(doubled.cpu(), at::full({1 << 20}, n * (n + 1.0f))));
}

TEST_F(NcclCommunicatorTest, BroadcastFromLastRankIsBitwise) {
  const int root = comm_->size() - 1;
  const at::Tensor tensor = on_gpu(at::arange(6, at::kFloat) / 3 + comm_->rank());
  comm_->broadcast(tensor, root);
  EXPECT_TRUE(at::equal(tensor.cpu(), at::arange(6, at::kFloat) / 3 + root));
  EXPECT_EQ(comm_->all_gather(comm_->rank()).size(), static_cast<std::size_t>(comm_->size()));
  comm_->barrier();
}

TEST_F(NcclCommunicatorTest, RefusesCpuTensors) { EXPECT_THROW(comm_->all_reduce(at::ones({4})), CommError); }

}  // namespace
}  // namespace musictag::cluster
