#!/usr/bin/env python3
"""Writes tests/fixtures/metrics/sklearn_metrics.json: scikit-learn's ROC-AUC / average precision on small cases.

Dev-only (needs numpy + scikit-learn from the venv that scripts/setup.sh builds):
    "$MUSICTAG_VENV/bin/python" scripts/dev/make_metrics_fixture.py
The output is deterministic (fixed seeds) and committed; tests/eval/test_metrics_sklearn.cpp compares
musictag::eval::compute_metrics against it to 1e-9.

Conventions matching musictag's: a tag with only one class has undefined ROC-AUC and AP (null here; sklearn
itself returns NaN for ROC-AUC, and 0.0 / 1.0 for AP with no positives / no negatives), and the macro averages
cover the other tags only. Micro averages are sklearn's average="micro" (all (example, tag) pairs, undefined
tags included). Scores are float32 values written as their shortest decimal that parses (via double, as
nlohmann-json does) back to the same float32, so both sides rank exactly the same numbers.
"""
import argparse
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "metrics" / "sklearn_metrics.json"


def float32_json_value(x: np.float32) -> float:
    """The shortest decimal of a float32 as a Python float, checked to round-trip through double to float32."""
    value = float(np.format_float_positional(np.float32(x), unique=True, trim="-"))
    assert np.float32(value) == x or (np.isnan(x) and np.isnan(value)), (x, value)
    return value


def expected_metrics(scores: np.ndarray, labels: np.ndarray) -> dict:
    n, n_tags = labels.shape
    roc, ap = [], []
    for t in range(n_tags):
        y, s = labels[:, t], scores[:, t].astype(np.float64)
        if 0 < y.sum() < n:
            roc.append(float(roc_auc_score(y, s)))
            ap.append(float(average_precision_score(y, s)))
        else:
            roc.append(None)
            ap.append(None)
    defined_roc = [v for v in roc if v is not None]
    defined_ap = [v for v in ap if v is not None]
    flat_labels = labels.ravel()
    micro_defined = 0 < flat_labels.sum() < flat_labels.size
    return {
        "roc_auc": roc,
        "pr_auc": ap,
        "macro_roc_auc": float(np.mean(defined_roc)) if defined_roc else None,
        "macro_pr_auc": float(np.mean(defined_ap)) if defined_ap else None,
        "micro_roc_auc": float(roc_auc_score(labels, scores.astype(np.float64), average="micro"))
        if micro_defined else None,
        "micro_pr_auc": float(average_precision_score(labels, scores.astype(np.float64), average="micro"))
        if micro_defined else None,
        "tags_without_positives": [t for t in range(n_tags) if labels[:, t].sum() == 0],
        "tags_without_negatives": [t for t in range(n_tags) if labels[:, t].sum() == n],
    }


def make_case(name: str, description: str, scores, labels) -> dict:
    scores = np.asarray(scores, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.uint8)
    assert scores.shape == labels.shape and scores.ndim == 2
    return {
        "name": name,
        "description": description,
        "n_examples": int(labels.shape[0]),
        "n_tags": int(labels.shape[1]),
        "scores": [float32_json_value(x) for x in scores.ravel()],
        "labels": [int(x) for x in labels.ravel()],
        "expected": expected_metrics(scores, labels),
    }


def random_labels(rng, n, prevalences):
    labels = (rng.random((n, len(prevalences))) < np.asarray(prevalences)).astype(np.uint8)
    labels[0, :] = 1  # both classes in every tag
    labels[1, :] = 0
    return labels


def informative_scores(rng, labels, separation, decimals=None):
    logits = rng.normal(size=labels.shape) + separation * labels
    scores = 1.0 / (1.0 + np.exp(-logits))
    return np.round(scores, decimals) if decimals is not None else scores


def build_cases() -> list:
    rng = np.random.default_rng(20261124)
    cases = []
    cases.append(make_case(
        "ties", "heavy ties inside and across classes",
        [[0.5, 0.1, 1.0], [0.5, 0.1, 1.0], [0.5, 0.2, 0.0], [0.7, 0.2, 0.0], [0.2, 0.2, 1.0], [0.7, 0.1, 0.5],
         [0.2, 0.3, 0.5], [0.5, 0.3, 0.0]],
        [[1, 0, 1], [0, 1, 0], [1, 0, 1], [1, 1, 0], [0, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0]]))
    cases.append(make_case(
        "one_class_tags", "tag 1 has no positives, tag 3 no negatives",
        rng.random((20, 4)), np.column_stack([random_labels(rng, 20, [0.4])[:, 0], np.zeros(20),
                                              random_labels(rng, 20, [0.6])[:, 0], np.ones(20)])))
    cases.append(make_case(
        "constant_scores", "every score equal: ROC-AUC 0.5, AP = prevalence",
        np.full((15, 3), 0.25), random_labels(rng, 15, [0.2, 0.5, 0.8])))
    signed = rng.normal(scale=5.0, size=(40, 3)).astype(np.float32)
    signed[:6, 0] = [0.0, -0.0, 0.0, -0.0, 3.0, -3.0]  # -0.0 must tie with +0.0
    signed[6:9, 1] = [np.finfo(np.float32).max, -np.finfo(np.float32).max, np.finfo(np.float32).tiny]
    cases.append(make_case(
        "signed_logits", "negative and positive logits, +0 and -0, extreme float32 values",
        signed, random_labels(rng, 40, [0.3, 0.5, 0.7])))
    labels = random_labels(rng, 300, [0.1, 0.3, 0.5, 0.05, 0.7])
    cases.append(make_case(
        "random_continuous", "300 x 5, informative sigmoid scores, few ties",
        informative_scores(rng, labels, 1.0), labels))
    labels = random_labels(rng, 257, [0.2, 0.4, 0.03, 0.6])
    cases.append(make_case(
        "random_coarse", "257 x 4, scores rounded to 2 decimals: many ties",
        informative_scores(rng, labels, 0.8, decimals=2), labels))
    labels = random_labels(rng, 600, [0.02, 0.15, 0.5, 0.9, 0.3])
    cases.append(make_case(
        "random_large", "600 x 5 (radix-sort path), rare and common tags, scores rounded to 3 decimals",
        informative_scores(rng, labels, 1.5, decimals=3), labels))
    labels = random_labels(rng, 200, [0.5, 0.5])
    cases.append(make_case(
        "random_uninformative", "200 x 2, scores independent of labels",
        rng.random((200, 2)), labels))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    fixture = {
        "generator": "scripts/dev/make_metrics_fixture.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "layout": "scores and labels row-major [n_examples, n_tags]; null = undefined (tag has one class)",
        "cases": build_cases(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(fixture['cases'])} cases)")


if __name__ == "__main__":
    main()
