// RAII owners for FFmpeg handles (std::unique_ptr with deleters) and factories that throw instead of returning null.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/tx.h>
#include <libswresample/swresample.h>
}

namespace musictag::preprocess {

// A demuxer opened with avformat_open_input; closed with avformat_close_input.
struct InputFormatDeleter {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;

// A muxer from avformat_alloc_output_context2; its AVIOContext (if opened) is closed too. Errors while closing are
// ignored here; call close_output_file() on the success path to have them reported.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* context) const {
    if (context->pb != nullptr && context->oformat != nullptr && !(context->oformat->flags & AVFMT_NOFILE)) {
      avio_closep(&context->pb);
    }
    avformat_free_context(context);
  }
};
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

struct SwrContextDeleter {
  void operator()(SwrContext* context) const { swr_free(&context); }
};
using SwrContextPtr = std::unique_ptr<SwrContext, SwrContextDeleter>;

struct FilterGraphDeleter {
  void operator()(AVFilterGraph* graph) const { avfilter_graph_free(&graph); }
};
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;

struct TxContextDeleter {
  void operator()(AVTXContext* context) const { av_tx_uninit(&context); }
};
using TxContextPtr = std::unique_ptr<AVTXContext, TxContextDeleter>;

// Factories: each throws DataError (through AV_CHECK) instead of returning null.
FramePtr make_frame();
PacketPtr make_packet();
CodecContextPtr make_codec_context(const AVCodec* codec);
FilterGraphPtr make_filter_graph();

// An FFT (or other av_tx transform) of `length` points; `transform` receives the function to call. Pass
// AV_TX_UNALIGNED in `flags` for buffers not aligned for SIMD (std::vector).
TxContextPtr make_tx(enum AVTXType type, int inverse, int length, double scale, uint64_t flags, av_tx_fn* transform);

// Opens `path` for demuxing and reads its stream info.
InputFormatPtr open_input_file(const std::string& path);

// A muxer for `path` (format guessed from the name unless `format_name` is given) with its file opened for writing.
OutputFormatPtr open_output_file(const std::string& path, const char* format_name = nullptr);

// Closes the output's AVIOContext, reporting a failed flush (e.g. disk full) as DataError.
void close_output_file(OutputFormatPtr& output, const std::string& path);

}  // namespace musictag::preprocess
