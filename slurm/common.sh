# Helpers shared by musictag's Slurm scripts; sourced (not run) by slurm/*.sbatch, pipeline.sh and sweep.sh.
#
# Environment read here (every one optional):
#   MUSICTAG_ROOT       the musictag checkout (default: found by the sourcing script)
#   MUSICTAG_BIN        folder of the executables (default $MUSICTAG_ROOT/build/bin)
#   MUSICTAG_SET        extra config overrides for every stage, whitespace-separated section.key=value items
#                       (write lists without spaces: train.betas=[0.9,0.99])
#   MUSICTAG_LAUNCHER   auto (default) | srun | mpirun | none: how a step starts its tasks. auto = `srun --mpi=pmix`
#                       inside a Slurm allocation when srun has the pmix plugin, else mpirun, else one plain process
#   MUSICTAG_SRUN_ARGS, MUSICTAG_MPIRUN_ARGS   extra launcher flags (e.g. "--cpu-bind=cores", "--oversubscribe")
# shellcheck shell=bash

MUSICTAG_ROOT=${MUSICTAG_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MUSICTAG_BIN=${MUSICTAG_BIN:-$MUSICTAG_ROOT/build/bin}
export MUSICTAG_ROOT MUSICTAG_BIN

# mt_log MESSAGE...: a timestamped line on stderr naming the job (and array task).
mt_log() {
  local job=${SLURM_JOB_ID:-local}
  [[ -n ${SLURM_ARRAY_TASK_ID:-} ]] && job="${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} ($SLURM_JOB_ID)"
  printf '[%s] [musictag slurm job %s] %s\n' "$(date +%H:%M:%S)" "$job" "$*" >&2
}

# mt_die CODE MESSAGE...: log and exit with CODE (2 = wrong setting, as the executables' ConfigError).
mt_die() {
  local code=$1
  shift
  mt_log "error: $*"
  exit "$code"
}

# mt_exe NAME: the path of executable NAME in MUSICTAG_BIN, or exit 2 saying how to build or point to it.
mt_exe() {
  local exe="$MUSICTAG_BIN/$1"
  [[ -x $exe ]] || mt_die 2 "$exe not found: build with scripts/build.sh or set MUSICTAG_BIN to the folder holding $1"
  printf '%s\n' "$exe"
}

# mt_set_args: sets the array MT_SET_ARGS to the --set arguments from MUSICTAG_SET.
MT_SET_ARGS=()
mt_set_args() {
  local item
  local -a items
  MT_SET_ARGS=()
  # Split on blanks and newlines without glob expansion ([8,8] would otherwise match file names).
  read -r -d '' -a items <<< "${MUSICTAG_SET:-}" || true
  for item in "${items[@]}"; do
    [[ $item == *.*=* ]] || mt_die 2 "MUSICTAG_SET item '$item' is not section.key=value"
    MT_SET_ARGS+=(--set "$item")
  done
}

# mt_launcher NTASKS: sets the array MT_LAUNCH to the command that starts NTASKS tasks of a step (NTASKS empty =
# every task of the allocation; an empty array = one plain process). See MUSICTAG_LAUNCHER above.
MT_LAUNCH=()
mt_launcher() {
  local ntasks=$1
  local kind=${MUSICTAG_LAUNCHER:-auto}
  if [[ $kind == auto ]]; then
    if [[ -n ${SLURM_JOB_ID:-} ]] && command -v srun > /dev/null && srun --mpi=list 2>&1 | grep -q pmix; then
      kind=srun
    elif [[ -n ${SLURM_JOB_ID:-} ]] && command -v mpirun > /dev/null; then
      mt_log "srun --mpi=pmix is not available here: falling back to mpirun"
      kind=mpirun
    else
      kind=none
    fi
  fi
  local -a extra
  case $kind in
    srun)
      read -ra extra <<< "${MUSICTAG_SRUN_ARGS:-}"
      MT_LAUNCH=(srun --mpi=pmix --kill-on-bad-exit=1)
      [[ -n $ntasks ]] && MT_LAUNCH+=(--ntasks="$ntasks" --nodes=1)
      # Since Slurm 22.05 srun no longer inherits the batch job's --cpus-per-task: pass it on.
      [[ -n ${SLURM_CPUS_PER_TASK:-} ]] && MT_LAUNCH+=(--cpus-per-task="$SLURM_CPUS_PER_TASK")
      MT_LAUNCH+=("${extra[@]}")
      ;;
    mpirun)
      read -ra extra <<< "${MUSICTAG_MPIRUN_ARGS:-}"
      MT_LAUNCH=(mpirun -np "${ntasks:-${SLURM_NTASKS:-1}}")
      [[ $(id -u) -eq 0 ]] && MT_LAUNCH+=(--allow-run-as-root)
      MT_LAUNCH+=("${extra[@]}")
      ;;
    none)
      ((${ntasks:-${SLURM_NTASKS:-1}} == 1)) ||
        mt_die 2 "MUSICTAG_LAUNCHER=none runs one process, but ${ntasks:-$SLURM_NTASKS} tasks were asked for"
      MT_LAUNCH=()
      ;;
    *) mt_die 2 "MUSICTAG_LAUNCHER=$kind: expected auto, srun, mpirun or none" ;;
  esac
}

# Threads per task for libtorch / OpenMP: the CPUs Slurm gave each task.
if [[ -n ${SLURM_CPUS_PER_TASK:-} && -z ${OMP_NUM_THREADS:-} ]]; then export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK; fi

# mt_run_step NAME NTASKS COMMAND...: runs COMMAND under the launcher (NTASKS as for mt_launcher) in the
# background and waits for it. SIGUSR1 and SIGTERM reaching this batch shell (e.g. `#SBATCH --signal=B:USR1@300`,
# `scancel --signal=USR1 --batch`) are forwarded to the launcher, which passes them to every task; srun and
# Open MPI's mpirun both forward USR1. MT_FORWARD (default "USR1 TERM") lists the signals a step takes; others are
# only recorded. Sets MT_STEP_RC to the step's exit code and MT_STOP_SIGNAL to the last signal received (empty if
# none). Never exits on the step's failure: the caller decides.
MT_STEP_RC=0
MT_STEP_PID=
MT_STOP_SIGNAL=
MT_INTERRUPTED=0
mt_run_step() {
  local name=$1 ntasks=$2
  shift 2
  mt_launcher "$ntasks"
  mt_log "$name: ${MT_LAUNCH[*]:-(one process)} $*"
  # Installed here rather than at source time, so pipeline.sh and sweep.sh keep the default handlers.
  trap 'mt_forward USR1' USR1
  trap 'mt_forward TERM' TERM
  local errors
  errors=$(mktemp "${TMPDIR:-/tmp}/musictag-step.XXXXXX")
  "${MT_LAUNCH[@]}" "$@" 2> >(tee "$errors" >&2) &
  MT_STEP_PID=$!
  while :; do
    MT_INTERRUPTED=0
    MT_STEP_RC=0
    wait "$MT_STEP_PID" || MT_STEP_RC=$?
    # A trapped signal ends `wait` early with 128+n while the step still runs: wait again for its real status.
    [[ $MT_INTERRUPTED -eq 1 ]] || break
  done
  MT_STEP_PID=
  wait || true  # the tee above (bash >= 5.1 waits for the last process substitution), so $errors is complete
  # Slurm 22.05's srun exits with 0 when its tasks could not be started ("task 0 launch failed: Unspecified
  # error", e.g. a step of the same job id still being cleaned up): count that as the launch error it is.
  if [[ $MT_STEP_RC -eq 0 ]] && grep -qE '^srun: error: .*(launch failed|Unable to create step)' "$errors"; then
    mt_log "$name: srun exited with 0 although its tasks did not start (above): exit code 4 instead"
    MT_STEP_RC=4
  fi
  rm -f "$errors"
  mt_log "$name: exit code $MT_STEP_RC${MT_STOP_SIGNAL:+ (SIG$MT_STOP_SIGNAL was received)}"
}

# The batch shell's handler of SIGUSR1 / SIGTERM: forward to the running step (see mt_run_step), else record.
mt_forward() {
  MT_INTERRUPTED=1
  MT_STOP_SIGNAL=$1
  if [[ -n $MT_STEP_PID && " ${MT_FORWARD:-USR1 TERM} " == *" $1 "* ]]; then
    mt_log "received SIG$1: forwarding it to the running step (pid $MT_STEP_PID)"
    kill -s "$1" "$MT_STEP_PID" 2> /dev/null || true
  else
    mt_log "received SIG$1: no step takes it now; recorded"
  fi
}

# mt_requeue_or_exit CODE: after a step exited with 75 (stopped by a signal after writing its checkpoint): put
# this job back in the queue (`scontrol requeue`, needs `#SBATCH --requeue` and JobRequeue), so it starts again
# and continues from the checkpoint (--resume auto). Outside Slurm, with MUSICTAG_REQUEUE=0, or after
# MUSICTAG_MAX_RESTARTS restarts (default 50), exits with 75 instead so the caller can rerun it.
mt_requeue_or_exit() {
  local code=$1 restarts=${SLURM_RESTART_COUNT:-0}
  if [[ -z ${SLURM_JOB_ID:-} || ${MUSICTAG_REQUEUE:-1} == 0 ]]; then
    mt_log "stopped with a checkpoint (exit $code); not requeueing (no Slurm job or MUSICTAG_REQUEUE=0)"
    exit "$code"
  fi
  if ((restarts >= ${MUSICTAG_MAX_RESTARTS:-50})); then
    mt_log "stopped with a checkpoint (exit $code) after $restarts restarts = MUSICTAG_MAX_RESTARTS: not requeueing"
    exit "$code"
  fi
  mt_log "stopped with a checkpoint (exit $code): requeueing job $SLURM_JOB_ID (restart $((restarts + 1)));" \
    "it will resume from the checkpoint"
  if ! scontrol requeue "$SLURM_JOB_ID"; then
    mt_log "scontrol requeue $SLURM_JOB_ID failed (is the job requeueable? JobRequeue / --requeue): exit $code"
    exit "$code"
  fi
  # Slurm now ends this run of the job (the log says "CANCELLED ... DUE TO JOB REQUEUE"); wait for that rather
  # than racing it with an exit code of our own.
  sleep 120
  mt_log "still running 120 s after scontrol requeue: exit $code"
  exit "$code"
}
