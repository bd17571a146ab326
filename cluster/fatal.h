// What every executable's main does with an exception: log it with the rank, end the whole MPI job, pick the exit code.
#pragma once

#include <exception>
#include <utility>

namespace musictag::cluster {

// Exit codes of the musictag executables.
inline constexpr int kExitOk = 0;
inline constexpr int kExitOtherError = 1;   // anything else: a bug, std::bad_alloc, a libtorch error
inline constexpr int kExitConfigError = 2;  // ConfigError: a config key, value or flag is wrong
inline constexpr int kExitDataError = 3;    // DataError: input/output data missing, corrupt or inconsistent
inline constexpr int kExitCommError = 4;    // CommError: launching or communicating between ranks failed
inline constexpr int kExitIoError = 5;      // IoError: disk full, quota, read-only, permission or device error

// The exit code for `error` (see above).
int exit_code_for(const std::exception& error);

// Logs "fatal <Kind> on rank r/n on <host>: <what>" and, when MPI is running with more than one rank, calls
// MPI_Abort(MPI_COMM_WORLD, code) so every rank of the job ends within seconds instead of waiting forever in a
// collective (mpirun/srun then exit non-zero). Otherwise returns the exit code for main to return.
int fatal(const std::exception& error);
// The same for an exception that is not a std::exception (exit code 1).
int fatal_unknown();

// Runs `body` (returning main's exit code) and turns any exception into fatal(...):
//   int main(int argc, char** argv) { return musictag::cluster::run_guarded([&] { ...; return 0; }); }
template <class Body>
int run_guarded(Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const std::exception& error) {
    return fatal(error);
  } catch (...) {
    return fatal_unknown();
  }
}

}  // namespace musictag::cluster
