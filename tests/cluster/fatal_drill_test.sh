#!/usr/bin/env bash
# Runs the failure drill under mpiexec -n 2: the job must end (no hang), exit non-zero, and name the failing rank.
# Usage: fatal_drill_test.sh DRILL_BINARY MPIEXEC [MPIEXEC_FLAGS...]
set -u
drill=$1
shift

output=$(timeout -k 10 60 "$@" -n 2 "$drill" 2>&1)
code=$?
printf '%s\n' "$output"
echo "--- mpiexec exit code: $code"

fail() { echo "FAIL: $*"; exit 1; }
[[ $code -eq 124 || $code -eq 137 ]] && fail "the job did not end within 60 s (a rank was left waiting)"
[[ $code -eq 0 ]] && fail "the job exited 0 although rank 1 failed"
grep -q "fatal DataError on rank 1/2 on .*corrupt part file" <<<"$output" ||
  fail "the output does not name rank 1 and its error"
grep -q "drill finished normally" <<<"$output" && fail "a rank finished normally after rank 1 failed"
echo "PASS: rank 1's DataError ended the whole job with exit code $code"
