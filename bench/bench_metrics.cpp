// Times musictag::eval::compute_metrics on a score/label file written by bench/bench_metrics.py; prints JSON.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "eval/metrics/metrics.h"

namespace {

// File layout (little-endian, written by bench_metrics.py): 8 bytes "MTMETRIC", uint64 n_examples,
// uint64 n_tags, float32 scores[n_examples * n_tags], uint8 labels[n_examples * n_tags], both row-major.
struct Arrays {
  uint64_t n_examples = 0;
  uint64_t n_tags = 0;
  std::vector<float> scores;
  std::vector<uint8_t> labels;
};

Arrays read_arrays(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  char magic[8];
  Arrays a;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&a.n_examples), 8);
  in.read(reinterpret_cast<char*>(&a.n_tags), 8);
  if (!in || std::memcmp(magic, "MTMETRIC", 8) != 0) throw std::runtime_error(path + " is not a metrics file");
  a.scores.resize(a.n_examples * a.n_tags);
  a.labels.resize(a.n_examples * a.n_tags);
  in.read(reinterpret_cast<char*>(a.scores.data()), static_cast<std::streamsize>(a.scores.size() * 4));
  in.read(reinterpret_cast<char*>(a.labels.data()), static_cast<std::streamsize>(a.labels.size()));
  if (!in) throw std::runtime_error(path + " is truncated");
  return a;
}

nlohmann::json optional_values(const std::vector<std::optional<double>>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : values) out.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times compute_metrics (per-tag ROC-AUC and AP, macro, micro) on a bench_metrics.py file"};
  std::string data_path;
  size_t threads = 0;
  int repeats = 3;
  app.add_option("data", data_path, "file written by bench/bench_metrics.py")->required();
  app.add_option("--threads", threads, "compute_metrics threads (0 = hardware threads)");
  app.add_option("--repeats", repeats, "timed runs; the fastest is reported")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  try {
    const Arrays a = read_arrays(data_path);
    musictag::eval::MetricsOptions options;
    options.threads = threads;
    std::vector<double> seconds;
    musictag::eval::TagMetrics metrics;
    for (int r = 0; r < repeats; ++r) {
      const auto start = std::chrono::steady_clock::now();
      metrics = musictag::eval::compute_metrics(a.scores, a.labels, a.n_examples, a.n_tags, options);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    nlohmann::json out = {{"threads", threads},
                          {"seconds", seconds},
                          {"roc_auc", optional_values(metrics.roc_auc)},
                          {"pr_auc", optional_values(metrics.pr_auc)},
                          {"macro_roc_auc", metrics.macro_roc_auc},
                          {"macro_pr_auc", metrics.macro_pr_auc},
                          {"micro_roc_auc", metrics.micro_roc_auc},
                          {"micro_pr_auc", metrics.micro_pr_auc}};
    std::cout << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench_metrics: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
