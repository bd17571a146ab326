// H5_CHECK: turns a failed HDF5 C call (negative id or status) into a musictag::DataError with the HDF5 error stack.
#pragma once

#include <hdf5.h>

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

// Throws DataError: "<context: >HDF5 call `expr` failed at file:line: <error stack>".
[[noreturn]] void throw_hdf5_error(const char* expr, const std::string& context, const char* file, int line);

// Returns `result` unchanged when it is >= 0 (a valid hid_t, herr_t, htri_t or size), so H5_CHECK can wrap calls
// whose result is used.
template <typename T>
inline T check_hdf5_result(T result, const char* expr, const std::string& context, const char* file, int line) {
  if (result < 0) throw_hdf5_error(expr, context, file, line);
  return result;
}

}  // namespace musictag::preprocess

// Wraps an HDF5 call returning hid_t / herr_t / htri_t / ssize_t (negative = failure); evaluates to its result.
#define H5_CHECK(call) ::musictag::preprocess::check_hdf5_result((call), #call, std::string(), __FILE__, __LINE__)

// Same, with a context prefix naming the file being written or read: H5_CHECK_CTX(H5Dwrite(...), path).
#define H5_CHECK_CTX(call, context) \
  ::musictag::preprocess::check_hdf5_result((call), #call, (context), __FILE__, __LINE__)
