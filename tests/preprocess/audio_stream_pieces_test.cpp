// The streaming pieces of preprocess.segments all against their whole-signal forms: SegmentStream vs an index-based
// reference, VariantStream fed in pieces vs apply_variant on the whole signal (bit-identical), AudioLoader::stream vs
// load (the same samples, the same failure stages).
#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <random>

#include "audio_test_support.h"
#include "preprocess/audio/audio_loader.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/audio/variant_stream.h"

namespace musictag::preprocess {
namespace {
namespace fs = std::filesystem;

// The segments as index arithmetic (no streaming): full ones from 0, the remainder padded if >= min_fraction of a
// segment, one padded segment for a signal shorter than one.
std::vector<std::vector<float>> reference_segments(const std::vector<float>& x, int64_t length, double min_fraction) {
  std::vector<std::vector<float>> out;
  const auto n = static_cast<int64_t>(x.size());
  const int64_t full = n / length;
  const int64_t remainder = n - full * length;
  const int64_t count = full + ((full == 0 || (remainder > 0 && double(remainder) >= min_fraction * length)) ? 1 : 0);
  for (int64_t s = 0; s < count; ++s) {
    std::vector<float> segment(static_cast<size_t>(length), 0.0f);
    for (int64_t i = 0; i < length && s * length + i < n; ++i) segment[size_t(i)] = x[size_t(s * length + i)];
    out.push_back(segment);
  }
  return out;
}

// `x` cut into pieces of random sizes in [1, max_piece], each handed to `push`.
template <typename Push>
void in_pieces(const std::vector<float>& x, size_t max_piece, uint32_t seed, Push push) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<size_t> size(1, max_piece);
  for (size_t at = 0; at < x.size();) {
    const size_t n = std::min(size(random), x.size() - at);
    push(x.data() + at, n);
    at += n;
  }
}

TEST(SegmentStream, EqualsTheIndexReferenceForAnyPieces) {
  for (int64_t n : {0, 1, 5, 6, 7, 12, 13, 100, 1001}) {
    std::vector<float> x(static_cast<size_t>(n));
    std::iota(x.begin(), x.end(), 1.0f);
    for (double fraction : {0.01, 0.5, 1.0}) {
      for (size_t max_piece : {1, 3, 50}) {
        std::vector<std::vector<float>> got;
        std::vector<int64_t> indices;
        SegmentStream stream(6, fraction, [&](const std::vector<float>& segment, int64_t index) {
          got.push_back(segment);
          indices.push_back(index);
        });
        in_pieces(x, max_piece, uint32_t(n), [&](const float* p, size_t k) { stream.push(p, k); });
        stream.finish();
        EXPECT_EQ(got, reference_segments(x, 6, fraction)) << n << " samples, min_fraction " << fraction;
        std::vector<int64_t> in_order(got.size());
        std::iota(in_order.begin(), in_order.end(), 0);
        EXPECT_EQ(indices, in_order);
        EXPECT_EQ(stream.segments(), int64_t(got.size()));
      }
    }
  }
}

// A demo-like signal: a few seconds of a chord with a beat, so rubberband has tones and transients.
std::vector<float> music(double seconds) {
  std::vector<float> x = test::sine(220.0, 0.3, seconds, 12000);
  const auto fifth = test::sine(330.0, 0.2, seconds, 12000);
  for (size_t i = 0; i < x.size(); ++i) x[i] += fifth[i] * ((i / 3000) % 2 == 0 ? 1.0f : 0.2f);
  return x;
}

TEST(VariantStream, PiecesGiveTheWholeSignalsVariantBitForBit) {
  const std::vector<float> x = music(7.3);
  for (const AudioVariant& variant :
       {AudioVariant{1, 0.8, 0.0}, AudioVariant{2, 1.25, 0.0}, AudioVariant{3, 1.0, -2.0}, AudioVariant{}}) {
    const std::vector<float> whole = apply_variant(x, 12000, variant);
    for (size_t max_piece : {1000, 4096, 20000}) {
      std::vector<float> streamed;
      int64_t pushed = 0;
      VariantStream stream(12000, variant, "music");
      const SampleSink collect = [&](const float* p, size_t n) {
        streamed.insert(streamed.end(), p, p + n);
        // Nothing is handed on before it is sure to be part of the output: at most floor(pushed / stretch).
        EXPECT_LE(double(streamed.size()), double(pushed) / variant.time_stretch + 1e-9);
      };
      in_pieces(x, max_piece, 7, [&](const float* p, size_t n) {
        pushed += int64_t(n);
        stream.push(p, n, collect);
      });
      stream.finish([&](const float* p, size_t n) { streamed.insert(streamed.end(), p, p + n); });
      EXPECT_EQ(streamed.size(), size_t(std::llround(double(x.size()) / variant.time_stretch)));
      EXPECT_TRUE(streamed == whole) << "stretch " << variant.time_stretch << ", shift " << variant.pitch_shift
                                     << ", pieces up to " << max_piece;
    }
  }
}

TEST(VariantStream, FailureIsAnAugmentErrorNamingTheSource) {
  try {
    VariantStream stream(12000, AudioVariant{1, 0.0, 0.0}, "track 7");  // rubberband's tempo range is [0.01, 100]
    stream.push(music(1.0).data(), 12000, [](const float*, size_t) {});
    stream.finish([](const float*, size_t) {});
    FAIL() << "tempo 0 accepted";
  } catch (const AudioError& e) {
    EXPECT_EQ(e.stage(), "augment");
    EXPECT_NE(std::string(e.what()).find("track 7"), std::string::npos) << e.what();
  }
}

class LoaderStream : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("musictag-stream-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    test::write_float_wav(path("tone.wav"), test::sine(440.0, 0.5, 6.0, 44100), 1, 44100);
    test::write_float_wav(path("silent.wav"), std::vector<float>(44100 * 3, 0.0f), 1, 44100);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }
  static inline fs::path dir_;
};

TEST_F(LoaderStream, SendsLoadsSamplesInPieces) {
  for (double max_seconds : {0.0, 2.5}) {
    const AudioLoader loader(12000, 0.0, max_seconds);
    const DecodedAudio whole = loader.load(path("tone.wav"));
    std::vector<float> streamed;
    size_t pieces = 0;
    const DecodedAudio info = loader.stream(path("tone.wav"), [&](const float* p, size_t n) {
      streamed.insert(streamed.end(), p, p + n);
      ++pieces;
    });
    EXPECT_TRUE(streamed == whole.samples) << "max_seconds " << max_seconds;
    EXPECT_GT(pieces, 3u) << "the samples came in one piece: not streamed";
    EXPECT_TRUE(info.samples.empty());
    EXPECT_EQ(info.length, int64_t(whole.samples.size()));
    EXPECT_EQ(whole.length, int64_t(whole.samples.size()));
    EXPECT_DOUBLE_EQ(info.seconds(), whole.seconds());
    EXPECT_EQ(info.source_rate, 44100);
  }
}

TEST_F(LoaderStream, ChecksThatNeedTheWholeTrackThrowAfterTheLastSample) {
  size_t seen = 0;
  try {
    AudioLoader(12000).stream(path("silent.wav"), [&](const float*, size_t n) { seen += n; });
    FAIL() << "a silent file was accepted";
  } catch (const AudioError& e) {
    EXPECT_EQ(e.stage(), "silent");
  }
  EXPECT_EQ(seen, 36000u);  // every sample went to the sink first
  try {
    AudioLoader(12000, 10.0).stream(path("tone.wav"), [](const float*, size_t) {});
    FAIL() << "a 6-s file passed min_seconds 10";
  } catch (const AudioError& e) {
    EXPECT_EQ(e.stage(), "too_short");
  }
}

}  // namespace
}  // namespace musictag::preprocess
