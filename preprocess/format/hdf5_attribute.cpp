// Reading and writing HDF5 attributes (strings as variable-length UTF-8, as h5py writes them by default).
#include "preprocess/format/hdf5_attribute.h"

#include <fmt/format.h>

#include "cluster/errors.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/hdf5_types.h"

namespace musictag::preprocess {
namespace {

std::string where(const std::string& path, const std::string& name) {
  return fmt::format("'{}': attribute '{}'", path, name);
}

Hdf5Attribute create(hid_t object, const std::string& name, hid_t type, hid_t space, const std::string& path) {
  quiet_hdf5_errors();
  return Hdf5Attribute(
      H5_CHECK_CTX(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), where(path, name)));
}

Hdf5Attribute open(hid_t object, const std::string& name, const std::string& path) {
  quiet_hdf5_errors();
  if (H5Aexists(object, name.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw DataError(
        fmt::format("{} is missing; the file was not written by this version of musictag or is damaged "
                    "(rerun preprocess for it)",
                    where(path, name)));
  }
  return Hdf5Attribute(H5_CHECK_CTX(H5Aopen(object, name.c_str(), H5P_DEFAULT), where(path, name)));
}

// The attribute's stored strings, variable- or fixed-length.
std::vector<std::string> read_strings(const Hdf5Attribute& attribute, const std::string& context) {
  const Hdf5Datatype file_type(H5_CHECK_CTX(H5Aget_type(attribute.get()), context));
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw DataError(context + " is not a string attribute");
  const Hdf5Dataspace space(H5_CHECK_CTX(H5Aget_space(attribute.get()), context));
  const auto count = static_cast<size_t>(H5_CHECK_CTX(H5Sget_simple_extent_npoints(space.get()), context));
  std::vector<std::string> values;
  if (count == 0) return values;
  if (H5_CHECK_CTX(H5Tis_variable_str(file_type.get()), context) > 0) {
    const Hdf5Datatype memory_type = make_utf8_string_type();
    std::vector<char*> pointers(count, nullptr);
    H5_CHECK_CTX(H5Aread(attribute.get(), memory_type.get(), pointers.data()), context);
    for (char* pointer : pointers) values.emplace_back(pointer != nullptr ? pointer : "");
    H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, pointers.data());
  } else {
    const size_t size = H5Tget_size(file_type.get());
    const Hdf5Datatype memory_type(H5_CHECK_CTX(H5Tcopy(file_type.get()), context));
    std::vector<char> buffer(size * count);
    H5_CHECK_CTX(H5Aread(attribute.get(), memory_type.get(), buffer.data()), context);
    for (size_t i = 0; i < count; ++i) {
      const char* begin = buffer.data() + i * size;
      size_t length = 0;
      while (length < size && begin[length] != '\0') ++length;  // null-terminated or null-padded
      values.emplace_back(begin, length);
    }
  }
  return values;
}

}  // namespace

void write_attribute(hid_t object, const std::string& name, const std::string& value, const std::string& path) {
  const Hdf5Datatype type = make_utf8_string_type();
  const Hdf5Dataspace space(H5_CHECK_CTX(H5Screate(H5S_SCALAR), where(path, name)));
  const Hdf5Attribute attribute = create(object, name, type.get(), space.get(), path);
  const char* data = value.c_str();
  H5_CHECK_CTX(H5Awrite(attribute.get(), type.get(), &data), where(path, name));
}

void write_attribute(hid_t object, const std::string& name, int64_t value, const std::string& path) {
  const Hdf5Dataspace space(H5_CHECK_CTX(H5Screate(H5S_SCALAR), where(path, name)));
  const Hdf5Attribute attribute = create(object, name, H5T_STD_I64LE, space.get(), path);
  H5_CHECK_CTX(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value), where(path, name));
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                     const std::string& path) {
  const Hdf5Datatype type = make_utf8_string_type();
  const hsize_t dims[1] = {values.size()};
  const Hdf5Dataspace space(values.empty() ? H5Screate(H5S_NULL) : H5Screate_simple(1, dims, nullptr));
  if (!space) H5_CHECK_CTX(-1, where(path, name));
  const Hdf5Attribute attribute = create(object, name, type.get(), space.get(), path);
  if (values.empty()) return;
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  H5_CHECK_CTX(H5Awrite(attribute.get(), type.get(), pointers.data()), where(path, name));
}

bool has_attribute(hid_t object, const std::string& name) {
  quiet_hdf5_errors();
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) H5Eclear2(H5E_DEFAULT);
  return exists > 0;
}

std::string read_string_attribute(hid_t object, const std::string& name, const std::string& path) {
  const Hdf5Attribute attribute = open(object, name, path);
  auto values = read_strings(attribute, where(path, name));
  if (values.size() != 1) {
    throw DataError(fmt::format("{} holds {} strings, expected one", where(path, name), values.size()));
  }
  return values.front();
}

int64_t read_int64_attribute(hid_t object, const std::string& name, const std::string& path) {
  const Hdf5Attribute attribute = open(object, name, path);
  const Hdf5Datatype file_type(H5_CHECK_CTX(H5Aget_type(attribute.get()), where(path, name)));
  const Hdf5Dataspace space(H5_CHECK_CTX(H5Aget_space(attribute.get()), where(path, name)));
  if (H5Tget_class(file_type.get()) != H5T_INTEGER || H5Sget_simple_extent_npoints(space.get()) != 1) {
    throw DataError(fmt::format("{} is not an integer scalar", where(path, name)));
  }
  int64_t value = 0;
  H5_CHECK_CTX(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), where(path, name));
  return value;
}

std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& name, const std::string& path) {
  return read_strings(open(object, name, path), where(path, name));
}

}  // namespace musictag::preprocess
