// OpenedStream: a file's best audio stream with its decoder opened.
#include "preprocess/audio/audio_stream.h"

#include <fmt/format.h>

#include "preprocess/features/av_check.h"

namespace musictag::preprocess {

OpenedStream open_audio_stream(const std::string& path) {
  OpenedStream s;
  s.format = open_input_file(path);
  const AVCodec* decoder = nullptr;
  s.stream_index = av_find_best_stream(s.format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
  if (s.stream_index < 0 || decoder == nullptr)
    throw AudioError("open", fmt::format("{}: no decodable audio stream ({})", path, av_error_string(s.stream_index)));
  s.codec = make_codec_context(decoder);
  AV_CHECK_CTX(avcodec_parameters_to_context(s.codec.get(), s.format->streams[s.stream_index]->codecpar), path);
  AV_CHECK_CTX(avcodec_open2(s.codec.get(), decoder, nullptr), "opening the decoder for " + path);
  if (s.codec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    const int channels = s.codec->ch_layout.nb_channels;
    av_channel_layout_uninit(&s.codec->ch_layout);
    av_channel_layout_default(&s.codec->ch_layout, channels);
  }
  if (s.codec->sample_rate <= 0 || s.codec->ch_layout.nb_channels <= 0)
    throw AudioError("open", fmt::format("{}: audio stream without sample rate or channels", path));
  return s;
}

}  // namespace musictag::preprocess
