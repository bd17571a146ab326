// The registry of model kinds: one line per kind.
#include "train/models/model_registry.h"

#include "cluster/errors.h"
#include "train/models/crnn_config.h"
#include "train/models/crnn_won.h"
#include "train/models/fcn.h"
#include "train/models/frontend_model.h"
#include "train/models/harmonic_cnn.h"
#include "train/models/musicnn.h"
#include "train/models/sample_cnn.h"
#include "train/models/self_attention.h"
#include "train/models/short_chunk.h"

namespace musictag::train {

const std::vector<ModelKind>& model_kinds() {
  static const std::vector<ModelKind> kinds = {
      crnn_model_kind(),
      fcn_model_kind(),
      musicnn_model_kind(),
      crnn_won_model_kind(),
      short_chunk_cnn_model_kind(),
      short_chunk_resnet_model_kind(),
      self_attention_model_kind(),
      sample_cnn_model_kind(),
      sample_cnn_se_model_kind(),
      harmonic_cnn_model_kind(),
  };
  return kinds;
}

std::vector<std::string> model_kind_names() {
  std::vector<std::string> names;
  for (const auto& kind : model_kinds()) names.push_back(kind.name);
  return names;
}

const ModelKind& find_model_kind(const std::string& name) {
  for (const auto& kind : model_kinds())
    if (kind.name == name) return kind;
  std::string known;
  for (const auto& kind : model_kinds()) known += (known.empty() ? "" : ", ") + kind.name;
  throw ConfigError("model.kind: unknown model kind '" + name + "'; known kinds: " + known);
}

TaggingModel make_model(const std::string& kind, const nlohmann::json& options) {
  if (uses_device_frontend(options)) return make_frontend_model(find_model_kind(kind), options);
  return find_model_kind(kind).build(options);
}

}  // namespace musictag::train
