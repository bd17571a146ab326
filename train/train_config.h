// TrainConfig: how the trainer runs (config section `train`), and TrainSettings: every section it reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/config_file.h"
#include "cluster/config_reader.h"
#include "cluster/device_choice.h"
#include "train/data/data_config.h"
#include "train/models/model_config.h"

namespace musictag::train {

// Choices of section `train`, parsed where the section is read; their names are declared once, here.
enum class OptimizerKind { adam, sgd };
inline constexpr ChoiceName<OptimizerKind> kOptimizerNames[] = {{OptimizerKind::adam, "adam"},
                                                                {OptimizerKind::sgd, "sgd"}};
enum class LrSchedule { constant, cosine, step };
inline constexpr ChoiceName<LrSchedule> kLrScheduleNames[] = {
    {LrSchedule::constant, "constant"}, {LrSchedule::cosine, "cosine"}, {LrSchedule::step, "step"}};
enum class Precision { fp32, bf16, fp16 };
inline constexpr ChoiceName<Precision> kPrecisionNames[] = {
    {Precision::fp32, "fp32"}, {Precision::bf16, "bf16"}, {Precision::fp16, "fp16"}};
// What "best" means for best.pt, early stopping and train.phases' reload_best.
enum class BestBy { macro_roc_auc, loss };
inline constexpr ChoiceName<BestBy> kBestByNames[] = {{BestBy::macro_roc_auc, "macro_roc_auc"}, {BestBy::loss, "loss"}};
// A phase's optimizer: keep the one in force (and its state: Adam's moments, SGD's momentum buffers), or a fresh one.
enum class PhaseOptimizer { keep, adam, sgd };
inline constexpr ChoiceName<PhaseOptimizer> kPhaseOptimizerNames[] = {
    {PhaseOptimizer::keep, "keep"}, {PhaseOptimizer::adam, "adam"}, {PhaseOptimizer::sgd, "sgd"}};

// One item of train.phases: from the start of epoch `epoch` (0-based) on, train with `learning_rate`; first load the
// weights of best.pt when reload_best; with optimizer adam or sgd, replace the optimizer by a fresh one built with
// this phase's weight_decay, momentum and nesterov (keys a `keep` phase may not set). Each key defaults to the
// train-level key of the same name (a first phase's `keep` is train.optimizer with the train-level options). Won et al.
// 2020's schedule is configs/won2020/protocol.yaml.
struct TrainPhase {
  int64_t epoch = 0;
  PhaseOptimizer optimizer = PhaseOptimizer::keep;
  double learning_rate = 1e-3;
  double weight_decay = 0.0;
  double momentum = 0.9;
  bool nesterov = false;
  bool reload_best = false;
};

// Keys of section `train` (all optional; default, allowed range, meaning):
// data
//   dataset: "out/dataset"        preprocess output folder (manifest.json, parts/)
//   output: "out/train"           run folder: checkpoints/, logs, the resolved config
//   epochs: 50                    [1,1e6]
//   batch_size: 16                [1,1e6]   examples per rank per forward/backward
//   input_frames: 0               [0,1e7]   0 = the stored frames; else a random crop of this many frames (waveform
//                                           models crop model.n_samples samples; leave 0 or set that)
//   variants: random              {random,all,original} augmented variants: one at random per track and epoch,
//                                 every variant as its own example, or only the original (variant 0)
//   drop_last: true               drop each rank's last partial batch
//   loader_threads: 2             [1,64]    background threads reading part files
//   prefetch_batches: 4           [1,256]   batches built ahead of the training loop
//   max_open_parts: 64            [1,1e6]   part files each loader thread keeps open
//   verify_checksums: false       sha256 of every part against manifest.json when opening (reads every byte)
// optimisation
//   optimizer: adam               {adam,sgd}
//   learning_rate: 1e-3           (0,10]    before world-size scaling and the schedule
//   momentum: 0.9                 [0,1)     sgd only
//   nesterov: false               sgd only: Nesterov momentum
//   weight_decay: 0               [0,1]     L2 added to the gradient (torch's Adam/SGD, not AdamW)
//   betas: [0.9, 0.999]           [0,1)     adam only; exactly two values
//   eps: 1e-8                     (0,1]     adam only
//   warmup_steps: 0               [0,1e9]   linear warm-up over this many optimizer steps
//   schedule: constant            {constant,cosine,step} after warm-up (train/lr_schedule.h)
//   step_size_epochs: 10          [1,1e6]   step: decay every this many epochs
//   step_gamma: 0.1               (0,1]     step: factor per decay
//   min_lr_ratio: 0               [0,1]     cosine: final lr = min_lr_ratio * lr; only with schedule cosine
//   scale_lr_with_world: false    true: lr * world size (linear scaling rule, Goyal et al. 2017)
//   grad_clip_norm: 0             [0,inf)   clip the global L2 norm of all gradients; 0 = off
//   accumulation_steps: 1         [1,1024]  forward/backward passes per optimizer step (no_sync in between)
//   phases: []                    list of {epoch, optimizer, learning_rate, weight_decay, momentum, nesterov,
//                                 reload_best} (TrainPhase); needs schedule constant; [] = one phase, the keys above
// data parallelism and numerics
//   bucket_cap_mb: 1.0            (0,1024]  gradient bucket cap; the demo CRNN's gradient is ~1.5 MB, so 25 MB
//                                           (PyTorch's default) would give one bucket and no overlap
//   sync_batchnorm: false         BatchNorm statistics over all ranks
//   precision: fp32               {fp32,bf16,fp16} autocast of forward and loss; fp16 adds dynamic loss
//                                           scaling and needs a GPU; bf16 also runs on CPU
//   channels_last: false          NHWC memory format for the conv blocks
//   seed: 0                       [0,2^53]  model init, sampler permutation (seed + epoch), dropout, crops
//   deterministic: false          deterministic algorithms (train/rng_state.h); resume is then bit-exact on CPU
//   device: auto                  {auto,cpu,cuda} auto = cuda when available
// checkpoints, stopping, logging
//   checkpoint_every_steps: 0     [0,1e9]   also every this many optimizer steps; 0 = only at epoch ends
//   keep_checkpoints: 3           [1,1e6]   newest checkpoints kept (best.pt is kept besides)
//   early_stopping_patience: 0    [0,1e6]   epochs without a better validation score (select_best_by); 0 = off
//   select_best_by: macro_roc_auc {macro_roc_auc,loss} the validation score that picks best.pt (higher AUC, or
//                                 lower mean BCE)
//   validation_chunks: 1          [1,1024]  crops per validation example, averaged: 1 = the centre crop; N > 1 =
//                                 crop i at i * floor((stored - input) / N) (Won et al.'s evaluation protocol)
//   log_every_steps: 10           [0,1e9]   0 = only at epoch ends
//   stop_check_steps: 10          [1,1e6]   read the losses back, check them for NaN/Inf and ask every rank for a stop
//                                 signal every this many optimizer steps (and at every log and checkpoint step and
//                                 epoch end): the steps in between queue GPU work without a host sync, and a
//                                 SIGTERM/SIGUSR1 is honoured within this many steps (train/README.md)
struct TrainConfig {
  std::string dataset = "out/dataset";
  std::string output = "out/train";
  int64_t epochs = 50;
  int64_t batch_size = 16;
  int64_t input_frames = 0;
  VariantPolicy variants = VariantPolicy::random;
  bool drop_last = true;
  int64_t loader_threads = 2;
  int64_t prefetch_batches = 4;
  int64_t max_open_parts = 64;
  bool verify_checksums = false;

  OptimizerKind optimizer = OptimizerKind::adam;
  double learning_rate = 1e-3;
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 0.0;
  std::vector<double> betas = {0.9, 0.999};
  double eps = 1e-8;
  int64_t warmup_steps = 0;
  LrSchedule schedule = LrSchedule::constant;
  int64_t step_size_epochs = 10;
  double step_gamma = 0.1;
  double min_lr_ratio = 0.0;
  bool scale_lr_with_world = false;
  double grad_clip_norm = 0.0;
  int64_t accumulation_steps = 1;
  std::vector<TrainPhase> phases;

  double bucket_cap_mb = 1.0;
  bool sync_batchnorm = false;
  Precision precision = Precision::fp32;
  bool channels_last = false;
  int64_t seed = 0;
  bool deterministic = false;
  DeviceChoice device = DeviceChoice::automatic;

  int64_t checkpoint_every_steps = 0;
  int64_t keep_checkpoints = 3;
  int64_t early_stopping_patience = 0;
  BestBy select_best_by = BestBy::macro_roc_auc;
  int64_t validation_chunks = 1;
  int64_t log_every_steps = 10;
  int64_t stop_check_steps = 10;

  // Reads and validates section `train`; ConfigError names the key, its range and the value.
  static TrainConfig from(cluster::ConfigSection& section);

  // learning_rate, times world_size when scale_lr_with_world (the peak of the schedule).
  double peak_learning_rate(int world_size) const;
  // Examples that contribute to one optimizer step over all ranks.
  int64_t examples_per_step(int world_size) const { return batch_size * accumulation_steps * world_size; }
  bool early_stopping() const { return early_stopping_patience > 0; }
  // True after optimizer step `step` (1-based count of steps taken) when the trainer syncs with the host and the other
  // ranks: every stop_check_steps, every log_every_steps and every checkpoint_every_steps. The same on every rank.
  bool sync_at_step(int64_t step) const;
  // The loader's settings (train/data/data_config.h): dataset, input_frames, variants, drop_last, prefetch_batches,
  // loader_threads, max_open_parts, seed, verify_checksums.
  DataConfig data_config() const;
};

// Every config section the trainer reads, parsed and validated once.
struct TrainSettings {
  ModelConfig model;            // section `model`
  TrainConfig train;            // section `train`
  std::string resolved_config;  // YAML of both sections with every value in force; stored in checkpoints

  // Reads `model` and `train` from `file` (call file.finish() after) and checks rules across them
  // (train.input_frames must leave >= 1 time step under model.pool_sizes).
  static TrainSettings read(cluster::ConfigFile& file);
};

}  // namespace musictag::train
