#!/usr/bin/env python3
"""Compares the model weights of two musictag checkpoints tensor by tensor (an independent reader: PyTorch's own
zip and pickle format, see train/checkpoint.h). Exit 0 when every tensor's largest absolute difference is at most
--tolerance (0 = bit-identical), 1 otherwise; prints the largest difference and the tensor holding it."""
import argparse
import io
import json
import math
import sys
import zipfile

import torch


def load(path):
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        prefix = names[0].split("/")[0]
        weights = torch.load(io.BytesIO(archive.read(f"{prefix}/model.pt")), weights_only=False)
        meta = json.loads(archive.read(f"{prefix}/meta.json"))
    return dict(weights), meta


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--tolerance", type=float, default=0.0)
    args = parser.parse_args()
    a, meta_a = load(args.a)
    b, meta_b = load(args.b)
    if sorted(a) != sorted(b):
        print(f"different tensors: {sorted(set(a) ^ set(b))}")
        return 1
    worst, worst_name = 0.0, ""
    for name in sorted(a):
        x, y = a[name], b[name]
        if x.shape != y.shape:
            print(f"{name}: shapes {list(x.shape)} and {list(y.shape)}")
            return 1
        diff = (x.double() - y.double()).abs().max().item() if x.numel() else 0.0
        if math.isnan(diff):
            print(f"{name}: NaN")
            return 1
        if diff > worst:
            worst, worst_name = diff, name
    step_a = meta_a.get("progress", {}).get("step")
    step_b = meta_b.get("progress", {}).get("step")
    print(f"{len(a)} tensors, largest difference {worst:.3g} ({worst_name or 'none'}), steps {step_a} and {step_b}, "
          f"tolerance {args.tolerance:g}")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
