// Benchmark: training steps per second of the CRNN (forward, BCE loss, backward, DDP gradient sync, Adam step) from
// in-memory batches or from a preprocessed dataset through the BatchLoader; one rank or several under mpiexec.
// bench/bench_train.sh runs it against the PyTorch twin (bench_train.py) and prints the ratios.
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "cluster/comm/communicator.h"
#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "cluster/fatal.h"
#include "cluster/malloc_tuning.h"
#include "cluster/world.h"
#include "train/data/batch_loader.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/models/model_config.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The model under test, built through the registry from section `model` as a config file gives it (the CRNN's
// keys; the model zoo adds a kind flag).
musictag::train::TaggingModel build_model(int64_t tags, int64_t n_mels, int64_t frames,
                                          const std::vector<int64_t>& channels, int64_t gru) {
  std::string list;
  for (const int64_t c : channels) list += (list.empty() ? "" : ", ") + std::to_string(c);
  const std::string yaml = "model: {n_tags: " + std::to_string(tags) + ", n_mels: " + std::to_string(n_mels) +
                           ", n_frames: " + std::to_string(frames) + ", conv_channels: [" + list +
                           "], gru_hidden: " + std::to_string(gru) + "}\n";
  auto file = musictag::cluster::ConfigFile::from_string(yaml, "bench_train");
  const auto config = musictag::train::ModelConfig::from(file.section("model"));
  file.finish();
  return config.build(tags);
}

struct Options {
  std::string source = "memory";  // memory | hdf5
  std::string dataset = "out/demo/dataset";
  int steps = 30, warmup = 5;
  int64_t batch = 16, frames = 256, tags = 21, n_mels = 96, gru = 32;
  std::vector<int64_t> channels = {24, 32, 32, 32};
  int threads = 0;  // compute threads per rank; 0 = cores / ranks on the node
  int loader_threads = 1;
  double bucket_cap_mb = 0.05;
  bool ddp = true;  // false: no DistributedDataParallel (1 rank only), to time its overhead
};

}  // namespace

int main(int argc, char** argv) {
  musictag::cluster::keep_freed_tensor_memory();
  Options o;
  CLI::App app{"Times CRNN training steps (samples/s over all ranks) from memory or from HDF5 parts.", "bench_train"};
  app.add_option("--source", o.source, "memory: random batches made once; hdf5: the BatchLoader on --dataset")
      ->check(CLI::IsMember({"memory", "hdf5"}))
      ->capture_default_str();
  app.add_option("--dataset", o.dataset, "preprocess output folder (hdf5)")->capture_default_str();
  app.add_option("--steps", o.steps, "timed steps")->capture_default_str();
  app.add_option("--warmup", o.warmup, "untimed steps first")->capture_default_str();
  app.add_option("--batch", o.batch, "examples per rank per step")->capture_default_str();
  app.add_option("--frames", o.frames, "frames per example")->capture_default_str();
  app.add_option("--channels", o.channels, "conv channels")->capture_default_str();
  app.add_option("--gru", o.gru, "GRU hidden units")->capture_default_str();
  app.add_option("--tags", o.tags, "output tags (memory)")->capture_default_str();
  app.add_option("--threads", o.threads, "compute threads per rank (0 = cores / ranks per node)")
      ->capture_default_str();
  app.add_option("--loader-threads", o.loader_threads, "BatchLoader threads (hdf5)")->capture_default_str();
  app.add_option("--bucket-cap-mb", o.bucket_cap_mb, "DDP bucket cap")->capture_default_str();
  app.add_flag("!--no-ddp", o.ddp, "plain backward + step without DistributedDataParallel (1 rank only)");
  CLI11_PARSE(app, argc, argv);

  return musictag::cluster::run_guarded([&] {
    using namespace musictag;
    using namespace musictag::train;
    const cluster::World& world = cluster::World::resolve();
    const int threads = o.threads > 0
                            ? o.threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / world.local_size);
    at::set_num_threads(threads);
    auto comm = cluster::make_communicator(world, cluster::Backend::Mpi);

    std::unique_ptr<BatchLoader> loader;
    int64_t tags = o.tags;
    if (o.source == "hdf5") {
      DataConfig data;
      data.dataset = o.dataset;
      data.input_frames = o.frames;
      data.variants = VariantPolicy::all;
      data.loader_threads = o.loader_threads;
      auto index = std::make_shared<const DataIndex>(DataIndex::open(data.dataset, "training"));
      tags = index->n_tags();
      loader = std::make_unique<BatchLoader>(index, data,
                                             BatchLoaderOptions{LoaderMode::training, o.batch, world.size, world.rank});
    }
    torch::manual_seed(1);
    TaggingModel model = build_model(tags, o.n_mels, o.frames, o.channels, o.gru);
    if (!o.ddp && world.size > 1) throw ConfigError("--no-ddp runs on 1 rank only");
    std::optional<DistributedDataParallel> ddp;
    if (o.ddp) ddp.emplace(*model, *comm, DdpOptions().bucket_cap_mb(o.bucket_cap_mb));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));

    // Memory: 4 batches made once (log-mel-like values), cycled.
    std::vector<std::pair<at::Tensor, at::Tensor>> memory;
    for (int i = 0; o.source == "memory" && i < 4; ++i)
      memory.emplace_back(torch::randn({o.batch, o.n_mels, o.frames}) * 20.0 - 30.0,
                          (torch::rand({o.batch, tags}) < 0.1).to(torch::kFloat));
    int64_t epoch = 0;
    if (loader) loader->start_epoch(epoch);
    const auto next_batch = [&](int step) -> std::pair<at::Tensor, at::Tensor> {
      if (!loader) return memory[static_cast<size_t>(step) % memory.size()];
      auto batch = loader->next();
      if (!batch) {
        loader->start_epoch(++epoch);
        batch = loader->next();
      }
      return {batch->mel, batch->tags};
    };

    Clock::time_point start;
    double wait_at_start = 0.0;
    for (int step = 0; step < o.warmup + o.steps; ++step) {
      if (step == o.warmup) {
        comm->barrier();
        start = Clock::now();
        wait_at_start = loader ? loader->wait_seconds() : 0.0;
      }
      const auto [mel, target] = next_batch(step);
      const at::Tensor loss = torch::nn::functional::binary_cross_entropy_with_logits(model->forward(mel), target);
      loss.backward();
      if (ddp) ddp->finish_gradient_sync();
      optimizer.step();
      optimizer.zero_grad();
    }
    comm->barrier();
    const double seconds = seconds_since(start);
    const double wait = loader ? loader->wait_seconds() - wait_at_start : 0.0;
    if (world.rank == 0)
      std::printf(
          "{\"impl\": \"cpp\", \"source\": \"%s\", \"ranks\": %d, \"threads\": %d, \"batch\": %lld, "
          "\"frames\": %lld, \"steps\": %d, \"seconds\": %.4f, \"samples_per_s\": %.3f, "
          "\"wait_fraction\": %.4f}\n",
          o.source.c_str(), world.size, threads, static_cast<long long>(o.batch), static_cast<long long>(o.frames),
          o.steps, seconds, static_cast<double>(o.steps) * static_cast<double>(o.batch * world.size) / seconds,
          wait / seconds);
    return 0;
  });
}
