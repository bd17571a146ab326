// Whole-array HDF5 dataset I/O: create + write in one call, read with shape, typed errors naming file and dataset.
#include "preprocess/format/hdf5_dataset.h"

#include <fmt/format.h>

#include <cstdint>

#include "cluster/errors.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_types.h"

namespace musictag::preprocess {
namespace {

std::string where(const std::string& path, const std::string& name) {
  return fmt::format("'{}': dataset '{}'", path, name);
}

}  // namespace

std::vector<hsize_t> hdf5_dataset_dims(const Hdf5Dataset& dataset, const std::string& path) {
  const Hdf5Dataspace space = hdf5_dataspace_of(dataset, path);
  const int rank = H5_CHECK_CTX(H5Sget_simple_extent_ndims(space.get()), path);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0) H5_CHECK_CTX(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), path);
  return dims;
}

Hdf5PropertyList untimed_dataset_creation(const std::string& context) {
  Hdf5PropertyList create(H5_CHECK_CTX(H5Pcreate(H5P_DATASET_CREATE), context));
  H5_CHECK_CTX(H5Pset_obj_track_times(create.get(), false), context);
  return create;
}

template <typename T>
void write_hdf5_array(hid_t location, const std::string& name, const std::vector<hsize_t>& dims,
                      const std::vector<T>& values, const std::string& path) {
  quiet_hdf5_errors();
  hsize_t count = 1;
  for (const hsize_t dim : dims) count *= dim;
  if (count != values.size()) {
    throw DataError(fmt::format("{}: {} values for a shape of {} elements (a bug in the caller)", where(path, name),
                                values.size(), count));
  }
  const Hdf5Dataspace space(
      H5_CHECK_CTX(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), where(path, name)));
  const Hdf5PropertyList create = untimed_dataset_creation(where(path, name));
  const Hdf5Dataset dataset(H5_WRITE_CHECK(
      H5Dcreate2(location, name.c_str(), file_hdf5_type<T>(), space.get(), H5P_DEFAULT, create.get(), H5P_DEFAULT),
      path, where(path, name)));
  if (count > 0) {
    H5_WRITE_CHECK(H5Dwrite(dataset.get(), native_hdf5_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path,
                   where(path, name));
  }
}

template <typename T>
std::vector<T> read_hdf5_array(hid_t location, const std::string& name, std::vector<hsize_t>& dims,
                               const std::string& path) {
  const Hdf5Dataset dataset = open_hdf5_dataset(location, name, path);
  const Hdf5Datatype type(H5_CHECK_CTX(H5Dget_type(dataset.get()), where(path, name)));
  const H5T_class_t kind = H5Tget_class(type.get());
  if (kind != H5T_INTEGER && kind != H5T_FLOAT) {
    throw DataError(fmt::format("{} is not numeric; the file is not a musictag part", where(path, name)));
  }
  dims = hdf5_dataset_dims(dataset, path);
  hsize_t count = 1;
  for (const hsize_t dim : dims) count *= dim;
  std::vector<T> values(count);
  if (count > 0) {
    H5_CHECK_CTX(H5Dread(dataset.get(), native_hdf5_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                 where(path, name));
  }
  return values;
}

#define MUSICTAG_HDF5_ARRAY(T)                                                                                     \
  template void write_hdf5_array<T>(hid_t, const std::string&, const std::vector<hsize_t>&, const std::vector<T>&, \
                                    const std::string&);                                                           \
  template std::vector<T> read_hdf5_array<T>(hid_t, const std::string&, std::vector<hsize_t>&, const std::string&);
MUSICTAG_HDF5_ARRAY(uint8_t)
MUSICTAG_HDF5_ARRAY(int16_t)
MUSICTAG_HDF5_ARRAY(int64_t)
MUSICTAG_HDF5_ARRAY(float)
#undef MUSICTAG_HDF5_ARRAY

}  // namespace musictag::preprocess
