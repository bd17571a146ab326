// EvalConfig: section `eval` read key by key with its documented defaults and ranges.
#include "eval/eval_config.h"

namespace musictag::eval {

EvalConfig EvalConfig::from(cluster::ConfigSection& s) {
  EvalConfig c;
  c.checkpoint = s.text("checkpoint", c.checkpoint,
                        "musictag-train checkpoint to evaluate; model, features and tags come from it");
  c.dataset = s.text("dataset", c.dataset,
                     "musictag-preprocess output folder (manifest.json, parts/); its features and tags must be the "
                     "checkpoint's");
  c.split = s.choice("split", c.split, {"training", "validation", "test"}, "Split of the dataset to evaluate");
  c.output = s.text("output", c.output,
                    "Report folder: eval.json, per_tag.csv, report.md, per_tag_auc.svg, predictions.h5, eval.yaml");
  c.aggregate =
      s.choice("aggregate", c.aggregate, kAggregationNames, "How a track's segment scores become its score, per tag");
  c.chunks = s.integer("chunks", c.chunks, "[1,1024]",
                       "Crops of each segment scored and averaged: 1 = the centre crop; N > 1 = crop i at "
                       "i * floor((stored - input) / N) (Won et al. 2020)");
  c.batch_size = s.integer("batch_size", c.batch_size, "[1,1000000]",
                           "Examples per forward pass; the batches are fixed by the split, not by the rank count");
  c.bootstrap_resamples = s.integer("bootstrap_resamples", c.bootstrap_resamples, "[1,10000000]",
                                    "Bootstrap resamples of the macro ROC-AUC's confidence interval");
  c.confidence = s.real("confidence", c.confidence, "(0,1)", "Coverage of the bootstrap interval");
  c.seed = s.integer("seed", c.seed, "[0,9007199254740992]", "Seed of the bootstrap: same seed, same interval");
  c.loader_threads =
      s.integer("loader_threads", c.loader_threads, "[1,64]", "Background threads per rank reading part files");
  c.device = s.choice("device", c.device, kDeviceChoiceNames, "auto = cuda when a GPU is visible, else cpu");
  c.verify_checksums = s.boolean("verify_checksums", c.verify_checksums,
                                 "Check every part's sha256 against manifest.json when opening (reads every byte)");
  c.progress_seconds = s.real("progress_seconds", c.progress_seconds, "[0,1000000]",
                              "Rank 0 logs progress at most this often; 0 = after every batch");
  return c;
}

EvalSettings EvalSettings::read(cluster::ConfigFile& file) {
  EvalSettings settings;
  settings.eval = EvalConfig::from(file.section("eval"));
  settings.resolved_config = file.resolved_yaml();
  return settings;
}

}  // namespace musictag::eval
