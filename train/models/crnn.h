// The convolutional-recurrent music tagger of Choi, Fazekas, Sandler & Cho (2016) as a libtorch module.
#pragma once

#include <torch/arg.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "train/models/crnn_shape.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// Shape and widths of a Crnn. The defaults are Choi et al.'s CRNN (their Keras code's 64/128/128/128 channels,
// two GRUs of 32); only n_tags has none. Checked by the Crnn constructor (ConfigError naming the option).
struct CrnnOptions {
  explicit CrnnOptions(int64_t n_tags) : n_tags_(n_tags) {}

  // Output logits per example, one per tag; >= 1.
  TORCH_ARG(int64_t, n_tags);
  // Mel bins of the input (its frequency axis); >= 1.
  TORCH_ARG(int64_t, n_mels) = 96;
  // Frames of the training input (its time axis); the pools must leave >= 1 step of it. forward() also accepts
  // other lengths (e.g. whole tracks in predict) as long as they leave >= 1 step.
  TORCH_ARG(int64_t, n_frames) = 1366;
  // Output channels of each conv block (3x3 'same' conv -> BatchNorm2d -> ELU -> max-pool -> dropout).
  TORCH_ARG(std::vector<int64_t>, conv_channels) = std::vector<int64_t>{64, 128, 128, 128};
  // Max-pool window (= stride) of each conv block; as many as conv_channels. With the defaults, 96 mel bins
  // pool to exactly 1. When bins remain (e.g. 48 mels under 2x2 pools leave 3), they are folded into the
  // features the GRU reads at each time step: GRU input = last channels x remaining bins.
  TORCH_ARG(std::vector<PoolSize>, pool_sizes) = default_pool_sizes();
  // Units of each GRU layer and number of stacked layers (no dropout between them, as Choi's code).
  TORCH_ARG(int64_t, gru_hidden) = 32;
  TORCH_ARG(int64_t, gru_layers) = 2;
  // Dropout after each conv block, and on the last GRU output before the linear layer; in [0, 1).
  TORCH_ARG(double, conv_dropout) = 0.1;
  TORCH_ARG(double, gru_dropout) = 0.3;
  // BatchNorm1d over the per-step features the GRU reads (normalised over batch and time) before the GRU. Off in
  // Choi's CRNN. After ELU and max-pool those features are all positive (mean ~1.7 on the demo), so the GRU's gate
  // pre-activations carry a large common term that Adam's early noise-driven updates grow until the gates
  // saturate and every example gets the same output: the plateau at the prior's loss of some seeds
  // (train/README.md, "The demo's recipe"). Centring the GRU input removes that term.
  TORCH_ARG(bool, sequence_norm) = false;

 public:  // (TORCH_ARG leaves the section private)
  // Derived shape: frequency bins and time steps left after the pools for an input of n_mels x n_frames, and
  // the per-step feature size the first GRU layer reads.
  int64_t freq_out() const { return pooled_freq(n_mels_, pool_sizes_); }
  int64_t time_out() const { return pooled_time(n_frames_, pool_sizes_); }
  int64_t gru_input_size() const;

  // Throws ConfigError naming the first option out of range.
  void validate() const;
};

// Input [B, n_mels, T] (or [B, 1, n_mels, T]) log-mel -> logits [B, n_tags] (sigmoid belongs to the loss and to
// inference). Layers, registered in forward order (gradient buckets later walk them in reverse):
//   input_bn            BatchNorm1d(n_mels): normalises each mel bin over batch and time
//   conv<i>, bn<i>      Conv2d 3x3 padding 1, BatchNorm2d, then ELU, MaxPool2d(pool_sizes[i]), Dropout
//   sequence_bn         BatchNorm1d(gru_input_size) over [B, C*F', T'], only with sequence_norm
//   gru                 GRU(gru_input_size -> gru_hidden, gru_layers, batch_first), reading [B, T', C*F']
//   output              Linear(gru_hidden -> n_tags) on the last time step, after Dropout(gru_dropout)
// Names (and hence state_dict keys) equal those of the PyTorch twin in scripts/dev/make_crnn_fixture.py, so
// parameters and checkpoints move between the two by name.
//
// Parameter count, default options with 50 tags (Choi's Keras code reports 396,786):
//   parameter_count() = trainable parameters, PyTorch's definition = 394,290:
//     input_bn 192, conv1 640 + bn1 128, conv2 73,856 + bn2 256, conv3 147,584 + bn3 256,
//     conv4 147,584 + bn4 256, gru layer 0 15,552 + layer 1 6,336, output 1,650.
//   BatchNorm running means/variances are buffers, not parameters (another 1,088 values).
//   The Keras 1 figure differs for two reasons, and 396,786 = 394,290 - 192 + (2,880 - 192) exactly:
//   - a Keras 1 GRU has one bias per gate (3 x units), PyTorch's has b_ih and b_hh (6 x units): -192 over the
//     two layers of 32;
//   - Choi's input BatchNormalization(axis=3) acts on the (1, 96, 1440) zero-padded Theano-ordered input, i.e.
//     over the 1440 time frames (despite its name "bn_0_freq"); it has 2 x 1440 = 2,880 gamma/beta against our
//     2 x 96 = 192 for the mel bins. (That Keras summary counted only gamma and beta for BatchNorm.)
//   So this model has 0.63% fewer parameters than the original; tests/train/crnn_test.cpp checks both numbers.
class CrnnImpl : public TaggingModelImpl {
 public:
  explicit CrnnImpl(const CrnnOptions& options);

  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return "crnn"; }
  nlohmann::json options_json() const override;
  int64_t n_tags() const override { return options.n_tags(); }
  int64_t n_mels() const override { return options.n_mels(); }
  int64_t n_frames() const override { return options.n_frames(); }
  void use_channels_last() override;

  // (Re)creates and registers every layer; conv weights He-normal with zero bias (as Choi's code), the rest
  // libtorch's defaults. Called by the constructor.
  void reset();
  void pretty_print(std::ostream& stream) const override;

  CrnnOptions options;
  torch::nn::BatchNorm1d input_bn{nullptr};
  std::vector<torch::nn::Conv2d> convs;
  std::vector<torch::nn::BatchNorm2d> bns;
  torch::nn::BatchNorm1d sequence_bn{nullptr};  // only with options.sequence_norm
  torch::nn::GRU gru{nullptr};
  torch::nn::Linear output{nullptr};

  bool channels_last() const { return channels_last_; }

 private:
  bool channels_last_ = false;
};

TORCH_MODULE(Crnn);

}  // namespace musictag::train
