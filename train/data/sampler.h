// DistributedSampler: a per-epoch permutation (seed, epoch) split into equal, disjoint per-rank slices and batches.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace musictag::train {

// Stream tags that keep the different uses of one training seed independent of each other (derive_seed's first
// word; cluster/random.h).
enum class RandomStream : uint64_t { permutation = 1, variant = 2, crop = 3 };

// Where a rank stands in training data: the next batch to deliver is `batch` of `epoch`. Saved in checkpoints;
// resuming at it gives the same batches as a run that never stopped.
struct SamplerPosition {
  int64_t epoch = 0;
  int64_t batch = 0;

  bool operator==(const SamplerPosition& other) const { return epoch == other.epoch && batch == other.batch; }
  nlohmann::json to_json() const;  // {"epoch": e, "batch": b}
  // DataError naming `source` and the key when a key is missing, not an integer, or negative.
  static SamplerPosition from_json(const nlohmann::json& json, const std::string& source);
};

// Items 0 .. n_items-1 (positions in an epoch's example list) for one rank of world_size.
//
// Epoch e's order is random_permutation(n_items, derive_seed({permutation, seed, e})) when shuffling, else
// 0 .. n_items-1. Rank r takes positions r, r + W, r + 2W, ... of that order (strided, as PyTorch's
// DistributedSampler), so the slices are disjoint and every rank gets per_rank() items:
//   drop_last true:  floor(n / W); the last n mod W items of the order are left out this epoch (a different set
//                    each epoch when shuffling), and batches() keeps only full batches;
//   drop_last false: ceil(n / W); the order is extended by repeating it from its start until it has W * per_rank()
//                    items (so each item appears at least once), and the last batch may be smaller than batch_size.
// Either way every rank has the same number of batches of the same sizes, so no rank waits at the last one.
class DistributedSampler {
 public:
  // ConfigError when world_size < 1, rank outside [0, world_size) or n_items < 0.
  DistributedSampler(int64_t n_items, int world_size, int rank, uint64_t seed, bool shuffle, bool drop_last);

  int64_t n_items() const { return n_items_; }
  int world_size() const { return world_size_; }
  int rank() const { return rank_; }
  int64_t per_rank() const;  // items of each rank per epoch

  // The whole epoch's order (n_items entries, before the tail is dropped or padded).
  std::vector<int64_t> order(int64_t epoch) const;
  // This rank's slice of epoch `epoch`, per_rank() items in delivery order.
  std::vector<int64_t> indices(int64_t epoch) const;

  // Batches of batch_size (>= 1, else ConfigError) per epoch: floor (drop_last) or ceil of per_rank / batch_size.
  int64_t batches_per_epoch(int64_t batch_size) const;
  // This rank's slice cut into batches_per_epoch(batch_size) batches.
  std::vector<std::vector<int64_t>> batches(int64_t epoch, int64_t batch_size) const;

 private:
  int64_t n_items_;
  int world_size_, rank_;
  uint64_t seed_;
  bool shuffle_, drop_last_;
};

}  // namespace musictag::train
