// Typed exceptions thrown by library code; only the executables' mains catch them.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace musictag {

// Base of every musictag error; the message says what went wrong and what to do about it.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A configuration file, key, value or command-line flag is wrong. Exit code 2.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// Input or output data is missing, corrupt or inconsistent (audio, HDF5, manifest, checkpoint). Exit code 3.
class DataError : public Error {
 public:
  using Error::Error;
};

// Launching or communicating between ranks failed (MPI, NCCL, world resolution). Exit code 4.
class CommError : public Error {
 public:
  using Error::Error;
};

// The environment refused to read or write a file: no space left, quota exceeded, read-only file system, permission
// denied, a device error. Not the data's fault: the same run succeeds once the cause is fixed. Exit code 5.
// cluster/io_error.h builds these from errno values and tells them apart from DataError.
class IoError : public Error {
 public:
  // reason: one line naming the file, the operation and the system's words, e.g.
  // "cannot write 'out/parts/training-00003.h5.partial': No space left on device"; advice: what to do about it.
  IoError(std::string reason, std::string advice, std::string path, int system_error)
      : Error(reason + "; " + advice),
        reason_(std::move(reason)),
        path_(std::move(path)),
        system_error_(system_error) {}

  const std::string& reason() const { return reason_; }
  const std::string& path() const { return path_; }   // the file or folder concerned
  int system_error() const { return system_error_; }  // the errno value; 0 when the system gave none

  // The same error with other advice, e.g. the stage's ("... or set preprocess.output elsewhere; rerun ...").
  IoError with_advice(std::string advice) const { return IoError(reason_, std::move(advice), path_, system_error_); }

 private:
  std::string reason_;
  std::string path_;
  int system_error_;
};

}  // namespace musictag
