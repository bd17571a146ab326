// One tag's examples sorted by score once; its ROC-AUC under example multiplicities as a linear walk.
#include "eval/metrics/bootstrap_weighted_auc.h"

#include <memory>

#include "eval/metrics/metrics_radix_sort.h"

namespace musictag::eval {
namespace {
constexpr uint32_t kIndexMask = (uint32_t{1} << 30) - 1;
constexpr uint32_t kLabelBit = uint32_t{1} << 30;
constexpr uint32_t kGroupEndBit = uint32_t{1} << 31;
}  // namespace

WeightedAucTag::WeightedAucTag(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags,
                               size_t tag) {
  // (key << 32 | index) sorted by key; the index rides along.
  std::unique_ptr<uint64_t[]> pairs(new uint64_t[n_examples]);
  std::unique_ptr<uint64_t[]> scratch(new uint64_t[n_examples]);
  for (size_t i = 0; i < n_examples; ++i) {
    pairs[i] = (uint64_t{score_sort_key(scores[i * n_tags + tag])} << 32) | i;
  }
  const uint64_t* sorted =
      radix_sort_by_key(pairs.get(), scratch.get(), n_examples, [](uint64_t p) { return uint32_t(p >> 32); });
  entries_.resize(n_examples);
  for (size_t k = 0; k < n_examples; ++k) {
    const uint32_t index = static_cast<uint32_t>(sorted[k]);
    const bool group_end = k + 1 == n_examples || (sorted[k + 1] >> 32) != (sorted[k] >> 32);
    entries_[k] = index | (labels[index * n_tags + tag] ? kLabelBit : 0) | (group_end ? kGroupEndBit : 0);
  }
}

std::optional<double> WeightedAucTag::roc_auc(const uint32_t* weights) const {
  uint64_t twice_u = 0;
  uint64_t negatives_below = 0;
  uint64_t positives = 0;
  uint64_t group_total = 0;
  uint64_t group_positives = 0;
  for (const uint32_t entry : entries_) {
    const uint64_t weight = weights[entry & kIndexMask];
    group_total += weight;
    group_positives += (entry & kLabelBit) ? weight : 0;
    if (entry & kGroupEndBit) {
      const uint64_t group_negatives = group_total - group_positives;
      twice_u += group_positives * (2 * negatives_below + group_negatives);
      negatives_below += group_negatives;
      positives += group_positives;
      group_total = 0;
      group_positives = 0;
    }
  }
  if (positives == 0 || negatives_below == 0) return std::nullopt;
  return static_cast<double>(twice_u) / (2.0 * static_cast<double>(positives) * static_cast<double>(negatives_below));
}

}  // namespace musictag::eval
