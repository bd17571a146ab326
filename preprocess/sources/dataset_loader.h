// load_dataset: picks the adapter for dataset.kind (fma → load_fma, mtat → load_mtat, jamendo → load_jamendo).
#pragma once

#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

// The DatasetIndex of the configured dataset; errors as the adapter's (fma_dataset.h, mtat_dataset.h,
// jamendo_dataset.h).
DatasetIndex load_dataset(const DatasetConfig& config);

}  // namespace musictag::preprocess
