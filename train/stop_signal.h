// Preemption: SIGTERM / SIGUSR1 ask the trainer to checkpoint at its next sync point and exit with kExitPreempted.
#pragma once

namespace musictag::cluster {
class Communicator;
}

namespace musictag::train {

// Exit code of a run stopped by a signal after writing its checkpoint: 75 = EX_TEMPFAIL (sysexits.h, "temporary
// failure, retry"). Distinct from cluster/fatal.h's 0-4 and from the shells' 124 (timeout) / 137 (SIGKILL), so a
// job script can requeue on exactly this code (`scontrol requeue`) and `--resume auto` continues the run.
inline constexpr int kExitPreempted = 75;

// Installs handlers (sigaction, SA_RESTART) for SIGTERM (Slurm's preemption, time limit and scancel; sent
// KillWait seconds before SIGKILL) and SIGUSR1 (`sbatch --signal=B:USR1@120` style early warnings). The handler
// only stores into a lock-free std::atomic, so it is async-signal-safe; a second signal changes nothing. Idempotent.
// Throws std::system_error when sigaction fails.
void install_stop_signal_handlers();

// True once a handled signal arrived in this process (or request_stop() was called).
bool stop_requested();
// The number of the first signal that asked to stop, or 0 (none, or request_stop()).
int stop_signal_number();

// Sets the flag as a signal would (tests; a trainer's own reasons to stop cleanly).
void request_stop();
// Clears the flag (tests).
void clear_stop_request();

// True on every rank when any rank's flag is set: an all-reduce (sum) of one int32 on the communicator's device.
// Every rank must call it at the same step boundaries (it is a collective); the trainer does at its sync points.
bool any_rank_stop_requested(cluster::Communicator& communicator);

}  // namespace musictag::train
