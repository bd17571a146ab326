// Won et al. 2020's Harmonic CNN: harmonic filterbank, BatchNorm, seven conv/residual-pool blocks, max, dense head.
#include "train/models/harmonic_cnn.h"

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {
namespace {

// Block i (0-based) of the seven: conv (i = 0, 4) or residual-pool; its pool; its output channels (c = channels).
constexpr PoolSize kPools[7] = {{2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 3}, {2, 3}};
bool is_conv_block(size_t i) { return i == 0 || i == 4; }
int64_t block_channels(size_t i, int64_t c) { return i < 4 ? c : 2 * c; }

int64_t frames_of(int64_t n_samples, int64_t hop_length) { return 1 + n_samples / hop_length; }

}  // namespace

HarmonicStftOptions harmonic_stft_options(const nlohmann::json& o) {
  HarmonicStftOptions h;
  h.sample_rate = option_of<int64_t>(o, "harmonic_cnn", "sample_rate");
  h.n_fft = option_of<int64_t>(o, "harmonic_cnn", "n_fft");
  h.hop_length = option_of<int64_t>(o, "harmonic_cnn", "hop_length");
  h.n_harmonics = option_of<int64_t>(o, "harmonic_cnn", "n_harmonics");
  h.semitone_scale = option_of<int64_t>(o, "harmonic_cnn", "semitone_scale");
  h.lowest_midi = option_of<int64_t>(o, "harmonic_cnn", "lowest_midi");
  h.bandwidth_q = option_of<double>(o, "harmonic_cnn", "bandwidth_q");
  h.learn_q = option_of<bool>(o, "harmonic_cnn", "learn_q");
  return h;
}

HarmonicCnnImpl::HarmonicCnnImpl(nlohmann::json options) : JsonOptionsModelImpl(std::move(options)) {
  const auto channels = option_of<int64_t>(options_, "harmonic_cnn", "channels");
  const auto dropout = option_of<double>(options_, "harmonic_cnn", "dropout");
  const HarmonicStftOptions stft = harmonic_stft_options(options_);
  if (n_tags() < 1 || channels < 1 || harmonic_fundamentals(stft) < 128)
    throw ConfigError(
        "harmonic_cnn: expected n_tags >= 1, channels >= 1 and >= 128 fundamentals (seven halvings), "
        "got " +
        options_.dump());
  hstft_ = register_module("hstft", HarmonicStft(stft));
  hstft_bn_ = register_module("hstft_bn", torch::nn::BatchNorm2d(stft.n_harmonics));
  int64_t in = stft.n_harmonics;
  for (size_t i = 0; i < 7; ++i) {
    const std::string layer = "layer" + std::to_string(i + 1);
    const int64_t out = block_channels(i, channels);
    if (is_conv_block(i))
      conv_layers_.push_back(register_module(layer, ConvBlock2d(in, out, kPools[i])));
    else
      res_layers_.push_back(register_module(layer, ResPoolBlock2d(out, kPools[i])));
    in = out;
  }
  head_.register_on(*this, in, n_tags(), dropout);
}

int64_t HarmonicCnnImpl::n_frames() const { return frames_of(n_samples(), hstft_->options().hop_length); }

torch::Tensor HarmonicCnnImpl::forward(const torch::Tensor& input) {
  const bool training = is_training();
  const int64_t hop = hstft_->options().hop_length;
  if (input.dim() >= 2 && input.size(-1) < 287 * hop)
    throw DataError("harmonic_cnn: " + std::to_string(input.size(-1)) +
                    " samples make fewer than the 288 frames "
                    "the blocks' time pools need; give at least " +
                    std::to_string(287 * hop) + " samples");
  torch::Tensor x = trace("hstft", hstft_->forward(input));
  x = trace("hstft_bn", batch_norm_forward(hstft_bn_, x, batch_norm_override, training));
  if (channels_last_) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  size_t conv = 0, res = 0;
  for (size_t i = 0; i < 7; ++i) {
    const std::string layer = "layer" + std::to_string(i + 1);
    x = trace(layer, is_conv_block(i) ? conv_layers_[conv++]->forward(x, batch_norm_override)
                                      : res_layers_[res++]->forward(x, batch_norm_override));
  }
  x = trace("max", x.amax({2, 3}));  // over the bins and steps left (1 x 1 at 80,000 samples)
  return trace("dense1+bn+dense2", head_.forward(x, batch_norm_override, training));
}

void HarmonicCnnImpl::use_channels_last() {
  torch::NoGradGuard no_grad;
  auto nhwc = [](torch::nn::Conv2d& conv) {
    conv->weight.set_data(conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
  };
  for (auto& layer : conv_layers_) nhwc(layer->conv);
  for (auto& layer : res_layers_) {
    nhwc(layer->conv_1);
    nhwc(layer->conv_2);
  }
  channels_last_ = true;
}

ModelKind harmonic_cnn_model_kind() {
  return ModelKind{
      "harmonic_cnn",
      "Won et al. 2020's Harmonic CNN: learnable harmonic filterbank (6 x 128) + 7 conv blocks on 5 s of waveform",
      [](cluster::ConfigSection& s) {
        nlohmann::json o = read_waveform_input_keys(s, 80000, 16000);
        o["n_fft"] = s.integer("n_fft", 512, "[16,65536]", "STFT size (periodic Hann, centred, reflect padding)");
        o["hop_length"] = s.integer("hop_length", 256, "[1,65536]", "Samples between STFT frames");
        o["n_harmonics"] = s.integer("n_harmonics", 6, "[1,64]", "Harmonics per fundamental (input channels)");
        o["semitone_scale"] = s.integer("semitone_scale", 2, "[1,16]", "Fundamentals per semitone");
        o["lowest_midi"] = s.integer("lowest_midi", 24, "[0,127]", "MIDI note of the lowest fundamental (24 = C1)");
        o["bandwidth_q"] = s.real("bandwidth_q", 1.0, "(0,inf)", "Initial Q: bandwidth = (0.1079 f + 24.7) / Q");
        o["learn_q"] = s.boolean("learn_q", true, "Train Q (one parameter); false keeps it fixed");
        o["channels"] = s.integer("channels", 128, "[1,4096]", "Channels of blocks 1-4 (blocks 5-7 have twice)");
        o["dropout"] = s.real("dropout", 0.5, "[0,1)", "Dropout in the head, before the output layer");
        if (o.at("n_fft").get<int64_t>() % 2 != 0) s.fail("n_fft", "must be even");
        const int64_t fundamentals = harmonic_fundamentals(harmonic_stft_options(o));
        if (fundamentals < 128)
          s.fail("n_harmonics", "the fundamentals up to sample_rate / (2 * n_harmonics) number " +
                                    std::to_string(fundamentals) +
                                    "; the seven blocks halve the frequency axis and need at least 128 (lower "
                                    "n_harmonics or lowest_midi, or raise semitone_scale)");
        check_min_samples(s, o.at("n_samples").get<int64_t>(), 287 * o.at("hop_length").get<int64_t>(),
                          "the blocks' time pools multiply to 288 frames");
        return o;
      },
      [](const nlohmann::json& options) -> TaggingModel { return std::make_shared<HarmonicCnnImpl>(options); },
      [](const nlohmann::json& options) -> int64_t { return 287 * options.at("hop_length").get<int64_t>(); },
      ModelInput::waveform,
  };
}

}  // namespace musictag::train
