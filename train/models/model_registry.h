// The model kinds musictag trains, keyed by config `model.kind`; adding one is a file pair and a line in the .cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "cluster/config_reader.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// One model kind: its name, a line about it, how section `model` declares its keys, and how it is built.
struct ModelKind {
  std::string name;         // config `model.kind`, e.g. "crnn"
  std::string description;  // one line for --help and error messages
  // Reads every key of section `model` but `kind` (n_tags, n_mels, n_frames and the kind's own, each declared once
  // with its default, range and doc) into the options JSON; n_tags may be 0 (= the dataset's count). Throws
  // ConfigError naming the key.
  std::function<nlohmann::json(cluster::ConfigSection& section)> read_config;
  // The module for complete options (read_config's with n_tags resolved, or a checkpoint's). Throws ConfigError
  // naming an invalid option, DataError on a malformed one.
  std::function<TaggingModel(const nlohmann::json& options)> build;
  // The shortest input (frames; samples for waveform input) the model built from `options` accepts, e.g. the
  // product of the CRNN's time pools; the config check of train.input_frames uses it.
  std::function<int64_t(const nlohmann::json& options)> min_frames;
  // What forward() takes. Log-mel kinds may also sit on the device log-mel frontend (model.frontend: logmel,
  // frontend_model.h), which makes their input a waveform.
  ModelInput input = ModelInput::logmel;
};

// Every kind, in the order --help lists them; the first is the default of `model.kind`.
const std::vector<ModelKind>& model_kinds();
std::vector<std::string> model_kind_names();
// The kind called `name`; ConfigError listing the known kinds otherwise.
const ModelKind& find_model_kind(const std::string& name);
// find_model_kind(kind).build(options), behind the device log-mel frontend when the options ask for it
// (uses_device_frontend(), frontend_model.h).
TaggingModel make_model(const std::string& kind, const nlohmann::json& options);

}  // namespace musictag::train
