// Config section `model`: the kind, then the kind's own keys through the registry.
#include "train/models/model_config.h"

#include <string>

#include "cluster/errors.h"
#include "train/models/model_registry.h"

namespace musictag::train {

ModelConfig ModelConfig::from(cluster::ConfigSection& section) {
  ModelConfig config;
  const std::vector<std::string> names = model_kind_names();
  config.kind = section.choice("kind", names.front(), names,
                               "Model architecture; the keys below are those of the default kind (train/README.md)");
  config.options = find_model_kind(config.kind).read_config(section);
  return config;
}

nlohmann::json ModelConfig::options_for(int64_t dataset_tags) const {
  const int64_t tags = n_tags();
  if (tags == 0 && dataset_tags <= 0)
    throw ConfigError(
        "model.n_tags is 0 (take it from the dataset) but no dataset tag count was given; set "
        "model.n_tags explicitly or build the model from the dataset's manifest");
  if (tags > 0 && dataset_tags > 0 && tags != dataset_tags)
    throw ConfigError("model.n_tags = " + std::to_string(tags) + " but the dataset's manifest lists " +
                      std::to_string(dataset_tags) + " tags; set model.n_tags to 0 to take the dataset's count");
  nlohmann::json resolved = options;
  if (tags == 0) resolved["n_tags"] = dataset_tags;
  return resolved;
}

TaggingModel ModelConfig::build(int64_t dataset_tags) const { return make_model(kind, options_for(dataset_tags)); }

int64_t ModelConfig::min_frames() const { return find_model_kind(kind).min_frames(options); }

}  // namespace musictag::train
