// What a checkpoint records besides tensors: training progress, config, features, tags, model kind and options.
#include "train/checkpoint_metadata.h"

#include "cluster/errors.h"
#include "train/models/model_registry.h"

namespace musictag::train {
namespace {

using nlohmann::json;

json progress_to_json(const TrainingProgress& p) {
  return json{{"step", p.step},
              {"epoch", p.epoch},
              {"batch_in_epoch", p.batch_in_epoch},
              {"world_size", p.world_size},
              {"best_auc", p.best_auc ? json(*p.best_auc) : json(nullptr)},
              {"best_loss", p.best_loss ? json(*p.best_loss) : json(nullptr)},
              {"best_epoch", p.best_epoch},
              {"epochs_without_improvement", p.epochs_without_improvement},
              {"phase", p.phase}};
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
  // Added after the first checkpoints were written: absent means no loss recorded and the single phase.
  if (j.contains("best_loss") && !j.at("best_loss").is_null()) p.best_loss = j.at("best_loss").get<double>();
  if (j.contains("phase")) p.phase = j.at("phase").get<int64_t>();
  return p;
}

}  // namespace

bool TrainingProgress::operator==(const TrainingProgress& o) const {
  return step == o.step && epoch == o.epoch && batch_in_epoch == o.batch_in_epoch && world_size == o.world_size &&
         best_auc == o.best_auc && best_loss == o.best_loss && best_epoch == o.best_epoch &&
         epochs_without_improvement == o.epochs_without_improvement && phase == o.phase;
}

TaggingModel CheckpointMetadata::build_model() const { return make_model(model_kind, model_options); }

json metadata_to_json(const CheckpointInfo& info, const TaggingModelImpl& model) {
  return json{{"format", "musictag-checkpoint"},
              {"format_version", kCheckpointFormatVersion},
              {"progress", progress_to_json(info.progress)},
              {"config_yaml", info.config_yaml},
              {"features_json", info.features_json},
              {"dataset_config_yaml", info.dataset_config_yaml},
              {"tag_names", info.tag_names},
              {"rng_counters", info.rng_counters},
              {"model", json{{"kind", model.kind()}, {"options", model.options_json()}}}};
}

CheckpointMetadata metadata_from_json(const std::string& text, const std::string& source) {
  CheckpointMetadata meta;
  try {
    const json j = json::parse(text);
    if (j.at("format").get<std::string>() != "musictag-checkpoint")
      throw DataError("not a musictag checkpoint (format '" + j.at("format").get<std::string>() + "')");
    meta.format_version = j.at("format_version").get<int64_t>();
    if (meta.format_version < 1 || meta.format_version > kCheckpointFormatVersion)
      throw DataError("checkpoint format version " + std::to_string(meta.format_version) + ", this build reads 1 to " +
                      std::to_string(kCheckpointFormatVersion) + "; use the musictag version that wrote it");
    meta.info.progress = progress_from_json(j.at("progress"));
    meta.info.config_yaml = j.at("config_yaml").get<std::string>();
    meta.info.features_json = j.at("features_json").get<std::string>();
    meta.info.dataset_config_yaml = j.value("dataset_config_yaml", std::string());  // absent before 2026-11-24
    meta.info.tag_names = j.at("tag_names").get<std::vector<std::string>>();
    meta.info.rng_counters = j.at("rng_counters").get<std::map<std::string, int64_t>>();
    if (meta.format_version == 1) {  // before model kinds: the CRNN's options
      meta.model_kind = "crnn";
      meta.model_options = j.at("model_options");
    } else {
      meta.model_kind = j.at("model").at("kind").get<std::string>();
      meta.model_options = j.at("model").at("options");
    }
    find_model_kind(meta.model_kind);  // ConfigError naming the known kinds
    if (meta.model_options.at("n_tags").get<int64_t>() < 1)
      throw DataError("model option n_tags is " + meta.model_options.at("n_tags").dump() + "; expected >= 1");
  } catch (const json::exception& error) {
    throw DataError(source + ": checkpoint metadata (meta.json) is malformed: " + error.what());
  } catch (const Error& error) {  // DataError above, ConfigError for an unknown kind
    throw DataError(source + ": " + error.what());
  }
  const auto tags = static_cast<int64_t>(meta.info.tag_names.size());
  const auto outputs = meta.model_options.at("n_tags").get<int64_t>();
  if (tags != 0 && tags != outputs)
    throw DataError(source + ": checkpoint lists " + std::to_string(tags) + " tag names for a model with " +
                    std::to_string(outputs) + " outputs");
  return meta;
}

}  // namespace musictag::train
