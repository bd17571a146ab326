// The Choi CRNN as a registered model kind: its keys of section `model`, its options as JSON, its constructor.
#include "train/models/crnn_config.h"

#include <sstream>
#include <string>
#include <vector>

#include "cluster/errors.h"
#include "train/models/model_keys.h"

namespace musictag::train {
namespace {

// Concatenates its arguments as an ostream prints them (kept free of fmt next to libtorch; see crnn.cpp).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

}  // namespace

CrnnOptions read_crnn_config(cluster::ConfigSection& s) {
  const CrnnOptions d(0);  // the defaults: Choi et al.'s CRNN
  const nlohmann::json input = read_input_keys(s, d.n_mels(), d.n_frames());
  CrnnOptions c(input.at("n_tags").get<int64_t>());
  c.n_mels(input.at("n_mels").get<int64_t>()).n_frames(input.at("n_frames").get<int64_t>());
  c.conv_channels(s.integers("conv_channels", d.conv_channels(), "[1,4096]",
                             "Output channels of each conv block (3x3 conv, BN, ELU, max-pool, dropout)"));
  if (c.conv_channels().empty()) s.fail("conv_channels", "expected at least one conv block, got an empty list");
  c.pool_sizes(read_pool_sizes(s, d.pool_sizes(), c.conv_channels().size(),
                               "Max-pool window per conv block as \"<freq>x<time>\" (list, or one string "
                               "\"2x2,3x3,4x4,4x4\"); leftover frequency bins are folded into the GRU input"));
  c.gru_hidden(s.integer("gru_hidden", d.gru_hidden(), "[1,4096]", "Units per GRU layer"));
  c.gru_layers(s.integer("gru_layers", d.gru_layers(), "[1,16]", "Stacked GRU layers"));
  c.conv_dropout(s.real("conv_dropout", d.conv_dropout(), "[0,1)", "Dropout after each conv block"));
  c.gru_dropout(s.real("gru_dropout", d.gru_dropout(), "[0,1)", "Dropout on the last GRU output"));
  c.sequence_norm(s.boolean("sequence_norm", d.sequence_norm(),
                            "BatchNorm1d on the GRU's input features (off in Choi's CRNN; keeps the GRU's gates "
                            "from saturating early, see train/README.md)"));

  check_pools_leave_a_step(s, c.pool_sizes(), c.n_mels(), c.n_frames());
  return c;
}

nlohmann::json crnn_options_to_json(const CrnnOptions& o) {
  return nlohmann::json{{"n_tags", o.n_tags()},
                        {"n_mels", o.n_mels()},
                        {"n_frames", o.n_frames()},
                        {"conv_channels", o.conv_channels()},
                        {"pool_sizes", pool_size_texts(o.pool_sizes())},
                        {"gru_hidden", o.gru_hidden()},
                        {"gru_layers", o.gru_layers()},
                        {"conv_dropout", o.conv_dropout()},
                        {"gru_dropout", o.gru_dropout()},
                        {"sequence_norm", o.sequence_norm()}};
}

CrnnOptions crnn_options_from_json(const nlohmann::json& j) {
  try {
    const auto pools = pool_sizes_from_texts(j.at("pool_sizes").get<std::vector<std::string>>());
    CrnnOptions o(j.at("n_tags").get<int64_t>());
    o.n_mels(j.at("n_mels").get<int64_t>())
        .n_frames(j.at("n_frames").get<int64_t>())
        .conv_channels(j.at("conv_channels").get<std::vector<int64_t>>())
        .pool_sizes(pools)
        .gru_hidden(j.at("gru_hidden").get<int64_t>())
        .gru_layers(j.at("gru_layers").get<int64_t>())
        .conv_dropout(j.at("conv_dropout").get<double>())
        .gru_dropout(j.at("gru_dropout").get<double>())
        .sequence_norm(j.value("sequence_norm", false));  // absent in checkpoints written before the option
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
      [](const nlohmann::json& options) { return pool_product(crnn_options_from_json(options).pool_sizes(), false); },
  };
}

}  // namespace musictag::train
