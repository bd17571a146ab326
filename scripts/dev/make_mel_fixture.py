#!/usr/bin/env python3
"""Writes tests/fixtures/mel/: librosa's log-mel spectrograms and mel filterbank, the reference for the C++ frontend.

Dev-only (needs numpy + librosa 0.10 + soundfile from the venv that scripts/setup.sh builds, and the real clips in
/work/shared/data/real-music or --source-dir):
    "$MUSICTAG_VENV/bin/python" scripts/dev/make_mel_fixture.py [--source-dir DIR] [--out tests/fixtures/mel]
The output is committed; tests/preprocess/mel_spectrogram_test.cpp feeds the stored float32 samples (so no
decoder is involved) to musictag::preprocess::MelSpectrogram and compares with the stored log-mel, and
mel_filterbank_test.cpp compares MelFilterbank with filterbank.npy (Slaney scale and norm, the defaults) and
filterbank_htk.npy (HTK scale, no norm, 16 kHz, n_fft 400).

Each case stores two .npy files (float32, C order): `<name>.samples.npy` [n] (mono at 12 kHz) and
`<name>.logmel.npy` [n_mels, n_frames] =
    librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=12000, n_fft=512, hop_length=256, n_mels=96),
                        ref=1.0, amin=1e-10, top_db=None)
with librosa 0.10's other defaults (periodic Hann, center=True, pad_mode="constant", power=2, Slaney scale and
norm). Real cases are a 6 s excerpt from the middle of `librosa.load(path, sr=12000, mono=True)` (soxr_hq
resampling); synthetic cases are 1 s of silence and a 100-sample sine (shorter than n_fft). index.json lists
the source files with their sha256, librosa/numpy versions, parameters and shapes.
"""
import argparse
import hashlib
import json
import pathlib
import platform

import librosa
import numpy as np

PARAMS = dict(sample_rate=12000, n_fft=512, hop_length=256, n_mels=96, fmin=0.0, fmax=6000.0, mel_scale="slaney",
              mel_norm="slaney", window="hann (periodic)", center=True, pad_mode="constant", power=2.0,
              amin=1e-10, ref=1.0, top_db=None)
CLIPS = ["bensound-cute.mp3", "TRWJAZW128F42760DD_test.mp3", "flamenco.wav"]
# Won et al. 2020's frontend (../shared/models-won2020.md): 16 kHz, HTK scale without norm, f_max 8000, reflect pad.
WON_PARAMS = dict(PARAMS, sample_rate=16000, n_mels=128, fmax=8000.0, mel_scale="htk", mel_norm="none",
                  pad_mode="reflect")
WON_CLIPS = ["bensound-cute.mp3"]
EXCERPT_SECONDS = 6.0


def log_mel(y, p=PARAMS):
    s = librosa.feature.melspectrogram(y=y, sr=p["sample_rate"], n_fft=p["n_fft"], hop_length=p["hop_length"],
                                       n_mels=p["n_mels"], fmin=p["fmin"], fmax=p["fmax"],
                                       htk=p["mel_scale"] == "htk", norm="slaney" if p["mel_norm"] == "slaney" else None,
                                       pad_mode=p["pad_mode"])
    return librosa.power_to_db(s, ref=p["ref"], amin=p["amin"], top_db=p["top_db"]).astype(np.float32)


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def save(out, name, array):
    array = np.ascontiguousarray(array, dtype="<f4")
    np.save(out / name, array, allow_pickle=False)
    return {"file": name, "shape": list(array.shape)}


def write_case(out, name, y, extra, p=PARAMS):
    y = np.asarray(y, dtype=np.float32)
    s = log_mel(y, p)
    case = {"name": name, **extra, "samples": save(out, f"{name}.samples.npy", y),
            "logmel": save(out, f"{name}.logmel.npy", s),
            "logmel_min_db": float(s.min()), "logmel_max_db": float(s.max())}
    print(f"{name}: {y.shape[0]} samples -> log-mel {s.shape}, [{s.min():.1f}, {s.max():.1f}] dB")
    return case


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", default="/work/shared/data/real-music")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/mel"))
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    p = PARAMS

    cases = []
    for clip in CLIPS:
        path = pathlib.Path(args.source_dir) / clip
        y, sr = librosa.load(path, sr=p["sample_rate"], mono=True)
        n = int(round(EXCERPT_SECONDS * sr))
        start = (y.shape[0] - n) // 2
        extra = {"source": f"real-music/{clip}", "source_sha256": sha256(path),
                 "load": f"librosa.load(path, sr={p['sample_rate']}, mono=True)", "loaded_samples": int(y.shape[0]),
                 "excerpt_start_sample": int(start), "excerpt_samples": n}
        cases.append(write_case(out, pathlib.Path(clip).stem, y[start:start + n], extra))

    sr = p["sample_rate"]
    cases.append(write_case(out, "silence", np.zeros(sr, dtype=np.float32), {"synthetic": "1 s of zeros"}))
    t = np.arange(100) / sr
    short = 0.5 * np.sin(2 * np.pi * 440.0 * t)
    cases.append(write_case(out, "short", short, {"synthetic": "100 samples of 0.5*sin(2*pi*440*t), < n_fft"}))

    won_cases = []
    for clip in WON_CLIPS:
        path = pathlib.Path(args.source_dir) / clip
        y, won_sr = librosa.load(path, sr=WON_PARAMS["sample_rate"], mono=True)
        n = int(round(EXCERPT_SECONDS * won_sr))
        start = (y.shape[0] - n) // 2
        extra = {"source": f"real-music/{clip}", "source_sha256": sha256(path),
                 "load": f"librosa.load(path, sr={WON_PARAMS['sample_rate']}, mono=True)",
                 "excerpt_start_sample": int(start), "excerpt_samples": n}
        won_cases.append(write_case(out, pathlib.Path(clip).stem + ".won2020", y[start:start + n], extra, WON_PARAMS))
    t = np.arange(100) / WON_PARAMS["sample_rate"]
    won_cases.append(write_case(out, "short.won2020", 0.5 * np.sin(2 * np.pi * 440.0 * t),
                                {"synthetic": "100 samples of 0.5*sin(2*pi*440*t) at 16 kHz: the reflection repeats"},
                                WON_PARAMS))

    fb = librosa.filters.mel(sr=sr, n_fft=p["n_fft"], n_mels=p["n_mels"], fmin=p["fmin"], fmax=p["fmax"],
                             htk=False, norm="slaney")
    # A second bank for the other scale and norm, at a non-power-of-two n_fft.
    fb_htk = librosa.filters.mel(sr=16000, n_fft=400, n_mels=40, fmin=20.0, fmax=7600.0, htk=True, norm=None)
    index = {
        "generator": "scripts/dev/make_mel_fixture.py",
        "versions": {"librosa": librosa.__version__, "numpy": np.__version__, "python": platform.python_version()},
        "parameters": p,
        "reference": "librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=12000, n_fft=512, "
                     "hop_length=256, n_mels=96), ref=1.0, amin=1e-10, top_db=None)",
        "filterbank": {**save(out, "filterbank.npy", fb),
                       "call": "librosa.filters.mel(sr=12000, n_fft=512, n_mels=96, fmin=0.0, fmax=6000.0, "
                               "htk=False, norm='slaney')"},
        "filterbank_htk": {**save(out, "filterbank_htk.npy", fb_htk), "sample_rate": 16000, "n_fft": 400,
                           "n_mels": 40, "fmin": 20.0, "fmax": 7600.0, "mel_scale": "htk", "mel_norm": "none",
                           "call": "librosa.filters.mel(sr=16000, n_fft=400, n_mels=40, fmin=20.0, fmax=7600.0, "
                                   "htk=True, norm=None)"},
        "cases": cases,
        "won2020_parameters": WON_PARAMS,
        "won2020_cases": won_cases,
    }
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    total = sum(f.stat().st_size for f in out.iterdir())
    print(f"wrote {out} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
