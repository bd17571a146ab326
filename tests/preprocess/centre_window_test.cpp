// CentreWindowLoader (seek, decode the centre only) against AudioLoader's full decode + centre_crop_or_pad, on mp3s
// of several lengths, rates and headers; truncated and broken files; rubberband variants of the window.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "audio_test_support.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/audio/centre_window.h"
#include "preprocess/demo/mp3_encoder.h"
#include "preprocess/features/mel_spectrogram.h"

namespace musictag::preprocess {
namespace {
namespace fs = std::filesystem;

constexpr int kRate = 12000;
constexpr int64_t kSegment = 349440;  // 29.12 s at 12 kHz, configs/demo.yaml
// Seeked windows equal the full decode to soxr's float rounding: the decoded mp3 samples are bit-identical after the
// pre-roll (the same packets through the same float decoder), and the resampler sees the same input on the same
// grid; only where soxr's blocks start differs, which moves float rounding (measured max 0 to ~3e-7 on these files).
constexpr double kTolerance = 1e-5;

// Music-like test audio: a note every 0.4 s (3 harmonics, vibrato, decaying envelope) over noise bursts (drums), so
// every mp3 frame differs and a misplaced sample shows.
std::vector<float> music(double seconds, int rate, double detune) {
  std::vector<float> out(static_cast<size_t>(seconds * rate));
  uint32_t noise = 12345;
  for (size_t i = 0; i < out.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const int note = static_cast<int>(t / 0.4);
    const double local = t - note * 0.4;
    const double hz = detune * 110.0 * std::pow(2.0, ((note * 7) % 24) / 12.0) * (1 + 0.003 * std::sin(30 * t));
    double x = 0.0;
    for (int h = 1; h <= 3; ++h) x += std::sin(2 * M_PI * hz * h * t) / h;
    noise = noise * 1664525u + 1013904223u;
    const double drum = (note % 2 == 0 && local < 0.05) ? (static_cast<double>(noise >> 8) / (1 << 24) - 0.5) : 0.0;
    out[i] = static_cast<float>(0.25 * x * std::exp(-3 * local) + 0.4 * drum * std::exp(-40 * local));
  }
  return out;
}

void write_mp3(const std::string& path, double seconds, int rate, int channels, int64_t bit_rate) {
  std::vector<std::vector<float>> planes;
  for (int c = 0; c < channels; ++c) planes.push_back(music(seconds, rate, 1.0 + 0.01 * c));
  std::vector<const float*> pointers;
  for (const auto& p : planes) pointers.push_back(p.data());
  Mp3EncoderOptions options;
  options.sample_rate = rate;
  options.channels = channels;
  options.bit_rate = bit_rate;
  options.compression_level = 9;  // fastest
  write_mp3_file(path, pointers, planes[0].size(), options);
}

class CentreWindowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("musictag-centre-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  // The file `name` in the test folder; the four mp3s below are written when first asked for (ctest runs each test
  // alone, so each writes only what it reads: the 5-minute one takes ~2 s).
  static std::string path(const std::string& name) {
    const std::string file = (dir_ / name).string();
    if (fs::exists(file)) return file;
    if (name == "35s.mp3") write_mp3(file, 35.0, 44100, 2, 128000);
    if (name == "300s.mp3") write_mp3(file, 300.0, 44100, 2, 64000);
    if (name == "90s-22k-mono.mp3") write_mp3(file, 90.0, 22050, 1, 32000);
    if (name == "60s-48k.mp3") write_mp3(file, 60.0, 48000, 2, 96000);
    return file;
  }

  // The seeked centre segment vs the full decode's; returns whether the window was seeked.
  static bool expect_equal_centre(const std::string& file, const AudioLoader& loader) {
    const auto full = loader.load(file).samples;
    const CentreWindow window = CentreWindowLoader(loader).load(file, kSegment);
    EXPECT_EQ(window.track_samples, static_cast<int64_t>(full.size())) << file;
    const auto ours = centre_segment(window, AudioVariant{}, kSegment, file);
    const auto reference = centre_crop_or_pad(full, kSegment);
    EXPECT_EQ(ours.size(), reference.size());
    const double difference = test::max_difference(ours, reference);
    EXPECT_LE(difference, kTolerance) << file << (window.seeked ? " (seeked)" : " (full decode)");
    std::printf("%s: %s, max |difference| %.3g\n", file.c_str(), window.seeked ? "seeked" : "full decode", difference);
    return window.seeked;
  }

  static inline fs::path dir_;
};

TEST_F(CentreWindowTest, SeekedCentreEqualsTheFullDecodesCentreCrop) {
  for (const char* name : {"35s.mp3", "300s.mp3", "90s-22k-mono.mp3", "60s-48k.mp3"})
    EXPECT_TRUE(expect_equal_centre(path(name), AudioLoader(kRate))) << name;
}

TEST_F(CentreWindowTest, MaxSecondsCentresTheKeptPart) {
  EXPECT_TRUE(expect_equal_centre(path("300s.mp3"), AudioLoader(kRate, 15.0, 120.0)));
  EXPECT_FALSE(expect_equal_centre(path("300s.mp3"), AudioLoader(kRate, 15.0, 30.0)));  // too close to the cut
}

// Short tracks: no seek, today's zero padding.
TEST_F(CentreWindowTest, ShortTracksAreDecodedWholeAndPadded) {
  const std::string file = path("short.mp3");
  write_mp3(file, 12.0, 44100, 2, 128000);
  EXPECT_FALSE(expect_equal_centre(file, AudioLoader(kRate)));
}

// Without a Xing header FFmpeg guesses a VBR file's duration from its first frame's bit rate; the packet index does
// not use the header, so the window is still centred right.
TEST_F(CentreWindowTest, DurationHeaderWrongOrMissing) {
  const std::string vbr = path("vbr-no-xing.mp3");
  ASSERT_EQ(std::system(("ffmpeg -nostdin -v error -y -i '" + path("90s-22k-mono.mp3") +
                         "' -c:a libmp3lame -q:a 9 -write_xing 0 '" + vbr + "'")
                            .c_str()),
            0);
  EXPECT_TRUE(expect_equal_centre(vbr, AudioLoader(kRate)));

  // A Xing header claiming 100 frames: FFmpeg states ~2.6 s and trims the decode after them (both decoders agree).
  const std::string lying = path("xing-100-frames.mp3");
  fs::copy_file(path("300s.mp3"), lying, fs::copy_options::overwrite_existing);
  std::fstream f(lying, std::ios::in | std::ios::out | std::ios::binary);
  std::string head(8192, '\0');
  f.read(head.data(), static_cast<std::streamsize>(head.size()));
  size_t at = head.find("Info");
  if (at == std::string::npos) at = head.find("Xing");
  ASSERT_NE(at, std::string::npos) << "no Xing/Info header written";
  ASSERT_TRUE(head[at + 7] & 1) << "the header holds no frame count";
  const char frames[4] = {0, 0, 0, 100};
  f.clear();
  f.seekp(static_cast<std::streamoff>(at + 8));
  f.write(frames, 4);
  f.close();
  expect_equal_centre(lying, AudioLoader(kRate, 0.0));
}

TEST_F(CentreWindowTest, TruncatedAndBrokenFilesBehaveAsTheFullDecode) {
  const std::string cut = path("truncated.mp3");
  fs::copy_file(path("300s.mp3"), cut, fs::copy_options::overwrite_existing);
  fs::resize_file(cut, fs::file_size(cut) * 6 / 10 + 77);  // inside a frame
  // The demuxer drops the partial last frame, so the index holds what the decoder gets: seeked or not, equal.
  expect_equal_centre(cut, AudioLoader(kRate));

  // Junk inside the stream (2000 bytes at a quarter): the demuxer passes it on as packets the decoder drops, so the
  // samples after it come earlier in the full decode than the packets count; the index sees it and decodes whole.
  const std::string junk = path("junk.mp3");
  {
    std::ifstream in(path("300s.mp3"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string garbage(2000, '\0');
    for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 7919 + 13) % 251);
    bytes.insert(bytes.size() / 4, garbage);
    std::ofstream(junk, std::ios::binary) << bytes;
  }
  EXPECT_FALSE(expect_equal_centre(junk, AudioLoader(kRate)));

  const std::string stub = path("stub.mp3");
  fs::copy_file(path("300s.mp3"), stub, fs::copy_options::overwrite_existing);
  fs::resize_file(stub, 3000);
  std::ofstream(path("page.mp3")) << "<html>404</html>\n";
  std::ofstream(path("empty.mp3")).close();
  const AudioLoader loader(kRate, 15.0);
  for (const char* name : {"stub.mp3", "page.mp3", "empty.mp3", "missing.mp3"}) {
    std::string expected;
    try {
      loader.load(path(name));
    } catch (const AudioError& e) {
      expected = e.stage();
    }
    ASSERT_FALSE(expected.empty()) << name;
    try {
      CentreWindowLoader(loader).load(path(name), kSegment);
      ADD_FAILURE() << name << ": loaded";
    } catch (const AudioError& e) {
      EXPECT_EQ(e.stage(), expected) << name << ": " << e.what();
    }
  }
}

// Mean and max |a - b| of two log-mels, in dB.
std::pair<double, double> mel_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0.0, worst = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double d = std::fabs(a[i] - b[i]);
    sum += d;
    worst = std::max(worst, d);
  }
  return {sum / static_cast<double>(a.size()), worst};
}

// Rubberband variants of the window vs of the whole track. The original is equal (above); a variant is the same
// music, but rubberband's phase vocoder carries phases from everything it heard before, so the waveforms are
// unrelated sample for sample (difference energy ~2x the signal's) and only the spectra can agree. The bound: the
// log-mel of the window's variant is no further from today's than today's own variant of the same track with its
// first second cut off (the same effect, measured on the same signal): 2.1-2.5 dB mean for both, measured; the
// max runs to ~40 dB in bins near silence for both.
TEST_F(CentreWindowTest, VariantsOfTheWindowMatchVariantsOfTheWholeTrack) {
  const std::string file = path("90s-22k-mono.mp3");
  const std::vector<AudioVariant> variants = {{0, 1.0, 0.0}, {1, 1.1, 0.0}, {2, 0.8, 0.0}, {3, 1.0, -1.0}};
  const AudioLoader loader(kRate);
  const auto full = loader.load(file).samples;
  const CentreWindow window = CentreWindowLoader(loader).load(file, centre_span(kSegment, variants, kRate));
  ASSERT_TRUE(window.seeked);
  MelSpectrogram mel{FeatureConfig{}};
  constexpr int64_t kCut = kRate;  // the baseline's track starts a second later
  const std::vector<float> later(full.begin() + kCut, full.end());
  for (const auto& v : variants) {
    const auto stretched = apply_variant(full, kRate, v, file);
    const auto reference = mel.compute(centre_crop_or_pad(stretched, kSegment));
    const auto ours = mel.compute(centre_segment(window, v, kSegment, file));
    const auto [mean, worst] = mel_difference(ours, reference);
    const int64_t start = (static_cast<int64_t>(stretched.size()) - kSegment) / 2;
    const auto later_stretched = apply_variant(later, kRate, v, file);
    const int64_t from = start - std::llround(kCut / v.time_stretch);
    const auto baseline =
        mel.compute(std::vector<float>(later_stretched.begin() + from, later_stretched.begin() + from + kSegment));
    const auto [baseline_mean, baseline_worst] = mel_difference(baseline, reference);
    std::printf(
        "variant %d (tempo %.2f, pitch %+.0f): log-mel |difference| mean %.3f dB, max %.1f dB; "
        "the track cut by 1 s: mean %.3f dB, max %.1f dB\n",
        v.index, v.time_stretch, v.pitch_shift, mean, worst, baseline_mean, baseline_worst);
    if (v.is_original()) {
      EXPECT_LE(worst, 0.1);  // float rounding (1e-7) in bins near silence
    } else {
      EXPECT_LE(mean, 1.25 * baseline_mean + 0.1) << "variant " << v.index;
    }
  }
}

}  // namespace
}  // namespace musictag::preprocess
