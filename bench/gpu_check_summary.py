#!/usr/bin/env python3
"""Summary of bench/gpu_check.sh: reads its gpu_check.jsonl, prints the tables and writes summary.json.

Usage: gpu_check_summary.py JSONL SUMMARY_JSON DEVICE"""
import json
import sys


def main():
    jsonl, summary_path, device = sys.argv[1:4]
    lines = [json.loads(line) for line in open(jsonl) if line.strip()]
    tests = [l for l in lines if l.get("bench") == "tests"]
    runs = [l for l in lines if "impl" in l and "samples_per_s" in l]
    problems = [l for l in lines if l.get("bench") in ("train_failed", "train_skipped")]
    loader = [l for l in lines if l.get("bench") == "loader"]

    print("tests: " + "; ".join(f"{t['binary']}: {t['passed']} passed, {len(t['failed'])} failed, "
                                 f"{t['skipped']} skipped (rc {t['rc']})" for t in tests))
    for t in tests:
        for name in t["failed"]:
            print(f"  FAILED {name}")
        for name, values in t.get("measured", {}).items():
            print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))

    # Training: one row per (model, batch, precision), samples/s per implementation.
    rows = {}
    for r in runs:
        key = (r["kind"], r["batch"], r.get("precision", "fp32"))
        rows.setdefault(key, {})[r["impl"]] = r["samples_per_s"]
    training = []
    print(f"\ntraining samples/s on {device} (C++ = bench_train, eager / compile = bench_train.py; ratio = C++ / it)")
    print(f"{'model':<19} {'batch':>5} {'prec':<5} | {'C++':>9} {'eager':>9} {'ratio':>6} | {'compile':>9} {'ratio':>6}")
    for (kind, batch, precision), impls in sorted(rows.items()):
        cpp, eager, compiled = impls.get("cpp"), impls.get("python"), impls.get("python+compile")
        row = {"model": kind, "batch": batch, "precision": precision, "cpp": cpp, "eager": eager, "compile": compiled,
               "cpp_vs_eager": cpp / eager if cpp and eager else None,
               "cpp_vs_compile": cpp / compiled if cpp and compiled else None}
        training.append(row)
        f = lambda x: f"{x:9.1f}" if x else f"{'-':>9}"
        g = lambda x: f"{x:6.2f}" if x else f"{'-':>6}"
        print(f"{kind:<19} {batch:>5} {precision:<5} | {f(cpp)} {f(eager)} {g(row['cpp_vs_eager'])} | "
              f"{f(compiled)} {g(row['cpp_vs_compile'])}")
    for p in problems:
        print(f"  {p['bench']}: {p.get('impl')} {p.get('model')} batch {p.get('batch')} {p.get('precision')}"
              f" ({p.get('reason') or 'rc ' + str(p.get('rc'))})")

    # Loader against the fastest C++ training rate of the model with the same input shape.
    feeding = []
    print(f"\nloader (bench_loader, random order, pinned on a GPU) vs the fastest C++ training rate of the model")
    print(f"{'model':<19} {'input':>9} {'train/s':>9} | {'dtype':<7} " + " ".join(f"{'T=' + str(t):>8}"
                                                                             for t in sorted({l['threads'] for l in loader}))
          + " | threads needed")
    for kind in sorted({r["kind"] for r in runs}):
        mine = [r for r in runs if r["kind"] == kind and r["impl"] == "cpp"]
        if not mine:
            continue
        fastest = max(mine, key=lambda r: r["samples_per_s"])
        shape = (fastest["n_mels"], fastest["frames"])
        for dtype in ("float32", "float16"):
            rates = {l["threads"]: l["loader_samples_per_s"] for l in loader
                     if (l["n_mels"], l["frames"]) == shape and l.get("mel_dtype", "float32") == dtype}
            if not rates:
                continue
            enough = [t for t in sorted(rates) if rates[t] >= fastest["samples_per_s"]]
            needed = enough[0] if enough else None
            feeding.append({"model": kind, "n_mels": shape[0], "frames": shape[1], "mel_dtype": dtype,
                            "train_samples_per_s": fastest["samples_per_s"], "train_batch": fastest["batch"],
                            "train_precision": fastest.get("precision"), "loader_samples_per_s": rates,
                            "threads_needed": needed})
            print(f"{kind:<19} {shape[0]:>4}x{shape[1]:<4} {fastest['samples_per_s']:9.1f} | {dtype:<7} "
                  + " ".join(f"{rates[t]:8.1f}" for t in sorted(rates))
                  + f" | {needed if needed else '> ' + str(max(rates))}")
    floor = [(l["frames"], l["threads"], l.get("mel_dtype"), l["ratio"]) for l in loader]
    if floor:
        print("loader / HDF5 floor (same examples read raw): " +
              ", ".join(f"{f} frames {d} T={t}: {r:.2f}" for f, t, d, r in floor))
    json.dump({"device": device, "tests": tests, "training": training, "problems": problems, "loader_vs_training":
               feeding, "loader": loader}, open(summary_path, "w"), indent=1)


if __name__ == "__main__":
    main()
