// Config section `model`: the CRNN's shape and widths as read from YAML, and the CrnnOptions built from them.
#pragma once

#include <cstdint>
#include <vector>

#include "cluster/config_reader.h"
#include "train/crnn.h"
#include "train/crnn_shape.h"

namespace musictag::train {

// Keys of section `model` (defaults are Choi et al.'s CRNN):
//   n_mels: 96             [1,4096]    mel bins of the input; must equal the dataset's features.n_mels
//   n_frames: 1366         [1,1e7]     frames per training example (29.12 s at 12 kHz, hop 256)
//   conv_channels: [64, 128, 128, 128]   [1,4096]  output channels per conv block; the paper's size variants
//                                      scale these and gru_hidden (train/README.md lists the counts)
//   pool_sizes: ["2x2", "3x3", "4x4", "4x4"]  max-pool window per block as "<freq>x<time>", one per conv
//                                      block; also accepted as one string "2x2,3x3,4x4,4x4". They must leave
//                                      >= 1 frequency bin and >= 1 time step; frequency bins left over (e.g.
//                                      n_mels 48 under 2x2 pools: 3) are folded into the GRU's input features
//   gru_hidden: 32         [1,4096]    units per GRU layer
//   gru_layers: 2          [1,16]      stacked GRU layers
//   conv_dropout: 0.1      [0,1)       dropout after each conv block
//   gru_dropout: 0.3       [0,1)       dropout on the last GRU output
//   n_tags: 0              [0,1e6]     output tags; 0 = the number of tags in the dataset's manifest
struct ModelConfig {
  int64_t n_mels = 96;
  int64_t n_frames = 1366;
  std::vector<int64_t> conv_channels = {64, 128, 128, 128};
  std::vector<PoolSize> pool_sizes = default_pool_sizes();
  int64_t gru_hidden = 32;
  int64_t gru_layers = 2;
  double conv_dropout = 0.1;
  double gru_dropout = 0.3;
  int64_t n_tags = 0;

  // Reads and validates section `model`; errors name the key (ConfigError).
  static ModelConfig from(cluster::ConfigSection& section);

  // Options for a dataset whose manifest lists `dataset_tags` tags (0 = not known yet): n_tags 0 takes the
  // dataset's count; an explicit n_tags must agree with it. ConfigError when neither gives a count or they differ.
  CrnnOptions options(int64_t dataset_tags = 0) const;
};

}  // namespace musictag::train
