#!/usr/bin/env bash
# Starts or stops a real single-node Slurm cluster (munge + slurmctld + slurmd) on this machine, for tests and
# for trying the sbatch scripts without a real cluster.
#
#   slurm/local-cluster.sh start DIR   # writes DIR/slurm.conf, starts the daemons, waits until the node is idle
#   slurm/local-cluster.sh stop DIR    # stops the daemons started from DIR
#   export SLURM_CONF=DIR/slurm.conf   # then sbatch / srun / squeue talk to it
#
# Needs root (slurmd runs jobs as their users) and Debian's slurm-wlm and munge (scripts/setup.sh installs them).
# Settings that work inside containers without systemd: proctrack/linuxproc, task/none, cgroup v1 not mounted.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
ACTION=$1
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
HOST=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))

write_config() {
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  cat > "$DIR/slurm.conf" <<CONF
# Single-node Slurm cluster for musictag's tests (written by slurm/local-cluster.sh).
ClusterName=musictag-local
SlurmctldHost=$HOST
SlurmctldPort=${MUSICTAG_SLURMCTLD_PORT:-16817}
SlurmdPort=${MUSICTAG_SLURMD_PORT:-16818}
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobRequeue=1
KillWait=5
MinJobAge=300
# A requeued job waits cred_expire seconds before it may start again (default 120): 10 keeps the preemption test
# short, and is still longer than the old run's step takes to be cleaned up.
AuthInfo=cred_expire=${MUSICTAG_SLURM_CRED_EXPIRE:-10}
SchedulerParameters=batch_sched_delay=0
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
  cat > "$DIR/cgroup.conf" <<CONF
CgroupPlugin=cgroup/v1
IgnoreSystemd=yes
CgroupAutomount=no
CONF
}

start_munge() {
  if pgrep -x munged > /dev/null; then return; fi
  [[ -f /etc/munge/munge.key ]] || { mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  chmod 0400 /etc/munge/munge.key
  if id munge > /dev/null 2>&1; then
    su -s /bin/sh munge -c "/usr/sbin/munged" || /usr/sbin/munged --force
  else
    /usr/sbin/munged --force
  fi
}

wait_for_node() {
  for _ in $(seq 1 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then return 0; fi
    sleep 1
  done
  echo "slurm node did not become idle within 60 s; logs in $DIR/log" >&2
  sinfo >&2 || true
  tail -n 20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 || true
  return 1
}

stop_pidfile() {
  local pidfile=$1
  [[ -f $pidfile ]] || return 0
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

export SLURM_CONF="$DIR/slurm.conf"
case "$ACTION" in
  start)
    write_config
    start_munge
    /usr/sbin/slurmctld -f "$SLURM_CONF" -i
    /usr/sbin/slurmd -f "$SLURM_CONF"
    wait_for_node
    echo "Slurm is up: export SLURM_CONF=$SLURM_CONF"
    ;;
  stop)
    # Without its slurm.conf (never started) scancel would spend a minute looking for a controller in DNS.
    if [[ -f $SLURM_CONF ]]; then timeout 15 scancel --user="$(id -un)" 2>/dev/null || true; fi
    stop_pidfile "$DIR/slurmd.pid"
    stop_pidfile "$DIR/slurmctld.pid"
    ;;
  status)
    sinfo
    ;;
  *) usage ;;
esac
