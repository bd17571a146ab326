// plan_epoch: the sampler's or the evaluation order's batches with their crop offsets.
#include "train/data/batch_plan.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "cluster/random.h"
#include "train/data/data_selection.h"
#include "train/data/sampler.h"

namespace musictag::train {

int64_t random_crop_offset(uint64_t seed, int64_t epoch, int64_t example, int64_t stored_frames, int64_t input_frames) {
  const int64_t choices = stored_frames - input_frames + 1;
  if (choices <= 1) return 0;
  SplitMix64 random(derive_seed(
      {static_cast<uint64_t>(RandomStream::crop), seed, static_cast<uint64_t>(epoch), static_cast<uint64_t>(example)}));
  return static_cast<int64_t>(random.below(static_cast<uint64_t>(choices)));
}

std::vector<int64_t> chunk_offsets(int64_t stored_frames, int64_t input_frames, int64_t chunks) {
  if (chunks < 1 || input_frames > stored_frames || input_frames < 1)
    throw std::invalid_argument("chunk_offsets: need chunks >= 1 and 1 <= input <= stored, got chunks " +
                                std::to_string(chunks) + ", input " + std::to_string(input_frames) + ", stored " +
                                std::to_string(stored_frames));
  if (chunks == 1) return {centre_crop_offset(stored_frames, input_frames)};
  const int64_t hop = (stored_frames - input_frames) / chunks;
  std::vector<int64_t> offsets;
  for (int64_t i = 0; i < chunks; ++i) offsets.push_back(i * hop);
  return offsets;
}

EpochPlan plan_epoch(const DataIndex& index, const PlanSettings& settings, int64_t epoch) {
  EpochPlan plan;
  plan.epoch = epoch;
  const int64_t stored = index.columns(), input = settings.input_frames;
  if (settings.mode == LoaderMode::training) {
    const std::vector<int64_t> selected = select_examples(index, settings.variants, settings.seed, epoch);
    const DistributedSampler sampler(static_cast<int64_t>(selected.size()), settings.world_size, settings.rank,
                                     settings.seed, /*shuffle=*/true, settings.drop_last);
    for (auto& positions : sampler.batches(epoch, settings.batch_size)) {
      std::vector<int64_t> offsets;
      offsets.reserve(positions.size());
      for (int64_t& position : positions) {
        position = selected[static_cast<size_t>(position)];
        offsets.push_back(random_crop_offset(settings.seed, epoch, position, stored, input));
      }
      plan.examples.push_back(std::move(positions));
      plan.offsets.push_back(std::move(offsets));
    }
    return plan;
  }
  const std::vector<EvalExample> order = evaluation_order(index, settings.world_size, settings.rank);
  const std::vector<int64_t> chunks = chunk_offsets(stored, input, settings.chunks);
  for (size_t first = 0; first < order.size(); first += static_cast<size_t>(settings.batch_size)) {
    const size_t last = std::min(order.size(), first + static_cast<size_t>(settings.batch_size));
    std::vector<int64_t> examples, offsets;
    for (size_t k = first; k < last; ++k) {
      for (const int64_t offset : chunks) {
        examples.push_back(order[k].example);
        offsets.push_back(offset);
      }
    }
    plan.examples.push_back(std::move(examples));
    plan.offsets.push_back(std::move(offsets));
  }
  return plan;
}

}  // namespace musictag::train
