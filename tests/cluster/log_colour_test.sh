#!/usr/bin/env bash
# Log colour: ANSI codes only when a person reads a terminal. A pseudo-terminal (script(1)) gets coloured level names;
# NO_COLOR, a file, a pipe and a rank started by mpirun (which forwards through a pty even into a file) get none.
# Usage: log_colour_test.sh BIN_DIR CONFIG
set -euo pipefail
BIN=$1
CONFIG=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
codes() { grep -c $'\e\[' || true; }
run=("$BIN/musictag-train" --config "$CONFIG" --print-config)
if command -v script > /dev/null; then
  [[ $(script -qec "${run[*]}" /dev/null | codes) -gt 0 ]] || fail "no colour on a terminal"
  [[ $(NO_COLOR=1 script -qec "${run[*]}" /dev/null | codes) -eq 0 ]] || fail "colour although NO_COLOR is set"
  [[ $(MUSICTAG_COLOR=never script -qec "${run[*]}" /dev/null | codes) -eq 0 ]] || fail "colour with MUSICTAG_COLOR=never"
else
  echo "script(1) not found: the terminal case is not checked"
fi
[[ $("${run[@]}" 2>&1 | codes) -eq 0 ]] || fail "colour codes in a pipe"
out=$(mktemp)
MPIRUN=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
"${MPIRUN[@]}" -np 2 "${run[@]}" > "$out" 2>&1
[[ $(codes < "$out") -eq 0 ]] || { rm -f "$out"; fail "colour codes in a file written through mpirun"; }
[[ $(MUSICTAG_COLOR=always "${run[@]}" 2>&1 | codes) -gt 0 ]] || fail "MUSICTAG_COLOR=always gave no colour"
rm -f "$out"
echo "colour on a terminal only; none with NO_COLOR, in pipes, in files or under mpirun"
