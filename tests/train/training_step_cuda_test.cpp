// CUDA only (`ctest -L cuda`; skipped without a GPU): training steps queue no host sync, and uploaded batches equal
// the CPU float32 path's.
#include <c10/cuda/CUDAFunctions.h>
#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <memory>

#include "cluster/comm/communicator.h"
#include "cluster/world.h"
#include "data_test_support.h"
#include "train/data/batch_loader.h"
#include "train/data/device_batches.h"
#include "train/models/crnn.h"
#include "train/optimizer.h"
#include "train/pending_losses.h"
#include "train/training_step.h"

namespace musictag::train {
namespace {

// While alive, a synchronising CUDA call through c10 (.item(), a blocking copy, a stream or device synchronize)
// throws instead of waiting.
class ErrorOnSync {
 public:
  ErrorOnSync() { c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_ERROR); }
  ~ErrorOnSync() { c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_DISABLED); }
  ErrorOnSync(const ErrorOnSync&) = delete;
  ErrorOnSync& operator=(const ErrorOnSync&) = delete;
};

class TrainingStepCudaTest : public testing::DataFolderTest {
 protected:
  void SetUp() override {
    if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device visible";
    DataFolderTest::SetUp();
    testing::write_test_dataset(folder(), testing::default_spec());  // 18 examples of 8 mels x 40 frames
    index_ = std::make_shared<const DataIndex>(DataIndex::open(folder(), "training"));
    data_.dataset = folder();
    data_.input_frames = 16;
    data_.variants = VariantPolicy::all;
    data_.seed = 3;
  }

  // The trainer's loader settings on a GPU: pinned batches holding the stored float16 values.
  BatchLoaderOptions gpu_options() const {
    BatchLoaderOptions options(LoaderMode::training, 3);
    options.pin_memory = true;
    options.mel_dtype = at::kHalf;
    return options;
  }

  const c10::Device device_{c10::kCUDA, 0};
  std::shared_ptr<const DataIndex> index_;
  DataConfig data_;
};

TEST_F(TrainingStepCudaTest, StepsQueueNoHostSync) {
  BatchLoader loader(index_, data_, gpu_options());
  torch::manual_seed(1);
  Crnn model(CrnnOptions(3)
                 .n_mels(8)
                 .n_frames(16)
                 .conv_channels({8, 8})
                 .pool_sizes({PoolSize{2, 2}, PoolSize{2, 2}})
                 .gru_hidden(8)
                 .gru_layers(1)
                 .conv_dropout(0.1));
  model->to(device_);
  auto comm = cluster::make_communicator(cluster::World::resolve(), cluster::Backend::Nccl);
  DistributedDataParallel ddp(*model, *comm, DdpOptions().bucket_cap_mb(0.001));  // several buckets in flight
  TrainConfig config;
  config.accumulation_steps = 2;
  config.grad_clip_norm = 1.0;
  TrainingStep step(*model, ddp, config, device_);
  auto optimizer = make_optimizer(model->parameters(), config);
  DeviceBatches batches(loader, device_);
  PendingLosses pending;
  const auto run_epoch = [&](int64_t epoch) {
    loader.start_epoch(epoch);
    int64_t taken = 0;
    while (auto batch = batches.next()) {
      const bool last_micro = (batch->index + 1) % config.accumulation_steps == 0;
      pending.add(step.forward_backward(*batch, last_micro), *batch, taken);
      if (last_micro && step.optimizer_step(*optimizer, 1e-3)) ++taken;
    }
    return taken;
  };

  run_epoch(0);  // first calls: cuDNN/cuBLAS handles, NCCL's first collective, allocator growth
  ASSERT_EQ(pending.read().size(), 6);
  int64_t steps = 0;
  {
    const ErrorOnSync error_on_sync;
    ASSERT_NO_THROW(steps = run_epoch(1)) << "a synchronising call inside the training step";
  }
  EXPECT_EQ(steps, 3);                         // 6 batches of 3, 2 micro-batches per optimizer step
  const LossReadout readout = pending.read();  // the sync point: reading back is allowed here
  ASSERT_EQ(readout.size(), 6);
  EXPECT_FALSE(readout.first_non_finite());
}

TEST_F(TrainingStepCudaTest, UploadedBatchesEqualTheCpuFloat32Path) {
  BatchLoader cpu_loader(index_, data_, {LoaderMode::training, 3});
  BatchLoader gpu_loader(index_, data_, gpu_options());
  DeviceBatches batches(gpu_loader, device_);
  cpu_loader.start_epoch(2);
  gpu_loader.start_epoch(2);
  int64_t compared = 0;
  while (auto uploaded = batches.next()) {
    const auto expected = cpu_loader.next();
    ASSERT_TRUE(expected);
    EXPECT_TRUE(uploaded->input.is_cuda());
    EXPECT_EQ(uploaded->input.scalar_type(), at::kFloat);
    EXPECT_EQ(uploaded->examples, expected->examples);
    EXPECT_TRUE(at::equal(uploaded->input.cpu(), expected->input)) << "batch " << compared;
    EXPECT_TRUE(at::equal(uploaded->tags.cpu(), expected->tags)) << "batch " << compared;
    ++compared;
  }
  EXPECT_FALSE(cpu_loader.next());
  EXPECT_EQ(compared, 6);
}

}  // namespace
}  // namespace musictag::train
