// The training loop: data-parallel CRNN training with validation, checkpoints, resume and preemption.
#include "train/trainer.h"

#include <fmt/format.h>
#include <torch/cuda.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "cluster/comm/communicator.h"
#include "cluster/errors.h"
#include "cluster/files.h"
#include "cluster/log.h"
#include "eval/metrics/metrics.h"
#include "preprocess/format/manifest.h"
#include "train/checkpoint.h"
#include "train/checkpoint_directory.h"
#include "train/data/batch_loader.h"
#include "train/data/device_batches.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/ddp/sync_batch_norm.h"
#include "train/lr_schedule.h"
#include "train/mixed_precision.h"
#include "train/model_input_check.h"
#include "train/models/model_description.h"
#include "train/models/model_registry.h"
#include "train/models/tagging_model.h"
#include "train/non_finite_loss.h"
#include "train/optimizer.h"
#include "train/pending_losses.h"
#include "train/phase_schedule.h"
#include "train/rng_state.h"
#include "train/stop_signal.h"
#include "train/train_log.h"
#include "train/training_step.h"
#include "train/validation.h"

namespace musictag::train {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

torch::Device choose_device(const TrainConfig& config, const cluster::World& world) {
  const bool cuda = torch::cuda::is_available();
  if (config.device == DeviceChoice::cuda && !cuda)
    throw ConfigError("train.device is cuda but no CUDA device is visible on " + world.label());
  if (config.device == DeviceChoice::cpu || !cuda) return torch::Device(torch::kCPU);
  const auto count = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(count == 1 ? 0 : world.local_rank % count));
}

// Sum of a scalar over all ranks.
double all_sum(cluster::Communicator& comm, double value) {
  at::Tensor t = at::full({1}, value, at::kDouble);
  comm.all_reduce(t, cluster::ReduceOp::Sum);
  return t.item<double>();
}

std::optional<double> finite_or_none(double value) {
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

// The train.phases item a checkpoint was written in, checked against this run's phases.
int64_t resumed_phase(const std::string& checkpoint, const TrainConfig& config) {
  const int64_t phase = load_checkpoint_metadata(checkpoint).info.progress.phase;
  const auto phases = static_cast<int64_t>(std::max<size_t>(1, config.phases.size()));
  if (phase >= phases)
    throw ConfigError(
        fmt::format("{} was written in phase {} of train.phases, but this config has {} phase{}: resume "
                    "with the train.phases it was trained with",
                    checkpoint, phase, phases, phases > 1 ? "s" : ""));
  return phase;
}

// Entering phase `phase` at the start of `epoch`: reload best.pt's weights when the phase asks (every rank reads it,
// after rank 0 has written it) and say what changes. The caller replaces the optimizer when the phase builds one.
void enter_phase(const TrainConfig& config, int64_t phase, int64_t epoch, const std::string& checkpoint_folder,
                 TaggingModelImpl& model, cluster::Communicator& comm, const cluster::World& world) {
  const TrainPhase& p = config.phases[static_cast<size_t>(phase)];
  std::string reloaded;
  if (p.reload_best) {
    comm.barrier();
    const std::string best = checkpoint_folder + "/" + CheckpointDirectory::kBestFile;
    if (is_regular_file(best)) {
      load_model_weights(best, model);
      reloaded = ", weights reloaded from " + best;
    } else {
      reloaded = ", no best.pt yet so the current weights continue";
    }
  }
  if (world.rank == 0)
    log::info("epoch {}: phase {} of {}: {} optimizer, learning rate {}{}", epoch, phase, config.phases.size(),
              p.optimizer == PhaseOptimizer::keep
                  ? "same"
                  : std::string("fresh ") + choice_name(kPhaseOptimizerNames, p.optimizer),
              p.learning_rate, reloaded);
}

}  // namespace

TrainOutcome run_training(const cluster::World& world, const TrainSettings& settings, const std::string& resume) {
  const TrainConfig& config = settings.train;
  // One rank per core group: ranks on a node share its cores instead of each taking all of them.
  at::set_num_threads(std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / world.local_size));
  apply_determinism(config.deterministic);
  const torch::Device device = choose_device(config, world);
  auto comm = cluster::make_communicator(world, device.is_cuda() ? cluster::Backend::Nccl : cluster::Backend::Mpi);

  DataConfig data = config.data_config();
  data.validate("train");
  auto train_index =
      std::make_shared<const DataIndex>(DataIndex::open(data.dataset, "training", data.verify_checksums));
  auto val_index =
      std::make_shared<const DataIndex>(DataIndex::open(data.dataset, "validation", data.verify_checksums));
  const ModelConfig& model_config = settings.model;
  // Crop length in the dataset's columns: log-mel frames, or waveform samples.
  const int64_t input_frames = model_input_columns(model_config, StoredExamples::of(*train_index), config.input_frames);
  data.input_frames = input_frames;  // the loaders crop this many columns

  seed_torch(static_cast<uint64_t>(config.seed));
  TaggingModel model = model_config.build(train_index->n_tags());
  model->to(device);
  if (config.channels_last) model->use_channels_last();
  if (config.sync_batchnorm) enable_sync_batch_norm(*model, *comm);
  DistributedDataParallel ddp(*model, *comm, DdpOptions().bucket_cap_mb(config.bucket_cap_mb));
  TrainingStep step(*model, ddp, config, device);
  // On a GPU: pinned batches that keep the parts' float16, widened after the upload (train/data/device_upload.h).
  BatchLoaderOptions training_options(LoaderMode::training, config.batch_size, world.size, world.rank);
  training_options.pin_memory = device.is_cuda();
  training_options.mel_dtype = device.is_cuda() ? at::kHalf : at::kFloat;
  BatchLoader loader(train_index, data, training_options);
  DeviceBatches batches(loader, device);
  BatchLoaderOptions validation_options(LoaderMode::evaluation, config.batch_size, world.size, world.rank);
  validation_options.chunks = config.validation_chunks;
  validation_options.pin_memory = device.is_cuda();
  BatchLoader val_loader(val_index, data, validation_options);

  TrainingProgress progress;
  progress.world_size = world.size;
  const std::string checkpoint_folder = config.output + "/checkpoints";
  std::optional<std::string> resume_path;
  if (resume == "auto")
    resume_path = find_latest_checkpoint(checkpoint_folder);
  else if (resume != "none")
    resume_path = resume;
  // The optimizer of the phase the checkpoint was written in, so its saved state loads into the same kind.
  if (resume_path) progress.phase = resumed_phase(*resume_path, config);
  TrainConfig active = config_of_phase(config, progress.phase);
  auto optimizer = make_optimizer(model->parameters(), active, world.size);
  if (resume_path) {
    const LoadedCheckpoint loaded = load_checkpoint(*resume_path, *model, *optimizer);
    progress = loaded.metadata.info.progress;
    if (progress.world_size != world.size)
      throw ConfigError(
          fmt::format("{} was written by {} ranks, this run has {}: the data slices differ, so resume "
                      "with {} ranks (or start afresh with --resume none)",
                      *resume_path, progress.world_size, world.size, progress.world_size));
    restore_rng_state(loaded.rng);
    if (world.rank == 0)
      log::info("resumed from {} at step {}, epoch {}, batch {}", *resume_path, progress.step, progress.epoch,
                progress.batch_in_epoch);
  }

  std::unique_ptr<CheckpointDirectory> checkpoints;
  std::unique_ptr<TrainLog> train_log;
  if (world.rank == 0) {
    checkpoints = std::make_unique<CheckpointDirectory>(checkpoint_folder, config.keep_checkpoints);
    train_log = std::make_unique<TrainLog>(config.output);
    write_file_atomically(config.output + "/train.yaml", settings.resolved_config);
  }
  install_stop_signal_handlers();

  TrainOutcome outcome;
  const auto save = [&] {
    if (world.rank == 0) {
      CheckpointInfo info{
          progress, settings.resolved_config, train_index->manifest().features.dump(), train_index->tag_names(), {}};
      info.dataset_config_yaml = train_index->manifest().config_text;
      outcome.last_checkpoint = checkpoints->save(*model, *optimizer, info, capture_rng_state());
    }
    comm->barrier();
    return outcome.last_checkpoint;
  };

  // After a stop signal: every rank returns kExitPreempted at the same step, `path` holding the state to resume.
  const auto preempted = [&](const std::string& path) {
    if (world.rank == 0) log::warn("stop signal: checkpoint {} written; exiting with {}", path, kExitPreempted);
    outcome.exit_code = kExitPreempted;
    outcome.steps = progress.step;
    return outcome;
  };

  PendingLosses pending_losses;
  const int64_t accumulation = config.accumulation_steps;
  const int64_t steps_per_epoch = std::max<int64_t>(1, loader.batches_in_epoch(0) / accumulation);
  const ScheduleClock clock_base{0, steps_per_epoch, steps_per_epoch * config.epochs};
  if (world.rank == 0)
    log::info(
        "training on {} ({} rank{}), {} training / {} validation examples, {} steps per epoch, {} epochs, "
        "{} parameters",
        device.str(), world.size, world.size > 1 ? "s" : "", train_index->size(), val_index->size(), steps_per_epoch,
        config.epochs, model->parameter_count());

  for (int64_t epoch = progress.epoch; epoch < config.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    while (progress.phase < phase_at(config, epoch)) {
      ++progress.phase;
      active = config_of_phase(config, progress.phase);
      enter_phase(config, progress.phase, epoch, checkpoint_folder, *model, *comm, world);
      if (phase_builds_optimizer(config, progress.phase))
        optimizer = make_optimizer(model->parameters(), active, world.size);
    }
    loader.start_epoch(epoch, progress.batch_in_epoch);
    model->train();
    double loss_sum = 0.0, epoch_loss_sum = 0.0;
    int64_t loss_count = 0, epoch_batches = 0, samples = 0;
    auto log_start = Clock::now();
    double wait_at_log = loader.wait_seconds();
    // A sync point (every rank at the same step): the losses queued on the device since the last one are read back,
    // checked (a NaN stops the job on every rank, naming its batch) and added to the sums in order.
    const auto collect_losses = [&] {
      const LossReadout readout = pending_losses.read();
      check_losses_finite(readout, *comm, loader);
      for (const double loss : readout.losses) {
        loss_sum += loss;
        epoch_loss_sum += loss;
      }
      loss_count += readout.size();
      epoch_batches += readout.size();
    };
    while (auto batch = batches.next()) {
      const bool last_micro = (batch->index + 1) % accumulation == 0;
      pending_losses.add(step.forward_backward(*batch, last_micro), *batch, progress.step);
      samples += batch->size();
      progress.batch_in_epoch = batch->index + 1;
      if (!last_micro) continue;
      ScheduleClock clock = clock_base;
      clock.step = progress.step;
      if (!step.optimizer_step(*optimizer, learning_rate_at(clock, active, world.size))) {
        if (world.rank == 0)
          log::warn("fp16 gradient overflow at step {}: step skipped, loss scale now {}", progress.step,
                    step.loss_scale());
        continue;
      }
      ++progress.step;
      if (!config.sync_at_step(progress.step)) continue;  // no host sync: the GPU keeps the queued work coming

      collect_losses();
      if (config.log_every_steps > 0 && progress.step % config.log_every_steps == 0) {
        const double seconds = since(log_start);
        const double mean_loss = all_sum(*comm, loss_sum / loss_count) / world.size;
        const double all_samples = all_sum(*comm, static_cast<double>(samples));
        if (train_log)
          train_log->step({progress.step, epoch, mean_loss, current_learning_rate(*optimizer), all_samples / seconds,
                           (loader.wait_seconds() - wait_at_log) / seconds});
        loss_sum = 0.0;
        loss_count = 0;
        samples = 0;
        log_start = Clock::now();
        wait_at_log = loader.wait_seconds();
      }
      if (config.checkpoint_every_steps > 0 && progress.step % config.checkpoint_every_steps == 0) save();
      if (any_rank_stop_requested(*comm)) return preempted(save());
    }
    collect_losses();  // the epoch's last micro-batches since the last sync point
    progress.epoch = epoch + 1;
    progress.batch_in_epoch = 0;
    const ValidationScores validation = validate(model, val_loader, *comm, device);
    const bool better = improves(validation, config.select_best_by, progress.best_auc, progress.best_loss);
    if (better) {
      progress.best_auc = finite_or_none(validation.macro_roc_auc);
      progress.best_loss = finite_or_none(validation.loss);
      progress.best_epoch = epoch;
      progress.epochs_without_improvement = 0;
    } else {
      ++progress.epochs_without_improvement;
    }
    const double train_loss = all_sum(*comm, epoch_batches > 0 ? epoch_loss_sum / epoch_batches : 0.0) / world.size;
    const std::string path = save();
    if (world.rank == 0) {
      if (better) checkpoints->mark_best(path);
      train_log->epoch(
          {epoch, progress.step, train_loss, validation.loss, validation.macro_roc_auc, since(epoch_start), better});
    }
    outcome.epochs_done = epoch + 1;
    if (config.early_stopping() && progress.epochs_without_improvement >= config.early_stopping_patience) {
      if (world.rank == 0)
        log::info("early stopping: no better validation {} for {} epochs",
                  choice_name(kBestByNames, config.select_best_by), config.early_stopping_patience);
      break;
    }
    // An epoch end is a sync point too: a signal that came during its last steps or validation stops here, after
    // the epoch's checkpoint, unless the run is complete anyway.
    if (epoch + 1 < config.epochs && any_rank_stop_requested(*comm)) return preempted(path);
  }
  if (train_log) log::info("curves: {}", train_log->write_curves());
  outcome.steps = progress.step;
  outcome.best_epoch = progress.best_epoch;
  outcome.best_auc = progress.best_auc;
  outcome.best_loss = progress.best_loss;
  return outcome;
}

std::string describe_configured_model(const TrainSettings& settings) {
  int64_t dataset_tags = 0;
  const std::string manifest = settings.train.dataset + "/manifest.json";
  if (settings.model.n_tags() == 0) {
    if (!is_regular_file(manifest))
      throw ConfigError(
          "--describe-model needs the tag count: set --set model.n_tags=N, or train.dataset to a "
          "preprocessed dataset (no " +
          manifest + ")");
    dataset_tags = static_cast<int64_t>(preprocess::load_manifest(manifest).tag_names.size());
  }
  const TaggingModel model = settings.model.build(dataset_tags);
  return describe_model(*model, find_model_kind(model->kind()).description);
}

}  // namespace musictag::train
