// PartReader: header and per-example datasets read at open with shape checks; examples (log-mels or waveforms) read
// chunk by chunk without HDF5 where the layout allows (DirectChunkReader), else by hyperslab, and widened.
#include "preprocess/format/part_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "cluster/errors.h"
#include "preprocess/format/direct_chunk_reader.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_dataset.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/hdf5_types.h"

namespace musictag::preprocess {

struct PartReader::Hdf5State {
  Hdf5File file;
  Hdf5Dataset data;  // /mel or /audio
  Hdf5Datatype float16 = make_float16_type();
  std::unique_ptr<DirectChunkReader> direct;  // null when /mel (/audio) does not qualify; closed before `data`
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

// The hyperslab of rows first .. first + count - 1 of /mel [N, n_mels, n_frames] or /audio [N, n_samples].
std::vector<hsize_t> rows_block(const PartHeader& header, int64_t count) {
  if (header.is_waveform()) return {static_cast<hsize_t>(count), static_cast<hsize_t>(header.n_samples)};
  return {static_cast<hsize_t>(count), static_cast<hsize_t>(header.n_mels), static_cast<hsize_t>(header.n_frames)};
}

}  // namespace

PartReader::PartReader(std::string path) : path_(std::move(path)), hdf5_(std::make_unique<Hdf5State>()) {
  hdf5_->file = open_hdf5_file(path_);
  const hid_t file = hdf5_->file.get();
  header_ = PartHeader::read(file, path_);

  const char* name = header_.data_name();
  hdf5_->data = open_hdf5_dataset(file, name, path_);
  const auto data_dims = hdf5_dataset_dims(hdf5_->data, path_);
  std::vector<hsize_t> expected = rows_block(header_, 0);
  if (data_dims.size() != expected.size() || !std::equal(expected.begin() + 1, expected.end(), data_dims.begin() + 1)) {
    bad_shape(path_, name, data_dims,
              header_.is_waveform()
                  ? fmt::format("[N, {}] (attribute n_samples)", header_.n_samples)
                  : fmt::format("[N, {}, {}] (attributes n_mels, n_frames)", header_.n_mels, header_.n_frames));
  }
  const Hdf5Datatype data_type(H5_CHECK_CTX(H5Dget_type(hdf5_->data.get()), path_));
  if (!is_float16_type(data_type.get())) {
    throw DataError(fmt::format("part file '{}': dataset '{}' is not float16; rerun preprocess for it", path_, name));
  }
  const hsize_t n = data_dims[0];

  std::vector<hsize_t> tag_dims;
  tags_ = read_hdf5_array<uint8_t>(file, "tags", tag_dims, path_);
  const auto n_tags = static_cast<hsize_t>(header_.n_tags());
  if (tag_dims.size() != 2 || tag_dims[0] != n || tag_dims[1] != n_tags) {
    bad_shape(path_, "tags", tag_dims, fmt::format("[{}, {}] (N of /{}, tag_names)", n, n_tags, name));
  }
  track_ids_ = read_column<int64_t>(file, "track_id", n, path_);
  variants_ = read_column<int16_t>(file, "variant", n, path_);
  time_stretches_ = read_column<float>(file, "time_stretch", n, path_);
  pitch_shifts_ = read_column<float>(file, "pitch_shift", n, path_);
  segments_ = read_column<int16_t>(file, "segment", n, path_);
  hdf5_->direct = DirectChunkReader::open_if_qualifies(file, hdf5_->data.get(), hdf5_->float16.get(), path_);
}

PartReader::~PartReader() = default;
PartReader::PartReader(PartReader&&) noexcept = default;
PartReader& PartReader::operator=(PartReader&&) noexcept = default;

void PartReader::read_example(int64_t i, float* out) { read_examples(i, 1, out); }

// The hyperslab set-up is written out here and in read_through_hdf5 rather than shared: the HDF5 error stack of a
// failed H5Dread must be read (hdf5_error_cause) while the dataspaces are still open, since closing them clears it.
void PartReader::read_one_example_or_throw(int64_t row, uint16_t* out) {
  const std::vector<hsize_t> block = rows_block(header_, 1);
  std::vector<hsize_t> start(block.size(), 0);
  start[0] = static_cast<hsize_t>(row);
  const Hdf5Dataspace file_space = hdf5_dataspace_of(hdf5_->data, path_);
  H5_CHECK_CTX(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
               path_);
  const Hdf5Dataspace memory_space(
      H5_CHECK_CTX(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr), path_));
  if (H5Dread(hdf5_->data.get(), hdf5_->float16.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, out) >= 0)
    return;
  throw DataError(
      fmt::format("part file '{}': dataset '{}', example {} (track {}) cannot be read: {}; the file is "
                  "damaged: delete it and rerun musictag-preprocess (it writes the missing part again), "
                  "and check the disk",
                  path_, header_.data_name(), row, track_ids_[static_cast<size_t>(row)], hdf5_error_cause()));
}

void PartReader::check_rows(int64_t first, int64_t count) const {
  if (first < 0 || count < 0 || first + count > size()) {
    throw DataError(
        fmt::format("part file '{}': examples [{}, {}) requested, it holds {}", path_, first, first + count, size()));
  }
}

void PartReader::read_examples(int64_t first, int64_t count, float* out) {
  check_rows(first, count);
  halves_.resize(static_cast<size_t>(count * example_values()));
  read_examples_float16(first, count, halves_.data());
  halves_to_floats(halves_.data(), out, halves_.size());
}

void PartReader::read_examples_float16(int64_t first, int64_t count, uint16_t* out) {
  read_examples_float16(first, count, out, [] { return std::unique_lock<std::mutex>(); });
}

void PartReader::read_examples_float16(int64_t first, int64_t count, uint16_t* out, const Hdf5Guard& guard) {
  check_rows(first, count);
  if (count == 0) return;
  DirectChunkReader* direct = hdf5_->direct.get();
  if (direct == nullptr) {
    const auto lock = guard();
    read_through_hdf5(first, count, out);
    read_counts_.hdf5 += count;
    return;
  }
  if (!direct->located(first, count)) {
    const auto lock = guard();
    direct->locate(first, count);
  }
  direct->read(first, count, reinterpret_cast<unsigned char*>(out), rejected_);
  read_counts_.direct += count - static_cast<int64_t>(rejected_.size());
  if (rejected_.empty()) return;
  // Chunks of another layout, unallocated, truncated or damaged: H5Dread delivers them or names the cause.
  const auto lock = guard();
  for (const int64_t row : rejected_) read_one_example_or_throw(row, out + (row - first) * example_values());
  read_counts_.hdf5 += static_cast<int64_t>(rejected_.size());
}

void PartReader::read_through_hdf5(int64_t first, int64_t count, uint16_t* out) {
  const std::vector<hsize_t> block = rows_block(header_, count);
  std::vector<hsize_t> start(block.size(), 0);
  start[0] = static_cast<hsize_t>(first);
  const Hdf5Dataspace file_space = hdf5_dataspace_of(hdf5_->data, path_);
  H5_CHECK_CTX(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
               path_);
  const Hdf5Dataspace memory_space(
      H5_CHECK_CTX(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr), path_));
  if (H5Dread(hdf5_->data.get(), hdf5_->float16.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, out) < 0) {
    hdf5_error_cause();  // cleared; the row-by-row reads below name the example and its cause
    for (int64_t row = first; row < first + count; ++row)
      read_one_example_or_throw(row, out + (row - first) * example_values());
    throw DataError(
        fmt::format("part file '{}': dataset '{}', examples [{}, {}) could not be read together, yet "
                    "each one can: check the disk and the HDF5 library",
                    path_, header_.data_name(), first, first + count));
  }
}

bool PartReader::reads_chunks_directly() const { return hdf5_->direct != nullptr; }

void PartReader::check_matches(const nlohmann::json& features, const std::vector<std::string>& tag_names) const {
  header_.check_matches(features, tag_names, path_);
}

}  // namespace musictag::preprocess
