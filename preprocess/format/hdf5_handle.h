// RAII owners of HDF5 ids (file, group, dataset, dataspace, datatype, property list, attribute), one type per kind.
#pragma once

#include <hdf5.h>

#include <string>
#include <utility>

namespace musictag::preprocess {

// Owns one HDF5 id and closes it with the H5*close function of its kind. Move-only. The destructor ignores a failed
// close (it may run while an exception unwinds); call close() on the success path to have failures reported.
template <herr_t (*Close)(hid_t)>
class Hdf5Id {
 public:
  Hdf5Id() = default;
  // Takes ownership of `id`; a negative id (a failed call) makes an empty handle.
  explicit Hdf5Id(hid_t id) : id_(id) {}
  Hdf5Id(const Hdf5Id&) = delete;
  Hdf5Id& operator=(const Hdf5Id&) = delete;
  Hdf5Id(Hdf5Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Hdf5Id& operator=(Hdf5Id&& other) noexcept {
    if (this != &other) reset(std::exchange(other.id_, H5I_INVALID_HID));
    return *this;
  }
  ~Hdf5Id() { reset(); }

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  void reset(hid_t id = H5I_INVALID_HID) {
    if (id_ >= 0) Close(id_);
    id_ = id;
  }
  // Closes now; a failure throws DataError (with `context`, e.g. the file name, and the HDF5 error stack).
  void close(const std::string& context = std::string());

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using Hdf5File = Hdf5Id<H5Fclose>;
using Hdf5Group = Hdf5Id<H5Gclose>;
using Hdf5Dataset = Hdf5Id<H5Dclose>;
using Hdf5Dataspace = Hdf5Id<H5Sclose>;
using Hdf5Datatype = Hdf5Id<H5Tclose>;
using Hdf5PropertyList = Hdf5Id<H5Pclose>;
using Hdf5Attribute = Hdf5Id<H5Aclose>;

// Factories that throw DataError (naming `path`, the file concerned, and the HDF5 error stack) instead of returning a
// negative id. Each turns off HDF5's own error printing on the calling thread first.
Hdf5File create_hdf5_file(const std::string& path);  // truncates an existing file
Hdf5File open_hdf5_file(const std::string& path, bool writable = false);
Hdf5Dataset open_hdf5_dataset(hid_t location, const std::string& name, const std::string& path);
Hdf5Dataspace hdf5_dataspace_of(const Hdf5Dataset& dataset, const std::string& path);
Hdf5PropertyList hdf5_create_plist_of(const Hdf5Dataset& dataset, const std::string& path);

}  // namespace musictag::preprocess
