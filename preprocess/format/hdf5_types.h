// HDF5 datatypes musictag writes: IEEE binary16 (h5py's float16), variable-length UTF-8 strings, native numbers.
#pragma once

#include <hdf5.h>

#include <cstdint>

#include "preprocess/format/hdf5_handle.h"

namespace musictag::preprocess {

// Little-endian IEEE binary16, built the way h5py builds its float16 (HDF5 1.10 has no predefined half type), so
// h5py and numpy read it as float16. Use it as both file and memory type and convert with float16.h: identical types
// make HDF5 copy the bytes instead of running its slow soft conversion.
Hdf5Datatype make_float16_type();

// True when `type` is a 2-byte floating-point type (what make_float16_type() makes, or h5py's float16).
bool is_float16_type(hid_t type);

// Variable-length, null-terminated UTF-8 string (h5py reads it as str).
Hdf5Datatype make_utf8_string_type();

// The native HDF5 memory type of a C++ number type.
template <typename T>
hid_t native_hdf5_type();
template <>
inline hid_t native_hdf5_type<uint8_t>() {
  return H5T_NATIVE_UINT8;
}
template <>
inline hid_t native_hdf5_type<int16_t>() {
  return H5T_NATIVE_INT16;
}
template <>
inline hid_t native_hdf5_type<int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
inline hid_t native_hdf5_type<int64_t>() {
  return H5T_NATIVE_INT64;
}
template <>
inline hid_t native_hdf5_type<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
inline hid_t native_hdf5_type<double>() {
  return H5T_NATIVE_DOUBLE;
}

// The little-endian file type of the same numbers (what the datasets are stored as, whatever the host).
template <typename T>
hid_t file_hdf5_type();
template <>
inline hid_t file_hdf5_type<uint8_t>() {
  return H5T_STD_U8LE;
}
template <>
inline hid_t file_hdf5_type<int16_t>() {
  return H5T_STD_I16LE;
}
template <>
inline hid_t file_hdf5_type<int32_t>() {
  return H5T_STD_I32LE;
}
template <>
inline hid_t file_hdf5_type<int64_t>() {
  return H5T_STD_I64LE;
}
template <>
inline hid_t file_hdf5_type<float>() {
  return H5T_IEEE_F32LE;
}
template <>
inline hid_t file_hdf5_type<double>() {
  return H5T_IEEE_F64LE;
}

}  // namespace musictag::preprocess
