// Whole-array HDF5 dataset I/O for the small per-example datasets of a part (tags, ids, augmentation parameters).
#pragma once

#include <hdf5.h>

#include <string>
#include <vector>

#include "preprocess/format/hdf5_handle.h"

namespace musictag::preprocess {

// The dataset's current dimensions.
std::vector<hsize_t> hdf5_dataset_dims(const Hdf5Dataset& dataset, const std::string& path);

// Creates dataset `name` of shape `dims` (contiguous, little-endian T) in `location` and writes `values` (row-major,
// product of dims elements). T: uint8_t, int16_t, int64_t, float. `path` names the file in errors.
// A dataset creation property list without modification times, so the same data always gives the same file bytes
// (the manifest's checksums then do not depend on when, or on how many ranks, a part was written).
Hdf5PropertyList untimed_dataset_creation(const std::string& context);

template <typename T>
void write_hdf5_array(hid_t location, const std::string& name, const std::vector<hsize_t>& dims,
                      const std::vector<T>& values, const std::string& path);

// Reads the whole dataset `name` converted to T; `dims` receives its shape. DataError names the file and dataset when
// it is missing or not numeric.
template <typename T>
std::vector<T> read_hdf5_array(hid_t location, const std::string& name, std::vector<hsize_t>& dims,
                               const std::string& path);

}  // namespace musictag::preprocess
