// From errno to IoError: tells the environment's failures (disk full, read-only, ...) from the data's, in plain words.
#pragma once

#include <cstdint>
#include <string>

#include "cluster/errors.h"

namespace musictag {

// Whether errno value `error` is the environment's doing rather than the data's: ENOSPC, EDQUOT, EROFS, EACCES,
// EPERM, EIO, EFBIG, EMFILE, ENFILE, ESTALE. (ENOENT, ENOTDIR and the like stay DataError: a wrong or missing path.)
bool is_environment_error(int error);

// What a person can do about environment error `error`, short enough to precede "or set <key> elsewhere":
// "free space", "free space or raise your quota", "make the folder writable", "check the storage device (dmesg)".
std::string io_remedy(int error);

// Bytes available to the user on the file system holding `path` (its nearest existing ancestor), or -1 when
// statvfs cannot tell.
int64_t available_bytes(const std::string& path);

// ENOSPC when the file system holding `path` has less than 1 MiB available, else 0: the likely cause of a failed
// write whose library lost errno (HDF5 sometimes does; so does an std::ofstream).
int likely_write_error(const std::string& path);

// IoError "cannot <operation> '<path>': <strerror(error)>" (plus the space left for ENOSPC/EDQUOT) with the default
// advice "<io_remedy> or write elsewhere, then rerun" (for an operation naming "read": "check the file's permissions
// and the storage device, then rerun"); a stage replaces the advice for its output with with_output_advice.
IoError make_io_error(const std::string& operation, const std::string& path, int error);

// Throws make_io_error for an environment error, else DataError "cannot <operation> '<path>': <strerror(error)>".
[[noreturn]] void throw_file_error(const std::string& operation, const std::string& path, int error);

// After a failed stream write (std::ofstream sets no error of its own): IoError from errno, or from
// likely_write_error, or "the system gave no reason". Reads errno first, so call it right after the failed call.
[[noreturn]] void throw_stream_write_error(const std::string& operation, const std::string& path);

// The advice for an output folder: "<io_remedy> or set <setting> elsewhere; <rerun>".
std::string output_advice(int error, const std::string& setting, const std::string& rerun);

// Whether `path` is `folder` or inside it (as strings: both come from the same setting).
bool is_inside_folder(const std::string& path, const std::string& folder);

// Runs `body`; an IoError about a file inside `folder` (the stage's output, named by config key `setting`) leaves it
// with output_advice instead of the default advice:
//   with_output_advice(out, "train.output", "rerun with --resume auto", [&] { return run_training(...); })
template <class Body>
auto with_output_advice(const std::string& folder, const std::string& setting, const std::string& rerun, Body&& body)
    -> decltype(body()) {
  try {
    return body();
  } catch (const IoError& error) {
    if (!is_inside_folder(error.path(), folder)) throw;
    throw error.with_advice(output_advice(error.system_error(), setting, rerun));
  }
}

}  // namespace musictag
