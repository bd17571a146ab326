// PartWriter: float16 /mel or /audio grown one example-sized chunk at a time, the rest written on commit, atomic
// rename.
#include "preprocess/format/part_writer.h"

#include <fmt/format.h>

#include <cstdio>
#include <vector>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_dataset.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/hdf5_types.h"

namespace musictag::preprocess {

struct PartWriter::Hdf5State {
  Hdf5File file;
  Hdf5Dataset data;  // /mel or /audio
  Hdf5Datatype float16 = make_float16_type();
};

namespace {

// The dimensions of /mel [rows, n_mels, n_frames] or /audio [rows, n_samples].
std::vector<hsize_t> data_dims(const PartHeader& header, hsize_t rows) {
  if (header.is_waveform()) return {rows, static_cast<hsize_t>(header.n_samples)};
  return {rows, static_cast<hsize_t>(header.n_mels), static_cast<hsize_t>(header.n_frames)};
}

Hdf5Dataset create_data_dataset(hid_t file, const PartHeader& header, const PartWriterOptions& options, hid_t float16,
                                const std::string& path) {
  const std::vector<hsize_t> dims = data_dims(header, 0);
  const int rank = static_cast<int>(dims.size());
  std::vector<hsize_t> max_dims = dims, chunk = data_dims(header, 1);
  max_dims[0] = H5S_UNLIMITED;
  const Hdf5Dataspace space(H5_CHECK_CTX(H5Screate_simple(rank, dims.data(), max_dims.data()), path));
  const Hdf5PropertyList create = untimed_dataset_creation(path);
  H5_CHECK_CTX(H5Pset_chunk(create.get(), rank, chunk.data()), path);
  if (options.deflate_level > 0) {
    if (options.shuffle) H5_CHECK_CTX(H5Pset_shuffle(create.get()), path);
    H5_CHECK_CTX(H5Pset_deflate(create.get(), static_cast<unsigned>(options.deflate_level)), path);
  }
  // Last in the pipeline, so it checksums the bytes on disk: a flipped byte fails the read of exactly its chunk.
  H5_CHECK_CTX(H5Pset_fletcher32(create.get()), path);
  // No chunk cache: every chunk is written once, whole, so caching gains nothing, and without it append() writes its
  // chunk at once: a full disk fails that example's H5Dwrite rather than a close long after.
  const Hdf5PropertyList access(H5_CHECK_CTX(H5Pcreate(H5P_DATASET_ACCESS), path));
  H5_CHECK_CTX(H5Pset_chunk_cache(access.get(), 0, 0, 1.0), path);
  return Hdf5Dataset(H5_CHECK_CTX(
      H5Dcreate2(file, header.data_name(), float16, space.get(), H5P_DEFAULT, create.get(), access.get()), path));
}

}  // namespace

PartWriter::PartWriter(std::string path, PartHeader header, PartWriterOptions options)
    : path_(std::move(path)), header_(std::move(header)), options_(options) {
  if (header_.rows() <= 0 || header_.columns() <= 0) {
    throw DataError(fmt::format("part '{}': each {} example must have a positive size, got [{}, {}]", path_,
                                header_.kind_text(), header_.rows(), header_.columns()));
  }
  if (options_.deflate_level < 0 || options_.deflate_level > 9) {
    throw DataError(fmt::format("part '{}': deflate level {} is outside [0, 9]", path_, options_.deflate_level));
  }
  const std::string partial = partial_path();
  hdf5_ = std::make_unique<Hdf5State>();
  hdf5_->file = create_hdf5_file(partial);
  header_.write(hdf5_->file.get(), partial);
  hdf5_->data = create_data_dataset(hdf5_->file.get(), header_, options_, hdf5_->float16.get(), partial);
  halves_.resize(static_cast<size_t>(header_.example_values()));
}

PartWriter::~PartWriter() {
  if (!hdf5_) return;
  hdf5_.reset();  // closes /mel (/audio) and the file before deleting it
  std::remove(partial_path().c_str());
}

void PartWriter::append(const PartExample& example) {
  if (!hdf5_) throw DataError(fmt::format("part '{}' is already committed; append() before commit()", path_));
  if (example.data == nullptr || (example.tags == nullptr && header_.n_tags() > 0)) {
    throw DataError(fmt::format("part '{}': example of track {} has no {} data or no tags", path_, example.track_id,
                                header_.kind_text()));
  }
  const std::string partial = partial_path();
  floats_to_halves(example.data, halves_.data(), halves_.size());

  const auto row = static_cast<hsize_t>(size());
  const std::vector<hsize_t> dims = data_dims(header_, row + 1), count = data_dims(header_, 1);
  const int rank = static_cast<int>(dims.size());
  H5_WRITE_CHECK(H5Dset_extent(hdf5_->data.get(), dims.data()), partial, partial);
  const Hdf5Dataspace file_space(H5_CHECK_CTX(H5Dget_space(hdf5_->data.get()), partial));
  std::vector<hsize_t> start(dims.size(), 0);
  start[0] = row;
  H5_CHECK_CTX(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
               partial);
  const Hdf5Dataspace memory_space(H5_CHECK_CTX(H5Screate_simple(rank, count.data(), nullptr), partial));
  H5_WRITE_CHECK(H5Dwrite(hdf5_->data.get(), hdf5_->float16.get(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                          halves_.data()),
                 partial, partial);

  tags_.insert(tags_.end(), example.tags, example.tags + header_.n_tags());
  track_ids_.push_back(example.track_id);
  variants_.push_back(example.variant);
  time_stretches_.push_back(example.time_stretch);
  pitch_shifts_.push_back(example.pitch_shift);
  segments_.push_back(example.segment);
}

void PartWriter::truncate(int64_t rows) {
  if (!hdf5_) throw DataError(fmt::format("part '{}' is already committed; truncate() before commit()", path_));
  if (rows < 0 || rows > size())
    throw DataError(fmt::format("part '{}': cannot truncate {} rows to {}", path_, size(), rows));
  if (rows == size()) return;
  const std::string partial = partial_path();
  const std::vector<hsize_t> dims = data_dims(header_, static_cast<hsize_t>(rows));
  H5_WRITE_CHECK(H5Dset_extent(hdf5_->data.get(), dims.data()), partial, partial);
  const auto n = static_cast<size_t>(rows);
  tags_.resize(n * static_cast<size_t>(header_.n_tags()));
  track_ids_.resize(n);
  variants_.resize(n);
  time_stretches_.resize(n);
  pitch_shifts_.resize(n);
  segments_.resize(n);
}

void PartWriter::commit() {
  if (!hdf5_) throw DataError(fmt::format("part '{}' is already committed", path_));
  const std::string partial = partial_path();
  const hid_t file = hdf5_->file.get();
  const hsize_t n = static_cast<hsize_t>(size());
  write_hdf5_array(file, "tags", {n, static_cast<hsize_t>(header_.n_tags())}, tags_, partial);
  write_hdf5_array(file, "track_id", {n}, track_ids_, partial);
  write_hdf5_array(file, "variant", {n}, variants_, partial);
  write_hdf5_array(file, "time_stretch", {n}, time_stretches_, partial);
  write_hdf5_array(file, "pitch_shift", {n}, pitch_shifts_, partial);
  write_hdf5_array(file, "segment", {n}, segments_, partial);

  hdf5_->data.close(partial);
  hdf5_->float16.close(partial);
  // The metadata goes to disk here: a full disk fails this flush while the file is still ours to clean up.
  H5_WRITE_CHECK(H5Fflush(file, H5F_SCOPE_GLOBAL), partial, partial);
  H5_WRITE_CHECK(H5Fclose(hdf5_->file.release()), partial, partial);
  hdf5_.reset();  // from here on the destructor no longer cleans up; commit_partial_file removes it on failure
  // fsync, rename and folder fsync: the part survives a crash of the node and appears only complete.
  commit_partial_file(partial, path_);
}

}  // namespace musictag::preprocess
