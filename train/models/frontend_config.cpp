// Model keys `frontend` and, for `logmel`, the waveform length and the log-mel parameters of the device frontend.
#include "train/models/frontend_config.h"

#include <string>
#include <vector>

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {

nlohmann::json read_frontend_keys(cluster::ConfigSection& s, const ModelKind& kind) {
  if (kind.input != ModelInput::logmel) return nlohmann::json::object();
  const std::string frontend =
      s.choice("frontend", "stored", {"stored", "logmel"},
               "Input of a log-mel kind: stored (the dataset's log-mels) or logmel (waveforms [batch, n_samples], "
               "log-mel computed on the model's device with the keys below, as section features defines them)");
  if (frontend == "stored") return nlohmann::json::object();
  using preprocess::kMelNormNames, preprocess::kMelScaleNames, preprocess::kPadModeNames;
  const preprocess::FeatureConfig d;  // section features' defaults
  preprocess::FeatureConfig c;
  const int64_t n_samples = s.integer("n_samples", 0, "[0,100000000]",
                                      "Waveform samples per example; 0 = (n_frames - 1) * hop_length (the fewest "
                                      "giving n_frames frames)");
  c.sample_rate = s.integer("sample_rate", d.sample_rate, "[1000,192000]", "As features.sample_rate (Hz)");
  c.n_fft = s.integer("n_fft", d.n_fft, "[16,65536]", "As features.n_fft");
  c.hop_length = s.integer("hop_length", d.hop_length, "[1,65536]", "As features.hop_length");
  c.fmin = s.real("fmin", d.fmin, "[0,inf)", "As features.fmin (Hz)");
  c.fmax = s.real("fmax", d.fmax, "[0,inf)", "As features.fmax (Hz; 0 = sample_rate / 2)");
  c.mel_scale = s.choice("mel_scale", d.mel_scale, kMelScaleNames, "As features.mel_scale");
  c.mel_norm = s.choice("mel_norm", d.mel_norm, kMelNormNames, "As features.mel_norm");
  c.center = s.boolean("center", d.center, "As features.center");
  c.pad_mode = s.choice("pad_mode", d.pad_mode, kPadModeNames, "As features.pad_mode");
  c.allow_empty_bands = s.boolean("allow_empty_bands", d.allow_empty_bands, "As features.allow_empty_bands");
  c.power = s.real("power", d.power, "(0,inf)", "As features.power");
  c.amin = s.real("amin", d.amin, "(0,inf)", "As features.amin");
  c.ref = s.real("ref", d.ref, "(0,inf)", "As features.ref");
  c.top_db = s.real("top_db", d.top_db, "[0,inf)", "As features.top_db (per example: the model's input)");
  nlohmann::json features = c.parameters();
  features.erase("n_mels");  // the model's own key
  features.erase("segment_seconds");
  return nlohmann::json{{"frontend", "logmel"}, {"n_samples", n_samples}, {"features", features}};
}

preprocess::FeatureConfig frontend_features(const nlohmann::json& options) {
  nlohmann::json parameters = options.at("features");
  parameters["n_mels"] = options.at("n_mels");
  return preprocess::FeatureConfig::from_json(parameters);
}

nlohmann::json frontend_options(cluster::ConfigSection& s, nlohmann::json options, const nlohmann::json& frontend) {
  options.update(frontend);
  preprocess::FeatureConfig features;
  try {
    features = frontend_features(options);
  } catch (const ConfigError& error) {
    s.fail("frontend", std::string("the log-mel keys of model.frontend: logmel are refused as section features "
                                   "would refuse them (same names, under model): ") +
                           error.what());
  }
  const int64_t n_frames = options.at("n_frames").get<int64_t>();
  int64_t n_samples = options.at("n_samples").get<int64_t>();
  if (n_samples == 0) {
    n_samples =
        features.center ? (n_frames - 1) * features.hop_length : (n_frames - 1) * features.hop_length + features.n_fft;
    options["n_samples"] = n_samples;
  }
  if (features.n_frames(n_samples) != n_frames)
    s.fail("n_frames", "the frontend makes " + std::to_string(features.n_frames(n_samples)) +
                           " frames of n_samples = " + std::to_string(n_samples) + " (hop_length " +
                           std::to_string(features.hop_length) + "), but n_frames is " + std::to_string(n_frames) +
                           "; set n_frames to " + std::to_string(features.n_frames(n_samples)) +
                           " or change n_samples");
  return options;
}

}  // namespace musictag::train
