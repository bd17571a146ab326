// The Choi CRNN as a registered model kind: its keys of section `model`, its options as JSON, its constructor.
#include "train/models/crnn_config.h"

#include <sstream>
#include <string>
#include <vector>

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

CrnnOptions read_crnn_config(cluster::ConfigSection& s) {
  const CrnnOptions d(0);  // the defaults: Choi et al.'s CRNN
  CrnnOptions c(
      s.integer("n_tags", d.n_tags(), "[0,1000000]", "Output tags; 0 = as many as the dataset's manifest lists"));
  c.n_mels(s.integer("n_mels", d.n_mels(), "[1,4096]", "Mel bins of the input; must equal the dataset's"));
  c.n_frames(s.integer("n_frames", d.n_frames(), "[1,10000000]", "Frames per training example (time axis)"));
  c.conv_channels(s.integers("conv_channels", d.conv_channels(), "[1,4096]",
                             "Output channels of each conv block (3x3 conv, BN, ELU, max-pool, dropout)"));
  const auto pool_items = s.texts("pool_sizes", pool_texts(d.pool_sizes()),
                                  "Max-pool window per conv block as \"<freq>x<time>\" (list, or one string "
                                  "\"2x2,3x3,4x4,4x4\"); leftover frequency bins are folded into the GRU input");
  c.pool_sizes(parse_pools(s, pool_items));
  c.gru_hidden(s.integer("gru_hidden", d.gru_hidden(), "[1,4096]", "Units per GRU layer"));
  c.gru_layers(s.integer("gru_layers", d.gru_layers(), "[1,16]", "Stacked GRU layers"));
  c.conv_dropout(s.real("conv_dropout", d.conv_dropout(), "[0,1)", "Dropout after each conv block"));
  c.gru_dropout(s.real("gru_dropout", d.gru_dropout(), "[0,1)", "Dropout on the last GRU output"));

  const auto& pools = c.pool_sizes();
  if (c.conv_channels().empty()) s.fail("conv_channels", "expected at least one conv block, got an empty list");
  if (pools.size() != c.conv_channels().size())
    s.fail("pool_sizes", cat("expected one pool per conv block (", c.conv_channels().size(), " in conv_channels), got ",
                             pools.size(), " (", format_pool_sizes(pools), ")"));
  if (pooled_freq(c.n_mels(), pools) < 1)
    s.fail("pool_sizes",
           cat("pools ", format_pool_sizes(pools), " leave no frequency bin of n_mels = ", c.n_mels(),
               " (their frequency windows multiply to ", product_of(pools, true), "; they must not exceed n_mels)"));
  if (pooled_time(c.n_frames(), pools) < 1)
    s.fail("pool_sizes",
           cat("pools ", format_pool_sizes(pools), " leave no time step of n_frames = ", c.n_frames(),
               " (their time windows multiply to ", product_of(pools, false), "; they must not exceed n_frames)"));
  return c;
}

nlohmann::json crnn_options_to_json(const CrnnOptions& o) {
  return nlohmann::json{{"n_tags", o.n_tags()},
                        {"n_mels", o.n_mels()},
                        {"n_frames", o.n_frames()},
                        {"conv_channels", o.conv_channels()},
                        {"pool_sizes", pool_texts(o.pool_sizes())},
                        {"gru_hidden", o.gru_hidden()},
                        {"gru_layers", o.gru_layers()},
                        {"conv_dropout", o.conv_dropout()},
                        {"gru_dropout", o.gru_dropout()}};
}

CrnnOptions crnn_options_from_json(const nlohmann::json& j) {
  try {
    std::vector<PoolSize> pools;
    for (const auto& text : j.at("pool_sizes").get<std::vector<std::string>>()) {
      PoolSize pool;
      if (!parse_pool_size(text, pool)) throw DataError("model.pool_sizes: '" + text + "' is not \"<freq>x<time>\"");
      pools.push_back(pool);
    }
    CrnnOptions o(j.at("n_tags").get<int64_t>());
    o.n_mels(j.at("n_mels").get<int64_t>())
        .n_frames(j.at("n_frames").get<int64_t>())
        .conv_channels(j.at("conv_channels").get<std::vector<int64_t>>())
        .pool_sizes(pools)
        .gru_hidden(j.at("gru_hidden").get<int64_t>())
        .gru_layers(j.at("gru_layers").get<int64_t>())
        .conv_dropout(j.at("conv_dropout").get<double>())
        .gru_dropout(j.at("gru_dropout").get<double>());
    return o;
  } catch (const nlohmann::json::exception& error) {
    throw DataError(cat("crnn model options are malformed: ", error.what()));
  }
}

ModelKind crnn_model_kind() {
  return ModelKind{
      "crnn",
      "Choi, Fazekas, Sandler & Cho 2016: 4 conv blocks + 2-layer GRU on a 29 s log-mel",
      [](cluster::ConfigSection& section) { return crnn_options_to_json(read_crnn_config(section)); },
      [](const nlohmann::json& options) -> TaggingModel { return Crnn(crnn_options_from_json(options)).ptr(); },
      [](const nlohmann::json& options) { return product_of(crnn_options_from_json(options).pool_sizes(), false); },
  };
}

}  // namespace musictag::train
