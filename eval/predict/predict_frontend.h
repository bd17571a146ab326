// PredictFrontend: an audio file -> the model's input, through preprocess' own frontend (no copy of it).
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/audio/audio_loader.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/features/feature_config.h"
#include "preprocess/features/mel_spectrogram.h"

namespace musictag::eval {

// How predict cuts a file, which preprocess records in its config (preprocess.*) but the checkpoint does not.
struct PredictFrontendOptions {
  std::string segments = "centre";  // {centre, all}: as preprocess.segments of the training data
  double min_seconds = 15.0;        // shorter decoded audio is an error (stage too_short), as preprocess.min_seconds
  double max_seconds = 0.0;         // decode at most this much; 0 = the whole file, as preprocess.max_seconds
};

// The training data's segmentation from a checkpoint's dataset_config_yaml (the dataset's resolved preprocess
// config): preprocess.segments, min_seconds and max_seconds replace those of `options`, except the ones named in
// `given` ("segments", "min_seconds", "max_seconds": set by the user). An empty text (a checkpoint written before
// it was recorded) or a missing key leaves the option as it is. DataError when the text is not YAML.
PredictFrontendOptions with_training_segmentation(PredictFrontendOptions options,
                                                  const std::string& dataset_config_yaml,
                                                  const std::vector<std::string>& given);

// One file's model input.
struct AudioInput {
  // [segments, n_mels, input_frames] (log-mel) or [segments, 1, input_frames samples] (waveform) float32: each
  // segment's centre crop
  at::Tensor input;
  double duration_s = 0.0;  // seconds of decoded audio (before segmenting)
};

// The same steps, with the same functions, that made the stored training examples, so training and inference
// features cannot drift:
//   preprocess::AudioLoader (FFmpeg decode -> mean of channels -> soxr resample to features.sample_rate)
//   -> preprocess::centre_crop_or_pad (segments centre) or consecutive_segments (all) of segment_samples()
//   -> preprocess::MelSpectrogram (librosa log-mel; not for a waveform checkpoint, whose model computes its own
//      spectrogram) -> a float16 round trip (preprocess::round_to_half: the parts store /mel and /audio as float16,
//      so the model saw exactly these values)
//   -> the centre crop of input_frames frames, or samples (train::centre_crop_offset, as eval and validation).
// One object per thread (MelSpectrogram keeps work buffers).
class PredictFrontend {
 public:
  // ConfigError for invalid features, options, or input_frames outside [1, features.segment_frames()].
  PredictFrontend(const preprocess::FeatureConfig& features, int64_t input_frames,
                  const PredictFrontendOptions& options = {});

  // preprocess::AudioError (a DataError with the stage: missing, empty, open, decode, too_short, silent) for a file
  // that cannot be used, naming it; DataError when its samples hold NaN/Inf.
  AudioInput load(const std::string& path);

 private:
  // Frames (log-mel) or samples (waveform) of one stored segment.
  int64_t stored_columns() const {
    return features_.is_waveform() ? features_.segment_samples() : features_.segment_frames();
  }

  preprocess::FeatureConfig features_;
  int64_t input_frames_;
  PredictFrontendOptions options_;
  preprocess::SegmentMode segments_ = preprocess::SegmentMode::centre;  // options_.segments, parsed
  preprocess::AudioLoader loader_;
  preprocess::MelSpectrogram mel_;
};

}  // namespace musictag::eval
