// load_dataset: dispatch on dataset.kind.
#include "preprocess/sources/dataset_loader.h"

#include "cluster/errors.h"
#include "preprocess/sources/fma_dataset.h"
#include "preprocess/sources/mtat_dataset.h"

namespace musictag::preprocess {

DatasetIndex load_dataset(const DatasetConfig& config) {
  if (config.kind == "fma") return load_fma(config);
  if (config.kind == "mtat") return load_mtat(config);
  throw ConfigError("dataset.kind: '" + config.kind + "' is not one of {fma,mtat}");
}

}  // namespace musictag::preprocess
