// Which examples of a DataIndex an epoch uses under a VariantPolicy, and the fixed evaluation order.
#pragma once

#include <cstdint>
#include <vector>

#include "train/data/data_config.h"
#include "train/data/data_index.h"

namespace musictag::train {

// The example indices of epoch `epoch`, ascending (index order):
//   all:      every example;
//   original: the examples of variant 0 (a track without variant 0 contributes nothing);
//   random:   per track, variant track.variants[SplitMix64(derive_seed({variant, seed, epoch, track id})).below(n)]
//             with all of that variant's segments: exactly one variant per track, the same on every rank.
// The count can differ between epochs under `random` when variants have different segment counts.
std::vector<int64_t> select_examples(const DataIndex& index, VariantPolicy policy, uint64_t seed, int64_t epoch);

// One example in evaluation order, with what the eval harness needs to aggregate segments to tracks.
struct EvalExample {
  int64_t example = 0;  // index into DataIndex::examples()
  int64_t track_id = 0;
  int16_t variant = 0;
  int16_t segment = 0;
};

// Every example of the split in index order (parts by index, rows ascending: track id ascending, then as written),
// no shuffle, nothing dropped or repeated. With world_size > 1 rank r gets the contiguous block
// [r * n / W, (r + 1) * n / W) (sizes differ by at most one; concatenating the ranks' blocks gives the whole order).
std::vector<EvalExample> evaluation_order(const DataIndex& index, int world_size = 1, int rank = 0);

}  // namespace musictag::train
