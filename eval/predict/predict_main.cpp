// musictag-predict: audio files -> top-k tags with probabilities as JSON lines, with a checkpoint's model and features.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cluster/errors.h"
#include "cluster/fatal.h"
#include "cluster/io_error.h"
#include "cluster/log.h"
#include "cluster/malloc_tuning.h"
#include "cluster/world.h"
#include "eval/inference_model.h"
#include "eval/predict/predict_frontend.h"
#include "eval/predict/predict_output.h"
#include "eval/report/aggregate.h"
#include "preprocess/audio/audio_error.h"

namespace {

using namespace musictag;

// The --device flag (checked by CLI11 against the same names) as its enum.
DeviceChoice device_choice(const std::string& name) {
  DeviceChoice choice = DeviceChoice::automatic;
  choice_value(kDeviceChoiceNames, name.c_str(), choice);
  return choice;
}

struct PredictArgs {
  std::string checkpoint;
  size_t top_k = 5;
  std::string aggregate = "mean";
  std::string output;  // empty = stdout
  std::string device = "auto";
  eval::PredictFrontendOptions frontend;
  std::vector<std::string> given;  // frontend options set on the command line ("segments", "min_seconds", ...)
  std::vector<std::string> files;
};

// One file's line: its tags, or its error (also logged to stderr).
nlohmann::ordered_json predict_file(const std::string& file, eval::InferenceModel& model,
                                    eval::PredictFrontend& frontend, const PredictArgs& args) {
  try {
    const eval::AudioInput input = frontend.load(file);
    const at::Tensor probabilities = model.probabilities(input.input);  // [segments, n_tags]
    const int64_t segments = probabilities.size(0), n_tags = probabilities.size(1);
    const float* p = probabilities.data_ptr<float>();
    // The eval harness' own pooling of a track's segments, so predict and eval agree for any segment count.
    const eval::TrackRows track = eval::aggregate_tracks(
        std::vector<int64_t>(static_cast<size_t>(segments), 0), std::vector<float>(p, p + segments * n_tags),
        std::vector<uint8_t>(static_cast<size_t>(segments * n_tags), 0), static_cast<size_t>(n_tags),
        eval::parse_aggregation(args.aggregate, "--aggregate"), model.tag_names());
    return eval::prediction_line(file, track.scores, model.tag_names(), args.top_k, segments, input.duration_s);
  } catch (const preprocess::AudioError& e) {
    const std::string hint = e.stage() == "too_short" ? " (musictag-predict: --min-seconds)" : "";
    log::warn("skipped ({}): {}{}", e.stage(), e.what(), hint);
    return eval::error_line(file, e.stage(), e.what() + hint);
  } catch (const DataError& e) {
    log::warn("skipped (features): {}: {}", file, e.what());
    return eval::error_line(file, "features", e.what());
  }
}

int run(const PredictArgs& args) {
  const cluster::World& world = cluster::World::resolve();
  eval::InferenceModel model(args.checkpoint,
                             eval::choose_inference_device(device_choice(args.device), world, "--device"));
  // How the training examples were cut, from the checkpoint, unless the command line says otherwise.
  const eval::PredictFrontendOptions options =
      eval::with_training_segmentation(args.frontend, model.metadata().info.dataset_config_yaml, args.given);
  log::info("segments {}, min {} s, max {} s (0 = whole file){}", options.segments, options.min_seconds,
            options.max_seconds,
            model.metadata().info.dataset_config_yaml.empty() ? " (flags/defaults: this checkpoint predates the "
                                                                "recorded dataset config)"
                                                              : "");
  eval::PredictFrontend frontend(model.features(), model.input_frames(), options);
  std::ofstream file;
  if (!args.output.empty()) {
    file.open(args.output, std::ios::trunc);
    if (!file) {
      const int error = errno;
      if (is_environment_error(error)) throw make_io_error("create --output", args.output, error);  // exit 5
      throw DataError(fmt::format("--output '{}': cannot create it ({}); check the folder exists and is writable",
                                  args.output, std::strerror(error)));
    }
  }
  std::ostream& out = args.output.empty() ? std::cout : file;
  size_t failed = 0;
  for (const std::string& path : args.files) {
    const nlohmann::ordered_json line = predict_file(path, model, frontend, args);
    if (line.contains("error")) ++failed;
    errno = 0;  // so that a failed write below reports its own cause
    out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
    if (!out && !args.output.empty()) throw_stream_write_error("write", args.output);  // a full disk: exit 5
    if (!out) throw DataError(fmt::format("cannot write the result of {} to stdout", path));
  }
  log::info("{} of {} files tagged{}", args.files.size() - failed, args.files.size(),
            args.output.empty() ? "" : fmt::format(", results in {}", args.output));
  if (failed == args.files.size()) {
    log::error("every file failed; see the error of each above");
    return cluster::kExitDataError;
  }
  return cluster::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  musictag::cluster::keep_freed_tensor_memory();
  CLI::App app{
      "Tags audio files with a musictag-train checkpoint: one JSON line per file, in the order given, "
      "{\"file\", \"tags\": [{\"tag\", \"probability\"}] (top k, largest first), \"segments\", \"duration_s\"}, or "
      "{\"file\", \"error\", \"stage\"} for a file that cannot be used (missing, empty, not audio, undecodable, too "
      "short, silent); the others are still processed. The features are the checkpoint's, computed by the same "
      "frontend code as musictag-preprocess (FFmpeg decode, soxr resample, librosa log-mel, float16 like the stored "
      "examples), and the model sees the centre crop it was trained on, so predict gives what musictag-eval gives "
      "for the same audio. Logs go to stderr.\n"
      "Exit codes: 0 at least one file tagged, 3 every file failed (or the checkpoint is missing/corrupt), 2 a "
      "flag's value is unusable (e.g. --device cuda without a GPU), 5 --output cannot be written (disk full, "
      "read-only), 1 unexpected error; malformed flags get "
      "CLI11's codes (>= 100).",
      "musictag-predict"};
  PredictArgs args;
  app.add_option("--checkpoint", args.checkpoint, "musictag-train checkpoint (e.g. out/train/checkpoints/best.pt)")
      ->required();
  app.add_option("--top-k", args.top_k, "Tags per file, most probable first; 0 = every tag")->capture_default_str();
  app.add_option("--aggregate", args.aggregate, "How the segments' probabilities become the file's, per tag")
      ->check(CLI::IsMember({"mean", "max"}))
      ->capture_default_str();
  app.add_option("--output", args.output, "Write the JSON lines to this file (default: stdout)");
  app.add_option("--segments", args.frontend.segments,
                 "centre: one centre segment per file; all: every consecutive segment. Default: the training "
                 "data's preprocess.segments, recorded in the checkpoint")
      ->check(CLI::IsMember({"centre", "all"}))
      ->capture_default_str();
  app.add_option("--min-seconds", args.frontend.min_seconds,
                 "Shorter audio is an error (too_short). Default: the training data's preprocess.min_seconds")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--max-seconds", args.frontend.max_seconds,
                 "Decode at most this much of each file; 0 = all. Default: the training data's preprocess.max_seconds")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--device", args.device, "auto = cuda when a GPU is visible, else cpu")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_option("audio", args.files, "Audio files (any format FFmpeg reads)")->required();
  app.footer(
      "Example: musictag-predict --checkpoint out/demo/train/checkpoints/best.pt --top-k 3 "
      "out/demo/fma/audio/000/000002.mp3");
  CLI11_PARSE(app, argc, argv);
  for (const auto& [flag, key] : {std::pair{"--segments", "segments"}, std::pair{"--min-seconds", "min_seconds"},
                                  std::pair{"--max-seconds", "max_seconds"}})
    if (app.count(flag) > 0) args.given.push_back(key);

  // Logs to stderr, so stdout holds only JSON lines; FFmpeg's own messages about damaged files are left out (each
  // bad file gets its error line with FFmpeg's reason).
  spdlog::set_default_logger(spdlog::stderr_color_mt("musictag-predict"));
  av_log_set_level(AV_LOG_FATAL);
  return cluster::run_guarded([&] { return run(args); });
}
