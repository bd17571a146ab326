// Config section `model`: the CRNN's shape and widths as read from YAML, and the CrnnOptions built from them.
#include "train/crnn_config.h"

#include <sstream>
#include <string>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

// Concatenates its arguments as an ostream prints them (kept free of fmt next to libtorch; see crnn.cpp).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Each item may itself hold several comma-separated pools, so ["2x2", "3x3"] and "2x2,3x3" read the same.
std::vector<PoolSize> parse_pools(cluster::ConfigSection& section, const std::vector<std::string>& items) {
  std::vector<PoolSize> pools;
  for (const auto& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      const auto comma = item.find(',', start);
      const std::string part = trimmed(item.substr(start, comma == std::string::npos ? comma : comma - start));
      PoolSize pool;
      if (!parse_pool_size(part, pool))
        section.fail("pool_sizes",
                     cat("expected pools as \"<freq>x<time>\" with both >= 1 (e.g. \"4x4\"), got '", part, "'"));
      pools.push_back(pool);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return pools;
}

int64_t product_of(const std::vector<PoolSize>& pools, bool freq) {
  int64_t product = 1;
  for (const auto& pool : pools) product *= freq ? pool.freq : pool.time;
  return product;
}

std::vector<std::string> pool_texts(const std::vector<PoolSize>& pools) {
  std::vector<std::string> texts;
  for (const auto& pool : pools) texts.push_back(format_pool_size(pool));
  return texts;
}

}  // namespace

ModelConfig ModelConfig::from(cluster::ConfigSection& s) {
  ModelConfig c;
  c.n_mels = s.integer("n_mels", c.n_mels, "[1,4096]", "Mel bins of the input; must equal the dataset's");
  c.n_frames = s.integer("n_frames", c.n_frames, "[1,10000000]", "Frames per training example (time axis)");
  c.conv_channels = s.integers("conv_channels", c.conv_channels, "[1,4096]",
                               "Output channels of each conv block (3x3 conv, BN, ELU, max-pool, dropout)");
  const auto pool_items = s.texts("pool_sizes", pool_texts(c.pool_sizes),
                                  "Max-pool window per conv block as \"<freq>x<time>\" (list, or one string "
                                  "\"2x2,3x3,4x4,4x4\"); leftover frequency bins are folded into the GRU input");
  c.pool_sizes = parse_pools(s, pool_items);
  c.gru_hidden = s.integer("gru_hidden", c.gru_hidden, "[1,4096]", "Units per GRU layer");
  c.gru_layers = s.integer("gru_layers", c.gru_layers, "[1,16]", "Stacked GRU layers");
  c.conv_dropout = s.real("conv_dropout", c.conv_dropout, "[0,1)", "Dropout after each conv block");
  c.gru_dropout = s.real("gru_dropout", c.gru_dropout, "[0,1)", "Dropout on the last GRU output");
  c.n_tags = s.integer("n_tags", c.n_tags, "[0,1000000]", "Output tags; 0 = as many as the dataset's manifest lists");

  if (c.conv_channels.empty()) s.fail("conv_channels", "expected at least one conv block, got an empty list");
  if (c.pool_sizes.size() != c.conv_channels.size())
    s.fail("pool_sizes", cat("expected one pool per conv block (", c.conv_channels.size(), " in conv_channels), got ",
                             c.pool_sizes.size(), " (", format_pool_sizes(c.pool_sizes), ")"));
  if (pooled_freq(c.n_mels, c.pool_sizes) < 1)
    s.fail("pool_sizes", cat("pools ", format_pool_sizes(c.pool_sizes), " leave no frequency bin of n_mels = ", c.n_mels,
                             " (their frequency windows multiply to ", product_of(c.pool_sizes, true),
                             "; they must not exceed n_mels)"));
  if (pooled_time(c.n_frames, c.pool_sizes) < 1)
    s.fail("pool_sizes", cat("pools ", format_pool_sizes(c.pool_sizes), " leave no time step of n_frames = ", c.n_frames,
                             " (their time windows multiply to ", product_of(c.pool_sizes, false),
                             "; they must not exceed n_frames)"));
  return c;
}

CrnnOptions ModelConfig::options(int64_t dataset_tags) const {
  int64_t tags = n_tags;
  if (n_tags == 0 && dataset_tags <= 0)
    throw ConfigError("model.n_tags is 0 (take it from the dataset) but no dataset tag count was given; set "
                      "model.n_tags explicitly or build the model from the dataset's manifest");
  if (n_tags == 0) tags = dataset_tags;
  if (n_tags > 0 && dataset_tags > 0 && n_tags != dataset_tags)
    throw ConfigError(cat("model.n_tags = ", n_tags, " but the dataset's manifest lists ", dataset_tags,
                          " tags; set model.n_tags to 0 to take the dataset's count"));
  return CrnnOptions(tags)
      .n_mels(n_mels)
      .n_frames(n_frames)
      .conv_channels(conv_channels)
      .pool_sizes(pool_sizes)
      .gru_hidden(gru_hidden)
      .gru_layers(gru_layers)
      .conv_dropout(conv_dropout)
      .gru_dropout(gru_dropout);
}

}  // namespace musictag::train
