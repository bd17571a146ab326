#!/usr/bin/env bash
# Submits preprocess -> train -> eval as three Slurm jobs chained with afterok dependencies; prints the job ids.
#
#   slurm/pipeline.sh --config configs/fma_medium.yaml --out /scratch/$USER/fma_medium --nodes 2 --gpus 4 \
#     --set dataset.root=/data/fma --set dataset.audio_dir=/data/fma/fma_medium -- --partition=gpu --account=proj
#
# Options (each has an environment variable too):
#   --config FILE            config for every stage (MUSICTAG_CONFIG; default configs/demo.yaml)
#   --out DIR                output root (MUSICTAG_OUT; default out/<config name>): DIR/dataset, DIR/train,
#                            DIR/eval, DIR/logs/<job name>-<job id>.out
#   --nodes N                training nodes (default 1)
#   --gpus G                 GPUs per training node, one task each (default 4); 0 = CPU training with
#                            --ranks-per-node tasks per node
#   --ranks-per-node R       training tasks per node when --gpus 0 (default 2)
#   --cpus-per-task C        CPUs of each training / eval task (default: the sbatch scripts' 8)
#   --preprocess-nodes N     preprocessing nodes (default 1)
#   --preprocess-ranks R     preprocessing tasks per node (default 16)
#   --set section.key=value  an override for every stage (repeatable; MUSICTAG_SET adds more)
#   --bin DIR                folder of the executables (MUSICTAG_BIN; default build/bin)
#   --after JOBID            make the first job wait for JOBID (afterok)
#   --skip-preprocess        the dataset in DIR/dataset (or --dataset) exists: submit train and eval only
#   --dataset DIR            use this preprocessed dataset instead of DIR/dataset
#   --skip-eval              submit preprocess and train only (evaluate later with slurm/eval.sbatch)
#   --preprocess-args "ARGS", --train-args "ARGS", --eval-args "ARGS"   extra sbatch flags for one stage
#                            (e.g. --train-args "--time=48:00:00 --signal=B:USR1@600")
#   --dry-run                print the sbatch commands instead of running them
#   -- ARGS                  everything after -- goes to every sbatch (--partition, --account, --qos, ...)
# Output, one line per job: "preprocess <id>", "train <id>", "eval <id>".
set -euo pipefail
# shellcheck source=slurm/common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }

config=${MUSICTAG_CONFIG:-$MUSICTAG_ROOT/configs/demo.yaml}
out=${MUSICTAG_OUT:-}
nodes=1 gpus=4 ranks_per_node=2 cpus_per_task='' pre_nodes=1 pre_ranks=16 after='' dataset='' skip_preprocess=0 skip_eval=0
dry_run=0 pre_args='' train_args='' eval_args=''
sets=()
sbatch_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --config) config=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --gpus) gpus=$2; shift 2 ;;
    --ranks-per-node) ranks_per_node=$2; shift 2 ;;
    --cpus-per-task) cpus_per_task=$2; shift 2 ;;
    --preprocess-nodes) pre_nodes=$2; shift 2 ;;
    --preprocess-ranks) pre_ranks=$2; shift 2 ;;
    --set) sets+=("$2"); shift 2 ;;
    --bin) MUSICTAG_BIN=$2; shift 2 ;;
    --after) after=$2; shift 2 ;;
    --skip-preprocess) skip_preprocess=1; shift ;;
    --skip-eval) skip_eval=1; shift ;;
    --dataset) dataset=$2; shift 2 ;;
    --preprocess-args) pre_args=$2; shift 2 ;;
    --train-args) train_args=$2; shift 2 ;;
    --eval-args) eval_args=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage 0 ;;
    --) shift; sbatch_args=("$@"); break ;;
    *) echo "pipeline.sh: unknown option '$1'" >&2; usage ;;
  esac
done

for n in "$nodes" "$gpus" "$ranks_per_node" "$pre_nodes" "$pre_ranks" ${cpus_per_task:+"$cpus_per_task"}; do
  [[ $n =~ ^[0-9]+$ ]] || mt_die 2 "'$n' is not a whole number (--nodes, --gpus, --ranks-per-node, ...)"
done
((nodes >= 1 && pre_nodes >= 1 && pre_ranks >= 1 && ranks_per_node >= 1)) || mt_die 2 "node and rank counts must be >= 1"
[[ -f $config ]] || mt_die 2 "config '$config' not found (--config or MUSICTAG_CONFIG)"
for s in "${sets[@]}"; do
  [[ $s == *.*=* && $s != *[[:space:]]* ]] ||
    mt_die 2 "--set '$s': expected section.key=value without spaces (lists as [1,2])"
done

# Absolute paths: the jobs may start in another folder and on other nodes.
abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
config=$(abs "$config")
out=$(abs "${out:-out/$(basename "${config%.*}")}")
dataset=$(abs "${dataset:-$out/dataset}")
MUSICTAG_BIN=$(abs "$MUSICTAG_BIN")
if [[ $dry_run -eq 0 ]]; then  # fail here, not in a queued job
  [[ $skip_preprocess -eq 1 ]] || mt_exe musictag-preprocess > /dev/null
  mt_exe musictag-train > /dev/null
  [[ $skip_eval -eq 1 ]] || mt_exe musictag-eval > /dev/null
  mkdir -p "$out/logs"
fi

export MUSICTAG_ROOT MUSICTAG_BIN MUSICTAG_CONFIG=$config MUSICTAG_DATASET=$dataset
export MUSICTAG_TRAIN_OUT=$out/train MUSICTAG_EVAL_OUT=$out/eval
export MUSICTAG_CHECKPOINT=$out/train/checkpoints/best.pt
MUSICTAG_SET="${sets[*]} ${MUSICTAG_SET:-}"
export MUSICTAG_SET

if ((gpus > 0)); then
  train_shape=(--nodes="$nodes" --ntasks-per-node="$gpus" --gpus-per-node="$gpus")
  eval_shape=(--gpus-per-node=1)
else
  train_shape=(--nodes="$nodes" --ntasks-per-node="$ranks_per_node" --gpus-per-node=0)
  eval_shape=(--gpus-per-node=0)
fi
if [[ -n $cpus_per_task ]]; then
  train_shape+=(--cpus-per-task="$cpus_per_task")
  eval_shape+=(--cpus-per-task="$cpus_per_task")
fi

# submit STAGE DEPENDENCY [sbatch flags...]: submits slurm/STAGE.sbatch, prints "STAGE <id>", sets job_id.
job_id=
submit() {
  local stage=$1 dependency=$2 extra_text=$3
  shift 3
  local -a extra cmd
  read -ra extra <<< "$extra_text"
  # Later flags win: the stage's shape, then --STAGE-args, override the arguments after --.
  cmd=(sbatch --parsable --job-name="musictag-$stage" --output="$out/logs/%x-%j.out" "${sbatch_args[@]}" "$@"
    "${extra[@]}")
  [[ -n $dependency ]] && cmd+=(--dependency="afterok:$dependency" --kill-on-invalid-dep=yes)
  cmd+=("$MUSICTAG_ROOT/slurm/$stage.sbatch")
  if [[ $dry_run -eq 1 ]]; then
    echo "${cmd[*]}" >&2
    job_id="<$stage>"
  else
    job_id=$("${cmd[@]}")
    job_id=${job_id%%;*}  # --parsable prints "id;cluster" on multi-cluster setups
  fi
  echo "$stage $job_id"
}

previous=$after
if [[ $skip_preprocess -eq 0 ]]; then
  submit preprocess "$previous" "$pre_args" --nodes="$pre_nodes" --ntasks-per-node="$pre_ranks"
  previous=$job_id
fi
submit train "$previous" "$train_args" "${train_shape[@]}"
if [[ $skip_eval -eq 0 ]]; then
  submit eval "$job_id" "$eval_args" --nodes=1 --ntasks-per-node=1 "${eval_shape[@]}"
fi
[[ $dry_run -eq 0 ]] || { mt_log "dry run: nothing submitted"; exit 0; }
mt_log "submitted; outputs in $out (dataset $dataset), logs in $out/logs; squeue -u \$USER shows the jobs"
