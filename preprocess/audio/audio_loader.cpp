// AudioLoader: any file FFmpeg reads → mono float samples at the target rate; rubberband variants of them.
#include "preprocess/audio/audio_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cluster/log.h"
#include "preprocess/audio/audio_filter_graph.h"
#include "preprocess/audio/audio_stream.h"
#include "preprocess/audio/variant_stream.h"
#include "preprocess/features/av_check.h"

namespace musictag::preprocess {
AudioLoader::AudioLoader(int sample_rate, double min_seconds, double max_seconds)
    : sample_rate_(sample_rate), min_seconds_(min_seconds), max_seconds_(max_seconds) {}

DecodedAudio AudioLoader::load(const std::string& path) const {
  std::vector<float> samples;
  DecodedAudio audio = stream(path, [&](const float* x, size_t n) { samples.insert(samples.end(), x, x + n); });
  audio.samples = std::move(samples);
  return audio;
}

DecodedAudio AudioLoader::stream(const std::string& path, const SampleSink& sink) const {
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
  // With max_seconds, the output is cut to round(max_seconds * rate) samples (the resampler gives a few more).
  const int64_t keep = max_seconds_ > 0.0 ? std::llround(max_seconds_ * sample_rate_) : INT64_MAX;
  float peak = 0.0f;
  std::vector<float> filtered;  // the graph's output of one push, reused
  const auto forward = [&] {
    const auto n =
        static_cast<size_t>(std::clamp<int64_t>(keep - audio.length, 0, static_cast<int64_t>(filtered.size())));
    for (size_t i = 0; i < n; ++i) peak = std::max(peak, std::fabs(filtered[i]));
    if (n > 0) sink(filtered.data(), n);
    audio.length += static_cast<int64_t>(n);
    filtered.clear();
  };
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
      graph.push(frame.get(), filtered);
      forward();
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
    graph.push(nullptr, filtered);  // flush the filters
    forward();
    return 0;
  });

  if (audio.length == 0)
    throw AudioError("decode",
                     fmt::format("{}: no audio could be decoded ({} damaged packets)", path, audio.corrupt_packets));
  if (audio.seconds() < min_seconds_)
    throw AudioError("too_short", fmt::format("{}: {:.2f} s of audio, at least {:.2f} s required "
                                              "(preprocess.min_seconds)",
                                              path, audio.seconds(), min_seconds_));
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
  VariantStream stream(sample_rate, variant, source);  // first: it refuses what rubberband cannot do
  std::vector<float> out;
  out.reserve(static_cast<size_t>(static_cast<double>(mono.size()) / variant.time_stretch) + 4096);
  const SampleSink append = [&](const float* x, size_t n) { out.insert(out.end(), x, x + n); };
  stream.push(mono.data(), mono.size(), append);
  stream.finish(append);
  return out;
}

}  // namespace musictag::preprocess
