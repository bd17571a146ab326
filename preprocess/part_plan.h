// PartPlan: how a dataset's tracks are cut into part files (fixed blocks of each split, by track id).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

// Part `index` of `split` holds the split's tracks [first, first + count) in track-id order. The plan depends only
// on the dataset and part_size, never on the number of ranks, so the output is the same however it is computed.
struct PartSpec {
  std::string split;
  int64_t index = 0;
  int64_t first = 0;
  int64_t count = 0;
};

// Parts of every split in order (training, validation, test), each split cut into blocks of `part_size` tracks.
std::vector<PartSpec> plan_parts(const DatasetIndex& dataset, int64_t part_size);

}  // namespace musictag::preprocess
