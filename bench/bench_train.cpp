// Benchmark: training steps per second of any model kind (forward, BCE loss, backward, DDP gradient sync, Adam step)
// from in-memory batches or from a preprocessed dataset through the BatchLoader; one rank or several under mpiexec;
// on the CPU or a CUDA device (--device cuda: NCCL gradient sync), in fp32 or under bf16 autocast (--precision).
// The model: the CRNN from the CRNN flags (the default), or --kind / --config / --set through ModelConfig, as
// musictag-train builds it. bench/bench_train.sh runs it against the PyTorch twin (bench_train.py, given the model
// by --print-model) and prints the ratios.
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/comm/communicator.h"
#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "cluster/fatal.h"
#include "cluster/malloc_tuning.h"
#include "cluster/world.h"
#include "train/data/batch_loader.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/mixed_precision.h"
#include "train/model_input_check.h"
#include "train/models/model_config.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Options {
  std::string source = "memory";  // memory | hdf5
  std::string dataset = "out/demo/dataset";
  std::string device = "cpu";      // cpu | cuda (cuda:<local rank>, NCCL)
  std::string precision = "fp32";  // fp32 | bf16 (autocast around forward and loss, as train.precision)
  int steps = 30, warmup = 5;
  int64_t batch = 16, frames = 256, tags = 21, n_mels = 96, gru = 32;
  std::vector<int64_t> channels = {24, 32, 32, 32};
  std::string kind;                    // empty: --config's model.kind, else the CRNN
  std::string config;                  // a config file whose section `model` gives the model
  std::vector<std::string> overrides;  // --set model.key=value, in order
  bool print_model = false;
  int threads = 0;  // compute threads per rank; 0 = cores / ranks on the node
  int loader_threads = 1;
  double bucket_cap_mb = 0.05;
  bool ddp = true;  // false: no DistributedDataParallel (1 rank only), to time its overhead
};

// Which optional flags were given on the command line.
struct Given {
  bool frames = false, tags = false, crnn_shape = false;  // crnn_shape: --channels or --gru
};

// Section `model` as musictag-train reads it: --config FILE, or else the kind's registry defaults (for the CRNN: the
// CRNN flags, 96 mels; the CRNN is the kind without --kind and --config); then --kind, --frames when given, and the
// --set overrides in order. n_tags stays 0 unless the file or --set gives it (it is resolved when the model is built).
musictag::train::ModelConfig read_model_config(const Options& o, const Given& given) {
  using musictag::ConfigError;
  using musictag::cluster::ConfigFile;
  const std::string kind = o.kind.empty() ? "crnn" : o.kind;
  const bool crnn_flags = o.config.empty() && kind == "crnn";
  if (given.crnn_shape && !crnn_flags)
    throw ConfigError(
        "--channels and --gru shape the CRNN built without --config; for other kinds or with --config use --set "
        "model.conv_channels=[...] / --set model.gru_hidden=N");
  std::string yaml = "model: {}\n";
  if (crnn_flags) {
    std::string list;
    for (const int64_t c : o.channels) list += (list.empty() ? "" : ", ") + std::to_string(c);
    yaml = "model: {kind: crnn, n_mels: " + std::to_string(o.n_mels) + ", n_frames: " + std::to_string(o.frames) +
           ", conv_channels: [" + list + "], gru_hidden: " + std::to_string(o.gru) + "}\n";
  }
  ConfigFile file = o.config.empty() ? ConfigFile::from_string(yaml, "bench_train") : ConfigFile::load(o.config);
  if (!o.kind.empty()) file.apply_override("model.kind=" + o.kind);
  if (given.frames) file.apply_override("model.n_frames=" + std::to_string(o.frames));
  for (const std::string& assignment : o.overrides) {
    if (assignment.rfind("model.", 0) != 0)
      throw ConfigError("--set " + assignment + ": bench_train reads section `model` only (model.key=value)");
    file.apply_override(assignment);
  }
  const auto config = musictag::train::ModelConfig::from(file.section("model"));
  file.finish();
  return config;
}

// The tag count handed to ModelConfig::build: the dataset's (hdf5); in memory --tags, unless only the config sets
// model.n_tags (then that), so `--set model.n_tags=50` works without --tags and both given must agree.
int64_t tags_for(const musictag::train::ModelConfig& config, const Options& o, const Given& given,
                 int64_t dataset_tags) {
  if (dataset_tags > 0) return dataset_tags;
  if (given.tags && config.n_tags() > 0 && config.n_tags() != o.tags)
    throw musictag::ConfigError("--tags " + std::to_string(o.tags) + " disagrees with model.n_tags = " +
                                std::to_string(config.n_tags()) + "; give one of them");
  return given.tags || config.n_tags() == 0 ? o.tags : 0;
}

}  // namespace

int main(int argc, char** argv) {
  musictag::cluster::keep_freed_tensor_memory();
  Options o;
  CLI::App app{
      "Times training steps (samples/s over all ranks) of a model of the zoo from memory or from HDF5 parts.\n"
      "The model: without --kind and --config, the CRNN shaped by --frames, --channels, --gru, --tags (96 mels); "
      "--kind K: kind K with its registry defaults (musictag-train --help lists them) and n_tags = --tags; --config "
      "FILE: the file's section `model` (e.g. configs/won2020/mtat_fcn.yaml --set model.n_tags=50). --set "
      "model.key=value overrides either; --frames sets model.n_frames. The input is [batch, n_mels, n_frames] of the "
      "built model.",
      "bench_train"};
  // Scalar flags: the last occurrence wins, so bench_train.sh can append BENCH_ARGS to its per-kind settings.
  const auto last = CLI::MultiOptionPolicy::TakeLast;
  app.add_option("--source", o.source, "memory: random batches made once; hdf5: the BatchLoader on --dataset")
      ->check(CLI::IsMember({"memory", "hdf5"}))
      ->multi_option_policy(last)
      ->capture_default_str();
  app.add_option("--dataset", o.dataset, "preprocess output folder (hdf5)")->capture_default_str();
  app.add_option("--device", o.device, "cpu, or cuda: the rank's GPU (local rank), gradients over NCCL")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->multi_option_policy(last)
      ->capture_default_str();
  app.add_option("--precision", o.precision, "fp32, or bf16: autocast around forward and loss (train.precision)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->multi_option_policy(last)
      ->capture_default_str();
  app.add_option("--steps", o.steps, "timed steps")->multi_option_policy(last)->capture_default_str();
  app.add_option("--warmup", o.warmup, "untimed steps first")->multi_option_policy(last)->capture_default_str();
  app.add_option("--batch", o.batch, "examples per rank per step")->multi_option_policy(last)->capture_default_str();
  auto* frames = app.add_option("--frames", o.frames, "frames per example (model.n_frames; the CRNN's default 256)")
                     ->multi_option_policy(last);
  auto* channels = app.add_option("--channels", o.channels, "CRNN conv channels")->capture_default_str();
  auto* gru = app.add_option("--gru", o.gru, "CRNN GRU hidden units")->multi_option_policy(last)->capture_default_str();
  auto* tags = app.add_option("--tags", o.tags, "output tags (memory; model.n_tags unless the config sets it)")
                   ->multi_option_policy(last)
                   ->capture_default_str();
  app.add_option("--kind", o.kind, "model kind (model.kind); default: --config's, else crnn")
      ->multi_option_policy(last);
  app.add_option("--config", o.config, "config file whose section `model` gives the model");
  app.add_option("--set", o.overrides, "model.key=value override (repeatable; value parsed as YAML)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("--print-model", o.print_model,
               "print the model as one JSON line {\"kind\", \"options\"} (bench_train.py --model-json builds its twin "
               "from it) and exit");
  app.add_option("--threads", o.threads, "compute threads per rank (0 = cores / ranks per node)")
      ->multi_option_policy(last)
      ->capture_default_str();
  app.add_option("--loader-threads", o.loader_threads, "BatchLoader threads (hdf5)")->capture_default_str();
  app.add_option("--bucket-cap-mb", o.bucket_cap_mb, "DDP bucket cap")->capture_default_str();
  app.add_flag("!--no-ddp", o.ddp, "plain backward + step without DistributedDataParallel (1 rank only)");
  CLI11_PARSE(app, argc, argv);
  const Given given{frames->count() > 0, tags->count() > 0, channels->count() > 0 || gru->count() > 0};

  return musictag::cluster::run_guarded([&] {
    using namespace musictag;
    using namespace musictag::train;
    const ModelConfig config = read_model_config(o, given);
    std::shared_ptr<const DataIndex> index;
    if (o.source == "hdf5") index = std::make_shared<const DataIndex>(DataIndex::open(o.dataset, "training"));
    const int64_t tags = tags_for(config, o, given, index ? index->n_tags() : 0);
    torch::manual_seed(1);
    TaggingModel model = config.build(tags);
    if (o.print_model) {
      const nlohmann::json spec = {{"kind", model->kind()}, {"options", model->options_json()}};
      std::printf("%s\n", spec.dump().c_str());
      return 0;
    }

    const cluster::World& world = cluster::World::resolve();
    const int threads = o.threads > 0
                            ? o.threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / world.local_size);
    at::set_num_threads(threads);
    const bool cuda = o.device == "cuda";
    if (cuda && !torch::cuda::is_available())
      throw ConfigError("--device cuda: no CUDA device is visible to this process; use --device cpu");
    auto comm = cluster::make_communicator(world, cuda ? cluster::Backend::Nccl : cluster::Backend::Mpi);
    const torch::Device device = comm->device();
    model->to(device);
    const at::ScalarType autocast = autocast_dtype(o.precision == "bf16" ? Precision::bf16 : Precision::fp32, device);
    // Device work is asynchronous: wait for it before reading a clock.
    const auto synchronize = [&] {
      if (cuda) torch::cuda::synchronize(device.index());
    };

    // Log-mel input [batch, n_mels, n_frames], or waveform input [batch, n_samples] (sample-level models, the
    // Harmonic CNN, model.frontend: logmel); `columns` is the crop the loader cuts: frames or samples.
    const bool waveform = model->input() == ModelInput::waveform;
    const int64_t n_tags = model->n_tags(), n_mels = waveform ? 0 : model->n_mels();
    const int64_t columns = waveform ? model->n_samples() : model->n_frames();
    // A model of the other kind than the dataset, another rate or too long a crop: the trainer's own error.
    if (index) model_input_columns(config, StoredExamples::of(*index), waveform ? 0 : columns);
    std::unique_ptr<BatchLoader> loader;
    if (index) {
      DataConfig data;
      data.dataset = o.dataset;
      data.input_frames = columns;
      data.variants = VariantPolicy::all;
      data.loader_threads = o.loader_threads;
      loader = std::make_unique<BatchLoader>(index, data,
                                             BatchLoaderOptions{LoaderMode::training, o.batch, world.size, world.rank});
    }
    if (!o.ddp && world.size > 1) throw ConfigError("--no-ddp runs on 1 rank only");
    std::optional<DistributedDataParallel> ddp;
    if (o.ddp) ddp.emplace(*model, *comm, DdpOptions().bucket_cap_mb(o.bucket_cap_mb));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));

    // Memory: 4 batches made once (log-mel-like values in dB, or audio-like samples) on the device, cycled.
    std::vector<std::pair<at::Tensor, at::Tensor>> memory;
    for (int i = 0; !loader && i < 4; ++i)
      memory.emplace_back((waveform ? torch::randn(model->input_shape(o.batch)) * 0.1
                                    : torch::randn(model->input_shape(o.batch)) * 20.0 - 30.0)
                              .to(device),
                          (torch::rand({o.batch, n_tags}) < 0.1).to(torch::kFloat).to(device));
    int64_t epoch = 0;
    if (loader) loader->start_epoch(epoch);
    const auto next_batch = [&](int step) -> std::pair<at::Tensor, at::Tensor> {
      if (!loader) return memory[static_cast<size_t>(step) % memory.size()];
      auto batch = loader->next();
      if (!batch) {
        loader->start_epoch(++epoch);
        batch = loader->next();
      }
      return {batch->input.to(device, /*non_blocking=*/true), batch->tags.to(device, /*non_blocking=*/true)};
    };

    Clock::time_point start;
    double wait_at_start = 0.0;
    std::string step_seconds;  // this rank's seconds per step, warmup included (JSON list items)
    for (int step = 0; step < o.warmup + o.steps; ++step) {
      if (step == o.warmup) {
        synchronize();
        comm->barrier();
        start = Clock::now();
        wait_at_start = loader ? loader->wait_seconds() : 0.0;
      }
      const Clock::time_point step_start = Clock::now();
      const auto [mel, target] = next_batch(step);
      at::Tensor loss;
      {
        AutocastScope autocast_scope(device, autocast);
        loss = torch::nn::functional::binary_cross_entropy_with_logits(model->forward(mel).to(torch::kFloat), target);
      }
      loss.backward();
      if (ddp) ddp->finish_gradient_sync();
      optimizer.step();
      optimizer.zero_grad();
      char item[32];
      // On CUDA the step's launch time (not synchronised, so that steps overlap as in training).
      std::snprintf(item, sizeof item, "%s%.4f", step_seconds.empty() ? "" : ", ", seconds_since(step_start));
      step_seconds += item;
    }
    synchronize();
    comm->barrier();
    const double seconds = seconds_since(start);
    const double wait = loader ? loader->wait_seconds() - wait_at_start : 0.0;
    if (world.rank == 0)
      std::printf(
          "{\"impl\": \"cpp\", \"kind\": \"%s\", \"source\": \"%s\", \"device\": \"%s\", \"precision\": \"%s\", "
          "\"ranks\": %d, \"threads\": %d, \"input\": \"%s\", "
          "\"batch\": %lld, \"n_mels\": %lld, \"frames\": %lld, \"warmup\": %d, \"steps\": %d, \"seconds\": %.4f, "
          "\"samples_per_s\": %.3f, \"wait_fraction\": %.4f, \"params\": %lld, \"step_seconds\": [%s]}\n",
          model->kind().c_str(), o.source.c_str(), o.device.c_str(), o.precision.c_str(), world.size, threads,
          waveform ? "waveform" : "logmel", static_cast<long long>(o.batch), static_cast<long long>(n_mels),
          static_cast<long long>(columns), o.warmup, o.steps, seconds,
          static_cast<double>(o.steps) * static_cast<double>(o.batch * world.size) / seconds, wait / seconds,
          static_cast<long long>(model->parameter_count()), step_seconds.c_str());
    return 0;
  });
}
