// Section `eval`: defaults, overrides, range errors naming the key, and a full pipeline config read for `eval` only.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "cluster/config_file.h"
#include "cluster/errors.h"
#include "eval/eval_config.h"

namespace musictag::eval {
namespace {

EvalSettings read(const std::string& yaml) {
  auto file = cluster::ConfigFile::from_string(yaml, "test.yaml");
  EvalSettings settings = EvalSettings::read(file);
  file.finish();
  return settings;
}

std::string error_of(const std::string& yaml) {
  try {
    read(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(EvalConfig, Defaults) {
  const EvalConfig c = read("{}").eval;
  EXPECT_EQ(c.checkpoint, "out/train/checkpoints/best.pt");
  EXPECT_EQ(c.dataset, "out/dataset");
  EXPECT_EQ(c.split, "test");
  EXPECT_EQ(c.output, "out/eval");
  EXPECT_EQ(c.aggregate, Aggregation::kMean);
  EXPECT_EQ(c.batch_size, 16);
  EXPECT_EQ(c.bootstrap_resamples, 1000);
  EXPECT_DOUBLE_EQ(c.confidence, 0.95);
  EXPECT_EQ(c.seed, 0);
  EXPECT_EQ(c.predictions_path(), "out/eval/predictions.h5");
  EXPECT_EQ(c.resolved_config_path(), "out/eval/eval.yaml");
}

TEST(EvalConfig, ReadsEveryKey) {
  const EvalSettings s = read(
      "eval: {checkpoint: c.pt, dataset: d, split: validation, output: o, aggregate: max, batch_size: 3, "
      "bootstrap_resamples: 7, confidence: 0.9, seed: 4, loader_threads: 2, device: cpu, verify_checksums: true, "
      "progress_seconds: 0}");
  const EvalConfig& c = s.eval;
  EXPECT_EQ(c.checkpoint, "c.pt");
  EXPECT_EQ(c.split, "validation");
  EXPECT_EQ(c.aggregate, Aggregation::kMax);
  EXPECT_EQ(c.batch_size, 3);
  EXPECT_EQ(c.bootstrap_resamples, 7);
  EXPECT_DOUBLE_EQ(c.confidence, 0.9);
  EXPECT_EQ(c.loader_threads, 2);
  EXPECT_TRUE(c.verify_checksums);
  EXPECT_NE(s.resolved_config.find("aggregate: max"), std::string::npos) << s.resolved_config;
}

TEST(EvalConfig, ErrorsNameKeyRangeAndValue) {
  const std::string split = error_of("eval: {split: tests}");
  EXPECT_NE(split.find("eval.split"), std::string::npos) << split;
  EXPECT_NE(split.find("tests"), std::string::npos) << split;
  const std::string confidence = error_of("eval: {confidence: 1}");
  EXPECT_NE(confidence.find("eval.confidence"), std::string::npos) << confidence;
  EXPECT_NE(confidence.find("(0,1)"), std::string::npos) << confidence;
  EXPECT_NE(error_of("eval: {batch_size: 0}").find("eval.batch_size"), std::string::npos);
  EXPECT_NE(error_of("eval: {aggregate: median}").find("eval.aggregate"), std::string::npos);
  const std::string typo = error_of("eval: {bootstrap: 5}");
  EXPECT_NE(typo.find("bootstrap"), std::string::npos) << typo;
}

// configs/demo.yaml holds every stage's sections: eval reads its own and leaves the others (and their keys) alone.
TEST(EvalConfig, AcceptsTheDemoPipelineConfig) {
  const char* source = std::getenv("MUSICTAG_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  auto file = cluster::ConfigFile::load(std::string(source) + "/configs/demo.yaml");
  const EvalSettings s = EvalSettings::read(file);
  EXPECT_NO_THROW(file.finish());
  EXPECT_EQ(s.eval.checkpoint, "out/demo/train/checkpoints/best.pt");
  EXPECT_EQ(s.eval.dataset, "out/demo/dataset");
  EXPECT_EQ(s.eval.output, "out/demo/eval");
  EXPECT_EQ(s.resolved_config.find("train:"), std::string::npos) << "only `eval` is resolved";
}

}  // namespace
}  // namespace musictag::eval
