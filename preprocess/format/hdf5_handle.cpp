// RAII owners of HDF5 ids: checked close and the factories that open or create files and datasets.
#include "preprocess/format/hdf5_handle.h"

#include <fmt/format.h>

#include <filesystem>

#include "cluster/errors.h"
#include "preprocess/format/hdf5_check.h"

namespace musictag::preprocess {

template <herr_t (*Close)(hid_t)>
void Hdf5Id<Close>::close(const std::string& context) {
  const hid_t id = release();
  if (id >= 0) H5_CHECK_CTX(Close(id), context);
}

template class Hdf5Id<H5Fclose>;
template class Hdf5Id<H5Gclose>;
template class Hdf5Id<H5Dclose>;
template class Hdf5Id<H5Sclose>;
template class Hdf5Id<H5Tclose>;
template class Hdf5Id<H5Pclose>;
template class Hdf5Id<H5Aclose>;

Hdf5File create_hdf5_file(const std::string& path) {
  quiet_hdf5_errors();
  return Hdf5File(
      H5_WRITE_CHECK(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), path,
                     fmt::format("cannot create HDF5 file '{}' (check the folder exists and is writable)", path)));
}

Hdf5File open_hdf5_file(const std::string& path, bool writable) {
  quiet_hdf5_errors();
  if (!std::filesystem::exists(path)) {
    throw DataError(
        fmt::format("HDF5 file '{}' does not exist; check the path or rerun the stage that writes it", path));
  }
  return Hdf5File(H5_CHECK_CTX(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT),
                               fmt::format("cannot open HDF5 file '{}' (is it complete and an HDF5 file?)", path)));
}

Hdf5Dataset open_hdf5_dataset(hid_t location, const std::string& name, const std::string& path) {
  quiet_hdf5_errors();
  if (H5Lexists(location, name.c_str(), H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw DataError(
        fmt::format("HDF5 file '{}' has no dataset '{}'; the file is incomplete or not a musictag part", path, name));
  }
  return Hdf5Dataset(
      H5_CHECK_CTX(H5Dopen2(location, name.c_str(), H5P_DEFAULT), fmt::format("'{}': dataset '{}'", path, name)));
}

Hdf5Dataspace hdf5_dataspace_of(const Hdf5Dataset& dataset, const std::string& path) {
  return Hdf5Dataspace(H5_CHECK_CTX(H5Dget_space(dataset.get()), path));
}

Hdf5PropertyList hdf5_create_plist_of(const Hdf5Dataset& dataset, const std::string& path) {
  return Hdf5PropertyList(H5_CHECK_CTX(H5Dget_create_plist(dataset.get()), path));
}

}  // namespace musictag::preprocess
