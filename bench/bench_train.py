#!/usr/bin/env python3
"""Baseline for bench_train: the same model in PyTorch (the twins in python/musictag/models.py: same layers, ops and
state names) trained with the same loss and Adam on in-memory batches, on the Python torch that setup installs (the
libtorch that musictag links). Prints one JSON line like bench_train's.

The model: --model-json '{"kind": ..., "options": {...}}' as `bench_train --print-model ...` prints it (any kind of
the model zoo, exactly the model bench_train builds); without it, the CRNN from the CRNN flags (--frames, --channels,
--gru, --tags; 96 mels), as bench_train builds it without --kind/--config. With --model-json, those flags may still be
given (bench/bench_train.sh passes the same flags to both programs) but must agree with the JSON.
--compile adds torch.compile; --device cuda runs on the GPU; --precision bf16 wraps forward and loss in autocast, as
bench_train --precision bf16 (and train.precision) does."""
import argparse
import json
import pathlib
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python"))
from musictag.models import build_model  # noqa: E402

# bench_train's CRNN flags: (flag default, option key). The defaults are bench_train's (bench/bench_train.cpp).
CRNN_FLAGS = {"frames": (256, "n_frames"), "channels": ([24, 32, 32, 32], "conv_channels"), "gru": (32, "gru_hidden"),
              "tags": (21, "n_tags")}


def model_spec(a):
    """(kind, options) from --model-json, or the CRNN from the CRNN flags."""
    if a.model_json is None:
        options = {"n_mels": 96}
        for flag, (default, key) in CRNN_FLAGS.items():
            value = getattr(a, flag)
            options[key] = default if value is None else value
        return "crnn", options
    spec = json.loads(a.model_json)
    if not isinstance(spec, dict) or "kind" not in spec or "options" not in spec:
        sys.exit(f"--model-json: expected {{\"kind\": ..., \"options\": {{...}}}}, got {a.model_json}")
    kind, options = spec["kind"], spec["options"]
    for flag, (_, key) in CRNN_FLAGS.items():
        value = getattr(a, flag)
        if value is not None and options.get(key) != value:
            sys.exit(f"--{flag} {value} disagrees with --model-json's {key} = {options.get(key)}")
    return kind, options


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-json", help="kind and options as `bench_train --print-model` prints them")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--frames", type=int, help="CRNN frames per example (default 256)")
    p.add_argument("--channels", type=int, nargs="+", help="CRNN conv channels (default 24 32 32 32)")
    p.add_argument("--gru", type=int, help="CRNN GRU hidden units (default 32)")
    p.add_argument("--tags", type=int, help="CRNN output tags (default 21)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--compile", action="store_true")
    a = p.parse_args()
    kind, options = model_spec(a)
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    device = torch.device(a.device)
    model = build_model(kind, options).to(device)
    model.train()
    # Waveform input (sample-level models, the Harmonic CNN, frontend: logmel) [batch, n_samples] of audio-like
    # values, else log-mels [batch, n_mels, n_frames] in dB, as bench_train.cpp makes them.
    waveform = "n_samples" in options
    n_tags = options["n_tags"]
    n_mels, n_frames = (0, options["n_samples"]) if waveform else (options["n_mels"], options["n_frames"])
    step_model = torch.compile(model) if a.compile else model
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    shape = (a.batch, n_frames) if waveform else (a.batch, n_mels, n_frames)
    memory = [((torch.randn(*shape) * 0.1 if waveform else torch.randn(*shape) * 20 - 30).to(device),
               (torch.rand(a.batch, n_tags) < 0.1).float().to(device)) for _ in range(4)]
    start = None
    step_seconds = []  # per step, warmup included (on CUDA: launch time, not synchronised)
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
        step_start = time.perf_counter()
        mel, target = memory[step % len(memory)]
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = F.binary_cross_entropy_with_logits(step_model(mel).float(), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        step_seconds.append(round(time.perf_counter() - step_start, 4))
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(json.dumps({"impl": "python" + ("+compile" if a.compile else ""), "kind": kind, "source": "memory",
                      "device": device.type, "precision": a.precision,
                      "ranks": 1, "threads": a.threads,
                      "input": "waveform" if waveform else "logmel", "batch": a.batch, "n_mels": n_mels, "frames": n_frames,
                      "warmup": a.warmup, "steps": a.steps, "seconds": round(seconds, 4),
                      "samples_per_s": round(a.steps * a.batch / seconds, 3),
                      "params": sum(p.numel() for p in model.parameters() if p.requires_grad),
                      "step_seconds": step_seconds}))


if __name__ == "__main__":
    main()
