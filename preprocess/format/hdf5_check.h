// H5_CHECK: turns a failed HDF5 C call (negative id or status) into a DataError with the HDF5 error stack, or an
// IoError in one line when the environment failed it (disk full, read-only, ...).
#pragma once

#include <hdf5.h>

#include <cerrno>
#include <string>

namespace musictag::preprocess {

// Turns off HDF5's automatic printing of its error stack to stderr for the calling thread (the library is built
// thread-safe, so the setting is per thread); H5_CHECK reports the stack in the exception instead. Cheap after the
// first call on a thread; every function here that opens or creates an HDF5 object calls it.
void quiet_hdf5_errors();

// The current thread's HDF5 error stack as one line, innermost cause last, e.g.
// "H5Fopen(): unable to open file; H5FD_sec2_open(): unable to open file: name = 'x.h5', errno = 2, ..."; empty when
// the stack is empty. Clears the stack.
std::string hdf5_error_stack_message();
// The innermost description of the current error stack (e.g. "data error detected by Fletcher32 checksum"), and
// clears the stack.
std::string hdf5_error_cause();

// The errno that HDF5's file driver recorded in an error stack message ("..., errno = 28, ..."), else 0.
int errno_in_hdf5_stack(const std::string& stack);

// Throws for a failed HDF5 call, consuming the current error stack:
// - IoError when the environment failed it: the errno in HDF5's stack, or when there is none `error_after_call`
//   (errno right after the call), or for a write to `written_path` a file system with under 1 MiB left. Its
//   message is one line, "cannot write '<file>': No space left on device (...)"; the stack goes to log::debug.
// - DataError otherwise: "<context: >HDF5 call `expr` failed at file:line: <error stack>".
[[noreturn]] void throw_hdf5_error(const char* expr, const std::string& context, const char* file, int line,
                                   int error_after_call = 0, const std::string& written_path = std::string());

// Returns `result` unchanged when it is >= 0 (a valid hid_t, herr_t, htri_t or size), so H5_CHECK can wrap calls
// whose result is used. Reads errno first: the macros set it to 0 before the call.
template <typename T>
inline T check_hdf5_result(T result, const char* expr, const std::string& context, const char* file, int line,
                           const std::string& written_path = std::string()) {
  if (result < 0) {
    const int error = errno;
    throw_hdf5_error(expr, context, file, line, error, written_path);
  }
  return result;
}

}  // namespace musictag::preprocess

// Wraps an HDF5 call returning hid_t / herr_t / htri_t / ssize_t (negative = failure); evaluates to its result.
#define H5_CHECK(call) \
  ::musictag::preprocess::check_hdf5_result((errno = 0, (call)), #call, std::string(), __FILE__, __LINE__)

// Same, with a context prefix naming the file being written or read: H5_CHECK_CTX(H5Dwrite(...), path).
#define H5_CHECK_CTX(call, context) \
  ::musictag::preprocess::check_hdf5_result((errno = 0, (call)), #call, (context), __FILE__, __LINE__)

// For a call that writes to file `path` (H5Dwrite, H5Dset_extent, H5Fflush, H5Fclose): a failure with no errno on
// a file system that is (nearly) full is reported as IoError ENOSPC too.
#define H5_WRITE_CHECK(call, path, context) \
  ::musictag::preprocess::check_hdf5_result((errno = 0, (call)), #call, (context), __FILE__, __LINE__, (path))
