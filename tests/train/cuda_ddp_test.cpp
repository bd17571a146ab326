// DistributedDataParallel on one CUDA rank over NCCL: parameters kept, gradients those of a plain backward.
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/sgd.h>

#include "cluster/comm/communicator.h"
#include "cluster/comm/nccl_communicator.h"
#include "cluster/world.h"
#include "cuda_test_support.h"
#include "train/ddp/ddp_data_parallel.h"

namespace musictag::train::testing {
namespace {

// One rank averages over itself: the all-reduce must leave each gradient as backward made it. The two models run
// the same kernels on the same input, so they differ at most by a nondeterministic cuDNN algorithm's rounding.
constexpr double kGradientTolerance = 1e-5;

torch::Tensor bce(TaggingModelImpl& model, const torch::Tensor& mel, const torch::Tensor& tags) {
  return torch::nn::functional::binary_cross_entropy_with_logits(model.forward(mel), tags);
}

TEST(CudaDdp, OneRankOverNcclKeepsParametersAndPlainGradients) {
  MUSICTAG_CUDA_DEVICE_OR_SKIP(device);
  const cluster::World& world = cluster::World::resolve();
  if (world.size != 1) GTEST_SKIP() << "a one-rank test, started as rank " << world.rank << " of " << world.size;
  if (device.is_cuda() && !cluster::nccl_compiled_in()) GTEST_SKIP() << "built without NCCL";
  // On the CPU (MUSICTAG_CUDA_TESTS_ON_CPU) the same steps over the MPI backend, alone.
  auto comm = cluster::make_communicator(world, device.is_cuda() ? cluster::Backend::Nccl : cluster::Backend::Mpi);
  ASSERT_EQ(comm->device(), device);

  TaggingModel model = small_model("crnn");
  model->to(device);
  auto reference = std::dynamic_pointer_cast<TaggingModelImpl>(model->clone(device));
  DistributedDataParallel ddp(*model, *comm, DdpOptions().bucket_cap_mb(0.01));  // several buckets
  for (const auto& item : reference->named_parameters())
    EXPECT_TRUE(torch::equal(model->named_parameters()[item.key()], item.value())) << item.key();

  torch::optim::SGD sgd(model->parameters(), torch::optim::SGDOptions(0.1));
  torch::optim::SGD reference_sgd(reference->parameters(), torch::optim::SGDOptions(0.1));
  const auto [mel, tags] = sample_batch(*model, 4);
  const torch::Tensor input = mel.to(device), target = tags.to(device);
  for (int step = 0; step < 2; ++step) {
    ddp.sync_buffers();
    bce(*model, input, target).backward();
    ddp.finish_gradient_sync();
    bce(*reference, input, target).backward();
    EXPECT_LE(relative_difference(all_gradients(*model), all_gradients(*reference)), kGradientTolerance)
        << "step " << step;
    EXPECT_GT(ddp.last_sync_stats().buckets.size(), 1u);
    sgd.step();
    sgd.zero_grad();
    reference_sgd.step();
    reference_sgd.zero_grad();
  }
}

}  // namespace
}  // namespace musictag::train::testing
