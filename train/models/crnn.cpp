// The convolutional-recurrent music tagger of Choi, Fazekas, Sandler & Cho (2016) as a libtorch module.
#include "train/models/crnn.h"

#include <torch/nn/init.h>

#include <sstream>
#include <string>
#include <tuple>

#include "cluster/errors.h"
#include "train/models/crnn_config.h"

namespace musictag::train {
namespace {

// Concatenates its arguments as an ostream prints them. (Kept free of fmt: torch/include ships its own fmt
// headers, so fmt next to libtorch depends on the include order that cmake/Dependencies.cmake arranges.)
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

void require(bool ok, const std::string& option, const std::string& message) {
  if (!ok) throw ConfigError(cat("CrnnOptions::", option, ": ", message));
}

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t d = 0; d < t.dim(); ++d) text += (d ? ", " : "") + std::to_string(t.size(d));
  return text + "]";
}

}  // namespace

int64_t CrnnOptions::gru_input_size() const { return conv_channels_.empty() ? 0 : conv_channels_.back() * freq_out(); }

void CrnnOptions::validate() const {
  require(n_tags_ >= 1, "n_tags", cat("expected an integer in [1,inf), got ", n_tags_));
  require(n_mels_ >= 1, "n_mels", cat("expected an integer in [1,inf), got ", n_mels_));
  require(n_frames_ >= 1, "n_frames", cat("expected an integer in [1,inf), got ", n_frames_));
  require(!conv_channels_.empty(), "conv_channels", "expected at least one conv block, got none");
  for (const int64_t c : conv_channels_)
    require(c >= 1, "conv_channels", cat("expected channel counts in [1,inf), got ", c));
  require(pool_sizes_.size() == conv_channels_.size(), "pool_sizes",
          cat("expected one pool per conv block (", conv_channels_.size(), "), got ", pool_sizes_.size()));
  for (const auto& pool : pool_sizes_)
    require(pool.freq >= 1 && pool.time >= 1, "pool_sizes",
            cat("expected windows of at least 1x1, got ", format_pool_size(pool)));
  require(freq_out() >= 1, "pool_sizes",
          cat("pools ", format_pool_sizes(pool_sizes_), " leave no frequency bin of n_mels = ", n_mels_));
  require(time_out() >= 1, "pool_sizes",
          cat("pools ", format_pool_sizes(pool_sizes_), " leave no time step of n_frames = ", n_frames_));
  require(gru_hidden_ >= 1, "gru_hidden", cat("expected an integer in [1,inf), got ", gru_hidden_));
  require(gru_layers_ >= 1, "gru_layers", cat("expected an integer in [1,inf), got ", gru_layers_));
  require(conv_dropout_ >= 0 && conv_dropout_ < 1, "conv_dropout",
          cat("expected a number in [0,1), got ", conv_dropout_));
  require(gru_dropout_ >= 0 && gru_dropout_ < 1, "gru_dropout", cat("expected a number in [0,1), got ", gru_dropout_));
}

CrnnImpl::CrnnImpl(const CrnnOptions& options_) : options(options_) { reset(); }

void CrnnImpl::reset() {
  options.validate();
  convs.clear();
  bns.clear();
  // Registration order = forward order (the gradient bucketing relies on it).
  input_bn = register_module("input_bn", torch::nn::BatchNorm1d(options.n_mels()));
  int64_t in_channels = 1;
  for (size_t i = 0; i < options.conv_channels().size(); ++i) {
    const int64_t out_channels = options.conv_channels()[i];
    const std::string suffix = std::to_string(i + 1);
    auto conv = register_module("conv" + suffix,
                                torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 3).padding(1)));
    // He-normal (std = sqrt(2 / fan_in)) with zero bias, as Choi's Keras code initialises its convolutions.
    torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanIn, torch::kReLU);
    torch::nn::init::zeros_(conv->bias);
    convs.push_back(conv);
    bns.push_back(register_module("bn" + suffix, torch::nn::BatchNorm2d(out_channels)));
    in_channels = out_channels;
  }
  if (options.sequence_norm())
    sequence_bn = register_module("sequence_bn", torch::nn::BatchNorm1d(options.gru_input_size()));
  gru = register_module("gru", torch::nn::GRU(torch::nn::GRUOptions(options.gru_input_size(), options.gru_hidden())
                                                  .num_layers(options.gru_layers())
                                                  .batch_first(true)));
  output = register_module("output", torch::nn::Linear(options.gru_hidden(), options.n_tags()));
}

torch::Tensor CrnnImpl::forward(const torch::Tensor& input) {
  torch::Tensor x = input;
  if (x.dim() == 4 && x.size(1) == 1) x = x.squeeze(1);
  if (x.dim() != 3 || x.size(1) != options.n_mels() || pooled_time(x.size(2), options.pool_sizes()) < 1)
    throw DataError(cat("Crnn: expected input [batch, ", options.n_mels(), " mels, frames] (or [batch, 1, ",
                        options.n_mels(), ", frames]) with frames >= the product of the time pools, got ",
                        shape_text(input)));

  const bool train = is_training();
  // [B, 1, F, T], each mel bin normalised over batch and time
  x = trace("input_bn", normalize(input_bn, x)).unsqueeze(1);
  if (channels_last_) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  for (size_t i = 0; i < convs.size(); ++i) {
    const PoolSize& pool = options.pool_sizes()[i];
    x = torch::elu(normalize(bns[i], convs[i]->forward(x)));
    x = trace("conv" + std::to_string(i + 1) + "+bn" + std::to_string(i + 1),
              torch::max_pool2d(x, {pool.freq, pool.time}));
    x = torch::dropout(x, options.conv_dropout(), train);
  }
  // [B, C, F', T'] -> [B, T', C * F']: the time axis becomes the GRU's sequence; channels vary slowest.
  x = x.permute({0, 3, 1, 2}).flatten(2);
  if (sequence_bn) x = trace("sequence_bn", normalize(sequence_bn, x.transpose(1, 2)).transpose(1, 2));
  torch::Tensor sequence = trace("gru", std::get<0>(gru->forward(x)));  // [B, T', H]
  torch::Tensor last = torch::dropout(sequence.select(1, sequence.size(1) - 1), options.gru_dropout(), train);
  return trace("output", output->forward(last));
}

void CrnnImpl::use_channels_last() {
  torch::NoGradGuard no_grad;
  for (auto& conv : convs) conv->weight.set_data(conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
  channels_last_ = true;
}

nlohmann::json CrnnImpl::options_json() const { return crnn_options_to_json(options); }

void CrnnImpl::pretty_print(std::ostream& stream) const {
  std::string channels;
  for (const int64_t c : options.conv_channels()) channels += (channels.empty() ? "" : ",") + std::to_string(c);
  stream << "musictag::train::Crnn(n_mels=" << options.n_mels() << ", n_frames=" << options.n_frames()
         << ", conv_channels=" << channels << ", pool_sizes=" << format_pool_sizes(options.pool_sizes())
         << ", gru=" << options.gru_layers() << "x" << options.gru_hidden() << ", n_tags=" << options.n_tags()
         << ", dropout=" << options.conv_dropout() << "/" << options.gru_dropout()
         << (options.sequence_norm() ? ", sequence_norm" : "") << ")";
}

}  // namespace musictag::train
