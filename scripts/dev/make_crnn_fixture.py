#!/usr/bin/env python3
"""Writes tests/fixtures/crnn/: the CRNN in PyTorch (the twin of train/models/crnn.h), its state, outputs and gradients.

Dev-only (needs torch from the venv that scripts/setup.sh builds, i.e. the same libtorch musictag links):
    "$MUSICTAG_VENV/bin/python" scripts/dev/make_crnn_fixture.py          # writes the fixture
    "$MUSICTAG_VENV/bin/python" scripts/dev/make_crnn_fixture.py --time   # times the default model instead

For each small case (fixed seed, 1 thread) it builds the model, randomises BatchNorm affine parameters and running
statistics (so eval mode is not an identity), and records:
  state/<key>   every state_dict entry in registration order (parameters and buffers)
  input, targets
  eval_logits   forward in eval mode (running statistics)
  train_logits  forward in train mode (batch statistics; the cases use dropout 0 so this is deterministic)
  loss          mean binary cross-entropy with logits against `targets`
  grad/<name>   d loss / d parameter, for every parameter
  after/<key>   every buffer after the train-mode forward (updated running statistics)
Layout: index.json lists per case the options and, per tensor, name, dtype (float32 | int64), shape and byte
offset into <case>.bin (raw little-endian, C order). tests/train/crnn_fixture_test.cpp loads the state by name
into musictag::train::Crnn and compares everything within 1e-5 (abs + rel).
"""
import argparse
import json
import pathlib
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(ROOT / "scripts" / "dev"))
import musictag.models  # noqa: E402  (the PyTorch twins, python/musictag)
import tensor_fixture  # noqa: E402
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "crnn"


def Crnn(pool_sizes, **options):
    """The package's twin (python/musictag/models.py) with pools given as [freq, time] pairs, as the fixture stores them."""
    return musictag.models.Crnn(pool_sizes=[f"{f}x{t}" for f, t in pool_sizes], **options)


CASES = [
    # The paper's pools on 96 mels; 200 frames -> 100 -> 33 -> 8 -> 2 GRU steps (floors on the way).
    dict(name="paper_pools", seed=11, batch=2, n_frames=200,
         model=dict(n_tags=5, n_mels=96, conv_channels=[8, 16, 16, 16],
                    pool_sizes=[[2, 2], [3, 3], [4, 4], [4, 4]], gru_hidden=8, gru_layers=2)),
    # 48 mels under four 2x2 pools leave 3 bins, folded into the GRU input (8 ch x 3 bins); 8 steps, 1 layer.
    dict(name="folded_freq", seed=12, batch=3, n_frames=128,
         model=dict(n_tags=4, n_mels=48, conv_channels=[4, 8, 8, 8],
                    pool_sizes=[[2, 2], [2, 2], [2, 2], [2, 2]], gru_hidden=6, gru_layers=1)),
    # The demo's option: BatchNorm1d on the GRU's input features (16 ch x 1 bin), over batch and 2 steps.
    dict(name="sequence_norm", seed=13, batch=3, n_frames=200,
         model=dict(n_tags=5, n_mels=96, conv_channels=[8, 16, 16, 16],
                    pool_sizes=[[2, 2], [3, 3], [4, 4], [4, 4]], gru_hidden=8, gru_layers=2, sequence_norm=True)),
]


def randomise_batchnorm(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                n = m.num_features
                is_input = m is model.input_bn
                m.weight.copy_(0.5 + torch.rand(n, generator=gen))
                m.bias.copy_(0.1 * torch.randn(n, generator=gen))
                m.running_mean.copy_((-30.0 if is_input else 0.0) + torch.randn(n, generator=gen))
                m.running_var.copy_((100.0 if is_input else 1.0) * (0.5 + torch.rand(n, generator=gen)))
                m.num_batches_tracked.fill_(7)


def run_case(case):
    torch.manual_seed(case["seed"])
    gen = torch.Generator().manual_seed(case["seed"] + 1000)
    model = Crnn(**case["model"], conv_dropout=0.0, gru_dropout=0.0)
    randomise_batchnorm(model, gen)
    cfg = case["model"]
    x = -30.0 + 10.0 * torch.randn(case["batch"], cfg["n_mels"], case["n_frames"], generator=gen)
    y = (torch.rand(case["batch"], cfg["n_tags"], generator=gen) < 0.3).float()

    return model, tensor_fixture.twin_tensors(model, x, y)


def write_case(case, tensors, out_dir):
    return tensor_fixture.write_case(case["name"], tensors, out_dir, batch=case["batch"], n_frames=case["n_frames"],
                                     seed=case["seed"], model=dict(case["model"], conv_dropout=0.0, gru_dropout=0.0))


def time_default(threads, batch, steps):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Crnn(n_tags=50).train()
    x, y = torch.randn(batch, 96, 1366), (torch.rand(batch, 50) < 0.1).float()

    def step():
        model.zero_grad()
        F.binary_cross_entropy_with_logits(model(x), y).backward()

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = (time.perf_counter() - start) / steps
    print(f"python torch {torch.__version__}: default CRNN, batch {batch}, {threads} threads, forward+backward "
          f"{seconds:.3f} s/step = {batch / seconds:.2f} samples/s "
          f"({sum(p.numel() for p in model.parameters())} parameters)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--time", action="store_true", help="time forward+backward of the default model instead")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    if args.time:
        time_default(args.threads, args.batch, args.steps)
        return
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    index = dict(format="musictag tensor fixture 1", generator="scripts/dev/make_crnn_fixture.py",
                 torch=torch.__version__, tolerance=dict(abs=1e-5, rel=1e-5), cases=[])
    for case in CASES:
        model, tensors = run_case(case)
        index["cases"].append(write_case(case, tensors, args.out))
        print(f"{case['name']}: {sum(p.numel() for p in model.parameters())} parameters, "
              f"{len(tensors)} tensors", file=sys.stderr)
    (args.out / "index.json").write_text(json.dumps(index, indent=1) + "\n")


if __name__ == "__main__":
    main()
