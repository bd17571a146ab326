#!/usr/bin/env python3
"""Writes tests/fixtures/zoo/: every model-zoo kind in PyTorch (python/musictag, the twins of train/models/), reduced
in width, with its state, outputs and gradients, for tests/train/model_zoo_fixture_test.cpp (log-mel kinds) and
tests/train/waveform_twin_test.cpp (waveform kinds and a log-mel kind on the device frontend).

Torch from the venv that scripts/setup.sh builds, i.e. the libtorch musictag links:
    "$MUSICTAG_VENV/bin/python" scripts/dev/make_zoo_fixture.py [OUTPUT_DIR]
ctest runs it into the build folder before the tests that read it (train.zoo_fixture.make), because the float32
kernels ATen picks differ between CPUs (AVX2 vs AVX-512: Sleef's exp/sin, FFT and convolution blockings), so the
C++ side is compared with Python on the same machine; the committed copy is the fallback without a venv.

Per case (fixed seed, 1 thread, dropout 0), with every BatchNorm's affine parameters and running statistics
randomised so eval mode is not an identity: state/<key>, input, targets, eval_logits, train_logits, loss (mean
BCE with logits), grad/<name> for every parameter, after/<key> every buffer after the train-mode forward. The index
holds each case's kind and its options exactly as a musictag checkpoint stores them (meta.json model.options).
"""
import json
import pathlib
import sys

import torch
import torch.nn as nn

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(ROOT / "scripts" / "dev"))
import musictag  # noqa: E402
import tensor_fixture  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "zoo"

CASES = [
    dict(name="fcn", kind="fcn", seed=21, batch=3,
         options=dict(n_tags=5, n_mels=32, n_frames=64, conv_channels=[4, 8, 6], pool_sizes=["2x4", "4x4", "4x2"],
                      dropout=0.0)),
    dict(name="musicnn", kind="musicnn", seed=25, batch=3,
         options=dict(n_tags=5, n_mels=32, n_frames=24, timbral_fractions=[0.7, 0.4], timbral_channels=6,
                      temporal_lengths=[9, 5], temporal_channels=4, backend_channels=5, dense_channels=7,
                      dropout=0.0)),
    dict(name="crnn_won", kind="crnn_won", seed=22, batch=2,
         options=dict(n_tags=4, n_mels=48, n_frames=96, conv_channels=[4, 8, 8, 8],
                      pool_sizes=["2x2", "3x3", "4x4", "2x2"], gru_hidden=6, gru_layers=2, dropout=0.0)),
    dict(name="short_chunk_cnn", kind="short_chunk_cnn", seed=23, batch=3,
         options=dict(n_tags=6, n_mels=32, n_frames=40, conv_channels=[4, 8, 8, 16], dropout=0.0)),
    dict(name="short_chunk_resnet", kind="short_chunk_resnet", seed=24, batch=3,
         options=dict(n_tags=6, n_mels=32, n_frames=40, conv_channels=[4, 4, 8, 16], dropout=0.0)),
    dict(name="self_attention", kind="self_attention", seed=26, batch=2,
         options=dict(n_tags=5, n_mels=16, n_frames=24, conv_channels=[4, 8, 8, 8], time_stride_blocks=2,
                      attention_heads=2, attention_layers=2, intermediate_size=12, hidden_dropout=0.0,
                      attention_dropout=0.0, dropout=0.0)),
    # Waveform input [batch, n_samples] (train/models/sample_cnn.h, harmonic_cnn.h, frontend_model.h); the harmonic
    # CNN at hop 32 so its 288 frames need only 9,216 samples.
    dict(name="sample_cnn", kind="sample_cnn", seed=27, batch=3,
         options=dict(n_tags=5, n_samples=243, sample_rate=16000, conv_channels=[4, 8, 8, 6, 6, 6], dropout=0.0)),
    dict(name="sample_cnn_se", kind="sample_cnn_se", seed=28, batch=3,
         options=dict(n_tags=5, n_samples=250, sample_rate=16000, conv_channels=[4, 4, 8, 8, 8, 8], dropout=0.0)),
    dict(name="harmonic_cnn", kind="harmonic_cnn", seed=29, batch=2,
         options=dict(n_tags=4, n_samples=9216, sample_rate=16000, n_fft=512, hop_length=32, n_harmonics=6,
                      semitone_scale=2, lowest_midi=24, bandwidth_q=1.3, learn_q=True, channels=3, dropout=0.0)),
    dict(name="short_chunk_cnn_logmel", kind="short_chunk_cnn", seed=30, batch=2,
         options=dict(n_tags=6, n_mels=32, n_frames=40, conv_channels=[4, 8, 8, 16], dropout=0.0,
                      frontend="logmel", n_samples=9984,
                      features=dict(sample_rate=16000, n_fft=512, hop_length=256, fmin=0.0, fmax=8000.0,
                                    mel_scale="htk", mel_norm="none", window="hann", center=True,
                                    pad_mode="reflect", power=2.0, amin=1e-10, ref=1.0, top_db=0.0,
                                    allow_empty_bands=True))),
]


def randomise_batchnorm(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                n = m.num_features
                first = m is getattr(model, "spec_bn", None) or m is getattr(model, "hstft_bn", None)  # raw dB
                m.weight.copy_(0.5 + torch.rand(n, generator=gen))
                m.bias.copy_(0.1 * torch.randn(n, generator=gen))
                m.running_mean.copy_((-30.0 if first else 0.0) + torch.randn(n, generator=gen))
                m.running_var.copy_((100.0 if first else 1.0) * (0.5 + torch.rand(n, generator=gen)))
                m.num_batches_tracked.fill_(7)


def run_case(case):
    torch.manual_seed(case["seed"])
    gen = torch.Generator().manual_seed(case["seed"] + 1000)
    options = case["options"]
    model = musictag.build_model(case["kind"], options)
    randomise_batchnorm(model, gen)
    if "n_samples" in options:  # a waveform
        x = 0.1 * torch.randn(case["batch"], options["n_samples"], generator=gen)
    else:
        x = -30.0 + 10.0 * torch.randn(case["batch"], options["n_mels"], options["n_frames"], generator=gen)
    y = (torch.rand(case["batch"], options["n_tags"], generator=gen) < 0.3).float()
    return model, tensor_fixture.twin_tensors(model, x, y)


def main():
    torch.set_num_threads(1)
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    index = dict(format="musictag tensor fixture 1", generator="scripts/dev/make_zoo_fixture.py",
                 torch=torch.__version__, tolerance=dict(abs=1e-5, rel=1e-5), cases=[])
    for case in CASES:
        model, tensors = run_case(case)
        index["cases"].append(tensor_fixture.write_case(case["name"], tensors, out, kind=case["kind"],
                                                        seed=case["seed"], batch=case["batch"],
                                                        options=case["options"]))
        print(f"{case['name']}: {sum(p.numel() for p in model.parameters())} parameters, {len(tensors)} tensors",
              file=sys.stderr)
    (out / "index.json").write_text(json.dumps(index, indent=1) + "\n")


if __name__ == "__main__":
    main()
