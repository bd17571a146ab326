// CentreWindowLoader: only the samples around a track's centre, decoded after a seek, equal to a full decode's.
#include "preprocess/audio/centre_window.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include "cluster/log.h"
#include "preprocess/audio/audio_filter_graph.h"
#include "preprocess/audio/audio_stream.h"
#include "preprocess/audio/packet_index.h"
#include "preprocess/features/av_check.h"

namespace musictag::preprocess {
namespace {

// Packets decoded and dropped before the first kept one: mp3's bit reservoir reaches back up to 511 bytes (7 frames
// at 8 kbit/s), then the overlap-add and the synthesis filterbank need one frame more each.
constexpr int64_t kPrerollPackets = 16;
// Source audio fed to the resampler before the window and after it: soxr's filter (swr's default quality) is far
// shorter, so the window's samples see the same input as in a full decode.
constexpr double kResampleMarginSeconds = 0.25;
// Source samples between the resampler's start and the window are a multiple of this many grid steps (a step is
// source_rate / gcd(source_rate, sample_rate) samples), keeping soxr's internal stages in phase with a full decode.
constexpr int64_t kAlignSteps = 64;
// Rubberband's start-up and end (its latency is ~50 ms; its first hop is a ramp) kept out of every variant segment.
constexpr double kVariantMarginSeconds = 1.0;
constexpr int64_t kSlack = 1;  // samples beyond the span on each side, for the rounding of centre starts

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

int64_t centre_start(int64_t track, int64_t length) { return track > length ? (track - length) / 2 : 0; }

// `samples[from, from + length)`, zero-padded past the end (centre_crop_or_pad's slice).
std::vector<float> slice(const std::vector<float>& samples, int64_t from, int64_t length) {
  std::vector<float> out(static_cast<size_t>(length), 0.0f);
  const int64_t end = std::min<int64_t>(from + length, static_cast<int64_t>(samples.size()));
  if (end > from) std::copy(samples.begin() + from, samples.begin() + end, out.begin());
  return out;
}

// The last nb_samples - offset samples of `frame`, as a new frame of the same format.
FramePtr tail_of(const AVFrame& frame, int offset) {
  FramePtr out = make_frame();
  out->format = frame.format;
  out->sample_rate = frame.sample_rate;
  out->nb_samples = frame.nb_samples - offset;
  AV_CHECK(av_channel_layout_copy(&out->ch_layout, &frame.ch_layout));
  AV_CHECK(av_frame_get_buffer(out.get(), 0));
  AV_CHECK(av_samples_copy(out->extended_data, frame.extended_data, 0, offset, out->nb_samples,
                           frame.ch_layout.nb_channels, static_cast<AVSampleFormat>(frame.format)));
  return out;
}

}  // namespace

CentreWindow CentreWindowLoader::load(const std::string& path, int64_t span) const {
  std::optional<CentreWindow> window;
  try {
    window = load_seeking(path, span);
  } catch (const DataError& e) {  // AudioError included: the full decode reports the file in its own words
    log::debug("{}: decoding the whole file: {}", path, e.what());
  }
  if (window) return std::move(*window);
  CentreWindow whole;
  whole.audio = loader_.load(path);
  whole.track_samples = static_cast<int64_t>(whole.audio.samples.size());
  return whole;
}

std::optional<CentreWindow> CentreWindowLoader::load_seeking(const std::string& path, int64_t span) const {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return std::nullopt;
  OpenedStream stream = open_audio_stream(path);
  const int rate = loader_.sample_rate();
  const int source_rate = stream.codec->sample_rate;
  const double margin_seconds = kResampleMarginSeconds + 1.0;  // and a second for the pre-roll and the alignment
  // A container that states a short duration is decoded whole without indexing (a wrong statement costs nothing
  // but time: a long file is then decoded whole, a short one indexed and then decoded whole).
  if (stream.format->duration > 0 && static_cast<double>(stream.format->duration) / AV_TIME_BASE <
                                         static_cast<double>(span) / rate + 2 * margin_seconds)
    return std::nullopt;
  const PacketIndex index = index_packets(stream);
  if (!index.exact) {
    log::debug("{}: decoding the whole file: {}", path, index.why_not);
    return std::nullopt;
  }

  // The track as load() would give it: round(N * rate / source_rate) samples (soxr's count), or max_seconds' cut.
  const int64_t total = index.total_samples;
  int64_t track = (2 * total * rate + source_rate) / (2 * static_cast<int64_t>(source_rate));
  int64_t decodable = total;  // source samples before the point where load() flushes the resampler
  if (loader_.max_seconds() > 0.0) {
    const auto max_input = static_cast<int64_t>(std::ceil(loader_.max_seconds() * source_rate));
    if (total >= max_input) {
      track = std::min<int64_t>(track, std::llround(loader_.max_seconds() * rate));
      decodable = max_input;
    }
  }
  if (static_cast<double>(track) / rate < loader_.min_seconds()) return std::nullopt;  // too_short: load() says so
  const int64_t first = (track - span) / 2 - kSlack;  // the window, in samples at `rate`
  const int64_t last = first + span + 2 * kSlack;
  if (first < 0 || last > track) return std::nullopt;

  // Source samples: decode from p0 (grid-aligned) to `stop`; output sample i of the graph is track sample j0 + i.
  const int64_t gcd = std::gcd(static_cast<int64_t>(source_rate), static_cast<int64_t>(rate));
  const int64_t step = source_rate / gcd;
  const auto margin = static_cast<int64_t>(std::ceil(kResampleMarginSeconds * source_rate));
  const int64_t p0 = floor_div(floor_div(first * source_rate, rate) - margin, step * kAlignSteps) * step * kAlignSteps;
  const int64_t j0 = p0 / step * (rate / gcd);
  const int64_t stop = ceil_div(last * source_rate, rate) + margin;
  if (stop > decodable) return std::nullopt;
  const auto& starts = index.first_sample;
  const auto holding_p0 = std::upper_bound(starts.begin(), starts.end(), p0) - starts.begin() - 1;
  const int64_t k = holding_p0 - kPrerollPackets;
  if (p0 < 0 || k < 1 || starts[static_cast<size_t>(k)] < 0) return std::nullopt;

  AV_CHECK_CTX(av_seek_frame(stream.format.get(), stream.stream_index, index.byte_position[static_cast<size_t>(k)],
                             AVSEEK_FLAG_BYTE),
               "seeking in " + path);
  avcodec_flush_buffers(stream.codec.get());
  const AudioFormat input{source_rate, stream.codec->sample_fmt, stream.codec->ch_layout};
  AudioFilterGraph graph(input, mono_resample_filter(stream.codec->ch_layout.nb_channels, rate), path);

  std::vector<float> out;
  out.reserve(static_cast<size_t>(last - j0 + 4096));
  int64_t next = p0;  // the source sample the graph needs next
  int64_t fed = 0;    // samples fed to the graph (their pts)
  bool gap = false;   // a frame missing after p0: the window would not be load()'s
  PacketPtr packet = make_packet();
  FramePtr frame = make_frame();
  const int64_t n_packets = static_cast<int64_t>(starts.size());
  const auto receive_frames = [&] {
    for (;;) {
      const int status = avcodec_receive_frame(stream.codec.get(), frame.get());
      if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
      if (status == AVERROR_INVALIDDATA) continue;  // a pre-roll frame; a kept one shows as a gap below
      AV_CHECK_CTX(status, "decoding " + path);
      const int64_t packet_index = frame->pts;
      if (packet_index < k || packet_index >= n_packets) {
        gap = true;
        return;
      }
      const int64_t begin = starts[static_cast<size_t>(packet_index)];
      const int64_t end = begin + frame->nb_samples;
      if (end <= next) {
        av_frame_unref(frame.get());
        continue;
      }
      if (begin > next || (begin < next && next > p0) ||
          (packet_index + 1 < n_packets && end != starts[static_cast<size_t>(packet_index) + 1])) {
        gap = true;
        return;
      }
      FramePtr kept = begin < next ? tail_of(*frame, static_cast<int>(next - begin)) : nullptr;
      AVFrame* push = kept ? kept.get() : frame.get();
      push->pts = fed;
      fed += push->nb_samples;
      next = end;
      graph.push(push, out);
      av_frame_unref(frame.get());
    }
  };
  int64_t expected = k;  // the packet index the demuxer must return next
  while (next < stop && !gap && av_read_frame(stream.format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream.stream_index) {
      if (expected >= n_packets || packet->pos != index.byte_position[static_cast<size_t>(expected)]) {
        gap = true;
      } else {
        packet->pts = packet->dts = expected;  // frame->pts names its packet
        av_packet_free_side_data(packet.get());
        const int sent = avcodec_send_packet(stream.codec.get(), packet.get());
        if (sent != AVERROR_INVALIDDATA) AV_CHECK_CTX(sent, "decoding " + path);
        receive_frames();
        ++expected;
      }
    }
    av_packet_unref(packet.get());
  }
  if (gap || next < stop) {
    log::debug("{}: decoding the whole file: the seek did not give the packets indexed", path);
    return std::nullopt;
  }
  graph.push(nullptr, out);
  if (static_cast<int64_t>(out.size()) < last - j0) return std::nullopt;

  CentreWindow window;
  window.audio.samples.assign(out.begin() + (first - j0), out.begin() + (last - j0));
  float peak = 0.0f;
  for (float x : window.audio.samples) peak = std::max(peak, std::fabs(x));
  if (!(peak >= kSilencePeak)) return std::nullopt;  // the full decode decides whether the track is silent
  window.audio.sample_rate = rate;
  window.audio.source_rate = source_rate;
  window.audio.source_channels = stream.codec->ch_layout.nb_channels;
  if (stream.format->duration > 0)
    window.audio.source_seconds = static_cast<double>(stream.format->duration) / AV_TIME_BASE;
  window.audio.length = track;  // the file's, like the other fields of audio
  window.start = first;
  window.track_samples = track;
  window.seeked = true;
  return window;
}

int64_t centre_span(int64_t length, const std::vector<AudioVariant>& variants, int sample_rate) {
  double stretch = 1.0;
  bool augmented = false;
  for (const auto& v : variants) {
    stretch = std::max(stretch, v.time_stretch);
    augmented = augmented || !v.is_original();
  }
  if (!augmented) return length;
  return static_cast<int64_t>(std::ceil(static_cast<double>(length) * stretch)) +
         2 * static_cast<int64_t>(std::ceil(kVariantMarginSeconds * sample_rate * stretch));
}

std::vector<float> centre_segment(const CentreWindow& window, const AudioVariant& variant, int64_t length,
                                  const std::string& source) {
  if (length < 1) throw std::invalid_argument("segment length must be >= 1 sample, got " + std::to_string(length));
  const std::vector<float>& samples = window.audio.samples;
  if (!window.seeked) {
    if (variant.is_original()) return slice(samples, centre_start(window.track_samples, length), length);
    const std::vector<float> stretched = apply_variant(samples, window.audio.sample_rate, variant, source);
    return slice(stretched, centre_start(static_cast<int64_t>(stretched.size()), length), length);
  }
  int64_t from = centre_start(window.track_samples, length) - window.start;
  std::vector<float> stretched;
  if (!variant.is_original()) {
    stretched = apply_variant(samples, window.audio.sample_rate, variant, source);
    const int64_t track = std::llround(static_cast<double>(window.track_samples) / variant.time_stretch);
    from = centre_start(track, length) - std::llround(static_cast<double>(window.start) / variant.time_stretch);
  }
  const std::vector<float>& cut = variant.is_original() ? samples : stretched;
  if (from < 0 || from + length > static_cast<int64_t>(cut.size()))
    throw std::logic_error(
        fmt::format("{}: the centre window [{}, +{}) does not hold the segment at {} (variant {}); "
                    "centre_span() gives the span to load",
                    source, window.start, samples.size(), from + window.start, variant.index));
  return slice(cut, from, length);
}

}  // namespace musictag::preprocess
