// EpochPlan: the batches (example indices + crop offsets) one rank delivers in one epoch, computed up front.
#pragma once

#include <cstdint>
#include <vector>

#include "train/data/data_config.h"
#include "train/data/data_index.h"

namespace musictag::train {

enum class LoaderMode {
  training,    // variants per DataConfig, DistributedSampler (shuffled, drop_last per config), random time crop
  evaluation,  // evaluation_order(): every example once in index order, contiguous rank blocks, chunk_offsets()
};

// Where a crop of input_frames starts in stored_frames (input_frames <= stored_frames). Frames are the index's
// columns: log-mel frames, or samples of a waveform dataset, so waveform crops fall on any sample.
//   random (training): SplitMix64(derive_seed({crop, seed, epoch, example})).below(stored - input + 1), so an
//                      example's crop depends only on (seed, epoch, example), not on rank, thread or batch;
//   centre (evaluation): (stored - input) / 2.
int64_t random_crop_offset(uint64_t seed, int64_t epoch, int64_t example, int64_t stored_frames, int64_t input_frames);
inline int64_t centre_crop_offset(int64_t stored_frames, int64_t input_frames) {
  return (stored_frames - input_frames) / 2;
}
// The crops an evaluation scores per example and averages: chunks = 1: the centre crop; chunks = N > 1: crop i
// (0 <= i < N) starts at i * floor((stored - input) / N), Won et al. 2020's evaluation protocol (their eval.py), so
// the last crop ends before the end of the stored frames unless stored - input < N. std::invalid_argument for
// chunks < 1 or input > stored.
std::vector<int64_t> chunk_offsets(int64_t stored_frames, int64_t input_frames, int64_t chunks);

// What a BatchLoader needs to know to plan an epoch.
struct PlanSettings {
  LoaderMode mode = LoaderMode::training;
  int64_t batch_size = 16;  // >= 1
  int world_size = 1, rank = 0;
  int64_t input_frames = 0;  // resolved: 1 .. index.columns()
  VariantPolicy variants = VariantPolicy::random;
  bool drop_last = true;
  uint64_t seed = 0;
  int64_t chunks = 1;  // evaluation: crops per example (chunk_offsets()); each is its own row of the batch
};

struct EpochPlan {
  int64_t epoch = 0;
  std::vector<std::vector<int64_t>> examples;  // per batch: example indices into DataIndex::examples()
  std::vector<std::vector<int64_t>> offsets;   // per batch: crop start frame of each example

  int64_t batches() const { return static_cast<int64_t>(examples.size()); }
};

// Training: select_examples() then DistributedSampler(count, W, r, seed, shuffle = true, drop_last).batches(epoch, B)
// mapped through the selection. Evaluation: this rank's evaluation_order() block cut into batches of B examples (the
// last smaller), each example as `chunks` consecutive rows with the offsets of chunk_offsets().
EpochPlan plan_epoch(const DataIndex& index, const PlanSettings& settings, int64_t epoch);

}  // namespace musictag::train
