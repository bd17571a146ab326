// PartPlan: how a dataset's tracks are cut into part files (fixed blocks of each split, by track id).
#include "preprocess/part_plan.h"

#include <algorithm>

namespace musictag::preprocess {

std::vector<PartSpec> plan_parts(const DatasetIndex& dataset, int64_t part_size) {
  std::vector<PartSpec> parts;
  for (const auto& split : dataset_split_names()) {
    const auto n = static_cast<int64_t>(dataset.split(split).size());
    for (int64_t first = 0, index = 0; first < n; first += part_size, ++index) {
      parts.push_back({split, index, first, std::min(part_size, n - first)});
    }
  }
  return parts;
}

}  // namespace musictag::preprocess
