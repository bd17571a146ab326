// predict's JSON lines: top-k selection and the two line shapes (tags or error).
#include "eval/predict/predict_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "cluster/errors.h"

namespace musictag::eval {

std::vector<size_t> top_k_tags(const std::vector<float>& probabilities, size_t k) {
  std::vector<size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return probabilities[a] > probabilities[b]; });
  if (k > 0 && k < order.size()) order.resize(k);
  return order;
}

nlohmann::ordered_json prediction_line(const std::string& file, const std::vector<float>& probabilities,
                                       const std::vector<std::string>& tag_names, size_t top_k, int64_t segments,
                                       double duration_s) {
  if (probabilities.size() != tag_names.size())
    throw DataError(fmt::format("{}: {} probabilities for {} tags (the checkpoint's model and tags disagree)", file,
                                probabilities.size(), tag_names.size()));
  nlohmann::ordered_json tags = nlohmann::ordered_json::array();
  for (const size_t t : top_k_tags(probabilities, top_k))
    tags.push_back(
        nlohmann::ordered_json{{"tag", tag_names[t]}, {"probability", static_cast<double>(probabilities[t])}});
  return nlohmann::ordered_json{
      {"file", file}, {"tags", std::move(tags)}, {"segments", segments}, {"duration_s", duration_s}};
}

nlohmann::ordered_json error_line(const std::string& file, const std::string& stage, const std::string& message) {
  return nlohmann::ordered_json{{"file", file}, {"error", message}, {"stage", stage}};
}

}  // namespace musictag::eval
