// The device log-mel (train/models/logmel_frontend.h) against preprocess' CPU frontend on the same samples: the
// committed real-music excerpts of tests/fixtures/mel (and librosa's values stored there), the full real recordings
// of ../shared/data/real-music decoded by preprocess' AudioLoader when present, edge cases, batches, autocast, CUDA.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <ATen/autocast_mode.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "../preprocess/mel_fixture.h"
#include "cluster/files.h"
#include "preprocess/audio/audio_loader.h"
#include "preprocess/features/mel_spectrogram.h"
#include "train/models/logmel_frontend.h"

namespace musictag::train {
namespace {

using preprocess::FeatureConfig;

// The bound: mean |device - CPU| over every value of a clip. The device frontend computes in float64 as the
// CPU frontend does; measured here (torch 2.11, CPU) both float32 outputs are identical on every excerpt and full
// recording (max 0), and a float64 output differs from the CPU's float32 one only by that rounding. (A float32 STFT
// reached 3.5e-4 dB mean, 0.26 dB max on one recording with empty high bands: why it is not float32.)
constexpr double kMaxMeanAbsDb = 1e-3;

struct Error {
  double mean = 0.0, max = 0.0;
};

Error compare_db(const torch::Tensor& device, const std::vector<float>& cpu) {
  const auto reference = torch::tensor(cpu).reshape(device.sizes());
  const auto diff = (device.to(torch::kCPU, torch::kDouble) - reference.to(torch::kDouble)).abs();
  return {diff.mean().item<double>(), diff.max().item<double>()};
}

FeatureConfig won2020_features() {
  FeatureConfig c;
  c.sample_rate = 16000;
  c.n_mels = 128;
  c.fmax = 8000;
  c.mel_scale = preprocess::MelScale::htk;
  c.mel_norm = preprocess::MelNorm::none;
  c.pad_mode = preprocess::PadMode::reflect;
  c.allow_empty_bands = true;
  return c;
}

// Device and CPU frontends of `config` on the same samples; prints and returns the error.
Error device_vs_cpu(const FeatureConfig& config, const std::vector<float>& samples, const std::string& label,
                    torch::Device device = torch::kCPU) {
  LogMelFrontend frontend(config);
  frontend->to(device);
  const auto n = static_cast<int64_t>(samples.size());
  const auto ours = frontend->forward(torch::tensor(samples).reshape({1, n}).to(device))[0];
  const auto cpu = preprocess::MelSpectrogram(config).compute(samples);
  EXPECT_EQ(ours.sizes(), (std::vector<int64_t>{config.n_mels, config.n_frames(n)})) << label;
  const Error e = compare_db(ours, cpu);
  // The same in float64 (not rounded to float32 as both outputs are): what separates the two implementations.
  const auto precise = frontend->forward(torch::tensor(samples, torch::kDouble).reshape({1, n}).to(device))[0];
  const Error unrounded = compare_db(precise, cpu);
  std::cout << "[ logmel   ] " << label << ": " << n << " samples, mean |device - CPU| " << e.mean << " dB, max "
            << e.max << " dB (float64 output: mean " << unrounded.mean << ", max " << unrounded.max << ")\n";
  return e;
}

TEST(LogMelFrontend, EqualsTheCpuFrontendOnTheCommittedExcerpts) {
  const auto index = test::mel_fixture_index();
  for (const auto& c : index.at("cases")) {  // Choi's defaults: 12 kHz, Slaney, zero padding
    const auto samples = test::read_mel_fixture(c.at("samples").at("file")).values;
    EXPECT_LE(device_vs_cpu(FeatureConfig{}, samples, c.at("name")).mean, kMaxMeanAbsDb);
  }
  for (const auto& c : index.at("won2020_cases")) {  // Won et al.'s: 16 kHz, 128 HTK bands, reflect padding
    const auto samples = test::read_mel_fixture(c.at("samples").at("file")).values;
    EXPECT_LE(device_vs_cpu(won2020_features(), samples, c.at("name")).mean, kMaxMeanAbsDb);
  }
}

TEST(LogMelFrontend, EqualsLibrosaOnTheCommittedExcerpts) {
  // The stored librosa 0.10 values, independent of the CPU frontend.
  const auto index = test::mel_fixture_index();
  LogMelFrontend frontend(FeatureConfig{});
  for (const auto& c : index.at("cases")) {
    const auto samples = test::read_mel_fixture(c.at("samples").at("file")).values;
    const auto reference = test::read_mel_fixture(c.at("logmel").at("file"));
    const auto n = static_cast<int64_t>(samples.size());
    const auto ours = frontend->forward(torch::tensor(samples).reshape({1, n}))[0];
    ASSERT_EQ(ours.sizes(), torch::IntArrayRef(reference.shape));
    EXPECT_LE(compare_db(ours, reference.values).mean, kMaxMeanAbsDb) << c.at("name");
  }
}

// ../shared/data/real-music (or $MUSICTAG_REAL_MUSIC_DIR): every recording decoded by preprocess' AudioLoader at 12
// and 16 kHz, whole, through both frontends.
TEST(LogMelFrontend, EqualsTheCpuFrontendOnTheRealRecordingsWhenPresent) {
  const char* env = std::getenv("MUSICTAG_REAL_MUSIC_DIR");
  const char* source = std::getenv("MUSICTAG_SOURCE_DIR");
  const std::string dir =
      env != nullptr ? env : std::string(source != nullptr ? source : ".") + "/../shared/data/real-music";
  std::vector<std::string> files;
  for (const auto& name : regular_files_in(dir))
    if (name.size() > 4 && (name.substr(name.size() - 4) == ".mp3" || name.substr(name.size() - 4) == ".wav"))
      files.push_back(name);
  if (files.empty()) GTEST_SKIP() << "no mp3/wav recordings in " << dir;
  std::sort(files.begin(), files.end());
  double worst_mean = 0.0, worst_max = 0.0;
  for (const FeatureConfig& config : {FeatureConfig{}, won2020_features()}) {
    const preprocess::AudioLoader loader(static_cast<int>(config.sample_rate));
    for (const auto& name : files) {
      const auto audio = loader.load(join_path(dir, name));
      const Error e = device_vs_cpu(config, audio.samples, name + " @ " + std::to_string(config.sample_rate));
      EXPECT_LE(e.mean, kMaxMeanAbsDb) << name;
      worst_mean = std::max(worst_mean, e.mean);
      worst_max = std::max(worst_max, e.max);
    }
  }
  std::cout << "[ logmel   ] real recordings: worst mean |device - CPU| " << worst_mean << " dB, worst max "
            << worst_max << " dB\n";
}

TEST(LogMelFrontend, EdgeCasesMatchTheCpuFrontend) {
  std::vector<float> sine(3000);
  for (size_t i = 0; i < sine.size(); ++i) sine[i] = 0.3f * static_cast<float>(std::sin(0.05 * static_cast<double>(i)));
  // Shorter than the reflect pad (numpy repeats the reflection), shorter than a frame, one sample, silence.
  const std::vector<float> short_signal(sine.begin(), sine.begin() + 100);
  EXPECT_LE(device_vs_cpu(won2020_features(), short_signal, "100 samples, reflect").max, 1e-3);
  EXPECT_LE(device_vs_cpu(FeatureConfig{}, short_signal, "100 samples, zeros").max, 1e-3);
  EXPECT_LE(device_vs_cpu(won2020_features(), {0.5f}, "1 sample, reflect").max, 1e-3);
  const Error silence = device_vs_cpu(FeatureConfig{}, std::vector<float>(4000, 0.0f), "silence");
  EXPECT_EQ(silence.max, 0.0);  // the amin floor, -100 dB, on both sides
  // Not centred, magnitude, top_db, ref and fmin: each key of the config is honoured.
  FeatureConfig other;
  other.center = false;
  other.power = 1.0;
  other.top_db = 40.0;
  other.ref = 2.0;
  other.fmin = 100.0;
  EXPECT_LE(device_vs_cpu(other, sine, "center false, power 1, top_db 40, ref 2, fmin 100").mean, kMaxMeanAbsDb);
  other.power = 1.5;
  EXPECT_LE(device_vs_cpu(other, sine, "power 1.5").mean, kMaxMeanAbsDb);
}

TEST(LogMelFrontend, BatchRowsAreIndependentAndFloat64StaysFloat64) {
  torch::manual_seed(3);
  LogMelFrontend frontend(won2020_features());
  const auto x = torch::randn({3, 5000}) * 0.1;
  const auto batch = frontend->forward(x);
  ASSERT_EQ(batch.sizes(), (std::vector<int64_t>{3, 128, 20}));
  for (int64_t b = 0; b < 3; ++b)
    EXPECT_TRUE(torch::allclose(batch[b], frontend->forward(x.slice(0, b, b + 1))[0], 1e-5, 1e-4)) << b;
  // [B, 1, samples] is accepted; float64 input computes and returns float64.
  EXPECT_TRUE(torch::equal(frontend->forward(x.unsqueeze(1)), batch));
  const auto precise = frontend->forward(x.to(torch::kDouble));
  EXPECT_EQ(precise.scalar_type(), torch::kDouble);
  EXPECT_LT((precise - batch.to(torch::kDouble)).abs().mean().item<double>(), kMaxMeanAbsDb);
  EXPECT_EQ(frontend->parameters().size(), 0u);  // one buffer, the filterbank
  EXPECT_EQ(frontend->buffers().size(), 1u);
}

TEST(LogMelFrontend, IgnoresAutocast) {
  // Under bf16 autocast the dB values stay float32 and equal the plain ones (the frontend turns autocast off).
  LogMelFrontend frontend(FeatureConfig{});
  const auto x = torch::randn({2, 4000}) * 0.1;
  const auto plain = frontend->forward(x);
  at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCPU, true);
  const auto autocast = frontend->forward(x);
  at::autocast::set_autocast_enabled(at::kCPU, false);
  at::autocast::clear_cache();
  EXPECT_EQ(autocast.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(autocast, plain));
}

TEST(LogMelFrontend, EqualsTheCpuFrontendOnCuda) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  const auto index = test::mel_fixture_index();
  for (const auto& c : index.at("cases")) {
    const auto samples = test::read_mel_fixture(c.at("samples").at("file")).values;
    EXPECT_LE(device_vs_cpu(FeatureConfig{}, samples, std::string(c.at("name")) + " (CUDA)", torch::kCUDA).mean,
              kMaxMeanAbsDb);
  }
  for (const auto& c : index.at("won2020_cases")) {
    const auto samples = test::read_mel_fixture(c.at("samples").at("file")).values;
    EXPECT_LE(device_vs_cpu(won2020_features(), samples, std::string(c.at("name")) + " (CUDA)", torch::kCUDA).mean,
              kMaxMeanAbsDb);
  }
}

}  // namespace
}  // namespace musictag::train
