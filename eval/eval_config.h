// EvalConfig: what the eval harness evaluates and how (config section `eval`), and EvalSettings: all it reads.
#pragma once

#include <cstdint>
#include <string>

#include "cluster/config_file.h"
#include "cluster/config_reader.h"
#include "cluster/device_choice.h"
#include "eval/report/aggregate.h"

namespace musictag::eval {

// Keys of section `eval` (all optional; default, allowed range, meaning). Model options, feature parameters and
// tag names come from the checkpoint, never from the config; every other section of the file is left alone.
//   checkpoint: "out/train/checkpoints/best.pt"   a musictag-train checkpoint (meta.json + model.pt are read)
//   dataset: "out/dataset"        a musictag-preprocess output folder (manifest.json, parts/); its feature
//                                 parameters and tag names must equal the checkpoint's
//   split: test                   {training,validation,test} the split to evaluate
//   output: "out/eval"            report folder: eval.json, per_tag.csv, report.md, per_tag_auc.svg,
//                                 predictions.h5, eval.yaml
//   aggregate: mean               {mean,max} how a track's segment scores become its score, per tag
//   chunks: 1                     [1,1024]  crops of the model's input length per segment, their sigmoid scores
//                                           averaged: 1 = the centre crop; N > 1 = crop i at i * floor((stored -
//                                           input) / N), Won et al. 2020's protocol (train/data/batch_plan.h)
//   batch_size: 16                [1,1e6]   examples per forward pass; batch k holds examples k*B..k*B+B-1 of the split
//                                           whatever the rank count, so results do not depend on it
//   bootstrap_resamples: 1000     [1,1e7]   resamples of the macro ROC-AUC's confidence interval
//   confidence: 0.95              (0,1)     coverage of that interval
//   seed: 0                       [0,2^53]  the bootstrap's seed (same seed and data: same interval)
//   loader_threads: 1             [1,64]    background threads per rank reading part files
//   device: auto                  {auto,cpu,cuda} auto = cuda when a GPU is visible (rank r takes GPU r % count)
//   verify_checksums: false       sha256 of every part against manifest.json when opening (reads every byte)
//   progress_seconds: 10          [0,1e6]   rank 0 logs progress at most this often; 0 = after every batch
struct EvalConfig {
  std::string checkpoint = "out/train/checkpoints/best.pt";
  std::string dataset = "out/dataset";
  std::string split = "test";
  std::string output = "out/eval";
  Aggregation aggregate = Aggregation::kMean;
  int64_t chunks = 1;
  int64_t batch_size = 16;
  int64_t bootstrap_resamples = 1000;
  double confidence = 0.95;
  int64_t seed = 0;
  int64_t loader_threads = 1;
  DeviceChoice device = DeviceChoice::automatic;
  bool verify_checksums = false;
  double progress_seconds = 10.0;

  // Reads and validates section `eval`; ConfigError names the key, its range and the value.
  static EvalConfig from(cluster::ConfigSection& section);

  // Files inside `output`.
  std::string predictions_path() const { return output + "/predictions.h5"; }
  std::string resolved_config_path() const { return output + "/eval.yaml"; }
};

// Every config section musictag-eval reads (only `eval`), parsed and validated once.
struct EvalSettings {
  EvalConfig eval;              // section `eval`
  std::string resolved_config;  // YAML of that section with every value in force; saved in eval.json and eval.yaml

  // Reads `eval` from `file` (call file.finish() after; sections it does not read are not checked here).
  static EvalSettings read(cluster::ConfigFile& file);
};

}  // namespace musictag::eval
