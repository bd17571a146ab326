#!/usr/bin/env bash
# Installs what musictag needs (Debian packages, libtorch from the torch wheel) and prints the build environment.
#
# Idempotent: packages already present and a venv already built are reused, so a second run takes seconds.
# Environment:
#   MUSICTAG_VENV     virtual environment holding torch (default: ~/.cache/musictag/venv-torch-$TORCH_VERSION,
#                     outside the clone so fresh clones and CI reuse it)
#   MUSICTAG_NO_APT=1 skip the Debian packages (e.g. on a cluster login node where a module system provides them)
set -euo pipefail

TORCH_VERSION=2.11.0
# Dev-only Python packages: references for tests' fixtures (librosa, scikit-learn) and benchmark baselines.
PY_EXTRAS=(numpy==2.3.5 h5py==3.15.1 scikit-learn==1.7.2 librosa==0.10.2.post1 soundfile==0.13.1)

DEB_PACKAGES=(
  build-essential cmake pkg-config ccache git time python3 python3-venv python3-pip
  openmpi-bin libopenmpi-dev
  libhdf5-dev hdf5-tools libssl-dev
  ffmpeg libavformat-dev libavcodec-dev libavfilter-dev libswresample-dev libavutil-dev
  slurm-wlm munge shellcheck clang-format
  libyaml-cpp-dev libgtest-dev libgmock-dev libcsv-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
)

log() { printf '[setup] %s\n' "$*" >&2; }

install_debian_packages() {
  [[ "${MUSICTAG_NO_APT:-0}" == 1 ]] && { log "MUSICTAG_NO_APT=1: skipping Debian packages"; return; }
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then log "Debian packages: all present"; return; fi
  log "Debian packages to install: ${missing[*]}"
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_torch_venv() {
  local venv="${MUSICTAG_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/musictag/venv-torch-$TORCH_VERSION}"
  local stamp="$venv/.musictag-complete"
  local want="torch==$TORCH_VERSION ${PY_EXTRAS[*]}"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "venv: $venv (complete)"
  else
    log "venv: building $venv with $want (first time: ~4.7 GB, a few minutes)"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q "torch==$TORCH_VERSION" "${PY_EXTRAS[@]}"
    echo "$want" > "$stamp"
  fi
  echo "$venv"
}

install_debian_packages
VENV=$(install_torch_venv)
TORCH_PREFIX=$("$VENV/bin/python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
# NCCL: the wheel's copy, the one torch itself loads, so one process holds one NCCL.
NCCL_ROOT=$("$VENV/bin/python" -c 'import nvidia.nccl, os; print(os.path.dirname(nvidia.nccl.__file__) if nvidia.nccl.__file__ else list(nvidia.nccl.__path__)[0])' 2>/dev/null || true)

# Printed for `eval "$(scripts/setup.sh)"`.
echo "export MUSICTAG_VENV='$VENV'"
echo "export MUSICTAG_TORCH_PREFIX='$TORCH_PREFIX'"
echo "export MUSICTAG_NCCL_ROOT='$NCCL_ROOT'"
