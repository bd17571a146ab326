// DistributedSampler: strided per-rank slices of a SplitMix64 Fisher-Yates permutation, tail dropped or padded.
#include "train/data/sampler.h"

#include <fmt/format.h>

#include <numeric>

#include "cluster/errors.h"
#include "cluster/random.h"

namespace musictag::train {

nlohmann::json SamplerPosition::to_json() const { return {{"epoch", epoch}, {"batch", batch}}; }

SamplerPosition SamplerPosition::from_json(const nlohmann::json& json, const std::string& source) {
  SamplerPosition position;
  for (const char* key : {"epoch", "batch"}) {
    const bool valid =
        json.is_object() && json.contains(key) && json.at(key).is_number_integer() && json.at(key).get<int64_t>() >= 0;
    if (!valid) {
      throw DataError(
          fmt::format("'{}': sampler position key '{}' is missing or not a non-negative integer; the "
                      "checkpoint is damaged, resume from another one",
                      source, key));
    }
  }
  position.epoch = json.at("epoch").get<int64_t>();
  position.batch = json.at("batch").get<int64_t>();
  return position;
}

DistributedSampler::DistributedSampler(int64_t n_items, int world_size, int rank, uint64_t seed, bool shuffle,
                                       bool drop_last)
    : n_items_(n_items), world_size_(world_size), rank_(rank), seed_(seed), shuffle_(shuffle), drop_last_(drop_last) {
  if (world_size < 1 || rank < 0 || rank >= world_size) {
    throw ConfigError(
        fmt::format("DistributedSampler: rank {} of world size {} is not in [0, world size); check "
                    "the launcher's rank variables",
                    rank, world_size));
  }
  if (n_items < 0) throw ConfigError(fmt::format("DistributedSampler: n_items {} is negative", n_items));
}

int64_t DistributedSampler::per_rank() const {
  const int64_t w = world_size_;
  return drop_last_ ? n_items_ / w : (n_items_ + w - 1) / w;
}

std::vector<int64_t> DistributedSampler::order(int64_t epoch) const {
  if (shuffle_) {
    return random_permutation(
        n_items_, derive_seed({static_cast<uint64_t>(RandomStream::permutation), seed_, static_cast<uint64_t>(epoch)}));
  }
  std::vector<int64_t> identity(static_cast<size_t>(n_items_));
  std::iota(identity.begin(), identity.end(), int64_t{0});
  return identity;
}

std::vector<int64_t> DistributedSampler::indices(int64_t epoch) const {
  const int64_t count = per_rank();
  std::vector<int64_t> slice;
  if (count == 0) return slice;
  const std::vector<int64_t> all = order(epoch);
  slice.reserve(static_cast<size_t>(count));
  for (int64_t k = 0; k < count; ++k) {
    const int64_t position = rank_ + k * world_size_;  // < W * count; wraps to the start only when padding
    slice.push_back(all[static_cast<size_t>(position % n_items_)]);
  }
  return slice;
}

int64_t DistributedSampler::batches_per_epoch(int64_t batch_size) const {
  if (batch_size < 1) throw ConfigError(fmt::format("DistributedSampler: batch size {} must be >= 1", batch_size));
  const int64_t count = per_rank();
  return drop_last_ ? count / batch_size : (count + batch_size - 1) / batch_size;
}

std::vector<std::vector<int64_t>> DistributedSampler::batches(int64_t epoch, int64_t batch_size) const {
  const int64_t n_batches = batches_per_epoch(batch_size);
  const std::vector<int64_t> slice = indices(epoch);
  std::vector<std::vector<int64_t>> result;
  result.reserve(static_cast<size_t>(n_batches));
  for (int64_t b = 0; b < n_batches; ++b) {
    const auto first = slice.begin() + b * batch_size;
    const auto last = slice.begin() + std::min<int64_t>((b + 1) * batch_size, static_cast<int64_t>(slice.size()));
    result.emplace_back(first, last);
  }
  return result;
}

}  // namespace musictag::train
