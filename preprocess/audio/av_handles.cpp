// Factories for the RAII FFmpeg handles: allocation failures and open errors become DataError.
#include "preprocess/audio/av_handles.h"

#include "preprocess/features/av_check.h"

namespace musictag::preprocess {

FramePtr make_frame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) AV_CHECK(AVERROR(ENOMEM));
  return frame;
}

PacketPtr make_packet() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) AV_CHECK(AVERROR(ENOMEM));
  return packet;
}

CodecContextPtr make_codec_context(const AVCodec* codec) {
  CodecContextPtr context(avcodec_alloc_context3(codec));
  if (!context) AV_CHECK(AVERROR(ENOMEM));
  return context;
}

FilterGraphPtr make_filter_graph() {
  FilterGraphPtr graph(avfilter_graph_alloc());
  if (!graph) AV_CHECK(AVERROR(ENOMEM));
  return graph;
}

TxContextPtr make_tx(enum AVTXType type, int inverse, int length, double scale, uint64_t flags, av_tx_fn* transform) {
  AVTXContext* raw = nullptr;
  // float transforms take a float scale, double transforms a double one.
  const float scale_f = static_cast<float>(scale);
  const bool is_double = type == AV_TX_DOUBLE_FFT || type == AV_TX_DOUBLE_MDCT || type == AV_TX_DOUBLE_RDFT;
  const void* scale_ptr = is_double ? static_cast<const void*>(&scale) : static_cast<const void*>(&scale_f);
  AV_CHECK(av_tx_init(&raw, transform, type, inverse, length, scale_ptr, flags));
  return TxContextPtr(raw);
}

InputFormatPtr open_input_file(const std::string& path) {
  AVFormatContext* raw = nullptr;
  // On failure avformat_open_input frees the context itself, so there is nothing to own yet.
  AV_CHECK_CTX(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "opening " + path);
  InputFormatPtr input(raw);
  AV_CHECK_CTX(avformat_find_stream_info(input.get(), nullptr), "reading stream info of " + path);
  return input;
}

OutputFormatPtr open_output_file(const std::string& path, const char* format_name) {
  AVFormatContext* raw = nullptr;
  AV_CHECK_CTX(avformat_alloc_output_context2(&raw, nullptr, format_name, path.c_str()), "creating muxer for " + path);
  OutputFormatPtr output(raw);
  if (!(output->oformat->flags & AVFMT_NOFILE)) {
    AV_CHECK_CTX(avio_open(&output->pb, path.c_str(), AVIO_FLAG_WRITE), "opening " + path + " for writing");
  }
  return output;
}

void close_output_file(OutputFormatPtr& output, const std::string& path) {
  if (output && output->pb != nullptr && !(output->oformat->flags & AVFMT_NOFILE)) {
    AV_CHECK_CTX(avio_closep(&output->pb), "closing " + path);
  }
}

}  // namespace musictag::preprocess
