// RAII HDF5 ids close what they own; H5_CHECK reports the call, file:line and HDF5's error stack as a DataError,
// or an IoError in one line when the environment refused (a full disk).
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "cluster/errors.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_handle.h"

namespace musictag::preprocess {
namespace {

TEST(Hdf5Handle, ClosesOnDestructionAndMoves) {
  hid_t id;
  {
    Hdf5Dataspace space(H5Screate(H5S_SCALAR));
    id = space.get();
    ASSERT_GT(H5Iis_valid(id), 0);
    Hdf5Dataspace moved(std::move(space));
    EXPECT_FALSE(space);
    EXPECT_EQ(moved.get(), id);
    EXPECT_GT(H5Iis_valid(id), 0);
  }
  EXPECT_LE(H5Iis_valid(id), 0);

  Hdf5Datatype type(H5Tcopy(H5T_NATIVE_INT));
  const hid_t type_id = type.get();
  type.close("test");
  EXPECT_FALSE(type);
  EXPECT_LE(H5Iis_valid(type_id), 0);
  EXPECT_FALSE(Hdf5File(-1));  // a failed call's id makes an empty handle
}

TEST(Hdf5Check, ThrowsDataErrorWithCallLocationAndStack) {
  quiet_hdf5_errors();
  const std::string missing = "/nonexistent-musictag-dir/part.h5";
  try {
    H5_CHECK_CTX(H5Fopen(missing.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "reading part");
    FAIL() << "no exception";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("reading part: HDF5 call `H5Fopen(missing.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)` failed"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("hdf5_handle_test.cpp:"), std::string::npos) << message;
    EXPECT_NE(message.find("H5Fopen(): unable to open file"), std::string::npos) << message;  // from H5Ewalk2
    EXPECT_NE(message.find(missing), std::string::npos) << message;  // the low-level cause names the file
  }
  EXPECT_EQ(hdf5_error_stack_message(), "");  // the stack was consumed
  EXPECT_EQ(H5_CHECK(H5Screate(H5S_SCALAR)) >= 0, true);
}

TEST(Hdf5Check, OpenMissingFileNamesIt) {
  try {
    open_hdf5_file("/nonexistent-musictag-dir/x.h5");
    FAIL() << "no exception";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("'/nonexistent-musictag-dir/x.h5' does not exist"), std::string::npos)
        << error.what();
  }
}

// A write the disk refuses is the environment's fault: IoError (exit 5) in one line naming the file and the system's
// reason, without HDF5's stack (that goes to the debug log). /dev/full fails every write with ENOSPC.
TEST(Hdf5Check, FullDiskIsAnIoErrorInOneLine) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no writable /dev/full";
  try {
    create_hdf5_file("/dev/full");
    FAIL() << "no exception";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("cannot write '/dev/full': No space left on device", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.find("H5"), std::string::npos) << message;
    EXPECT_EQ(error.path(), "/dev/full");
  }
  EXPECT_EQ(hdf5_error_stack_message(), "");  // the stack was consumed
}

TEST(Hdf5Check, ErrnoFromTheDriversMessage) {
  EXPECT_EQ(errno_in_hdf5_stack("H5FD__sec2_write(): file write failed: time = x, filename = 'a.h5', file "
                                "descriptor = 3, errno = 28, error message = 'No space left on device', buf = 0x1"),
            28);
  EXPECT_EQ(errno_in_hdf5_stack("H5Dread(): can't read data; data error detected by Fletcher32 checksum"), 0);
}

}  // namespace
}  // namespace musictag::preprocess
