// BatchLoader: one rank's batches of a split per epoch, built by background threads, delivered in a fixed order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "train/data/batch_assembler.h"
#include "train/data/batch_plan.h"
#include "train/data/batch_tensors.h"
#include "train/data/data_config.h"
#include "train/data/data_index.h"
#include "train/data/prefetch_queue.h"
#include "train/data/sampler.h"

namespace musictag::train {

struct BatchLoaderOptions {
  LoaderMode mode = LoaderMode::training;
  int64_t batch_size = 16;         // [1,inf)
  int world_size = 1, rank = 0;    // from cluster::World
  std::optional<bool> pin_memory;  // unset: pinned exactly when torch::cuda::is_available()
  int64_t chunks = 1;              // evaluation: crops per example, consecutive rows (batch_plan.h chunk_offsets)
  // Batch::mel's dtype: float32 (float16 widened on the host), or float16 as stored, for a GPU that converts it
  // after the upload (train/data/device_upload.h); the values are the same either way.
  at::ScalarType mel_dtype = at::kFloat;

  BatchLoaderOptions(LoaderMode mode_ = LoaderMode::training, int64_t batch_size_ = 16, int world_size_ = 1,
                     int rank_ = 0)
      : mode(mode_), batch_size(batch_size_), world_size(world_size_), rank(rank_) {}
};

// Usage:
//   auto index = std::make_shared<const DataIndex>(DataIndex::open(config.dataset, "training"));
//   BatchLoader loader(index, config, {LoaderMode::training, 16, world.size, world.rank});
//   loader.start_epoch(position.epoch, position.batch);          // 0, 0 for a fresh run
//   while (auto batch = loader.next()) { ...; checkpoint with loader.position(); }
// Batches depend only on (dataset, config.seed, config.variants, config.drop_last, input_frames, world size, rank,
// batch size, epoch), never on loader_threads, prefetch_batches or timing. Destroying the loader mid-epoch stops
// and joins its threads.
class BatchLoader {
 public:
  // ConfigError when config.validate() fails, batch_size < 1, rank outside [0, world_size), input_frames exceeds
  // the stored n_frames or mel_dtype is neither float32 nor float16.
  BatchLoader(std::shared_ptr<const DataIndex> index, const DataConfig& config, BatchLoaderOptions options);
  ~BatchLoader();

  const DataIndex& index() const { return *index_; }
  int64_t input_frames() const { return settings_.input_frames; }
  bool pinned() const { return pin_memory_; }
  at::ScalarType mel_dtype() const { return mel_dtype_; }
  int64_t chunks() const { return settings_.chunks; }  // rows per example in evaluation mode

  // The whole plan of an epoch (what next() will deliver), without reading any mel.
  EpochPlan plan(int64_t epoch) const { return plan_epoch(*index_, settings_, epoch); }
  int64_t batches_in_epoch(int64_t epoch) const { return plan(epoch).batches(); }

  // Starts delivering batch first_batch of `epoch` (a resumed checkpoint's position; first_batch may equal the
  // epoch's batch count: nothing left). Stops any epoch in progress. Training mode: DataError when this rank gets no
  // batch at all (fewer examples than world_size x batch_size with drop_last), naming the dataset and what to change.
  void start_epoch(int64_t epoch, int64_t first_batch = 0);
  void start(const SamplerPosition& position) { start_epoch(position.epoch, position.batch); }

  // The next batch of the current epoch, or std::nullopt when it is done (or none was started). Rethrows a loader
  // thread's DataError (naming the part file) when the consumer reaches the batch that failed.
  std::optional<Batch> next();

  // The next batch to deliver; after the last batch of epoch e it is {e + 1, 0}.
  SamplerPosition position() const;

  double wait_seconds() const;  // time next() spent waiting for data since construction
  int64_t batches_delivered() const { return delivered_; }

 private:
  std::shared_ptr<const DataIndex> index_;
  PlanSettings settings_;
  int64_t threads_, prefetch_batches_, max_open_parts_;
  bool pin_memory_;
  at::ScalarType mel_dtype_;
  std::vector<std::unique_ptr<BatchAssembler>> assemblers_;  // one per thread; keep their parts open across epochs
  std::shared_ptr<const EpochPlan> plan_;
  std::unique_ptr<PrefetchQueue> queue_;  // declared last: destroyed (threads joined) before the assemblers
  double finished_wait_seconds_ = 0.0;    // of queues already destroyed
  int64_t delivered_ = 0;
  SamplerPosition position_;
};

}  // namespace musictag::train
