// Reading and writing HDF5 attributes: UTF-8 strings, string arrays and int64 scalars, with errors naming the file.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace musictag::preprocess {

// Writers; `object` is a file, group or dataset id, `path` the file (for error messages). An existing attribute of
// the same name is an error (HDF5's), so each is written once.
void write_attribute(hid_t object, const std::string& name, const std::string& value, const std::string& path);
void write_attribute(hid_t object, const std::string& name, int64_t value, const std::string& path);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                     const std::string& path);

bool has_attribute(hid_t object, const std::string& name);

// Readers; a missing attribute or one of another kind throws DataError naming `path` and the attribute. Strings may
// be stored variable- or fixed-length (h5py writes either), numbers as any integer type.
std::string read_string_attribute(hid_t object, const std::string& name, const std::string& path);
int64_t read_int64_attribute(hid_t object, const std::string& name, const std::string& path);
std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& name, const std::string& path);

}  // namespace musictag::preprocess
