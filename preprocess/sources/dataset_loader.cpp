// load_dataset: dispatch on dataset.kind.
#include "preprocess/sources/dataset_loader.h"

#include "cluster/errors.h"
#include "preprocess/sources/fma_dataset.h"
#include "preprocess/sources/jamendo_dataset.h"
#include "preprocess/sources/mtat_dataset.h"

namespace musictag::preprocess {

DatasetIndex load_dataset(const DatasetConfig& config) {
  switch (config.kind) {
    case DatasetKind::fma:
      return load_fma(config);
    case DatasetKind::mtat:
      return load_mtat(config);
    case DatasetKind::jamendo:
      return load_jamendo(config);
  }
  throw ConfigError("dataset.kind: unknown dataset kind");
}

}  // namespace musictag::preprocess
