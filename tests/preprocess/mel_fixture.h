// Test helpers: locate tests/fixtures/mel (via MUSICTAG_SOURCE_DIR) and read its float32 .npy files and index.json.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace musictag::test {

// A float32 array from a .npy file: C order, shape as stored.
struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> values;
};

// The fixture folder, written by scripts/dev/make_mel_fixture.py and committed, so it is never skipped: without
// MUSICTAG_SOURCE_DIR (ctest sets it) the tests fail and say how to run them by hand.
inline std::string mel_fixture_dir() {
  const char* root = std::getenv("MUSICTAG_SOURCE_DIR");
  if (root == nullptr || *root == '\0')
    throw std::runtime_error(
        "MUSICTAG_SOURCE_DIR is not set (ctest sets it; run by hand: "
        "MUSICTAG_SOURCE_DIR=/path/to/musictag ./test_mel)");
  return std::string(root) + "/tests/fixtures/mel";
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture file " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline nlohmann::json mel_fixture_index() {
  return nlohmann::json::parse(read_bytes(mel_fixture_dir() + "/index.json"));
}

// Reads .npy format 1.0/2.0 holding little-endian float32 ('<f4') in C order; anything else throws.
inline NpyArray read_npy_f32(const std::string& path) {
  const std::string bytes = read_bytes(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw std::runtime_error(path + ": not a .npy file");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_start = 10;
  } else {
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    header_start = 12;
  }
  const std::string header = bytes.substr(header_start, header_len);
  if (header.find("'descr': '<f4'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error(path + ": expected little-endian float32 in C order, header " + header);
  NpyArray array;
  const auto open = header.find('(', header.find("'shape'")), close = header.find(')', open);
  const std::string dims = header.substr(open + 1, close - open - 1);
  int64_t count = 1;
  for (size_t pos = 0; pos < dims.size();) {
    const auto comma = dims.find(',', pos);
    const std::string item = dims.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item.find_first_of("0123456789") != std::string::npos) {
      array.shape.push_back(std::stoll(item));
      count *= array.shape.back();
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  const size_t data_start = header_start + header_len;
  if (bytes.size() - data_start != static_cast<size_t>(count) * sizeof(float))
    throw std::runtime_error(path + ": data size does not match shape");
  array.values.resize(static_cast<size_t>(count));
  std::memcpy(array.values.data(), bytes.data() + data_start, bytes.size() - data_start);  // little-endian host
  return array;
}

inline NpyArray read_mel_fixture(const std::string& file) { return read_npy_f32(mel_fixture_dir() + "/" + file); }

}  // namespace musictag::test
