#!/usr/bin/env bash
# Prepares .gpu_carry/ (git-ignored) for bench/gpu_check.sh on a lent GPU machine, which has torch 2.11.0+cu130,
# CMake and nvcc but none of the Debian libraries musictag links (HDF5, OpenMPI, yaml-cpp, spdlog, fmt, OpenSSL...)
# and no package registry. It carries built binaries, not sources to build there: the -dev packages plus FFmpeg's
# runtime chain (which the project's CMake requires at configure time) come to well over the device tool's 64 MiB,
# and a build there would spend minutes of a 15-minute lease. So, on this machine:
#   1. builds the CUDA-enabled targets gpu_check.sh runs (bench_train, bench_loader, test_cuda_train,
#      test_cluster_mpi) in the build folder (MUSICTAG_BUILD_DIR, default build/), which must have been configured
#      with the CUDA + NCCL path ON (scripts/build.sh does so wherever libtorch has CUDA, GPU or not);
#   2. copies them, stripped, to .gpu_carry/bin;
#   3. copies every shared library they load that the GPU machine lacks to .gpu_carry/lib, from this machine's
#      Debian packages (the package and version of each is listed in .gpu_carry/MANIFEST.txt); torch, CUDA and NCCL
#      come from the GPU machine's own torch wheel, and glibc from its system; libstdc++ and libgcc_s go to
#      .gpu_carry/lib-fallback, used there only when the system's copy is older than what the binaries need;
#   4. checks the total against the budget (GPU_CARRY_MAX_MIB, default 48, leaving room for the working tree).
# Usage: bench/gpu_carry.sh; then the device tool's run with carry [".gpu_carry"] (train/README.md "Benchmarks").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MUSICTAG_BUILD_DIR:-$ROOT/build}"
CARRY="${GPU_CARRY:-$ROOT/.gpu_carry}"
MAX_MIB="${GPU_CARRY_MAX_MIB:-48}"
TARGETS=(bench_train bench_loader test_cuda_train test_cluster_mpi)

fail() { echo "gpu_carry: $*" >&2; exit 1; }
[[ -f "$BUILD/CMakeCache.txt" ]] ||
  fail "no configured build in $BUILD: run MUSICTAG_BUILD_DIR=$BUILD scripts/build.sh first"
cmake --build "$BUILD" -j "${MUSICTAG_JOBS:-$(nproc)}" --target "${TARGETS[@]}" > "$BUILD/gpu_carry.build.log" 2>&1 ||
  { tail -n 30 "$BUILD/gpu_carry.build.log" >&2; fail "building ${TARGETS[*]} failed (log: $BUILD/gpu_carry.build.log)"; }
readelf -d "$BUILD/bin/bench_train" | grep -q 'libtorch_cuda.so' ||
  fail "$BUILD was configured without the CUDA + NCCL path (bench_train does not link libtorch_cuda.so): reconfigure with a CUDA libtorch (scripts/setup.sh installs one) and MUSICTAG_WITH_CUDA=ON"

rm -rf "$CARRY"
mkdir -p "$CARRY/bin" "$CARRY/lib" "$CARRY/lib-fallback"
for target in "${TARGETS[@]}"; do
  cp "$BUILD/bin/$target" "$CARRY/bin/"
  strip --strip-unneeded "$CARRY/bin/$target"
done

# What the GPU machine provides: glibc (its system), libstdc++/libgcc_s (its system, fallback carried), torch and
# its CUDA libraries (the torch wheel: libtorch*, libc10*, libcudart, libnccl, cuDNN, cuBLAS ...).
provided() {
  case $1 in
    ld-linux* | libc.so* | libm.so* | libdl.so* | libpthread.so* | librt.so* | libutil.so* | libresolv.so*) return 0 ;;
    libtorch* | libc10* | libshm* | libgomp* | libnccl* | libnv* | libcufile*) return 0 ;;
    libcudart* | libcublas* | libcudnn* | libcufft* | libcurand* | libcusparse* | libcusolver* | libcupti*) return 0 ;;
  esac
  return 1
}
{
  echo "musictag binaries for bench/gpu_check.sh, made by bench/gpu_carry.sh on $(hostname) at $(date -u +%FT%TZ)"
  echo "source: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes'); build: $BUILD"
  echo "system: $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"'), $(ldd --version | head -n 1)"
  echo "binaries: ${TARGETS[*]}"
  echo "libraries (soname <- Debian package):"
} > "$CARRY/MANIFEST.txt"
mapfile -t LIBS < <(for target in "${TARGETS[@]}"; do ldd "$BUILD/bin/$target"; done |
  awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | sort -u)
for entry in "${LIBS[@]}"; do
  read -r soname path <<< "$entry"
  provided "$soname" && continue
  case $soname in
    libstdc++.so* | libgcc_s.so*) destination="$CARRY/lib-fallback" ;;
    *) destination="$CARRY/lib" ;;
  esac
  cp -L "$path" "$destination/$soname"
  real=$(readlink -f "$path")
  package=$( (dpkg -S "$real" || dpkg -S "${real#/usr}" || dpkg -S "$path") 2> /dev/null | head -n 1 | sed "s/: .*//" || true)
  version=$([[ -n $package ]] && dpkg-query -W -f='${Version}' "$package" 2> /dev/null || echo "?")
  echo "  $soname <- ${package:-not from a package ($path)} $version" >> "$CARRY/MANIFEST.txt"
done
bytes=$(du -sb "$CARRY" | cut -f1)
mib=$(( (bytes + 1048575) / 1048576 ))
echo "total: $mib MiB ($bytes bytes)" >> "$CARRY/MANIFEST.txt"
echo "gpu_carry: $CARRY holds ${#TARGETS[@]} binaries and $(find "$CARRY/lib" -type f | wc -l) + $(find "$CARRY/lib-fallback" -type f | wc -l) libraries, $mib MiB (see MANIFEST.txt)"
(( mib <= MAX_MIB )) || fail "$CARRY is $mib MiB, over GPU_CARRY_MAX_MIB=$MAX_MIB: the device tool carries 64 MiB with the working tree"
