// The eval harness: model and data on every rank, scores gathered, aggregation, metrics and report on rank 0.
#include "eval/eval_harness.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "cluster/comm/communicator.h"
#include "cluster/files.h"
#include "cluster/log.h"
#include "eval/checkpoint_dataset_check.h"
#include "eval/inference_model.h"
#include "eval/report/eval_results_evaluate.h"
#include "eval/split_scoring.h"
#include "preprocess/format/manifest.h"
#include "preprocess/format/sha256.h"

namespace musictag::eval {
namespace {

using Clock = std::chrono::steady_clock;

EvaluateOptions evaluate_options(const EvalSettings& settings, const std::string& dataset) {
  const EvalConfig& c = settings.eval;
  EvaluateOptions options;
  options.aggregation = c.aggregate;
  options.bootstrap.resamples = static_cast<size_t>(c.bootstrap_resamples);
  options.bootstrap.confidence = c.confidence;
  options.bootstrap.seed = static_cast<uint64_t>(c.seed);
  options.dataset = dataset;
  options.config_text = settings.resolved_config;
  return options;
}

void log_start(const InferenceModel& model, const train::DataIndex& index, int64_t chunks,
               const cluster::World& world) {
  const train::TrainingProgress& p = model.metadata().info.progress;
  log::info(
      "evaluating {} (step {}, epoch {}, best validation macro ROC-AUC {}) on '{}' split {}: {} examples of "
      "{} tracks, {} tags, {} of {} of {} {}, {} rank{} on {}",
      model.path(), p.step, p.epoch, p.best_auc ? fmt::format("{:.4f}", *p.best_auc) : "none", index.dataset(),
      index.split(), index.size(), index.tracks().size(), index.n_tags(),
      chunks == 1 ? std::string("centre crop") : fmt::format("{} evenly spaced crops", chunks), model.input_frames(),
      index.columns(), index.is_waveform() ? "samples" : "frames", world.size, world.size > 1 ? "s" : "",
      model.device().str());
}

}  // namespace

EvalOutcome run_evaluation(const cluster::World& world, const EvalSettings& settings) {
  const auto start = Clock::now();
  const EvalConfig& config = settings.eval;
  // Ranks on a node share its cores instead of each taking all of them.
  at::set_num_threads(std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / world.local_size));
  const c10::Device device = choose_inference_device(config.device, world);
  // Scores are gathered as CPU tensors, so MPI serves CPU and GPU runs alike.
  auto comm = cluster::make_communicator(world, cluster::Backend::Mpi);

  InferenceModel model(config.checkpoint, device);
  // The manifest first, so a dataset made with other features or tags is refused before any part is opened.
  const std::string manifest_path = config.dataset + "/manifest.json";
  const preprocess::Manifest manifest = preprocess::load_manifest(manifest_path);
  check_checkpoint_matches_dataset(model.path(), model.metadata().info.features_json, model.tag_names(),
                                   model.input_frames(), manifest_path, manifest.features, manifest.tag_names);
  auto index = std::make_shared<const train::DataIndex>(
      train::DataIndex::open(config.dataset, config.split, config.verify_checksums));
  if (world.rank == 0) log_start(model, *index, config.chunks, world);

  Predictions predictions = score_split(model, index, config, world, *comm);
  EvalOutcome outcome;
  if (world.rank != 0) return outcome;

  predictions.checkpoint_sha256 = preprocess::sha256_file(config.checkpoint);
  predictions.manifest_sha256 = preprocess::sha256_file(manifest_path);
  make_folders(config.output);
  outcome.predictions_path = config.predictions_path();
  write_predictions(predictions, outcome.predictions_path);
  outcome.results = evaluate_predictions(predictions, evaluate_options(settings, index->manifest().source_dataset));
  outcome.files = write_report(outcome.results, config.output);
  write_file_atomically(config.resolved_config_path(), settings.resolved_config);
  outcome.has_results = true;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return outcome;
}

}  // namespace musictag::eval
