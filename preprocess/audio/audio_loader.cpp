// AudioLoader: any file FFmpeg reads → mono float samples at the target rate; rubberband variants of them.
#include "preprocess/audio/audio_loader.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "cluster/log.h"
#include "preprocess/audio/audio_filter_graph.h"
#include "preprocess/audio/audio_stream.h"
#include "preprocess/features/av_check.h"

namespace musictag::preprocess {
AudioLoader::AudioLoader(int sample_rate, double min_seconds, double max_seconds)
    : sample_rate_(sample_rate), min_seconds_(min_seconds), max_seconds_(max_seconds) {}

DecodedAudio AudioLoader::load(const std::string& path) const {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) throw AudioError("missing", path + ": no such file");
  if (std::filesystem::file_size(path, error) == 0) throw AudioError("empty", path + ": the file is empty (0 bytes)");

  OpenedStream stream = as_stage("open", [&] { return open_audio_stream(path); });
  DecodedAudio audio;
  audio.sample_rate = sample_rate_;
  audio.source_rate = stream.codec->sample_rate;
  audio.source_channels = stream.codec->ch_layout.nb_channels;
  if (stream.format->duration > 0) audio.source_seconds = static_cast<double>(stream.format->duration) / AV_TIME_BASE;
  AudioFormat input{stream.codec->sample_rate, stream.codec->sample_fmt, stream.codec->ch_layout};
  AudioFilterGraph graph(input, mono_resample_filter(audio.source_channels, sample_rate_), path);

  const int64_t max_input_samples =
      max_seconds_ > 0.0 ? static_cast<int64_t>(std::ceil(max_seconds_ * audio.source_rate)) : INT64_MAX;
  int64_t input_samples = 0;
  PacketPtr packet = make_packet();
  FramePtr frame = make_frame();
  const auto receive_frames = [&] {
    for (;;) {
      const int status = avcodec_receive_frame(stream.codec.get(), frame.get());
      if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
      if (status == AVERROR_INVALIDDATA) {
        ++audio.corrupt_packets;
        continue;
      }
      AV_CHECK_CTX(status, "decoding " + path);
      frame->pts = input_samples;  // a clean timeline for the filters, whatever the container said
      input_samples += frame->nb_samples;
      graph.push(frame.get(), audio.samples);
    }
  };
  as_stage("decode", [&] {
    while (input_samples < max_input_samples && av_read_frame(stream.format.get(), packet.get()) >= 0) {
      if (packet->stream_index == stream.stream_index) {
        const int sent = avcodec_send_packet(stream.codec.get(), packet.get());
        if (sent == AVERROR_INVALIDDATA) {
          ++audio.corrupt_packets;
        } else {
          AV_CHECK_CTX(sent, "decoding " + path);
        }
        receive_frames();
      }
      av_packet_unref(packet.get());
    }
    avcodec_send_packet(stream.codec.get(), nullptr);  // flush the decoder
    receive_frames();
    graph.push(nullptr, audio.samples);  // flush the filters
    return 0;
  });
  if (max_input_samples != INT64_MAX) {
    const auto keep = static_cast<size_t>(std::llround(max_seconds_ * sample_rate_));
    if (audio.samples.size() > keep) audio.samples.resize(keep);
  }

  if (audio.samples.empty())
    throw AudioError("decode",
                     fmt::format("{}: no audio could be decoded ({} damaged packets)", path, audio.corrupt_packets));
  if (audio.seconds() < min_seconds_)
    throw AudioError("too_short", fmt::format("{}: {:.2f} s of audio, at least {:.2f} s required "
                                              "(preprocess.min_seconds)",
                                              path, audio.seconds(), min_seconds_));
  float peak = 0.0f;
  for (float x : audio.samples) peak = std::max(peak, std::fabs(x));
  if (!(peak >= kSilencePeak))
    throw AudioError(
        "silent", fmt::format("{}: silent (peak {:.3g}, below -100 dBFS) over {:.2f} s", path, peak, audio.seconds()));
  // Kept, but damaged or truncated: worth a line in the log (failures.tsv only lists tracks that were dropped).
  const bool whole_file = max_input_samples == INT64_MAX;
  if (audio.corrupt_packets > 0 || (whole_file && audio.seconds() < 0.9 * audio.source_seconds))
    log::warn("{}: decoded {:.2f} s of the {:.2f} s the file states, skipping {} damaged packets", path,
              audio.seconds(), audio.source_seconds, audio.corrupt_packets);
  return audio;
}

std::vector<float> apply_variant(const std::vector<float>& mono, int sample_rate, const AudioVariant& variant,
                                 const std::string& source) {
  if (variant.is_original()) return mono;
  return as_stage("augment", [&] {
    // transients=mixed: the default (crisp) resets phases on spurious "transients" of steady tones, which at 12 kHz
    // spreads a stretched 440 Hz sine over 430-450 Hz (60-95% of its power within 10 Hz, depending on the exact
    // input); mixed keeps percussive onsets crisp above the fundamentals' range, leaves tones clean (> 99.9%), and
    // costs the same (measured, ffmpeg 5.1 / rubberband 3.1).
    const std::string filter = fmt::format("rubberband=tempo={:.17g}:pitch={:.17g}:transients=mixed",
                                           variant.time_stretch, std::pow(2.0, variant.pitch_shift / 12.0));
    AudioFilterGraph graph(AudioFormat{sample_rate}, filter, source);
    std::vector<float> out;
    out.reserve(static_cast<size_t>(static_cast<double>(mono.size()) / variant.time_stretch) + 4096);
    // libavfilter's rubberband keeps its last ~50 ms (its latency) at the end of the stream: feed that much
    // silence after the signal, then cut the output to the stretched length.
    constexpr size_t kTailPadding = 8192;
    std::vector<float> input(mono);
    input.resize(mono.size() + kTailPadding, 0.0f);
    constexpr int kChunk = 4096;
    FramePtr frame = make_frame();
    for (size_t start = 0; start < input.size(); start += kChunk) {
      const int n = static_cast<int>(std::min<size_t>(kChunk, input.size() - start));
      frame->nb_samples = n;
      frame->format = AV_SAMPLE_FMT_FLT;
      frame->sample_rate = sample_rate;
      frame->pts = static_cast<int64_t>(start);
      const AVChannelLayout mono_layout = AV_CHANNEL_LAYOUT_MONO;
      AV_CHECK(av_channel_layout_copy(&frame->ch_layout, &mono_layout));
      AV_CHECK_CTX(av_frame_get_buffer(frame.get(), 0), source);
      std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(start), n, reinterpret_cast<float*>(frame->data[0]));
      graph.push(frame.get(), out);
      av_frame_unref(frame.get());
    }
    graph.push(nullptr, out);
    const auto stretched = static_cast<size_t>(std::llround(static_cast<double>(mono.size()) / variant.time_stretch));
    if (out.size() > stretched) out.resize(stretched);
    return out;
  });
}

}  // namespace musictag::preprocess
