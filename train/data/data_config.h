// DataConfig: what the training data loader reads and how (dataset folder, crop length, variants, prefetching).
#pragma once

#include <cstdint>
#include <string>

#include "cluster/choice.h"

namespace musictag::train {

// Which augmentation variants of a track an epoch uses.
enum class VariantPolicy {
  random,    // one variant per track per epoch, chosen from (seed, epoch, track id); all its segments
  all,       // every variant is its own example
  original,  // variant 0 only (the unaugmented audio)
};
inline constexpr ChoiceName<VariantPolicy> kVariantPolicyNames[] = {
    {VariantPolicy::random, "random"}, {VariantPolicy::all, "all"}, {VariantPolicy::original, "original"}};

// A plain struct: the trainer's config owner fills it from YAML (keys = field names) and calls validate().
struct DataConfig {
  std::string dataset;       // folder holding manifest.json and parts/ (preprocess.output); required
  int64_t input_frames = 0;  // [0,inf) frames of each example given to the model; 0 = the stored n_frames.
                             // Must not exceed the stored n_frames (checked when the dataset is opened)
  VariantPolicy variants = VariantPolicy::random;  // see VariantPolicy
  bool drop_last = true;          // true: equal per-rank slices by dropping the tail, full batches only;
                                  // false: pad by repeating from the start, last batch may be smaller
  int64_t prefetch_batches = 4;   // [1,256] batches built ahead of the consumer (bounded queue)
  int64_t loader_threads = 2;     // [1,64] background threads reading parts (each with its own PartReaders)
  int64_t max_open_parts = 64;    // [1,inf) part files each loader thread keeps open (least recently used closed)
  uint64_t seed = 0;              // permutation, variant choice and crop offsets derive from (seed, epoch, ...)
  bool verify_checksums = false;  // sha256 of every part against manifest.json when opening (reads every byte)

  // ConfigError naming `section`.<key>, the allowed range and the value, for the first field out of range.
  void validate(const std::string& section = "train") const;

  std::string manifest_path() const;  // dataset + "/manifest.json"
};

inline const char* to_string(VariantPolicy policy) { return choice_name(kVariantPolicyNames, policy); }

}  // namespace musictag::train
