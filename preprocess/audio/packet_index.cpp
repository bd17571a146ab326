// PacketIndex: where every packet of an audio stream starts, in the file and in the decoded samples (demux only).
#include "preprocess/audio/packet_index.h"

#include <fmt/format.h>

extern "C" {
#include <libavutil/intreadwrite.h>
}

namespace musictag::preprocess {

PacketIndex index_packets(OpenedStream& stream) {
  PacketIndex index;
  AVStream* st = stream.stream();
  for (unsigned i = 0; i < stream.format->nb_streams; ++i) {
    if (static_cast<int>(i) != stream.stream_index) stream.format->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVRational sample_base{1, stream.codec->sample_rate};
  const auto inexact = [&index](std::string why) {
    index.exact = false;
    index.why_not = std::move(why);
    return std::move(index);
  };
  PacketPtr packet = make_packet();
  int64_t samples = 0;  // sum of the packets' durations so far
  int64_t priming = 0;  // samples the decoder drops at the start
  int64_t trimmed = 0;  // samples it drops at the end
  while (av_read_frame(stream.format.get(), packet.get()) >= 0) {
    if (packet->stream_index != stream.stream_index) {
      av_packet_unref(packet.get());
      continue;
    }
    const size_t n = index.byte_position.size();
    const int64_t duration = av_rescale_q(packet->duration, st->time_base, sample_base);
    const bool whole = av_rescale_q(duration, sample_base, st->time_base) == packet->duration;
    size_t side_size = 0;
    const uint8_t* side = av_packet_get_side_data(packet.get(), AV_PKT_DATA_SKIP_SAMPLES, &side_size);
    const int64_t skip = side != nullptr && side_size >= 8 ? AV_RL32(side) : 0;
    const int64_t discard = side != nullptr && side_size >= 8 ? AV_RL32(side + 4) : 0;
    const int64_t position = packet->pos;
    // MPEG audio is parsed from a raw byte stream: junk between frames (a tag mid-file, files joined) becomes packets
    // without a frame header, which the decoder drops, so the samples after them come earlier than counted here.
    const bool mpeg_audio = stream.codec->codec_id == AV_CODEC_ID_MP3 || stream.codec->codec_id == AV_CODEC_ID_MP2 ||
                            stream.codec->codec_id == AV_CODEC_ID_MP1;
    const bool no_frame_header =
        mpeg_audio && (packet->size < 4 || packet->data[0] != 0xFF || (packet->data[1] & 0xE0) != 0xE0);
    const bool corrupt = (packet->flags & AV_PKT_FLAG_CORRUPT) != 0 || no_frame_header;
    av_packet_unref(packet.get());
    if (position < 0 || duration <= 0 || !whole)
      return inexact(fmt::format("packet {} has no position or duration", n));
    if (corrupt) return inexact(fmt::format("packet {} is corrupt (truncated, or no frame header)", n));
    if (skip > 0 && n > 0) return inexact(fmt::format("packet {} skips samples", n));
    if (trimmed > 0 && discard == 0) return inexact(fmt::format("packet {} follows the end padding", n));
    priming += skip;
    trimmed += discard;
    index.byte_position.push_back(position);
    index.first_sample.push_back(samples - priming);
    samples += duration;
  }
  index.total_samples = samples - priming - trimmed;
  if (index.byte_position.empty() || index.total_samples <= 0) return inexact("no packets");
  index.exact = true;
  return index;
}

}  // namespace musictag::preprocess
