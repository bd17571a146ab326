// fatal(): log the error with the rank, then MPI_Abort the whole job when it has several ranks.
#include "cluster/fatal.h"

#include <cstdio>
#include <string>

#include "cluster/errors.h"
#include "cluster/log.h"
#include "cluster/mpi_check.h"
#include "cluster/world.h"

namespace musictag::cluster {
namespace {

const char* error_kind(const std::exception& error) {
  if (dynamic_cast<const ConfigError*>(&error)) return "ConfigError";
  if (dynamic_cast<const DataError*>(&error)) return "DataError";
  if (dynamic_cast<const CommError*>(&error)) return "CommError";
  if (dynamic_cast<const IoError*>(&error)) return "IoError";
  return "error";
}

int mpi_world_size() {
  if (!mpi_running()) return 1;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

int end_job(const char* kind, const char* what, int code) {
  log::error("fatal {} on {}: {}", kind, where(), what);
  const int ranks = mpi_world_size();
  if (ranks > 1) log::error("aborting all {} ranks of the job (MPI_Abort, exit code {})", ranks, code);
  spdlog::default_logger()->flush();
  std::fflush(stdout);
  std::fflush(stderr);
  if (ranks > 1) MPI_Abort(MPI_COMM_WORLD, code);
  return code;
}

}  // namespace

int exit_code_for(const std::exception& error) {
  if (dynamic_cast<const ConfigError*>(&error)) return kExitConfigError;
  if (dynamic_cast<const DataError*>(&error)) return kExitDataError;
  if (dynamic_cast<const CommError*>(&error)) return kExitCommError;
  if (dynamic_cast<const IoError*>(&error)) return kExitIoError;
  return kExitOtherError;
}

int fatal(const std::exception& error) { return end_job(error_kind(error), error.what(), exit_code_for(error)); }

int fatal_unknown() { return end_job("error", "an exception that is not a std::exception", kExitOtherError); }

}  // namespace musictag::cluster
