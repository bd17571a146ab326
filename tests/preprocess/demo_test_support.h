// Test helpers for the demo generator: a cached demo dataset per test binary build, temp folders, and a minimal
// FFmpeg decode that counts samples (no resampling).
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "preprocess/audio/av_handles.h"
#include "preprocess/demo/demo_dataset.h"
#include "preprocess/features/av_check.h"

extern "C" {
#include <libavutil/log.h>
}

namespace musictag::test {

namespace fs = std::filesystem;

// A fresh empty folder, removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "musictag-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The demo dataset (`tracks`, `seed`), generated once per build of this test binary and shared by every test
// process ctest starts (gtest_discover_tests runs one process per case). The cache key holds the binary's size
// and mtime, so a rebuilt generator never meets stale data; the folder appears complete or not at all (rename),
// and a lock file keeps parallel test processes from generating it twice.
inline fs::path cached_demo_dataset(int tracks, uint64_t seed) {
  struct stat self {};
  if (stat("/proc/self/exe", &self) != 0) throw std::runtime_error("cannot stat /proc/self/exe");
  const char* build_dir = std::getenv("MUSICTAG_BUILD_DIR");
  const fs::path root = build_dir != nullptr && *build_dir ? fs::path(build_dir) / "test-cache"
                                                           : fs::temp_directory_path() / "musictag-test-cache";
  const std::string key = "demo-" + std::to_string(tracks) + "-" + std::to_string(seed) + "-" +
                          std::to_string(self.st_size) + "-" + std::to_string(self.st_mtim.tv_sec) + "." +
                          std::to_string(self.st_mtim.tv_nsec);
  const fs::path final_path = root / key;
  if (fs::exists(final_path / "fma_metadata" / "README_demo.txt")) return final_path;
  fs::create_directories(root);
  // One generator at a time (ctest -j runs several test processes); the others wait and then reuse it.
  const int lock = open((root / (key + ".lock")).c_str(), O_CREAT | O_RDWR, 0644);
  struct FdCloser {
    int fd;
    ~FdCloser() {
      if (fd >= 0) close(fd);  // also releases the lock
    }
  } lock_guard{lock};
  if (lock < 0 || flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock the demo test cache");
  if (!fs::exists(final_path / "fma_metadata" / "README_demo.txt")) {
    const fs::path scratch = root / (key + ".tmp");
    fs::remove_all(scratch);
    preprocess::DemoDatasetOptions options;
    options.output = scratch.string();
    options.tracks = tracks;
    options.seed = seed;
    options.threads = 2;
    preprocess::make_demo_dataset(options);
    fs::rename(scratch, final_path);
    // Datasets of earlier builds of this binary are stale: drop them.
    const std::string prefix = "demo-" + std::to_string(tracks) + "-" + std::to_string(seed) + "-";
    for (const auto& entry : fs::directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) == 0 && name.rfind(key, 0) != 0) fs::remove_all(entry.path());
    }
  }
  return final_path;
}

// What a minimal decode of a file found: opened?, stream parameters, decoded samples per channel, peak level,
// and the first FFmpeg error (empty when the whole file decoded cleanly).
struct DecodeResult {
  bool opened = false;
  int sample_rate = 0, channels = 0;
  int64_t samples = 0;
  double peak = 0;
  std::string error;
  double seconds() const { return sample_rate > 0 ? static_cast<double>(samples) / sample_rate : 0.0; }
};

inline DecodeResult decode_audio(const fs::path& path) {
  av_log_set_level(AV_LOG_QUIET);
  DecodeResult result;
  try {
    preprocess::InputFormatPtr input = preprocess::open_input_file(path.string());
    const AVCodec* codec = nullptr;
    const int stream = AV_CHECK(av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0));
    preprocess::CodecContextPtr decoder = preprocess::make_codec_context(codec);
    AV_CHECK(avcodec_parameters_to_context(decoder.get(), input->streams[stream]->codecpar));
    AV_CHECK(avcodec_open2(decoder.get(), codec, nullptr));
    result.opened = true;
    result.sample_rate = decoder->sample_rate;
    result.channels = decoder->ch_layout.nb_channels;
    preprocess::PacketPtr packet = preprocess::make_packet();
    preprocess::FramePtr frame = preprocess::make_frame();
    const auto drain = [&] {
      while (true) {
        const int ret = avcodec_receive_frame(decoder.get(), frame.get());
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
        AV_CHECK(ret);
        result.samples += frame->nb_samples;
        if (frame->format == AV_SAMPLE_FMT_FLTP) {
          for (int c = 0; c < frame->ch_layout.nb_channels; ++c) {
            const float* x = reinterpret_cast<const float*>(frame->extended_data[c]);
            for (int i = 0; i < frame->nb_samples; ++i) result.peak = std::max(result.peak, std::fabs(double(x[i])));
          }
        }
      }
    };
    while (true) {
      const int ret = av_read_frame(input.get(), packet.get());
      if (ret == AVERROR_EOF) break;
      AV_CHECK(ret);
      if (packet->stream_index == stream) {
        const int sent = avcodec_send_packet(decoder.get(), packet.get());
        av_packet_unref(packet.get());
        AV_CHECK(sent);
        drain();
      } else {
        av_packet_unref(packet.get());
      }
    }
    AV_CHECK(avcodec_send_packet(decoder.get(), nullptr));
    drain();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace musictag::test
