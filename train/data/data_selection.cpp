// Variant selection per epoch (SplitMix64 from seed, epoch, track) and the evaluation order.
#include "train/data/data_selection.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/errors.h"
#include "cluster/random.h"
#include "train/data/sampler.h"

namespace musictag::train {

std::vector<int64_t> select_examples(const DataIndex& index, VariantPolicy policy, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> selected;
  if (policy == VariantPolicy::all) {
    selected.resize(static_cast<size_t>(index.size()));
    for (int64_t i = 0; i < index.size(); ++i) selected[static_cast<size_t>(i)] = i;
    return selected;
  }
  selected.reserve(static_cast<size_t>(index.size()));
  for (const TrackExamples& track : index.tracks()) {
    size_t chosen = 0;
    if (policy == VariantPolicy::original) {
      const auto found = std::find(track.variants.begin(), track.variants.end(), int16_t{0});
      if (found == track.variants.end()) continue;
      chosen = static_cast<size_t>(found - track.variants.begin());
    } else {
      SplitMix64 random(derive_seed({static_cast<uint64_t>(RandomStream::variant), seed, static_cast<uint64_t>(epoch),
                                     static_cast<uint64_t>(track.track_id)}));
      chosen = static_cast<size_t>(random.below(track.variants.size()));
    }
    const auto& examples = track.examples_of_variant[chosen];
    selected.insert(selected.end(), examples.begin(), examples.end());
  }
  std::sort(selected.begin(), selected.end());
  return selected;
}

std::vector<EvalExample> evaluation_order(const DataIndex& index, int world_size, int rank) {
  if (world_size < 1 || rank < 0 || rank >= world_size) {
    throw ConfigError(
        fmt::format("evaluation_order: rank {} of world size {} is not in [0, world size)", rank, world_size));
  }
  const int64_t n = index.size();
  const int64_t first = rank * n / world_size, last = (rank + 1) * n / world_size;
  std::vector<EvalExample> order;
  order.reserve(static_cast<size_t>(last - first));
  for (int64_t i = first; i < last; ++i) {
    const ExampleRef& e = index.example(i);
    order.push_back({i, e.track_id, e.variant, e.segment});
  }
  return order;
}

}  // namespace musictag::train
