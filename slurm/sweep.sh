#!/usr/bin/env bash
# Runs a sweep (configs/sweeps/*.yaml) on Slurm: expands it into DIR/run-<i>/config.yaml, checks run 0's config
# with the stages, submits one job array (one task per run: train then eval) and a collect job that writes
# DIR/leaderboard.csv and DIR/leaderboard.md once every run ended. Prints the job ids.
#
#   slurm/sweep.sh configs/sweeps/demo_lr.yaml --dataset out/demo/dataset --parallel 4 -- --partition=gpu
#
# Options:
#   --out DIR                sweep folder (MUSICTAG_SWEEP_DIR; default out/sweeps/<sweep file name>)
#   --dataset DIR            preprocessed dataset for every run (MUSICTAG_DATASET; default: the base config's)
#   --parallel M             at most M runs at a time (--array=0-(N-1)%M; default 4)
#   --nodes N                nodes per run (default 1)
#   --gpus G                 GPUs per node per run, one task each (default 1); 0 = CPU with --ranks-per-node
#   --ranks-per-node R       tasks per node per run when --gpus 0 (default 1)
#   --cpus-per-task C        CPUs per task (default: sweep.sbatch's 8)
#   --set section.key=value  an override for every run, after the sweep's own (repeatable)
#   --bin DIR                folder of the executables (MUSICTAG_BIN; default build/bin)
#   --runs LIST              only these array indices, Slurm syntax (e.g. 3,7-9 to retry failed runs)
#   --no-check               skip checking run 0's config with musictag-train/-eval --print-config
#   --dry-run                expand and print the sbatch commands, submit nothing
#   -- ARGS                  everything after -- goes to both sbatch calls (--partition, --account, --time, ...)
# Output: "array <id>" and "collect <id>". Afterwards (or any time): musictag-sweep collect DIR.
set -euo pipefail
# shellcheck source=slurm/common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }

[[ $# -ge 1 && $1 != -* ]] || usage
sweep_file=$1
shift
out=${MUSICTAG_SWEEP_DIR:-} dataset=${MUSICTAG_DATASET:-} parallel=4 nodes=1 gpus=1 ranks_per_node=1
cpus_per_task='' runs='' check=1 dry_run=0
sets=()
sbatch_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --dataset) dataset=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --gpus) gpus=$2; shift 2 ;;
    --ranks-per-node) ranks_per_node=$2; shift 2 ;;
    --cpus-per-task) cpus_per_task=$2; shift 2 ;;
    --set) sets+=("$2"); shift 2 ;;
    --bin) MUSICTAG_BIN=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-check) check=0; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage 0 ;;
    --) shift; sbatch_args=("$@"); break ;;
    *) echo "sweep.sh: unknown option '$1'" >&2; usage ;;
  esac
done
for n in "$parallel" "$nodes" "$gpus" "$ranks_per_node" ${cpus_per_task:+"$cpus_per_task"}; do
  [[ $n =~ ^[0-9]+$ ]] || mt_die 2 "'$n' is not a whole number (--parallel, --nodes, --gpus, ...)"
done
for s in "${sets[@]}"; do
  [[ $s == *.*=* && $s != *[[:space:]]* ]] ||
    mt_die 2 "--set '$s': expected section.key=value without spaces (lists as [1,2])"
done

abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
MUSICTAG_BIN=$(abs "$MUSICTAG_BIN")
sweep_tool=$(mt_exe musictag-sweep)
name=$(basename "${sweep_file%.*}")
out=$(abs "${out:-out/sweeps/$name}")
[[ -n $dataset ]] && dataset=$(abs "$dataset")

count=$("$sweep_tool" expand "$sweep_file" --output-dir "$out")
((count >= 1)) || mt_die 2 "$sweep_file expands to no runs"
mt_log "sweep $name: $count runs in $out"
mkdir -p "$out/logs"

export MUSICTAG_ROOT MUSICTAG_BIN MUSICTAG_SWEEP_DIR=$out MUSICTAG_DATASET=$dataset
MUSICTAG_SET="${sets[*]} ${MUSICTAG_SET:-}"
export MUSICTAG_SET

# The stages read their config keys strictly: let them check run 0 before a typo costs N queued jobs.
if [[ $check -eq 1 ]]; then
  mt_set_args
  run0=$("$sweep_tool" run-dir "$out" 0)
  data_sets=()
  [[ -n $dataset ]] && data_sets=(--set "train.dataset=$dataset")
  "$(mt_exe musictag-train)" --config "$run0/config.yaml" "${data_sets[@]}" "${MT_SET_ARGS[@]}" --print-config \
    > "$out/logs/check-train.log" 2>&1 ||
    { cat "$out/logs/check-train.log" >&2; mt_die 2 "musictag-train refuses $run0/config.yaml (above)"; }
  [[ -n $dataset ]] && data_sets=(--set "eval.dataset=$dataset")
  "$(mt_exe musictag-eval)" --config "$run0/config.yaml" "${data_sets[@]}" "${MT_SET_ARGS[@]}" --print-config \
    > "$out/logs/check-eval.log" 2>&1 ||
    { cat "$out/logs/check-eval.log" >&2; mt_die 2 "musictag-eval refuses $run0/config.yaml (above)"; }
  mt_log "run 0's config passes musictag-train and musictag-eval --print-config"
fi

shape=(--nodes="$nodes")
if ((gpus > 0)); then
  shape+=(--ntasks-per-node="$gpus" --gpus-per-node="$gpus")
else
  shape+=(--ntasks-per-node="$ranks_per_node" --gpus-per-node=0)
fi
[[ -n $cpus_per_task ]] && shape+=(--cpus-per-task="$cpus_per_task")
array=(sbatch --parsable --job-name="musictag-sweep-$name" --array="${runs:-0-$((count - 1))}%$parallel"
  --output="$out/logs/%x-%A_%a.out" "${shape[@]}" "${sbatch_args[@]}" "$MUSICTAG_ROOT/slurm/sweep.sbatch")
collect_command=$(printf '%q ' "$sweep_tool" collect "$out")
collect=(sbatch --parsable --job-name="musictag-sweep-$name-collect" --nodes=1 --ntasks=1
  --cpus-per-task=1 --time=00:10:00 --output="$out/logs/%x-%j.out" "${sbatch_args[@]}")
if [[ $dry_run -eq 1 ]]; then
  echo "${array[*]}" >&2
  echo "${collect[*]} --dependency=afterany:<array> --wrap=\"$collect_command\"" >&2
  exit 0
fi
array_id=$("${array[@]}")
array_id=${array_id%%;*}
echo "array $array_id"
# afterany: the leaderboard is written even when some runs failed; it lists them.
collect_id=$("${collect[@]}" --dependency="afterany:$array_id" --wrap="$collect_command")
echo "collect ${collect_id%%;*}"
mt_log "leaderboard: $out/leaderboard.md once job ${collect_id%%;*} ran (or now: $sweep_tool collect $out)"
