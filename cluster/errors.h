// Typed exceptions thrown by library code; only the executables' mains catch them.
#pragma once

#include <stdexcept>
#include <string>

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

}  // namespace musictag
