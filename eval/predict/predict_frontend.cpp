// PredictFrontend: AudioLoader -> segments -> MelSpectrogram (log-mel checkpoints) -> float16 round trip -> centre
// crop, as a tensor.
#include "eval/predict/predict_frontend.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "cluster/errors.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/format/float16.h"
#include "train/data/batch_plan.h"

namespace musictag::eval {

PredictFrontend::PredictFrontend(const preprocess::FeatureConfig& features, int64_t input_frames,
                                 const PredictFrontendOptions& options)
    : features_(features),
      input_frames_(input_frames),
      options_(options),
      loader_(static_cast<int>(features.sample_rate), options.min_seconds, options.max_seconds),
      mel_(features) {
  if (!choice_value(preprocess::kSegmentModeNames, options.segments.c_str(), segments_))
    throw ConfigError(fmt::format("--segments: value '{}' is not in {{centre,all}}", options.segments));
  if (!(options.min_seconds >= 0.0) || !(options.max_seconds >= 0.0))
    throw ConfigError(
        fmt::format("--min-seconds {} / --max-seconds {}: must be >= 0", options.min_seconds, options.max_seconds));
  if (input_frames < 1 || input_frames > stored_columns())
    throw ConfigError(
        fmt::format("the model reads {} {} per example, but a segment of the checkpoint's features "
                    "has {}; the checkpoint is inconsistent",
                    input_frames, features.is_waveform() ? "samples" : "frames", stored_columns()));
}

AudioInput PredictFrontend::load(const std::string& path) {
  const preprocess::DecodedAudio audio = loader_.load(path);
  const int64_t length = features_.segment_samples();
  std::vector<std::vector<float>> segments;
  if (segments_ == preprocess::SegmentMode::all)
    segments = preprocess::consecutive_segments(audio.samples, length);
  else
    segments.push_back(preprocess::centre_crop_or_pad(audio.samples, length));

  const int64_t rows = features_.is_waveform() ? 1 : features_.n_mels, stored = stored_columns();
  const int64_t offset = train::centre_crop_offset(stored, input_frames_);
  AudioInput input;
  input.duration_s = audio.seconds();
  input.input = at::empty({static_cast<int64_t>(segments.size()), rows, input_frames_}, at::kFloat);
  float* out = input.input.data_ptr<float>();
  for (const std::vector<float>& segment : segments) {
    // [rows, stored]: the log-mel, or the segment's samples themselves
    const std::vector<float> example = features_.is_waveform() ? segment : mel_.compute(segment);
    for (int64_t m = 0; m < rows; ++m) {
      const float* row = example.data() + m * stored + offset;
      out = std::transform(row, row + input_frames_, out, preprocess::round_to_half);
    }
  }
  return input;
}

PredictFrontendOptions with_training_segmentation(PredictFrontendOptions options,
                                                  const std::string& dataset_config_yaml,
                                                  const std::vector<std::string>& given) {
  if (dataset_config_yaml.empty()) return options;
  YAML::Node preprocess;
  try {
    preprocess = YAML::Load(dataset_config_yaml)["preprocess"];
  } catch (const YAML::Exception& e) {
    throw DataError(
        fmt::format("the checkpoint's dataset_config_yaml is not YAML ({}); pass --segments, "
                    "--min-seconds and --max-seconds explicitly",
                    e.what()));
  }
  if (!preprocess || !preprocess.IsMap()) return options;
  const auto is_given = [&](const char* key) { return std::find(given.begin(), given.end(), key) != given.end(); };
  if (!is_given("segments") && preprocess["segments"]) options.segments = preprocess["segments"].as<std::string>();
  if (!is_given("min_seconds") && preprocess["min_seconds"])
    options.min_seconds = preprocess["min_seconds"].as<double>();
  if (!is_given("max_seconds") && preprocess["max_seconds"])
    options.max_seconds = preprocess["max_seconds"].as<double>();
  return options;
}

}  // namespace musictag::eval
