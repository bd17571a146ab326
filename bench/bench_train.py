#!/usr/bin/env python3
"""Baseline for bench_train: the same CRNN (the PyTorch twin in scripts/dev/make_crnn_fixture.py, same layers and
initialisation) trained with the same loss and Adam on in-memory batches, on the Python torch that setup installs
(the libtorch that musictag links). Prints one JSON line like bench_train's. --compile adds torch.compile."""
import argparse
import json
import pathlib
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts" / "dev"))
from make_crnn_fixture import Crnn  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--frames", type=int, default=256)
    p.add_argument("--channels", type=int, nargs="+", default=[24, 32, 32, 32])
    p.add_argument("--gru", type=int, default=32)
    p.add_argument("--tags", type=int, default=21)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--compile", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    device = torch.device(a.device)
    model = Crnn(a.tags, n_mels=96, conv_channels=a.channels, gru_hidden=a.gru).to(device)
    step_model = torch.compile(model) if a.compile else model
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    memory = [((torch.randn(a.batch, 96, a.frames) * 20 - 30).to(device),
               (torch.rand(a.batch, a.tags) < 0.1).float().to(device)) for _ in range(4)]
    start = None
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
        mel, target = memory[step % len(memory)]
        loss = F.binary_cross_entropy_with_logits(step_model(mel), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(json.dumps({"impl": "python" + ("+compile" if a.compile else ""), "source": "memory", "ranks": 1,
                      "threads": a.threads, "batch": a.batch, "frames": a.frames, "steps": a.steps,
                      "seconds": round(seconds, 4), "samples_per_s": round(a.steps * a.batch / seconds, 3)}))


if __name__ == "__main__":
    main()
