// Reads the tensor fixtures written by scripts/dev/*_fixture.py: index.json + raw little-endian <case>.bin.
#pragma once

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace musictag::test {

// One case of a fixture: its JSON entry (options etc.) and its tensors in file order.
struct TensorCase {
  std::string name;
  nlohmann::json info;
  std::vector<std::pair<std::string, torch::Tensor>> tensors;

  // The tensor called `name`; fails the calling test (throws std::runtime_error) when absent.
  const torch::Tensor& at(const std::string& name) const;
  // Names starting with `prefix`, prefix removed, in file order.
  std::vector<std::pair<std::string, torch::Tensor>> with_prefix(const std::string& prefix) const;
};

// <build>/test-fixtures/<folder> when it holds an index.json (the fixture made on this machine by ctest's
// train.zoo_fixture.make), else $MUSICTAG_SOURCE_DIR/tests/fixtures/<folder> (the source tree when unset).
std::string fixture_dir(const std::string& folder);

// Every case listed in <dir>/index.json; float32 and int64 tensors only.
std::vector<TensorCase> load_tensor_fixture(const std::string& dir);

// The case called `name` of <dir>/index.json; throws std::runtime_error naming it when the index has no such case.
TensorCase load_tensor_case(const std::string& dir, const std::string& name);

// Largest |actual - expected| and whether every element satisfies |a - e| <= abs_tol + rel_tol * |e|.
struct Closeness {
  double max_abs = 0;
  double max_rel = 0;  // |a - e| / |e| over elements with |e| > abs_tol
  bool ok = true;
};
Closeness compare(const torch::Tensor& actual, const torch::Tensor& expected, double abs_tol, double rel_tol);

}  // namespace musictag::test
