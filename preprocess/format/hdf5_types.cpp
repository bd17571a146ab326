// HDF5 datatypes musictag writes: the binary16 type h5py understands and variable-length UTF-8 strings.
#include "preprocess/format/hdf5_types.h"

#include "preprocess/format/hdf5_check.h"

namespace musictag::preprocess {

Hdf5Datatype make_float16_type() {
  quiet_hdf5_errors();
  Hdf5Datatype type(H5_CHECK(H5Tcopy(H5T_IEEE_F32LE)));
  // sign bit 15, exponent bits 10..14, mantissa bits 0..9; bias 15; 2 bytes of 16 significant bits.
  H5_CHECK(H5Tset_fields(type.get(), 15, 10, 5, 0, 10));
  H5_CHECK(H5Tset_size(type.get(), 2));
  H5_CHECK(H5Tset_precision(type.get(), 16));
  H5_CHECK(H5Tset_ebias(type.get(), 15));
  return type;
}

bool is_float16_type(hid_t type) { return H5Tget_class(type) == H5T_FLOAT && H5Tget_size(type) == 2; }

Hdf5Datatype make_utf8_string_type() {
  quiet_hdf5_errors();
  Hdf5Datatype type(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(type.get(), H5T_VARIABLE));
  H5_CHECK(H5Tset_cset(type.get(), H5T_CSET_UTF8));
  return type;
}

}  // namespace musictag::preprocess
