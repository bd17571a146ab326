// The JSON lines musictag-predict writes: one per audio file, its top-k tags or its error.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace musictag::eval {

// The indices of the `k` largest probabilities, largest first (ties: lower index first); k = 0 or k > n: all.
std::vector<size_t> top_k_tags(const std::vector<float>& probabilities, size_t k);

// {"file", "tags": [{"tag", "probability"}] (top k, largest first), "segments", "duration_s"}. Probabilities are
// the float32 values exactly (printed as the shortest double that parses back to them). DataError unless there
// is one probability per tag name.
nlohmann::ordered_json prediction_line(const std::string& file, const std::vector<float>& probabilities,
                                       const std::vector<std::string>& tag_names, size_t top_k, int64_t segments,
                                       double duration_s);

// {"file", "error", "stage"}: stage as preprocess::AudioError names it (missing, empty, open, decode, too_short,
// silent) or "features" for other data errors.
nlohmann::ordered_json error_line(const std::string& file, const std::string& stage, const std::string& message);

}  // namespace musictag::eval
