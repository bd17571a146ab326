// FeatureConfig: reads and validates section `features`, derives frame counts, and describes itself as JSON.
#include "preprocess/features/feature_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "cluster/errors.h"
#include "preprocess/features/mel_filterbank.h"

namespace musictag::preprocess {
namespace {

YAML::Node yaml_of(const nlohmann::json& value) {
  if (value.is_boolean()) return YAML::Node(value.get<bool>());
  if (value.is_number_integer()) return YAML::Node(value.get<int64_t>());
  if (value.is_number()) return YAML::Node(fmt::format("{}", value.get<double>()));  // shortest round-trip text
  if (value.is_string()) return YAML::Node(value.get<std::string>());
  return YAML::Node(value.dump());  // anything else: refused by the typed getter with the value shown
}

}  // namespace

FeatureConfig FeatureConfig::from(cluster::ConfigSection& s) {
  FeatureConfig c;
  c.kind = s.choice("kind", c.kind, kFeatureKindNames,
                    "What each example stores: logmel (the log-mel spectrogram, /mel) or waveform (the mono audio at "
                    "sample_rate as float16, /audio; the model computes its spectrogram on its device)");
  c.sample_rate = s.integer(
      "sample_rate", c.sample_rate, "[1000,192000]",
      "Sample rate in Hz the audio is resampled to (mono): the log-mel frontend's input, or what a waveform stores");
  c.n_fft = s.integer("n_fft", c.n_fft, "[16,65536]", "FFT size = periodic Hann window length in samples (even)");
  c.hop_length = s.integer("hop_length", c.hop_length, "[1,65536]", "Samples between frames (<= n_fft)");
  c.n_mels = s.integer("n_mels", c.n_mels, "[1,1024]", "Mel bands; every band must cover at least one FFT bin");
  c.fmin = s.real("fmin", c.fmin, "[0,inf)", "Lowest mel filter edge in Hz (< fmax)");
  c.fmax = s.real("fmax", c.fmax, "[0,inf)", "Highest mel filter edge in Hz (<= sample_rate/2); 0 = sample_rate/2");
  c.mel_scale = s.choice("mel_scale", c.mel_scale, kMelScaleNames,
                         "Mel scale: slaney (librosa htk=False, linear below 1 kHz) or htk (2595*log10(1+f/700))");
  c.mel_norm = s.choice("mel_norm", c.mel_norm, kMelNormNames,
                        "Filter normalisation: slaney (area 1, librosa norm='slaney') or none (peak 1)");
  c.window = s.choice("window", c.window, {"hann"}, "Analysis window: periodic Hann (librosa's default)");
  c.center = s.boolean("center", c.center,
                       "Centre frames on t*hop_length with n_fft/2 samples padded at both ends (see pad_mode); "
                       "false = frames start at t*hop_length, no padding");
  c.pad_mode = s.choice("pad_mode", c.pad_mode, kPadModeNames,
                        "How center pads the ends by n_fft/2: constant (zeros, librosa's default) or reflect "
                        "(numpy/torch.stft's, Won et al. 2020's frontend)");
  c.allow_empty_bands = s.boolean("allow_empty_bands", c.allow_empty_bands,
                                  "Accept mel bands that no FFT bin falls into (always 0; librosa only warns). Won et "
                                  "al. 2020's 128 HTK bands at 16 kHz / n_fft 512 leave band 0 empty");
  c.power = s.real("power", c.power, "(0,inf)", "Exponent of the STFT magnitude: 2 = power, 1 = magnitude");
  c.amin = s.real("amin", c.amin, "(0,inf)", "Floor before the log: dB = 10*log10(max(S, amin)) - 10*log10(ref)");
  c.ref = s.real("ref", c.ref, "(0,inf)", "Reference value for 0 dB (librosa power_to_db ref)");
  c.top_db = s.real("top_db", c.top_db, "[0,inf)",
                    "Clamp dB values below (max of the whole output) - top_db; 0 = off (librosa top_db=None)");
  c.segment_seconds = s.real("segment_seconds", c.segment_seconds, "(0,3600]",
                             "Seconds per training example (29.12 s = 1366 frames at 12 kHz, hop 256)");

  if (c.is_waveform()) {
    // The log-mel keys describe nothing stored; the model's frontend has its own (model.frontend, harmonic_cnn).
    if (c.segment_samples() < 1)
      s.fail("segment_seconds",
             fmt::format("{} s is shorter than one sample at {} Hz", c.segment_seconds, c.sample_rate));
    return c;
  }
  if (c.n_fft % 2 != 0) s.fail("n_fft", fmt::format("must be even (real FFT of n_fft/2+1 bins), got {}", c.n_fft));
  if (c.hop_length > c.n_fft)
    s.fail("hop_length",
           fmt::format("must be <= n_fft ({}) so every sample lies in a frame, got {}", c.n_fft, c.hop_length));
  const double nyquist = 0.5 * static_cast<double>(c.sample_rate);
  if (c.fmax_hz() > nyquist)
    s.fail("fmax", fmt::format("must be <= sample_rate/2 ({} Hz) or 0 (= sample_rate/2), got {}", nyquist, c.fmax));
  if (c.fmin >= c.fmax_hz()) s.fail("fmin", fmt::format("must be < fmax ({} Hz), got {}", c.fmax_hz(), c.fmin));
  if (c.segment_frames() < 1)
    s.fail("segment_seconds", fmt::format("{} s = {} samples is shorter than one frame (n_fft {} without center)",
                                          c.segment_seconds, c.segment_samples(), c.n_fft));
  const auto empty = MelFilterbank(c).empty_bands();
  if (!empty.empty() && !c.allow_empty_bands)
    s.fail("n_mels", fmt::format("{} mel bands between {} and {} Hz leave band(s) {} without any of the {} FFT "
                                 "bins; lower n_mels or raise n_fft (or set features.allow_empty_bands: true, as "
                                 "Won et al. 2020's 128-band frontend needs)",
                                 c.n_mels, c.fmin, c.fmax_hz(), fmt::join(empty, ","), c.n_bins()));
  return c;
}

FeatureConfig FeatureConfig::from_json(const nlohmann::json& parameters) {
  if (!parameters.is_object())
    throw ConfigError("feature parameters: expected a JSON object, got " + parameters.dump());
  YAML::Node node(YAML::NodeType::Map);
  auto keys = FeatureConfig{}.parameters();  // the keys from() reads
  keys["allow_empty_bands"] = true;          // (written only when set)
  keys["kind"] = "waveform";                 // (written only for waveforms)
  for (const auto& item : keys.items())
    if (parameters.contains(item.key())) node[item.key()] = yaml_of(parameters.at(item.key()));
  cluster::ConfigSection section("<feature parameters JSON>", "features", node);
  return from(section);
}

int64_t FeatureConfig::segment_samples() const {
  return static_cast<int64_t>(std::llround(segment_seconds * static_cast<double>(sample_rate)));
}

int64_t FeatureConfig::n_frames(int64_t n_samples) const {
  if (n_samples < 0) return 0;
  if (center) return 1 + n_samples / hop_length;
  return n_samples < n_fft ? 0 : 1 + (n_samples - n_fft) / hop_length;
}

nlohmann::json FeatureConfig::parameters() const {
  if (is_waveform()) {
    return {{"kind", choice_name(kFeatureKindNames, kind)},
            {"sample_rate", sample_rate},
            {"segment_seconds", segment_seconds}};
  }
  nlohmann::json json = {
      {"sample_rate", sample_rate},
      {"n_fft", n_fft},
      {"hop_length", hop_length},
      {"n_mels", n_mels},
      {"fmin", fmin},
      {"fmax", fmax},
      {"mel_scale", choice_name(kMelScaleNames, mel_scale)},
      {"mel_norm", choice_name(kMelNormNames, mel_norm)},
      {"window", window},
      {"center", center},
      {"pad_mode", choice_name(kPadModeNames, pad_mode)},
      {"power", power},
      {"amin", amin},
      {"ref", ref},
      {"top_db", top_db},
      {"segment_seconds", segment_seconds},
  };
  // Written only when set: features JSON of datasets made before the key existed stays the same.
  if (allow_empty_bands) json["allow_empty_bands"] = true;
  return json;
}

nlohmann::json FeatureConfig::to_json() const {
  auto json = parameters();
  if (is_waveform()) {
    json.update({{"segment_samples", segment_samples()},
                 {"layout", "[n_samples]"},
                 {"storage", "float16, as decoded and resampled (no normalisation)"}});
    return json;
  }
  json.update({
      // Derived or fixed, for readers of the manifest; from_json() ignores them.
      {"fmax_hz", fmax_hz()},
      {"n_bins", n_bins()},
      {"segment_samples", segment_samples()},
      {"segment_frames", segment_frames()},
      {"window_periodic", true},
      {"log", "10*log10(max(S, amin)) - 10*log10(max(ref, amin))"},
      {"layout", "[n_mels, n_frames]"},
      {"reference", "librosa 0.10 feature.melspectrogram + power_to_db"},
  });
  return json;
}

}  // namespace musictag::preprocess
