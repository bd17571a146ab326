// TrainingStep on the CPU: bit for bit the parameters of the trainer's loop as it was written inline before.
#include <gtest/gtest.h>

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include <optional>

#include "cluster/comm/communicator.h"
#include "cluster/world.h"
#include "ddp_test_support.h"
#include "train/lr_schedule.h"
#include "train/training_step.h"

namespace musictag::train {
namespace {

using ddp_testing::bitwise_equal;
using ddp_testing::make_batches;
using ddp_testing::snapshot;
using ddp_testing::tiny_crnn;

constexpr int kMicroBatches = 6;

TrainConfig step_config() {
  TrainConfig config;
  config.accumulation_steps = 2;
  config.grad_clip_norm = 0.05;  // small enough to clip every step
  return config;
}

double learning_rate(int64_t step) { return 1e-3 * static_cast<double>(step + 1); }

class TrainingStepTest : public ::testing::Test {
 protected:
  TrainingStepTest() : comm_(cluster::make_communicator(cluster::World::resolve(), cluster::Backend::Mpi)) {
    at::set_num_threads(1);
  }
  std::unique_ptr<cluster::Communicator> comm_;
  std::vector<ddp_testing::Batch> batches_ = make_batches(kMicroBatches, 4, {16, 16}, 5, 21);
};

// The trainer's loop body before TrainingStep (trainer.cpp at the parent commit), with torch's clip_grad_norm_.
std::vector<double> inline_loop(Crnn& model, DistributedDataParallel& ddp, const std::vector<ddp_testing::Batch>& data,
                                const TrainConfig& config) {
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  std::vector<double> losses;
  int64_t step = 0;
  for (int64_t b = 0; b < static_cast<int64_t>(data.size()); ++b) {
    const bool last_micro = (b + 1) % config.accumulation_steps == 0;
    std::optional<NoSyncGuard> no_sync;
    if (!last_micro) no_sync.emplace(ddp);
    ddp.sync_buffers();
    const at::Tensor logits = model->forward(data[static_cast<size_t>(b)].x);
    const at::Tensor loss = torch::nn::functional::binary_cross_entropy_with_logits(logits.to(torch::kFloat),
                                                                                    data[static_cast<size_t>(b)].y);
    (loss * (1.0 / static_cast<double>(config.accumulation_steps))).backward();
    losses.push_back(loss.item<double>());
    if (!last_micro) continue;
    ddp.finish_gradient_sync();
    torch::nn::utils::clip_grad_norm_(model->parameters(), config.grad_clip_norm, 2.0, false);
    set_learning_rate(optimizer, learning_rate(step));
    optimizer.step();
    optimizer.zero_grad();
    ++step;
  }
  return losses;
}

std::vector<double> with_training_step(Crnn& model, DistributedDataParallel& ddp,
                                       const std::vector<ddp_testing::Batch>& data, const TrainConfig& config) {
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  TrainingStep training_step(*model, ddp, config, c10::Device(c10::kCPU));
  std::vector<double> losses;
  int64_t step = 0;
  for (int64_t b = 0; b < static_cast<int64_t>(data.size()); ++b) {
    const bool last_micro = (b + 1) % config.accumulation_steps == 0;
    Batch batch;
    batch.input = data[static_cast<size_t>(b)].x;
    batch.tags = data[static_cast<size_t>(b)].y;
    losses.push_back(training_step.forward_backward(batch, last_micro).item<double>());
    if (!last_micro) continue;
    EXPECT_TRUE(training_step.optimizer_step(optimizer, learning_rate(step)));
    ++step;
  }
  return losses;
}

TEST_F(TrainingStepTest, GivesTheInlineLoopsParametersAndLossesBitForBit) {
  torch::manual_seed(4);
  Crnn reference = tiny_crnn(/*dropout=*/0.2);  // dropout: the random stream must be consumed identically too
  Crnn stepped = ddp_testing::clone_of(reference);
  const TrainConfig config = step_config();

  torch::manual_seed(9);
  DistributedDataParallel reference_ddp(*reference, *comm_, DdpOptions().bucket_cap_mb(0.01));
  const std::vector<double> reference_losses = inline_loop(reference, reference_ddp, batches_, config);
  torch::manual_seed(9);
  DistributedDataParallel stepped_ddp(*stepped, *comm_, DdpOptions().bucket_cap_mb(0.01));
  const std::vector<double> stepped_losses = with_training_step(stepped, stepped_ddp, batches_, config);

  EXPECT_EQ(stepped_losses, reference_losses);
  const auto a = snapshot(*reference), b = snapshot(*stepped);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(bitwise_equal(a[i], b[i])) << "parameter or buffer " << i;
}

TEST_F(TrainingStepTest, ReturnsTheLossDetached) {
  Crnn model = tiny_crnn();
  DistributedDataParallel ddp(*model, *comm_);
  TrainingStep training_step(*model, ddp, TrainConfig(), c10::Device(c10::kCPU));
  Batch batch;
  batch.input = batches_[0].x;
  batch.tags = batches_[0].y;
  const at::Tensor loss = training_step.forward_backward(batch, true);
  EXPECT_FALSE(loss.requires_grad());
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_EQ(loss.scalar_type(), at::kFloat);
  EXPECT_DOUBLE_EQ(training_step.loss_scale(), 1.0);  // fp32: no loss scaling
}

}  // namespace
}  // namespace musictag::train
