// One tag's examples sorted by score once, so its ROC-AUC under any example multiplicities is a linear walk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace musictag::eval {

// A bootstrap resample with replacement is the original examples with multiplicities (0, 1, 2, ...). Duplicates
// of one example share its label, so they add no positive-negative pair of their own, and the resample's
// Mann-Whitney AUC (ties count one half) equals the weighted AUC of the original examples:
//   2U = sum over tie groups g of W+(g) * (2 * W-(below g) + W-(g)),   AUC = 2U / (2 * W+ * W-),
// with W+ / W- the summed weights of positives / negatives. Exact in 64-bit integers.
class WeightedAucTag {
 public:
  WeightedAucTag() = default;
  // Column `tag` of row-major [n_examples, n_tags] scores and labels, already validated; n_examples < 2^30.
  WeightedAucTag(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags, size_t tag);

  // ROC-AUC when example i counts weights[i] times; nullopt when the weighted positives or negatives are zero.
  std::optional<double> roc_auc(const uint32_t* weights) const;

  static constexpr size_t kMaxExamples = size_t{1} << 30;

 private:
  // Ascending score order: example index | label << 30 | (last of its tie group) << 31.
  std::vector<uint32_t> entries_;
};

}  // namespace musictag::eval
