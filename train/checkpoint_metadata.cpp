// What a checkpoint records besides tensors: training progress, config, features, tags, model options (JSON).
#include "train/checkpoint_metadata.h"

#include "cluster/errors.h"
#include "train/crnn_shape.h"

namespace musictag::train {
namespace {

using nlohmann::json;

json options_to_json(const CrnnOptions& o) {
  std::vector<std::string> pools;
  for (const auto& pool : o.pool_sizes()) pools.push_back(format_pool_size(pool));
  return json{{"n_tags", o.n_tags()},         {"n_mels", o.n_mels()},
              {"n_frames", o.n_frames()},     {"conv_channels", o.conv_channels()},
              {"pool_sizes", pools},          {"gru_hidden", o.gru_hidden()},
              {"gru_layers", o.gru_layers()}, {"conv_dropout", o.conv_dropout()},
              {"gru_dropout", o.gru_dropout()}};
}

CrnnOptions options_from_json(const json& j) {
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
}

json progress_to_json(const TrainingProgress& p) {
  return json{{"step", p.step},
              {"epoch", p.epoch},
              {"batch_in_epoch", p.batch_in_epoch},
              {"world_size", p.world_size},
              {"best_auc", p.best_auc ? json(*p.best_auc) : json(nullptr)},
              {"best_epoch", p.best_epoch},
              {"epochs_without_improvement", p.epochs_without_improvement}};
}

TrainingProgress progress_from_json(const json& j) {
  TrainingProgress p;
  p.step = j.at("step").get<int64_t>();
  p.epoch = j.at("epoch").get<int64_t>();
  p.batch_in_epoch = j.at("batch_in_epoch").get<int64_t>();
  p.world_size = j.at("world_size").get<int64_t>();
  if (!j.at("best_auc").is_null()) p.best_auc = j.at("best_auc").get<double>();
  p.best_epoch = j.at("best_epoch").get<int64_t>();
  p.epochs_without_improvement = j.at("epochs_without_improvement").get<int64_t>();
  return p;
}

}  // namespace

bool TrainingProgress::operator==(const TrainingProgress& o) const {
  return step == o.step && epoch == o.epoch && batch_in_epoch == o.batch_in_epoch && world_size == o.world_size &&
         best_auc == o.best_auc && best_epoch == o.best_epoch &&
         epochs_without_improvement == o.epochs_without_improvement;
}

json metadata_to_json(const CheckpointInfo& info, const CrnnOptions& model_options) {
  return json{{"format", "musictag-checkpoint"},
              {"format_version", kCheckpointFormatVersion},
              {"progress", progress_to_json(info.progress)},
              {"config_yaml", info.config_yaml},
              {"features_json", info.features_json},
              {"dataset_config_yaml", info.dataset_config_yaml},
              {"tag_names", info.tag_names},
              {"rng_counters", info.rng_counters},
              {"model_options", options_to_json(model_options)}};
}

CheckpointMetadata metadata_from_json(const std::string& text, const std::string& source) {
  CheckpointMetadata meta;
  try {
    const json j = json::parse(text);
    if (j.at("format").get<std::string>() != "musictag-checkpoint")
      throw DataError("not a musictag checkpoint (format '" + j.at("format").get<std::string>() + "')");
    meta.format_version = j.at("format_version").get<int64_t>();
    if (meta.format_version != kCheckpointFormatVersion)
      throw DataError("checkpoint format version " + std::to_string(meta.format_version) + ", this build reads " +
                      std::to_string(kCheckpointFormatVersion));
    meta.info.progress = progress_from_json(j.at("progress"));
    meta.info.config_yaml = j.at("config_yaml").get<std::string>();
    meta.info.features_json = j.at("features_json").get<std::string>();
    meta.info.dataset_config_yaml = j.value("dataset_config_yaml", std::string());  // absent before 2026-11-24
    meta.info.tag_names = j.at("tag_names").get<std::vector<std::string>>();
    meta.info.rng_counters = j.at("rng_counters").get<std::map<std::string, int64_t>>();
    meta.model_options = options_from_json(j.at("model_options"));
    meta.model_options.validate();
  } catch (const json::exception& error) {
    throw DataError(source + ": checkpoint metadata (meta.json) is malformed: " + error.what());
  } catch (const Error& error) {  // DataError above, ConfigError from validate()
    throw DataError(source + ": " + error.what());
  }
  const auto tags = static_cast<int64_t>(meta.info.tag_names.size());
  if (tags != 0 && tags != meta.model_options.n_tags())
    throw DataError(source + ": checkpoint lists " + std::to_string(tags) + " tag names for a model with " +
                    std::to_string(meta.model_options.n_tags()) + " outputs");
  return meta;
}

}  // namespace musictag::train
