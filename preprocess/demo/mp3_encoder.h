// Writes planar float audio to an MP3 file: LAME (libmp3lame) through libavcodec, muxed by libavformat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace musictag::preprocess {

struct Mp3EncoderOptions {
  int sample_rate = 44100;    // Hz; LAME accepts the MPEG rates (8000 ... 48000)
  int channels = 2;           // 1 (mono) or 2 (joint stereo)
  int64_t bit_rate = 192000;  // constant bit rate in bit/s, (8000, 320000]
  int compression_level = 5;  // LAME's -q: 0 slowest/best ... 9 fastest; 5 is about twice as fast as the default
  bool bitexact = true;       // no encoder version strings: same input and options give the same bytes
  std::map<std::string, std::string> tags;  // ID3v2 tags (title, artist, album, genre, ...)
};

// Encodes `planes` (one float array per channel, `frames` samples each, nominally in [-1, 1]) into an MP3 at
// `path` (created or truncated). Throws ConfigError for bad options and DataError for FFmpeg failures.
void write_mp3_file(const std::string& path, const std::vector<const float*>& planes, size_t frames,
                    const Mp3EncoderOptions& options);

}  // namespace musictag::preprocess
