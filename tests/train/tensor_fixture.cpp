// Reads the tensor fixtures written by scripts/dev/*_fixture.py: index.json + raw little-endian <case>.bin.
#include "tensor_fixture.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace musictag::test {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture file " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

const torch::Tensor& TensorCase::at(const std::string& wanted) const {
  for (const auto& [n, t] : tensors)
    if (n == wanted) return t;
  throw std::runtime_error("fixture case " + name + " has no tensor " + wanted);
}

std::vector<std::pair<std::string, torch::Tensor>> TensorCase::with_prefix(const std::string& prefix) const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& [n, t] : tensors)
    if (n.rfind(prefix, 0) == 0) out.emplace_back(n.substr(prefix.size()), t);
  return out;
}

std::string fixture_dir(const std::string& folder) {
  // Made on this machine by ctest's fixture step (train.zoo_fixture.make) when it ran; the committed copy otherwise.
  const std::string made = std::string(MUSICTAG_TEST_BUILD_DIR) + "/test-fixtures/" + folder;
  if (std::filesystem::exists(made + "/index.json")) return made;
  const char* source = std::getenv("MUSICTAG_SOURCE_DIR");
  const std::string root = source ? source : MUSICTAG_TEST_SOURCE_DIR;
  return root + "/tests/fixtures/" + folder;
}

std::vector<TensorCase> load_tensor_fixture(const std::string& dir) {
  const auto index = nlohmann::json::parse(read_all(dir + "/index.json"));
  std::vector<TensorCase> cases;
  for (const auto& entry : index.at("cases")) {
    TensorCase c;
    c.name = entry.at("name").get<std::string>();
    c.info = entry;
    const std::string blob = read_all(dir + "/" + entry.at("data").get<std::string>());
    for (const auto& t : entry.at("tensors")) {
      const auto dtype_name = t.at("dtype").get<std::string>();
      const auto dtype = dtype_name == "float32" ? torch::kFloat32
                         : dtype_name == "int64" ? torch::kInt64
                                                 : throw std::runtime_error("unsupported dtype " + dtype_name);
      const auto shape = t.at("shape").get<std::vector<int64_t>>();
      const auto offset = t.at("offset").get<size_t>(), nbytes = t.at("nbytes").get<size_t>();
      auto tensor = torch::empty(shape, torch::TensorOptions().dtype(dtype));
      if (offset + nbytes > blob.size() || nbytes != tensor.nbytes())
        throw std::runtime_error("fixture tensor " + t.at("name").get<std::string>() + " does not fit its data");
      std::memcpy(tensor.data_ptr(), blob.data() + offset, nbytes);  // the x86/ARM hosts we run on are little-endian
      c.tensors.emplace_back(t.at("name").get<std::string>(), tensor);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

TensorCase load_tensor_case(const std::string& dir, const std::string& name) {
  for (TensorCase& c : load_tensor_fixture(dir))
    if (c.name == name) return std::move(c);
  throw std::runtime_error("no fixture case " + name + " in " + dir + "/index.json");
}

Closeness compare(const torch::Tensor& actual, const torch::Tensor& expected, double abs_tol, double rel_tol) {
  Closeness c;
  if (actual.sizes() != expected.sizes()) {
    c.ok = false;
    c.max_abs = INFINITY;
    return c;
  }
  const auto a = actual.detach().to(torch::kFloat64), e = expected.detach().to(torch::kFloat64);
  const auto diff = (a - e).abs();
  if (diff.numel() == 0) return c;
  c.max_abs = diff.max().item<double>();
  const auto big = e.abs() > abs_tol;
  if (big.any().item<bool>()) c.max_rel = (diff.masked_select(big) / e.abs().masked_select(big)).max().item<double>();
  c.ok = (diff <= abs_tol + rel_tol * e.abs()).all().item<bool>();
  return c;
}

}  // namespace musictag::test
