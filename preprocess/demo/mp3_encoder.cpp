// MP3 writing with libmp3lame via libavcodec and the mp3 muxer, every handle owned by RAII wrappers.
#include "preprocess/demo/mp3_encoder.h"

#include <algorithm>
#include <cstring>

#include "cluster/errors.h"
#include "preprocess/audio/av_handles.h"
#include "preprocess/features/av_check.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace musictag::preprocess {
namespace {

void check_options(const std::vector<const float*>& planes, const Mp3EncoderOptions& options) {
  if (options.channels != 1 && options.channels != 2) {
    throw ConfigError("mp3 encoder: channels must be in {1,2}, got " + std::to_string(options.channels));
  }
  if (static_cast<int>(planes.size()) != options.channels) {
    throw ConfigError("mp3 encoder: got " + std::to_string(planes.size()) + " sample planes for " +
                      std::to_string(options.channels) + " channels");
  }
  if (options.bit_rate <= 8000 || options.bit_rate > 320000) {
    throw ConfigError("mp3 encoder: bit_rate must be in (8000,320000], got " + std::to_string(options.bit_rate));
  }
  if (options.compression_level < 0 || options.compression_level > 9) {
    throw ConfigError("mp3 encoder: compression_level must be in [0,9], got " +
                      std::to_string(options.compression_level));
  }
}

// Sends `frame` (nullptr = flush) and writes every packet the encoder returns.
void encode_and_write(AVCodecContext* codec, AVFrame* frame, AVFormatContext* muxer, AVStream* stream, AVPacket* packet,
                      const std::string& path) {
  AV_CHECK_CTX(avcodec_send_frame(codec, frame), "encoding " + path);
  while (true) {
    const int ret = avcodec_receive_packet(codec, packet);
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    AV_CHECK_CTX(ret, "encoding " + path);
    av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
    packet->stream_index = stream->index;
    AV_CHECK_CTX(av_interleaved_write_frame(muxer, packet), "writing " + path);  // takes the packet's data
  }
}

}  // namespace

void write_mp3_file(const std::string& path, const std::vector<const float*>& planes, size_t frames,
                    const Mp3EncoderOptions& options) {
  check_options(planes, options);
  const AVCodec* encoder = avcodec_find_encoder_by_name("libmp3lame");
  if (encoder == nullptr) {
    throw DataError("mp3 encoder: this FFmpeg has no libmp3lame encoder (build it with --enable-libmp3lame)");
  }

  CodecContextPtr codec = make_codec_context(encoder);
  codec->sample_fmt = AV_SAMPLE_FMT_FLTP;
  codec->sample_rate = options.sample_rate;
  av_channel_layout_default(&codec->ch_layout, options.channels);
  codec->bit_rate = options.bit_rate;
  codec->compression_level = options.compression_level;
  codec->time_base = AVRational{1, options.sample_rate};
  if (options.bitexact) codec->flags |= AV_CODEC_FLAG_BITEXACT;

  OutputFormatPtr muxer = open_output_file(path, "mp3");
  if (muxer->oformat->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AV_CHECK_CTX(avcodec_open2(codec.get(), encoder, nullptr), "opening libmp3lame for " + path);

  AVStream* stream = avformat_new_stream(muxer.get(), nullptr);
  if (stream == nullptr) AV_CHECK_CTX(AVERROR(ENOMEM), "adding a stream to " + path);
  AV_CHECK(avcodec_parameters_from_context(stream->codecpar, codec.get()));
  stream->time_base = codec->time_base;
  if (options.bitexact) {
    muxer->flags |= AVFMT_FLAG_BITEXACT;
    av_dict_set(&muxer->metadata, "encoder", nullptr, 0);
  }
  for (const auto& [key, value] : options.tags) {
    AV_CHECK(av_dict_set(&muxer->metadata, key.c_str(), value.c_str(), 0));
  }
  AV_CHECK_CTX(avformat_write_header(muxer.get(), nullptr), "writing the header of " + path);

  FramePtr frame = make_frame();
  PacketPtr packet = make_packet();
  const size_t frame_size = codec->frame_size > 0 ? static_cast<size_t>(codec->frame_size) : 1152;
  for (size_t start = 0; start < frames; start += frame_size) {
    const size_t count = std::min(frame_size, frames - start);  // libmp3lame accepts a short last frame
    av_frame_unref(frame.get());
    frame->format = codec->sample_fmt;
    frame->sample_rate = codec->sample_rate;
    frame->nb_samples = static_cast<int>(count);
    AV_CHECK(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout));
    AV_CHECK(av_frame_get_buffer(frame.get(), 0));
    for (int c = 0; c < options.channels; ++c) {
      std::memcpy(frame->extended_data[c], planes[c] + start, count * sizeof(float));
    }
    frame->pts = static_cast<int64_t>(start);
    encode_and_write(codec.get(), frame.get(), muxer.get(), stream, packet.get(), path);
  }
  encode_and_write(codec.get(), nullptr, muxer.get(), stream, packet.get(), path);
  AV_CHECK_CTX(av_write_trailer(muxer.get()), "writing the trailer of " + path);
  close_output_file(muxer, path);
}

}  // namespace musictag::preprocess
