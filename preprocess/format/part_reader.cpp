// PartReader: header and per-example datasets read at open with shape checks; mels read by hyperslab and widened.
#include "preprocess/format/part_reader.h"

#include <fmt/format.h>

#include "cluster/errors.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_dataset.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/hdf5_types.h"

namespace musictag::preprocess {

struct PartReader::Hdf5State {
  Hdf5File file;
  Hdf5Dataset mel;
  Hdf5Datatype float16 = make_float16_type();
};

namespace {

[[noreturn]] void bad_shape(const std::string& path, const std::string& name, const std::vector<hsize_t>& dims,
                            const std::string& expected) {
  throw DataError(
      fmt::format("part file '{}': dataset '{}' has shape [{}], expected {}; the file is damaged or not "
                  "a musictag part, rerun preprocess for it",
                  path, name, fmt::join(dims, ", "), expected));
}

template <typename T>
std::vector<T> read_column(hid_t file, const char* name, hsize_t n, const std::string& path) {
  std::vector<hsize_t> dims;
  auto values = read_hdf5_array<T>(file, name, dims, path);
  if (dims.size() != 1 || dims[0] != n) bad_shape(path, name, dims, fmt::format("[{}]", n));
  return values;
}

}  // namespace

PartReader::PartReader(std::string path) : path_(std::move(path)), hdf5_(std::make_unique<Hdf5State>()) {
  hdf5_->file = open_hdf5_file(path_);
  const hid_t file = hdf5_->file.get();
  header_ = PartHeader::read(file, path_);

  hdf5_->mel = open_hdf5_dataset(file, "mel", path_);
  const auto mel_dims = hdf5_dataset_dims(hdf5_->mel, path_);
  const auto n_mels = static_cast<hsize_t>(header_.n_mels), n_frames = static_cast<hsize_t>(header_.n_frames);
  if (mel_dims.size() != 3 || mel_dims[1] != n_mels || mel_dims[2] != n_frames) {
    bad_shape(path_, "mel", mel_dims, fmt::format("[N, {}, {}] (attributes n_mels, n_frames)", n_mels, n_frames));
  }
  const Hdf5Datatype mel_type(H5_CHECK_CTX(H5Dget_type(hdf5_->mel.get()), path_));
  if (!is_float16_type(mel_type.get())) {
    throw DataError(fmt::format("part file '{}': dataset 'mel' is not float16; rerun preprocess for it", path_));
  }
  const hsize_t n = mel_dims[0];

  std::vector<hsize_t> tag_dims;
  tags_ = read_hdf5_array<uint8_t>(file, "tags", tag_dims, path_);
  const auto n_tags = static_cast<hsize_t>(header_.n_tags());
  if (tag_dims.size() != 2 || tag_dims[0] != n || tag_dims[1] != n_tags) {
    bad_shape(path_, "tags", tag_dims, fmt::format("[{}, {}] (N of /mel, tag_names)", n, n_tags));
  }
  track_ids_ = read_column<int64_t>(file, "track_id", n, path_);
  variants_ = read_column<int16_t>(file, "variant", n, path_);
  time_stretches_ = read_column<float>(file, "time_stretch", n, path_);
  pitch_shifts_ = read_column<float>(file, "pitch_shift", n, path_);
  segments_ = read_column<int16_t>(file, "segment", n, path_);
}

PartReader::~PartReader() = default;
PartReader::PartReader(PartReader&&) noexcept = default;
PartReader& PartReader::operator=(PartReader&&) noexcept = default;

void PartReader::read_mel(int64_t i, float* out) { read_mels(i, 1, out); }

void PartReader::read_one_mel_or_throw(int64_t row) {
  const hsize_t start[3] = {static_cast<hsize_t>(row), 0, 0};
  const hsize_t block[3] = {1, static_cast<hsize_t>(header_.n_mels), static_cast<hsize_t>(header_.n_frames)};
  const Hdf5Dataspace file_space = hdf5_dataspace_of(hdf5_->mel, path_);
  H5_CHECK_CTX(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr), path_);
  const Hdf5Dataspace memory_space(H5_CHECK_CTX(H5Screate_simple(3, block, nullptr), path_));
  std::vector<uint16_t> one(static_cast<size_t>(mel_values()));
  if (H5Dread(hdf5_->mel.get(), hdf5_->float16.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, one.data()) >=
      0)
    return;
  throw DataError(
      fmt::format("part file '{}': dataset 'mel', example {} (track {}) cannot be read: {}; the file is "
                  "damaged: delete it and rerun musictag-preprocess (it writes the missing part again), "
                  "and check the disk",
                  path_, row, track_ids_[static_cast<size_t>(row)], hdf5_error_cause()));
}

void PartReader::check_rows(int64_t first, int64_t count) const {
  if (first < 0 || count < 0 || first + count > size()) {
    throw DataError(
        fmt::format("part file '{}': examples [{}, {}) requested, it holds {}", path_, first, first + count, size()));
  }
}

void PartReader::read_mels(int64_t first, int64_t count, float* out) {
  check_rows(first, count);
  halves_.resize(static_cast<size_t>(count * mel_values()));
  read_mels_float16(first, count, halves_.data());
  halves_to_floats(halves_.data(), out, halves_.size());
}

void PartReader::read_mels_float16(int64_t first, int64_t count, uint16_t* out) {
  check_rows(first, count);
  if (count == 0) return;
  const hsize_t start[3] = {static_cast<hsize_t>(first), 0, 0};
  const hsize_t block[3] = {static_cast<hsize_t>(count), static_cast<hsize_t>(header_.n_mels),
                            static_cast<hsize_t>(header_.n_frames)};
  const Hdf5Dataspace file_space = hdf5_dataspace_of(hdf5_->mel, path_);
  H5_CHECK_CTX(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr), path_);
  const Hdf5Dataspace memory_space(H5_CHECK_CTX(H5Screate_simple(3, block, nullptr), path_));
  if (H5Dread(hdf5_->mel.get(), hdf5_->float16.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, out) < 0) {
    hdf5_error_cause();  // cleared; the row-by-row reads below name the example and its cause
    for (int64_t row = first; row < first + count; ++row) read_one_mel_or_throw(row);
    throw DataError(
        fmt::format("part file '{}': dataset 'mel', examples [{}, {}) could not be read together, yet "
                    "each one can: check the disk and the HDF5 library",
                    path_, first, first + count));
  }
}

void PartReader::check_matches(const nlohmann::json& features, const std::vector<std::string>& tag_names) const {
  header_.check_matches(features, tag_names, path_);
}

}  // namespace musictag::preprocess
