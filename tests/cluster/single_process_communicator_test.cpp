// Communicator in one process without MPI: identity collectives, the tensor checks, and the factory's refusals.
#include <gtest/gtest.h>

#include <string>

#include "cluster/comm/communicator.h"
#include "cluster/comm/nccl_communicator.h"
#include "cluster/errors.h"

namespace musictag::cluster {
namespace {

World single_process() {
  World world;
  world.hostname = "testhost";
  return world;
}

template <class Body>
void expect_comm_error(Body body, const std::string& expected) {
  try {
    body();
    ADD_FAILURE() << "expected CommError mentioning '" << expected << "'";
  } catch (const CommError& error) {
    EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
  }
}

TEST(SingleProcessCommunicator, IsTheMpiBackendOfOneRankOnTheCpu) {
  const auto comm = make_communicator(single_process(), Backend::Mpi);
  EXPECT_EQ(comm->rank(), 0);
  EXPECT_EQ(comm->size(), 1);
  EXPECT_EQ(comm->backend(), Backend::Mpi);
  EXPECT_EQ(comm->device(), at::Device(at::kCPU));
}

TEST(SingleProcessCommunicator, AutoPicksMpiWithoutACudaDevice) {
  if (at::hasCUDA()) GTEST_SKIP() << "a CUDA device is visible: Auto picks NCCL here";
  EXPECT_EQ(make_communicator(single_process())->backend(), Backend::Mpi);
}

TEST(SingleProcessCommunicator, ReductionsOverOneRankAreTheIdentity) {
  const auto comm = make_communicator(single_process(), Backend::Mpi);
  const at::Tensor original = at::arange(-3, 5, at::kFloat) * 0.375;
  for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Average}) {
    for (at::ScalarType type : {at::kFloat, at::kDouble, at::kHalf, at::kBFloat16}) {
      const at::Tensor tensor = original.to(type);
      comm->all_reduce(tensor, op);
      EXPECT_EQ(tensor.scalar_type(), type);
      EXPECT_TRUE(at::equal(tensor, original.to(type))) << c10::toString(type);
    }
  }
  const at::Tensor integers = at::arange(10, at::kLong);
  auto work = comm->all_reduce_async(integers, ReduceOp::Sum);
  EXPECT_TRUE(work->is_completed());
  work->wait();
  EXPECT_TRUE(at::equal(integers, at::arange(10, at::kLong)));
}

TEST(SingleProcessCommunicator, BroadcastBarrierAndGatherOfOne) {
  const auto comm = make_communicator(single_process(), Backend::Mpi);
  const at::Tensor tensor = at::full({3}, 7, at::kInt);
  comm->broadcast(tensor, 0);
  EXPECT_TRUE(at::equal(tensor, at::full({3}, 7, at::kInt)));
  comm->barrier();
  EXPECT_EQ(comm->all_gather(int64_t{-5}), std::vector<int64_t>{-5});
  EXPECT_EQ(comm->all_gather(2.5), std::vector<double>{2.5});
  EXPECT_EQ(comm->all_gather(std::string("abc")), std::vector<std::string>{"abc"});
}

TEST(SingleProcessCommunicator, RefusesTensorsItCannotCommunicate) {
  const auto comm = make_communicator(single_process(), Backend::Mpi);
  expect_comm_error([&] { comm->all_reduce(at::zeros({3, 4}).t()); }, "need contiguous tensors, got sizes [4, 3]");
  expect_comm_error([&] { comm->broadcast(at::zeros({4}, at::kBool), 0); }, "got Bool");
  expect_comm_error([&] { comm->all_reduce(at::zeros({4}, at::kComplexFloat)); }, "got ComplexFloat");
  expect_comm_error([&] { comm->all_reduce(at::empty({4}, at::Device(at::kMeta))); },
                    "need tensors on cpu, got one on meta");
  expect_comm_error([&] { comm->all_reduce(at::Tensor()); }, "undefined tensor");
  expect_comm_error([&] { comm->all_reduce(at::zeros({4}, at::kLong), ReduceOp::Average); },
                    "Average of a Long tensor is refused");
  expect_comm_error([&] { comm->broadcast(at::zeros({4}), 1); }, "broadcast root 1 is not a rank");
  expect_comm_error([&] { comm->broadcast(at::zeros({4}), -1); }, "broadcast root -1 is not a rank");
}

TEST(SingleProcessCommunicator, RefusesSeveralRanksWithoutMpi) {
  World world = single_process();
  world.rank = 1;
  world.size = 2;
  for (Backend backend : {Backend::Auto, Backend::Mpi, Backend::Nccl}) {
    expect_comm_error([&] { make_communicator(world, backend); }, "launch with `srun --mpi=pmix ...` or `mpirun");
  }
}

TEST(SingleProcessCommunicator, NcclBackendRefusedWithoutACudaDevice) {
  if (at::hasCUDA()) GTEST_SKIP() << "a CUDA device is visible: the NCCL backend can run here";
  const std::string expected =
      nccl_compiled_in() ? "needs a CUDA device and none is visible" : "built without CUDA/NCCL";
  expect_comm_error([] { make_communicator(single_process(), Backend::Nccl); }, expected);
}

TEST(Backend, Names) {
  EXPECT_STREQ(to_string(Backend::Auto), "auto");
  EXPECT_STREQ(to_string(Backend::Mpi), "mpi");
  EXPECT_STREQ(to_string(Backend::Nccl), "nccl");
}

}  // namespace
}  // namespace musictag::cluster
