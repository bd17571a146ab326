// BatchLoader: plans each epoch, starts a PrefetchQueue whose threads assemble its batches, tracks position and wait.
#include "train/data/batch_loader.h"

#include <fmt/format.h>
#include <torch/cuda.h>

#include "cluster/errors.h"

namespace musictag::train {

BatchLoader::BatchLoader(std::shared_ptr<const DataIndex> index, const DataConfig& config, BatchLoaderOptions options)
    : index_(std::move(index)),
      threads_(config.loader_threads),
      prefetch_batches_(config.prefetch_batches),
      max_open_parts_(config.max_open_parts),
      pin_memory_(options.pin_memory.value_or(torch::cuda::is_available())),
      mel_dtype_(options.mel_dtype) {
  config.validate();
  if (options.batch_size < 1) {
    throw ConfigError(fmt::format("batch size: value {} is not in [1,inf)", options.batch_size));
  }
  if (options.world_size < 1 || options.rank < 0 || options.rank >= options.world_size) {
    throw ConfigError(fmt::format("BatchLoader: rank {} of world size {} is not in [0, world size)", options.rank,
                                  options.world_size));
  }
  const int64_t stored = index_->columns();
  if (config.input_frames > stored) {
    throw ConfigError(
        fmt::format("config key train.input_frames: value {} exceeds the {} frames stored per example "
                    "in '{}'; set it to at most {} (0 = all)",
                    config.input_frames, stored, index_->dataset(), stored));
  }
  settings_.mode = options.mode;
  settings_.batch_size = options.batch_size;
  settings_.world_size = options.world_size;
  settings_.rank = options.rank;
  settings_.input_frames = config.input_frames == 0 ? stored : config.input_frames;
  settings_.variants = config.variants;
  settings_.drop_last = config.drop_last;
  settings_.seed = config.seed;
  if (options.chunks < 1 || (options.chunks > 1 && options.mode != LoaderMode::evaluation))
    throw ConfigError(
        fmt::format("BatchLoader: chunks must be >= 1 and > 1 only in evaluation, got {}", options.chunks));
  settings_.chunks = options.chunks;
  // Batches alive per thread at once: its share of the prefetch window, the one it builds, the consumer's.
  const int64_t kept_buffers = (prefetch_batches_ + threads_ - 1) / threads_ + 2;
  for (int64_t t = 0; t < threads_; ++t) {
    assemblers_.push_back(std::make_unique<BatchAssembler>(*index_, settings_.input_frames, max_open_parts_,
                                                           pin_memory_, mel_dtype_, kept_buffers));
  }
}

BatchLoader::~BatchLoader() { queue_.reset(); }

void BatchLoader::start_epoch(int64_t epoch, int64_t first_batch) {
  if (queue_) {
    finished_wait_seconds_ += queue_->wait_seconds();
    queue_.reset();
  }
  auto plan = std::make_shared<const EpochPlan>(plan_epoch(*index_, settings_, epoch));
  if (settings_.mode == LoaderMode::training && plan->batches() == 0) {
    throw DataError(
        fmt::format("dataset '{}', split '{}': rank {} of {} gets no batch of {} in epoch {} ({} "
                    "examples, drop_last {}); lower the batch size, use fewer ranks or set drop_last "
                    "false",
                    index_->dataset(), index_->split(), settings_.rank, settings_.world_size, settings_.batch_size,
                    epoch, index_->size(), settings_.drop_last));
  }
  if (first_batch < 0 || first_batch > plan->batches()) {
    throw DataError(
        fmt::format("dataset '{}': resume position batch {} of epoch {} is outside its {} batches; the "
                    "checkpoint was written with another batch size, world size or dataset",
                    index_->dataset(), first_batch, epoch, plan->batches()));
  }
  plan_ = plan;
  position_ = first_batch == plan->batches() ? SamplerPosition{epoch + 1, 0} : SamplerPosition{epoch, first_batch};
  auto produce = [this, plan](int thread, int64_t b) {
    const auto k = static_cast<size_t>(b);
    Batch batch = assemblers_[static_cast<size_t>(thread)]->assemble(plan->examples[k], plan->offsets[k]);
    batch.epoch = plan->epoch;
    batch.index = b;
    return batch;
  };
  queue_ = std::make_unique<PrefetchQueue>(static_cast<int>(threads_), prefetch_batches_, first_batch, plan->batches(),
                                           produce);
}

std::optional<Batch> BatchLoader::next() {
  if (!queue_) return std::nullopt;
  std::optional<Batch> batch = queue_->next();
  if (batch) {
    ++delivered_;
    position_.batch = queue_->next_index();
    if (position_.batch == plan_->batches()) position_ = {position_.epoch + 1, 0};
  }
  return batch;
}

SamplerPosition BatchLoader::position() const { return position_; }

double BatchLoader::wait_seconds() const { return finished_wait_seconds_ + (queue_ ? queue_->wait_seconds() : 0.0); }

}  // namespace musictag::train
