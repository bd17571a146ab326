// The Choi CRNN as a registered model kind: its keys of section `model`, its options as JSON, its constructor.
#pragma once

#include <nlohmann/json.hpp>

#include "cluster/config_reader.h"
#include "train/models/crnn.h"
#include "train/models/model_registry.h"

namespace musictag::train {

// Registry entry "crnn" (the default kind).
ModelKind crnn_model_kind();

// Reads the CRNN's keys of section `model`: n_tags, n_mels, n_frames, conv_channels, pool_sizes, gru_hidden,
// gru_layers, conv_dropout, gru_dropout. Defaults are CrnnOptions' (Choi et al.'s model); n_tags defaults to 0
// (= the dataset's count). Rules that span keys (one pool per block, pools that leave no bin) fail naming the key.
CrnnOptions read_crnn_config(cluster::ConfigSection& section);

// The options as checkpoints store them (pool sizes as "FxT" strings) and back. from_json throws DataError on a
// missing or malformed field; it does not validate (the CrnnImpl constructor does).
nlohmann::json crnn_options_to_json(const CrnnOptions& options);
CrnnOptions crnn_options_from_json(const nlohmann::json& options);

}  // namespace musictag::train
