// OpenedStream: a file's best audio stream with its decoder opened; as_stage turns FFmpeg errors into AudioError.
#pragma once

#include <string>

#include "preprocess/audio/audio_error.h"
#include "preprocess/audio/av_handles.h"

namespace musictag::preprocess {

struct OpenedStream {
  InputFormatPtr format;
  CodecContextPtr codec;
  int stream_index = -1;
  AVStream* stream() const { return format->streams[stream_index]; }
};

// Opens `path`, finds its best audio stream and opens the decoder (channel layout defaulted when unspecified).
// Throws AudioError "open" for a file without a usable audio stream, DataError for other FFmpeg failures.
OpenedStream open_audio_stream(const std::string& path);

// Runs `body`, turning any DataError from FFmpeg into an AudioError of `stage` (AudioErrors pass unchanged).
template <typename F>
auto as_stage(const std::string& stage, F&& body) {
  try {
    return body();
  } catch (const AudioError&) {
    throw;
  } catch (const DataError& e) {
    throw AudioError(stage, e.what());
  }
}

}  // namespace musictag::preprocess
