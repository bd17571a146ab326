// MPI_CHECK (every MPI call at the boundary, reported as a CommError) and OwnedMpiComm (RAII for MPI_Comm).
#pragma once

// The C API only: Debian's OpenMPI mpi.h otherwise pulls in the deprecated C++ bindings (and libmpi_cxx).
#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>

#include <cstdio>
#include <string>
#include <utility>

#include "cluster/errors.h"
#include "cluster/world.h"

namespace musictag::cluster {

// Throws CommError("MPI_Bcast(...) failed on rank 1/2 on node07 at cluster/x.cpp:42: MPI_ERR_...: <MPI's text>").
[[noreturn]] inline void throw_mpi_error(int code, const char* call, const char* file, int line) {
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) {
    std::snprintf(text, sizeof text, "MPI error code %d", code);
  }
  throw CommError(std::string(call) + " failed on " + where(file, line) + ": " + text);
}

// MPI only returns error codes on communicators whose error handler is MPI_ERRORS_RETURN; OwnedMpiComm sets it.
#define MPI_CHECK(call)                                                                 \
  do {                                                                                  \
    const int mpi_check_code_ = (call);                                                 \
    if (mpi_check_code_ != MPI_SUCCESS) {                                               \
      ::musictag::cluster::throw_mpi_error(mpi_check_code_, #call, __FILE__, __LINE__); \
    }                                                                                   \
  } while (0)

// True between MPI_Init and MPI_Finalize.
inline bool mpi_running() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

// Owns an MPI communicator (from MPI_Comm_dup/MPI_Comm_split...) and frees it, unless MPI has already been
// finalised. Sets MPI_ERRORS_RETURN so MPI_CHECK sees failures instead of MPI aborting silently.
class OwnedMpiComm {
 public:
  OwnedMpiComm() = default;
  explicit OwnedMpiComm(MPI_Comm comm) : comm_(comm) {
    if (comm_ != MPI_COMM_NULL) MPI_CHECK(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN));
  }
  OwnedMpiComm(OwnedMpiComm&& other) noexcept : comm_(std::exchange(other.comm_, MPI_COMM_NULL)) {}
  OwnedMpiComm& operator=(OwnedMpiComm&& other) noexcept {
    if (this != &other) {
      reset();
      comm_ = std::exchange(other.comm_, MPI_COMM_NULL);
    }
    return *this;
  }
  OwnedMpiComm(const OwnedMpiComm&) = delete;
  OwnedMpiComm& operator=(const OwnedMpiComm&) = delete;
  ~OwnedMpiComm() { reset(); }

  MPI_Comm get() const { return comm_; }
  explicit operator bool() const { return comm_ != MPI_COMM_NULL; }

  // A private copy of `comm` with its own error handler and message space.
  static OwnedMpiComm duplicate(MPI_Comm comm) {
    MPI_Comm copy = MPI_COMM_NULL;
    MPI_CHECK(MPI_Comm_dup(comm, &copy));
    return OwnedMpiComm(copy);
  }

 private:
  void reset() noexcept {
    if (comm_ != MPI_COMM_NULL && mpi_running()) MPI_Comm_free(&comm_);
    comm_ = MPI_COMM_NULL;
  }
  MPI_Comm comm_ = MPI_COMM_NULL;
};

}  // namespace musictag::cluster
