// AudioLoader on the real recordings in ../shared/data/real-music (mp3 at 16/22.05/44.1 kHz, mono and stereo, wav)
// against the ffmpeg command line; skipped when the folder is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "audio_test_support.h"
#include "preprocess/audio/audio_loader.h"

extern "C" {
#include <libavutil/log.h>
}

namespace musictag::preprocess {
namespace {
namespace fs = std::filesystem;

// Optional: the real recordings in ../shared/data/real-music (or $MUSICTAG_REAL_MUSIC_DIR) against the command line.
TEST(AudioRealMusic, MatchesTheFfmpegCommandLineWhenPresent) {
  const char* env = std::getenv("MUSICTAG_REAL_MUSIC_DIR");
  const char* source = std::getenv("MUSICTAG_SOURCE_DIR");
  const fs::path dir = env != nullptr
                           ? fs::path(env)
                           : fs::path(source != nullptr ? source : ".") / ".." / "shared" / "data" / "real-music";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " not present";
  av_log_set_level(AV_LOG_ERROR);
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".mp3" && ext != ".wav") continue;
    const std::string path = entry.path().string();
    const auto audio = AudioLoader(12000).load(path);
    const std::string mean = audio.source_channels == 2 ? "pan=mono|c0=0.5*c0+0.5*c1," : "";
    const auto reference = test::ffmpeg_floats(path, mean + "aresample=12000:resampler=soxr");
    ASSERT_EQ(audio.samples.size(), reference.size()) << path;
    EXPECT_LE(test::max_difference(audio.samples, reference), 1e-6) << path;
    EXPECT_NEAR(audio.seconds(), audio.source_seconds, 0.1) << path;
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no mp3/wav in " << dir;
}

}  // namespace
}  // namespace musictag::preprocess
