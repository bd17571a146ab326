#!/usr/bin/env python3
"""Benchmark: musictag's compute_metrics vs scikit-learn on the same 1,000,000 x 50 predictions; prints the ratio.

Writes the arrays once to a binary file that both sides read, times only the metric computation (per-tag ROC-AUC
and average precision, their macro means, micro ROC-AUC and AP) and checks that the two agree. Needs the venv's
numpy + scikit-learn and a built bench_metrics:
    cmake --build <build> --target bench_metrics
    "$MUSICTAG_VENV/bin/python" bench/bench_metrics.py --binary <build>/bin/bench_metrics
"""
import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score


def write_arrays(path: pathlib.Path, n_examples: int, n_tags: int, seed: int) -> None:
    """Tagger-like predictions: per-tag prevalence log-uniform in [0.5%, 30%], sigmoid(noise + label) as float32."""
    rng = np.random.default_rng(seed)
    prevalence = np.exp(rng.uniform(np.log(0.005), np.log(0.3), size=n_tags))
    labels = (rng.random((n_examples, n_tags), dtype=np.float32) < prevalence).astype(np.uint8)
    logits = rng.standard_normal((n_examples, n_tags), dtype=np.float32) + 1.2 * labels
    scores = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
    with open(path, "wb") as f:
        f.write(b"MTMETRIC")
        f.write(np.array([n_examples, n_tags], dtype="<u8").tobytes())
        f.write(scores.astype("<f4").tobytes())
        f.write(labels.tobytes())


def read_arrays(path: pathlib.Path):
    with open(path, "rb") as f:
        assert f.read(8) == b"MTMETRIC"
        n_examples, n_tags = (int(v) for v in np.frombuffer(f.read(16), dtype="<u8"))
        scores = np.fromfile(f, dtype="<f4", count=n_examples * n_tags).reshape(n_examples, n_tags)
        labels = np.fromfile(f, dtype=np.uint8, count=n_examples * n_tags).reshape(n_examples, n_tags)
    return scores, labels


def sklearn_metrics(scores: np.ndarray, labels: np.ndarray) -> dict:
    """What compute_metrics computes, with scikit-learn (every tag has both classes here)."""
    roc = roc_auc_score(labels, scores, average=None)
    ap = average_precision_score(labels, scores, average=None)
    return {
        "roc_auc": roc.tolist(),
        "pr_auc": ap.tolist(),
        "macro_roc_auc": float(np.nanmean(roc)),
        "macro_pr_auc": float(np.nanmean(ap)),
        "micro_roc_auc": float(roc_auc_score(labels, scores, average="micro")),
        "micro_pr_auc": float(average_precision_score(labels, scores, average="micro")),
    }


def max_difference(ours: dict, theirs: dict) -> float:
    diffs = [abs(a - b) for key in ("roc_auc", "pr_auc") for a, b in zip(ours[key], theirs[key])]
    diffs += [abs(ours[key] - theirs[key]) for key in ("macro_roc_auc", "macro_pr_auc", "micro_roc_auc",
                                                       "micro_pr_auc")]
    return max(diffs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the built bench_metrics executable")
    parser.add_argument("--examples", type=int, default=1_000_000)
    parser.add_argument("--tags", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", default="1,0", help="compute_metrics thread counts to time (0 = all cores)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of ours (fastest kept); sklearn runs once")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="musictag-bench-metrics-") as tmp:
        path = pathlib.Path(tmp) / "predictions.bin"
        write_arrays(path, args.examples, args.tags, args.seed)
        print(f"data: {args.examples} x {args.tags} float32 scores + uint8 labels ({path.stat().st_size / 1e6:.0f} MB), "
              f"sklearn {sklearn.__version__}, numpy {np.__version__}, {os.cpu_count()} cores")

        scores, labels = read_arrays(path)
        start = time.perf_counter()
        theirs = sklearn_metrics(scores, labels)
        sklearn_seconds = time.perf_counter() - start
        del scores, labels
        print(f"scikit-learn: {sklearn_seconds:.2f} s")

        for threads in (int(t) for t in args.threads.split(",")):
            run = subprocess.run([args.binary, str(path), "--threads", str(threads), "--repeats", str(args.repeats)],
                                 check=True, capture_output=True, text=True)
            ours = json.loads(run.stdout)
            seconds = min(ours["seconds"])
            label = "all cores" if threads == 0 else f"{threads} thread{'s' if threads > 1 else ''}"
            print(f"musictag ({label}): {seconds:.3f} s (runs: {', '.join(f'{s:.3f}' for s in ours['seconds'])}), "
                  f"max |musictag - sklearn| = {max_difference(ours, theirs):.2e}, "
                  f"ratio sklearn / musictag = {sklearn_seconds / seconds:.1f}x")


if __name__ == "__main__":
    main()
