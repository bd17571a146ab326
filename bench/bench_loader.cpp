// Benchmark: the BatchLoader alone (no model) reading HDF5 parts, samples/s against a floor measured in the same run:
// the same examples read with the HDF5 C API straight into memory (raw float16, no conversion, no batches), per
// crop length, thread count and order, plus the per-example cost of each step of a read (bench/loader_breakdown.h).
#include <fmt/format.h>
#include <hdf5.h>
#include <torch/cuda.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/loader_breakdown.h"
#include "bench/loader_dataset.h"
#include "bench/loader_floor.h"
#include "cluster/errors.h"
#include "cluster/fatal.h"
#include "cluster/malloc_tuning.h"
#include "train/data/batch_loader.h"

namespace {

using namespace musictag;
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Options {
  std::string dataset, split = "training", pin = "auto", json;
  std::vector<int64_t> frames = {0, 256};  // 0 = the stored frames (the whole example)
  std::vector<int> threads = {1, 2};
  std::vector<std::string> orders = {"random", "sequential"};
  std::vector<std::string> dtypes = {"float32", "float16"};  // Batch::mel: widened on the host, or as stored
  int64_t batch = 16, prefetch = 0, breakdown_examples = 64;
  double min_seconds = 1.0;
  int reps = 3;
  bool breakdown = true;
  std::string make_dataset;
  bench::SyntheticDatasetOptions synthetic;
};

// One configuration's best rates over the reps.
struct Result {
  std::string order, dtype;
  int64_t frames = 0;
  int threads = 0;
  double loader = 0, floor = 0;  // samples/s
  int64_t epochs = 0, examples = 0;
};

// Builds the BatchLoader of one configuration (random: training mode, shuffled, random crops; sequential:
// evaluation mode, index order, centre crop).
std::unique_ptr<train::BatchLoader> make_loader(const std::shared_ptr<const train::DataIndex>& index, const Options& o,
                                                const std::string& order, const std::string& dtype, int64_t frames,
                                                int threads, bool pinned) {
  train::DataConfig data;
  data.dataset = o.dataset;
  data.input_frames = frames;
  data.variants = train::VariantPolicy::all;
  data.loader_threads = threads;
  data.prefetch_batches = o.prefetch > 0 ? o.prefetch : std::max<int64_t>(4, 2 * threads);
  train::BatchLoaderOptions options(order == "random" ? train::LoaderMode::training : train::LoaderMode::evaluation,
                                    o.batch);
  options.pin_memory = pinned;
  options.mel_dtype = dtype == "float16" ? at::kHalf : at::kFloat;
  return std::make_unique<train::BatchLoader>(index, data, options);
}

// Epochs 1.. of the loader (after a short warm-up in epoch 0 that opens every thread's parts): until min_seconds
// when epochs == 0 (then sets epochs), else exactly `epochs`. Returns samples/s; adds to *examples.
double time_loader(train::BatchLoader& loader, int threads, double min_seconds, int64_t& epochs, int64_t& examples) {
  loader.start_epoch(0);
  for (int k = 0; k < 4 * threads && loader.next(); ++k) {
  }
  const bool fixed = epochs > 0;
  int64_t delivered = 0, e = 1;
  const auto start = Clock::now();
  for (;; ++e) {
    loader.start_epoch(e);
    while (auto batch = loader.next()) delivered += batch->size();
    if (fixed ? e >= epochs : seconds_since(start) >= min_seconds) break;
  }
  const double seconds = seconds_since(start);
  epochs = e;
  examples = delivered;
  return static_cast<double>(delivered) / seconds;
}

double time_floor(bench::RawFloor& floor, const train::BatchLoader& loader, int threads, int64_t epochs,
                  int64_t& examples) {
  train::EpochPlan warm = loader.plan(0);
  warm.examples.resize(std::min<size_t>(warm.examples.size(), static_cast<size_t>(4 * threads)));
  floor.read({warm});
  std::vector<train::EpochPlan> plans;
  for (int64_t e = 1; e <= epochs; ++e) plans.push_back(loader.plan(e));
  const auto start = Clock::now();
  examples = floor.read(plans);
  return static_cast<double>(examples) / seconds_since(start);
}

void append_json(const Options& o, const nlohmann::json& line) {
  if (o.json.empty()) return;
  std::ofstream out(o.json, std::ios::app);
  if (!out) throw DataError(fmt::format("--json {}: cannot open the file for appending", o.json));
  out << line.dump() << "\n";
}

void print_breakdown(const Options& o, const train::DataIndex& index, bool pinned) {
  std::vector<int64_t> frames;
  for (const int64_t f : o.frames) frames.push_back(f == 0 ? index.columns() : f);
  const bench::ReadBreakdown b =
      bench::measure_breakdown(index, frames, o.batch, pinned, o.breakdown_examples, o.min_seconds / 5, o.reps);
  std::printf("per example, 1 thread, %s, %.0f stored bytes (us; each step timed alone):\n", b.filters.c_str(),
              b.stored_bytes);
  std::printf("  pread of the stored chunk %8.1f   H5Dread_chunk (no filters) %8.1f   H5Dread (filters run) %8.1f\n",
              b.pread_us, b.read_chunk_us, b.h5dread_us);
  std::printf(
      "  Fletcher32 alone          %8.1f   float16->float32           %8.1f   PartReader::read_examples %6.1f\n",
      b.fletcher_us, b.widen_us, b.part_reader_us);
  const bool checksummed = b.filters.find("fletcher32") != std::string::npos;
  std::printf("  Fletcher32 vectorised     %8.1f   direct read (%s) %8.1f\n", b.fletcher_fast_us,
              !b.direct     ? "not used: H5Dread"
              : checksummed ? "preadv + Fletcher32 check, no HDF5"
                            : "preadv, no HDF5",
              b.direct_read_us);
  std::printf("  float16->float32 into batches, streaming (the loader's whole-example path) %8.1f\n", b.widen_batch_us);
  std::printf("  batch tensor alloc+touch  %8.1f  ", b.allocate_us);
  nlohmann::json crops = nlohmann::json::object();
  for (size_t k = 0; k < b.frames.size(); ++k) {
    std::printf(" crop copy %lld frames %6.1f ", static_cast<long long>(b.frames[k]), b.crop_us[k]);
    crops[std::to_string(b.frames[k])] = b.crop_us[k];
  }
  std::printf("\n  Fletcher32 self-check against the stored checksums: %s\n",
              b.filters.find("fletcher32") == std::string::npos ? "no checksum stored"
              : b.checksum_matches                              ? "equal"
                                                                : "DIFFERENT (timing of a different algorithm)");
  append_json(o, {{"bench", "loader_breakdown"},
                  {"filters", b.filters},
                  {"stored_bytes", b.stored_bytes},
                  {"pread_us", b.pread_us},
                  {"read_chunk_us", b.read_chunk_us},
                  {"h5dread_us", b.h5dread_us},
                  {"fletcher32_us", b.fletcher_us},
                  {"fletcher32_fast_us", b.fletcher_fast_us},
                  {"direct", b.direct},
                  {"direct_read_us", b.direct_read_us},
                  {"widen_us", b.widen_us},
                  {"widen_batch_us", b.widen_batch_us},
                  {"part_reader_us", b.part_reader_us},
                  {"allocate_us", b.allocate_us},
                  {"crop_us", crops},
                  {"checksum_matches", b.checksum_matches}});
}

}  // namespace

int main(int argc, char** argv) {
  cluster::keep_freed_tensor_memory();
  Options o;
  CLI::App app{
      "Times the BatchLoader alone reading a preprocessed dataset (samples/s) against the same examples read with "
      "the HDF5 C API into memory (raw float16: the floor), per crop length, loader threads and order; ratio goal "
      ">= 0.8. --make-dataset DIR writes a synthetic dataset (no audio needed) and exits.",
      "bench_loader"};
  app.add_option("--dataset", o.dataset, "preprocess output folder (manifest.json + parts/)");
  app.add_option("--split", o.split, "split to read")->capture_default_str();
  app.add_option("--frames", o.frames, "crop lengths; 0 = the stored frames (whole example)")->capture_default_str();
  app.add_option("--threads", o.threads, "loader thread counts")->capture_default_str();
  app.add_option("--order", o.orders, "random (training: shuffled, random crop) and/or sequential (index order)")
      ->check(CLI::IsMember({"random", "sequential"}))
      ->capture_default_str();
  app.add_option("--mel-dtype", o.dtypes,
                 "batch mel dtype(s): float32 (widened on the host) and/or float16 (as stored)")
      ->check(CLI::IsMember({"float32", "float16"}))
      ->capture_default_str();
  app.add_option("--batch", o.batch, "examples per batch")->capture_default_str();
  app.add_option("--prefetch", o.prefetch, "loader prefetch batches; 0 = max(4, 2 x threads)")->capture_default_str();
  app.add_option("--min-seconds", o.min_seconds, "least time of each timed run")->capture_default_str();
  app.add_option("--reps", o.reps, "runs per configuration (best counts)")->capture_default_str();
  app.add_option("--pin", o.pin, "pinned batch memory: auto (when CUDA is available), on, off")
      ->check(CLI::IsMember({"auto", "on", "off"}))
      ->capture_default_str();
  app.add_flag("!--no-breakdown", o.breakdown, "skip the per-step cost table");
  app.add_option("--json", o.json, "append one JSON line per result to this file");
  app.add_option("--make-dataset", o.make_dataset, "write a synthetic dataset into this folder and exit");
  app.add_option("--examples", o.synthetic.examples, "synthetic: examples")->capture_default_str();
  app.add_option("--part-size", o.synthetic.part_size, "synthetic: examples per part")->capture_default_str();
  app.add_option("--n-mels", o.synthetic.n_mels, "synthetic: mel bands")->capture_default_str();
  app.add_option("--segment-seconds", o.synthetic.segment_seconds, "synthetic: seconds per example (29.12 = 1366)")
      ->capture_default_str();
  app.add_option("--deflate", o.synthetic.deflate_level, "synthetic: deflate level, 0 = none")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  return cluster::run_guarded([&] {
    if (!o.make_dataset.empty()) {
      const auto start = Clock::now();
      bench::write_synthetic_dataset(o.make_dataset, o.synthetic);
      std::printf("wrote %lld synthetic examples of %lld mels to %s in %.1f s\n",
                  static_cast<long long>(o.synthetic.examples), static_cast<long long>(o.synthetic.n_mels),
                  o.make_dataset.c_str(), seconds_since(start));
      return 0;
    }
    if (o.dataset.empty()) throw ConfigError("give --dataset DIR (a preprocess output folder) or --make-dataset DIR");
    const bool pinned = o.pin == "on" || (o.pin == "auto" && torch::cuda::is_available());
    auto index = std::make_shared<const train::DataIndex>(train::DataIndex::open(o.dataset, o.split));
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    hbool_t threadsafe = 0;
    H5is_library_threadsafe(&threadsafe);
    const std::string filters = bench::RawMelReader(index->part_paths().front()).filters();
    std::printf(
        "dataset %s (%s): %lld examples of %lld x %lld float16 in %zu parts, /mel filters %s; HDF5 %u.%u.%u "
        "(thread-safe: %s, so H5Dread calls of different threads %s); %u cores; batch %lld; pinned %s; best of %d "
        "runs >= %.2f s\n",
        o.dataset.c_str(), o.split.c_str(), static_cast<long long>(index->size()),
        static_cast<long long>(index->rows()), static_cast<long long>(index->columns()), index->part_paths().size(),
        filters.c_str(), major, minor, release, threadsafe ? "yes" : "no",
        threadsafe ? "take turns under its global lock" : "are serialised by train::hdf5_lock",
        std::thread::hardware_concurrency(), static_cast<long long>(o.batch), pinned ? "yes" : "no", o.reps,
        o.min_seconds);
    // Page cache and HDF5 metadata warm before any timing: one raw pass over the whole split.
    {
      bench::RawFloor warm(*index, 1);
      train::PlanSettings all;
      all.mode = train::LoaderMode::evaluation;
      all.batch_size = o.batch;
      all.input_frames = index->columns();
      warm.read({train::plan_epoch(*index, all, 0)});
    }
    if (o.breakdown) print_breakdown(o, *index, pinned);

    std::printf("%-10s %6s %7s %7s | %12s %12s %6s | %9s %9s\n", "order", "frames", "dtype", "threads", "loader/s",
                "floor/s", "ratio", "loader xT", "floor xT");
    std::vector<Result> results;
    std::map<std::string, Result> one_thread;  // order/frames/dtype -> the 1-thread result
    for (const std::string& order : o.orders) {
      for (const int64_t requested : o.frames) {
        const int64_t frames = requested == 0 ? index->columns() : requested;
        for (const std::string& dtype : o.dtypes) {
          for (const int threads : o.threads) {
            Result r{order, dtype, frames, threads};
            auto loader = make_loader(index, o, order, dtype, frames, threads, pinned);
            bench::RawFloor floor(*index, threads);
            for (int rep = 0; rep < std::max(1, o.reps); ++rep) {
              int64_t loaded = 0, read = 0;
              r.loader = std::max(r.loader, time_loader(*loader, threads, o.min_seconds, r.epochs, loaded));
              r.floor = std::max(r.floor, time_floor(floor, *loader, threads, r.epochs, read));
              if (loaded != read)
                throw DataError(fmt::format(
                    "bench_loader: the loader delivered {} examples, the floor read {}: a bench bug", loaded, read));
              r.examples = loaded;
            }
            const std::string key = order + "/" + std::to_string(frames) + "/" + dtype;
            if (threads == 1) one_thread[key] = r;
            const auto base = one_thread.find(key);
            const bool scaled = base != one_thread.end() && threads != 1;
            std::printf("%-10s %6lld %7s %7d | %12.1f %12.1f %6.3f | %9s %9s\n", order.c_str(),
                        static_cast<long long>(frames), dtype.c_str(), threads, r.loader, r.floor, r.loader / r.floor,
                        scaled ? fmt::format("{:.2f}", r.loader / base->second.loader).c_str() : "",
                        scaled ? fmt::format("{:.2f}", r.floor / base->second.floor).c_str() : "");
            std::fflush(stdout);
            nlohmann::json line = {{"bench", "loader"},
                                   {"order", order},
                                   {"frames", frames},
                                   {"stored_frames", index->columns()},
                                   {"n_mels", index->rows()},
                                   {"threads", threads},
                                   {"mel_dtype", dtype},
                                   {"batch", o.batch},
                                   {"filters", filters},
                                   {"pinned", pinned},
                                   {"loader_samples_per_s", r.loader},
                                   {"floor_samples_per_s", r.floor},
                                   {"ratio", r.loader / r.floor},
                                   {"epochs", r.epochs},
                                   {"examples_per_run", r.examples}};
            if (scaled) {
              line["loader_scaling"] = r.loader / base->second.loader;
              line["floor_scaling"] = r.floor / base->second.floor;
            }
            append_json(o, line);
            results.push_back(r);
          }
        }
      }
    }
    double worst = 1e9;
    for (const Result& r : results) worst = std::min(worst, r.loader / r.floor);
    std::printf("lowest ratio loader / floor: %.3f (goal >= 0.8)\n", worst);
    return 0;
  });
}
