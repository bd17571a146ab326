// FeatureConfig: what preprocess stores (config section `features`): log-mels with Choi et al. 2016's defaults and
// librosa's semantics, or the resampled waveform.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "cluster/config_reader.h"

namespace musictag::preprocess {

// The mel scale's formula (librosa htk=False / htk=True) and the filters' normalisation (norm="slaney" / None).
// What a part stores per example: the log-mel spectrogram ([n_mels, n_frames] in /mel), or the mono waveform at
// sample_rate ([n_samples] in /audio) for models and frontends that run on the training device.
enum class FeatureKind { logmel, waveform };
inline constexpr ChoiceName<FeatureKind> kFeatureKindNames[] = {{FeatureKind::logmel, "logmel"},
                                                                {FeatureKind::waveform, "waveform"}};
enum class MelScale { slaney, htk };
inline constexpr ChoiceName<MelScale> kMelScaleNames[] = {{MelScale::slaney, "slaney"}, {MelScale::htk, "htk"}};
enum class MelNorm { slaney, none };
// How a centred STFT pads the signal's ends by n_fft/2: zeros (librosa 0.10's default) or a mirror image without
// the edge sample (numpy's "reflect", torch.stft's and Won et al.'s default).
enum class PadMode { constant, reflect };
inline constexpr ChoiceName<PadMode> kPadModeNames[] = {{PadMode::constant, "constant"}, {PadMode::reflect, "reflect"}};
inline constexpr ChoiceName<MelNorm> kMelNormNames[] = {{MelNorm::slaney, "slaney"}, {MelNorm::none, "none"}};

// What the frontend computes, key for key the same as
//   librosa.power_to_db(librosa.feature.melspectrogram(y, sr, n_fft, hop_length, n_mels=n_mels, fmin=fmin,
//                       fmax=fmax, htk=(mel_scale=="htk"), norm=..., power=power), ref=ref, amin=amin, top_db=...)
// with librosa 0.10's defaults otherwise (periodic Hann window of n_fft samples, center=True) and pad_mode as set.
// Every field is read and range-checked once in from(); values derived from them are methods.
struct FeatureConfig {
  FeatureKind kind = FeatureKind::logmel;  // logmel: store log-mels; waveform: the audio (the log-mel keys unused)
  int64_t sample_rate = 12000;             // Hz; audio is resampled to this rate (mono) before the frontend
  int64_t n_fft = 512;                     // FFT size = window length in samples; even
  int64_t hop_length = 256;                // samples between frame starts
  int64_t n_mels = 96;                     // mel bands
  double fmin = 0.0;                       // Hz, lowest filter edge
  double fmax = 0.0;                       // Hz, highest filter edge; 0 = sample_rate / 2 (see fmax_hz())
  MelScale mel_scale = MelScale::slaney;   // librosa's htk=False / htk=True
  MelNorm mel_norm = MelNorm::slaney;      // area-normalised triangles (librosa norm="slaney") or peak 1
  std::string window = "hann";             // {hann}: periodic Hann (scipy get_window fftbins=True), as librosa
  bool center = true;                      // frames centred on t*hop_length, signal padded by n_fft/2 both sides
  PadMode pad_mode = PadMode::constant;    // how center pads: zeros or reflect
  bool allow_empty_bands = false;          // accept mel bands no FFT bin falls into (always 0), as librosa does
  double power = 2.0;                      // exponent of |STFT| (2 = power, 1 = magnitude)
  double amin = 1e-10;             // floor before the log: dB = 10*log10(max(S, amin)) - 10*log10(max(ref, amin))
  double ref = 1.0;                // reference power for 0 dB
  double top_db = 0.0;             // > 0: clamp to (max over the whole output) - top_db; 0 = off (librosa None)
  double segment_seconds = 29.12;  // length of one training example (29.12 s = 1366 frames at 12 kHz / 256)

  // Reads section `features` (all keys optional), validates ranges and cross-key rules; ConfigError names the key.
  static FeatureConfig from(cluster::ConfigSection& section);
  // The inverse of parameters() / to_json() (derived keys are ignored), validated like from().
  static FeatureConfig from_json(const nlohmann::json& parameters);

  double fmax_hz() const { return fmax > 0.0 ? fmax : 0.5 * static_cast<double>(sample_rate); }
  int64_t n_bins() const { return n_fft / 2 + 1; }  // rfft bins, columns of the mel filterbank
  int64_t segment_samples() const;                  // round(segment_seconds * sample_rate)
  int64_t segment_frames() const { return n_frames(segment_samples()); }
  // Frames of a signal of n_samples: 1 + n / hop when centred, else 1 + (n - n_fft) / hop (0 when n < n_fft).
  int64_t n_frames(int64_t n_samples) const;

  bool is_waveform() const { return kind == FeatureKind::waveform; }

  // The parameter keys only (what from_json() reads); safe on an unvalidated struct. Log-mel: every key but `kind`
  // (so features of datasets made before waveforms existed compare equal); waveform: kind, sample_rate and
  // segment_seconds, the only keys that change what is stored.
  nlohmann::json parameters() const;
  // Every parameter plus the derived values and fixed choices (window, log formula): for the HDF5 attributes and
  // manifest.json; two runs computed the same features exactly when their parameter keys are equal.
  nlohmann::json to_json() const;
};

}  // namespace musictag::preprocess
