// Helpers the model kinds share to declare their `model.*` keys: input shape, pool sizes, and their checks.
#include "train/models/model_keys.h"

#include <sstream>

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

}  // namespace

nlohmann::json read_input_keys(cluster::ConfigSection& s, int64_t default_n_mels, int64_t default_n_frames) {
  return nlohmann::json{
      {"n_tags", s.integer("n_tags", 0, "[0,1000000]", "Output tags; 0 = as many as the dataset's manifest lists")},
      {"n_mels", s.integer("n_mels", default_n_mels, "[1,4096]", "Mel bins of the input; must equal the dataset's")},
      {"n_frames", s.integer("n_frames", default_n_frames, "[1,10000000]", "Frames per training example (time axis)")}};
}

nlohmann::json read_waveform_input_keys(cluster::ConfigSection& s, int64_t default_n_samples,
                                        int64_t default_sample_rate) {
  return nlohmann::json{
      {"n_tags", s.integer("n_tags", 0, "[0,1000000]", "Output tags; 0 = as many as the dataset's manifest lists")},
      {"n_samples", s.integer("n_samples", default_n_samples, "[1,100000000]",
                              "Waveform samples per training example (the model reads [batch, n_samples])")},
      {"sample_rate", s.integer("sample_rate", default_sample_rate, "[1000,192000]",
                                "Sample rate in Hz of the waveforms; must equal the dataset's")}};
}

void check_min_samples(cluster::ConfigSection& s, int64_t n_samples, int64_t min_samples, const char* why) {
  if (n_samples < min_samples)
    s.fail("n_samples", cat("expected at least ", min_samples, " samples (", why, "), got ", n_samples));
}

std::vector<PoolSize> read_pool_sizes(cluster::ConfigSection& section, const std::vector<PoolSize>& fallback,
                                      size_t n_blocks, const std::string& doc) {
  // Each item may itself hold several comma-separated pools, so ["2x2", "3x3"] and "2x2,3x3" read the same.
  const auto items = section.texts("pool_sizes", pool_size_texts(fallback), doc);
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
  if (pools.size() != n_blocks)
    section.fail("pool_sizes", cat("expected one pool per conv block (", n_blocks, " in conv_channels), got ",
                                   pools.size(), " (", format_pool_sizes(pools), ")"));
  return pools;
}

void check_pools_leave_a_step(cluster::ConfigSection& s, const std::vector<PoolSize>& pools, int64_t n_mels,
                              int64_t n_frames) {
  if (pooled_freq(n_mels, pools) < 1)
    s.fail("pool_sizes",
           cat("pools ", format_pool_sizes(pools), " leave no frequency bin of n_mels = ", n_mels,
               " (their frequency windows multiply to ", pool_product(pools, true), "; they must not exceed n_mels)"));
  if (pooled_time(n_frames, pools) < 1)
    s.fail("pool_sizes",
           cat("pools ", format_pool_sizes(pools), " leave no time step of n_frames = ", n_frames,
               " (their time windows multiply to ", pool_product(pools, false), "; they must not exceed n_frames)"));
}

std::vector<std::string> pool_size_texts(const std::vector<PoolSize>& pools) {
  std::vector<std::string> texts;
  for (const auto& pool : pools) texts.push_back(format_pool_size(pool));
  return texts;
}

std::vector<PoolSize> pool_sizes_from_texts(const std::vector<std::string>& texts) {
  std::vector<PoolSize> pools;
  for (const auto& text : texts) {
    PoolSize pool;
    if (!parse_pool_size(text, pool)) throw DataError("model.pool_sizes: '" + text + "' is not \"<freq>x<time>\"");
    pools.push_back(pool);
  }
  return pools;
}

int64_t pool_product(const std::vector<PoolSize>& pools, bool freq) {
  int64_t product = 1;
  for (const auto& pool : pools) product *= freq ? pool.freq : pool.time;
  return product;
}

void throw_malformed_option(const char* kind, const char* key, const std::string& reason) {
  throw DataError(cat(kind, " model option '", key, "' is missing or malformed: ", reason));
}

}  // namespace musictag::train
