// TrainConfig: how the trainer runs (config section `train`), and TrainSettings: every section it reads.
#include "train/train_config.h"

#include <fmt/format.h>

namespace musictag::train {
namespace {

void read_data_keys(cluster::ConfigSection& s, TrainConfig& c) {
  c.dataset = s.text("dataset", c.dataset, "Preprocess output folder (manifest.json, parts/)");
  c.output = s.text("output", c.output, "Run folder: checkpoints/, logs and the resolved config");
  c.epochs = s.integer("epochs", c.epochs, "[1,1000000]", "Passes over the training split");
  c.batch_size = s.integer("batch_size", c.batch_size, "[1,1000000]", "Examples per rank per forward/backward");
  c.input_frames = s.integer("input_frames", c.input_frames, "[0,10000000]",
                             "0 = the stored frames; else a random crop of this many frames per example (log-mel "
                             "datasets; waveform models crop model.n_samples samples: leave 0)");
  c.variants = s.choice("variants", c.variants, kVariantPolicyNames,
                        "Augmented variants: one at random per track and epoch, all as separate examples, or only "
                        "the original");
  c.drop_last = s.boolean("drop_last", c.drop_last, "Drop each rank's last partial batch of an epoch");
  c.loader_threads =
      s.integer("loader_threads", c.loader_threads, "[1,64]", "Background threads per rank reading part files");
  c.prefetch_batches =
      s.integer("prefetch_batches", c.prefetch_batches, "[1,256]", "Batches built ahead of the training loop");
  c.max_open_parts = s.integer("max_open_parts", c.max_open_parts, "[1,1000000]",
                               "Part files each loader thread keeps open (least recently used closed)");
  c.verify_checksums = s.boolean("verify_checksums", c.verify_checksums,
                                 "Check every part's sha256 against manifest.json when opening (reads every byte)");
}

TrainPhase read_phase(cluster::ConfigSection& s, const TrainConfig& c) {
  TrainPhase p;
  p.epoch = s.integer("epoch", p.epoch, "[0,1000000]", "First epoch (0-based) of the phase");
  p.optimizer = s.choice("optimizer", p.optimizer, kPhaseOptimizerNames,
                         "keep: continue with the optimizer in force and its state; adam or sgd: a fresh one");
  p.learning_rate = s.real("learning_rate", c.learning_rate, "(0,10]", "Learning rate of the phase");
  p.weight_decay = c.weight_decay;
  p.momentum = c.momentum;
  p.nesterov = c.nesterov;
  if (p.optimizer == PhaseOptimizer::keep) {
    // The optimizer in force continues (train.* for a first phase), so these keys are not this phase's to set.
    for (const char* key : {"weight_decay", "momentum", "nesterov"})
      if (s.contains(key))
        s.fail(key,
               "a phase with optimizer keep continues with the optimizer in force, so it cannot change its "
               "options; set optimizer: adam or sgd to start a fresh one with them");
  } else {
    p.weight_decay = s.real("weight_decay", p.weight_decay, "[0,1]", "L2 penalty of the fresh optimizer");
    p.momentum = s.real("momentum", p.momentum, "[0,1)", "Momentum of the fresh SGD");
    p.nesterov = s.boolean("nesterov", p.nesterov, "Nesterov momentum of the fresh SGD");
  }
  p.reload_best = s.boolean("reload_best", p.reload_best,
                            "Load best.pt's weights (model only) before the phase, as Won et al. 2020 do");
  return p;
}

void read_optimisation_keys(cluster::ConfigSection& s, TrainConfig& c) {
  c.optimizer = s.choice("optimizer", c.optimizer, kOptimizerNames, "torch::optim::Adam or SGD with momentum");
  c.learning_rate = s.real("learning_rate", c.learning_rate, "(0,10]",
                           "Peak learning rate before world-size scaling; the schedule multiplies it");
  c.momentum = s.real("momentum", c.momentum, "[0,1)", "SGD momentum (sgd only)");
  c.nesterov = s.boolean("nesterov", c.nesterov, "Nesterov momentum (sgd only)");
  c.weight_decay = s.real("weight_decay", c.weight_decay, "[0,1]",
                          "L2 penalty added to the gradient (as torch's Adam and SGD; not decoupled AdamW)");
  c.betas = s.reals("betas", c.betas, "[0,1)", "Adam's beta1, beta2 (adam only)");
  c.eps = s.real("eps", c.eps, "(0,1]", "Adam's epsilon (adam only)");
  c.warmup_steps = s.integer("warmup_steps", c.warmup_steps, "[0,1000000000]",
                             "Optimizer steps of linear warm-up from 0 to the peak learning rate");
  c.schedule = s.choice("schedule", c.schedule, kLrScheduleNames,
                        "Learning rate after warm-up: constant, cosine decay to min_lr_ratio, or step decay");
  c.step_size_epochs = s.integer("step_size_epochs", c.step_size_epochs, "[1,1000000]",
                                 "schedule step: multiply by step_gamma every this many epochs");
  c.step_gamma = s.real("step_gamma", c.step_gamma, "(0,1]", "schedule step: factor per decay");
  c.min_lr_ratio =
      s.real("min_lr_ratio", c.min_lr_ratio, "[0,1]", "schedule cosine: final learning rate as a fraction of the peak");
  c.scale_lr_with_world = s.boolean("scale_lr_with_world", c.scale_lr_with_world,
                                    "Multiply learning_rate by the number of ranks (linear scaling rule)");
  c.grad_clip_norm = s.real("grad_clip_norm", c.grad_clip_norm, "[0,inf)",
                            "Clip the global L2 norm of all gradients to this; 0 = off");
  c.accumulation_steps = s.integer("accumulation_steps", c.accumulation_steps, "[1,1024]",
                                   "Forward/backward passes per optimizer step (gradients summed without sync)");
  c.phases = s.mappings<TrainPhase>(
      "phases", "{epoch, optimizer, learning_rate, weight_decay, momentum, nesterov, reload_best}",
      "Optimizer phases by epoch (each key defaults to the train-level one; optimizer keep|adam|sgd); [] = one phase",
      [&](cluster::ConfigSection& item) { return read_phase(item, c); });
}

void read_parallel_keys(cluster::ConfigSection& s, TrainConfig& c) {
  c.bucket_cap_mb = s.real("bucket_cap_mb", c.bucket_cap_mb, "(0,1024]",
                           "Gradient bucket cap in MiB; the demo CRNN's gradient is ~1.5 MB, so 25 (PyTorch's "
                           "default) would make one bucket and no overlap with backward");
  c.sync_batchnorm = s.boolean("sync_batchnorm", c.sync_batchnorm, "BatchNorm batch statistics over all ranks");
  c.precision = s.choice("precision", c.precision, kPrecisionNames,
                         "Autocast precision: bf16 on CPU or GPU, fp16 (with dynamic loss scaling) on GPU only");
  c.channels_last = s.boolean("channels_last", c.channels_last, "NHWC memory format for the conv blocks");
  c.seed = s.integer("seed", c.seed, "[0,9007199254740992]",
                     "Seeds model init, the sampler's permutation (seed + epoch), dropout and crops");
  c.deterministic = s.boolean("deterministic", c.deterministic,
                              "Deterministic algorithms only; with them a resumed CPU run is bit-exact");
  c.device = s.choice("device", c.device, kDeviceChoiceNames, "auto = cuda when a GPU is visible, else cpu");
}

void read_checkpoint_keys(cluster::ConfigSection& s, TrainConfig& c) {
  c.checkpoint_every_steps = s.integer("checkpoint_every_steps", c.checkpoint_every_steps, "[0,1000000000]",
                                       "Also checkpoint every this many optimizer steps; 0 = only at epoch ends");
  c.keep_checkpoints = s.integer("keep_checkpoints", c.keep_checkpoints, "[1,1000000]",
                                 "Newest checkpoints kept; older ones are deleted (best.pt is always kept)");
  c.early_stopping_patience = s.integer("early_stopping_patience", c.early_stopping_patience, "[0,1000000]",
                                        "Stop after this many epochs without a better validation score "
                                        "(select_best_by); 0 = off");
  c.select_best_by = s.choice("select_best_by", c.select_best_by, kBestByNames,
                              "Validation score that picks best.pt: higher macro ROC-AUC, or lower mean BCE loss");
  c.validation_chunks = s.integer("validation_chunks", c.validation_chunks, "[1,1024]",
                                  "Crops per validation example, averaged: 1 = centre crop; N > 1 = crop i at "
                                  "i * floor((stored - input) / N)");
  c.log_every_steps = s.integer("log_every_steps", c.log_every_steps, "[0,1000000000]",
                                "Log loss and throughput every this many optimizer steps; 0 = epoch ends only");
  c.stop_check_steps = s.integer("stop_check_steps", c.stop_check_steps, "[1,1000000]",
                                 "Read losses back, check them for NaN/Inf and poll every rank for a stop signal every "
                                 "this many optimizer steps (and at log and checkpoint steps): the preemption latency");
}

void check_cross_key_rules(cluster::ConfigSection& s, const TrainConfig& c) {
  if (c.betas.size() != 2)
    s.fail("betas", fmt::format("expected exactly two values [beta1, beta2], got {}", c.betas.size()));
  if (c.min_lr_ratio > 0.0 && c.schedule != LrSchedule::cosine)
    s.fail("min_lr_ratio", fmt::format("applies only to schedule cosine, but train.schedule is '{}'; remove it or "
                                       "set it to 0",
                                       choice_name(kLrScheduleNames, c.schedule)));
  if (!c.phases.empty() && c.schedule != LrSchedule::constant)
    s.fail("phases", fmt::format("set the learning rate per phase, so train.schedule must be constant, got '{}'",
                                 choice_name(kLrScheduleNames, c.schedule)));
  for (size_t i = 0; i < c.phases.size(); ++i) {
    if (i == 0 && c.phases[0].epoch != 0)
      s.fail("phases", fmt::format("the first phase must start at epoch 0, got {}", c.phases[0].epoch));
    if (i > 0 && c.phases[i].epoch <= c.phases[i - 1].epoch)
      s.fail("phases", fmt::format("phase {} starts at epoch {}, not after phase {} (epoch {}): list phases by "
                                   "increasing epoch",
                                   i, c.phases[i].epoch, i - 1, c.phases[i - 1].epoch));
  }
  if (c.nesterov && (c.optimizer != OptimizerKind::sgd || c.momentum <= 0.0))
    s.fail("nesterov", "Nesterov momentum needs optimizer sgd with momentum > 0");
  for (size_t i = 0; i < c.phases.size(); ++i)
    if (c.phases[i].nesterov && c.phases[i].optimizer != PhaseOptimizer::keep &&
        (c.phases[i].optimizer != PhaseOptimizer::sgd || c.phases[i].momentum <= 0.0))
      s.fail("phases", fmt::format("phase {} sets nesterov, which needs optimizer sgd with momentum > 0", i));
  if (c.precision == Precision::fp16 && c.device == DeviceChoice::cpu)
    s.fail("precision",
           "'fp16' needs a CUDA device (its loss scaling is a GPU recipe), but train.device is 'cpu'; "
           "use bf16 or fp32 on CPU");
}

}  // namespace

TrainConfig TrainConfig::from(cluster::ConfigSection& section) {
  TrainConfig c;
  read_data_keys(section, c);
  read_optimisation_keys(section, c);
  read_parallel_keys(section, c);
  read_checkpoint_keys(section, c);
  check_cross_key_rules(section, c);
  return c;
}

double TrainConfig::peak_learning_rate(int world_size) const {
  return scale_lr_with_world ? learning_rate * static_cast<double>(world_size) : learning_rate;
}

bool TrainConfig::sync_at_step(int64_t step) const {
  const auto every = [step](int64_t n) { return n > 0 && step % n == 0; };
  return every(stop_check_steps) || every(log_every_steps) || every(checkpoint_every_steps);
}

DataConfig TrainConfig::data_config() const {
  DataConfig d;
  d.dataset = dataset;
  d.input_frames = input_frames;
  d.variants = variants;
  d.drop_last = drop_last;
  d.prefetch_batches = prefetch_batches;
  d.loader_threads = loader_threads;
  d.max_open_parts = max_open_parts;
  d.seed = static_cast<uint64_t>(seed);
  d.verify_checksums = verify_checksums;
  return d;
}

TrainSettings TrainSettings::read(cluster::ConfigFile& file) {
  TrainSettings settings;
  settings.model = ModelConfig::from(file.section("model"));
  auto& train = file.section("train");
  settings.train = TrainConfig::from(train);
  const int64_t min_frames = settings.model.min_frames();
  if (settings.train.input_frames > 0 && settings.train.input_frames < min_frames)
    train.fail("input_frames", fmt::format("a crop of {} frames leaves no time step under model.kind {} (it needs at "
                                           "least {} frames); use 0 (stored frames) or at least {}",
                                           settings.train.input_frames, settings.model.kind, min_frames, min_frames));
  settings.resolved_config = file.resolved_yaml();
  return settings;
}

}  // namespace musictag::train
