"""Twins of the device frontends of train/models/: waveform_stft, LogMelFrontend, HarmonicStft and FrontendModel.

Same operations in the same order as the C++ modules, so the same weights give the same outputs; the log-mel filterbank
follows preprocess' MelFilterbank (librosa.filters.mel's arithmetic) in numpy, without librosa.
"""
import math

import numpy as np
import torch
import torch.nn as nn


def periodic_hann(n_fft, dtype=torch.float32, device="cpu"):
    """The CPU frontend's window, 0.5 - 0.5 cos(2 pi i / n), by tensor ops in float64, returned in `dtype`."""
    i = torch.arange(n_fft, dtype=torch.float64, device=device)
    return (0.5 - 0.5 * torch.cos(i * (2.0 * math.pi) / n_fft)).to(dtype)


def _reflect_indices(n, pad, left):
    """numpy's "reflect" padding indices on one side (repeated for pads longer than the signal)."""
    period = 2 * (n - 1)
    out = []
    for j in range(pad):
        i = (j - pad if left else n + j) % period
        out.append(period - i if i >= n else i)
    return out


def waveform_stft(x, window, n_fft, hop_length, center=True, reflect=False, power=2.0):
    """|STFT|^power of [B, samples] -> [B, n_fft // 2 + 1, frames] in the window's dtype, autocast off."""
    with torch.autocast(device_type=x.device.type, enabled=False):
        x = x.to(window.dtype)
        if center:
            pad, n = n_fft // 2, x.size(1)
            if reflect and n > pad:
                x = torch.nn.functional.pad(x.unsqueeze(1), (pad, pad), mode="reflect").squeeze(1)
            elif reflect and n >= 2:
                left = x.index_select(1, torch.tensor(_reflect_indices(n, pad, True), device=x.device))
                right = x.index_select(1, torch.tensor(_reflect_indices(n, pad, False), device=x.device))
                x = torch.cat([left, x, right], dim=1)
            else:
                x = torch.nn.functional.pad(x, (pad, pad))
        spec = torch.stft(x, n_fft, hop_length, n_fft, window, center=False, normalized=False, onesided=True,
                          return_complex=True)
        if power == 2.0:
            return torch.view_as_real(spec).pow(2).sum(-1)
        return spec.abs() if power == 1.0 else spec.abs().pow(power)


def as_waveform_batch(x):
    x = x.squeeze(1) if x.dim() == 3 and x.size(1) == 1 else x
    if x.dim() != 2 or x.size(1) < 1:
        raise ValueError(f"expected a waveform batch [batch, samples], got {list(x.shape)}")
    return x


def _hz_to_mel(hz, htk):
    hz = np.asanyarray(hz, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + hz / 700.0)
    mel = hz / (200.0 / 3.0)
    log = hz >= 1000.0
    return np.where(log, 15.0 + np.log(np.maximum(hz, 1e-300) / 1000.0) / (np.log(6.4) / 27.0), mel)


def _mel_to_hz(mel, htk):
    mel = np.asanyarray(mel, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)
    return np.where(mel >= 15.0, 1000.0 * np.exp(np.log(6.4) / 27.0 * (mel - 15.0)), (200.0 / 3.0) * mel)


def mel_filterbank(sample_rate, n_fft, n_mels, fmin, fmax, mel_scale, mel_norm):
    """[n_mels, n_fft // 2 + 1] float32: librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm) as
    preprocess/features/mel_filterbank.cpp computes it (triangles rounded to float32, then the Slaney norm)."""
    htk = mel_scale == "htk"
    fmax = fmax if fmax > 0 else sample_rate / 2.0
    edges = _mel_to_hz(np.linspace(_hz_to_mel(fmin, htk), _hz_to_mel(fmax, htk), n_mels + 2), htk)
    freqs = np.arange(n_fft // 2 + 1) * (1.0 / (n_fft * (1.0 / sample_rate)))
    weights = np.zeros((n_mels, n_fft // 2 + 1), dtype=np.float32)
    for m in range(n_mels):
        lower = -(edges[m] - freqs) / (edges[m + 1] - edges[m])
        upper = (edges[m + 2] - freqs) / (edges[m + 2] - edges[m + 1])
        weights[m] = np.maximum(0.0, np.minimum(lower, upper))
    if mel_norm == "slaney":
        weights *= (2.0 / (edges[2:n_mels + 2] - edges[:n_mels]))[:, None]
    return torch.from_numpy(weights)


class LogMelFrontend(nn.Module):
    """musictag's LogMelFrontend (train/models/logmel_frontend.h): [B, samples] -> dB [B, n_mels, frames], computed in
    float64 as the CPU frontend, returned in float32 (float64 for float64 input)."""

    def __init__(self, n_mels, sample_rate=12000, n_fft=512, hop_length=256, fmin=0.0, fmax=0.0,
                 mel_scale="slaney", mel_norm="slaney", window="hann", center=True, pad_mode="constant",
                 allow_empty_bands=False, power=2.0, amin=1e-10, ref=1.0, top_db=0.0):
        super().__init__()
        assert window == "hann"
        self.n_fft, self.hop_length, self.center = n_fft, hop_length, center
        self.reflect, self.power = pad_mode == "reflect", power
        self.amin, self.ref_db, self.top_db = amin, 10.0 * math.log10(max(ref, amin)), top_db
        self.register_buffer("filterbank", mel_filterbank(sample_rate, n_fft, n_mels, fmin, fmax, mel_scale, mel_norm))

    def forward(self, x):
        with torch.autocast(device_type=x.device.type, enabled=False):
            x = as_waveform_batch(x)
            window = periodic_hann(self.n_fft, torch.float64, x.device)
            p = waveform_stft(x, window, self.n_fft, self.hop_length, self.center, self.reflect, self.power)
            mel = torch.matmul(self.filterbank.to(torch.float64), p)
            db = torch.log10(torch.clamp(mel, min=self.amin)) * 10.0 - self.ref_db
            if self.top_db > 0:
                db = torch.maximum(db, db.amax(dim=(1, 2), keepdim=True) - self.top_db)
            return db.to(torch.float64 if x.dtype == torch.float64 else torch.float32)


class FrontendModel(nn.Module):
    """musictag's FrontendModelImpl (train/models/frontend_model.h): model(frontend(waveform)). The model's own
    parameters, buffers and children are registered here under their own names (not as a child), after `frontend`."""

    def __init__(self, frontend, model):
        super().__init__()
        self.frontend = frontend
        for name, p in model.named_parameters(recurse=False):
            self.register_parameter(name, p)
        for name, b in model.named_buffers(recurse=False):
            self.register_buffer(name, b)
        for name, child in model.named_children():
            self.add_module(name, child)
        object.__setattr__(self, "_model", model)  # not a registered child

    def train(self, mode=True):
        super().train(mode)
        self._model.train(mode)
        return self

    def forward(self, x):
        return self._model(self.frontend(x))


def _midi_of(hz):
    return 12.0 * (np.log2(hz) - np.log2(440.0)) + 69.0


def harmonic_fundamentals(sample_rate, n_harmonics, semitone_scale, lowest_midi):
    """(round-half-even(midi(sr / (2 n_harmonics))) - lowest_midi) * semitone_scale: Won's librosa hz_to_note."""
    return (int(np.round(_midi_of(sample_rate / (2.0 * n_harmonics)))) - lowest_midi) * semitone_scale


class HarmonicStft(nn.Module):
    """musictag's HarmonicStft (train/models/harmonic_stft.h), Won et al.'s HarmonicSTFT with learn_bw="only_Q"."""

    def __init__(self, sample_rate=16000, n_fft=512, hop_length=256, n_harmonics=6, semitone_scale=2, lowest_midi=24,
                 bandwidth_q=1.0, learn_q=True):
        super().__init__()
        self.n_fft, self.hop_length, self.n_harmonics = n_fft, hop_length, n_harmonics
        self.level = harmonic_fundamentals(sample_rate, n_harmonics, semitone_scale, lowest_midi)
        q = torch.tensor([bandwidth_q], dtype=torch.float32)
        if learn_q:
            self.bw_Q = nn.Parameter(q)
        else:
            self.register_buffer("bw_Q", q)
        self.register_buffer("window", periodic_hann(n_fft))
        highest = lowest_midi + self.level // semitone_scale
        step = (highest - lowest_midi) / self.level
        midi = lowest_midi + np.arange(self.level) * step
        hz = 440.0 * np.power(2.0, (midi - 69.0) / 12.0)
        f0 = np.concatenate([hz * h for h in range(1, n_harmonics + 1)])
        self.register_buffer("f0", torch.tensor(f0, dtype=torch.float64).float())
        self.register_buffer("fft_bins", torch.linspace(0.0, float(sample_rate // 2), n_fft // 2 + 1))

    def filterbank(self):
        bw = (self.f0 * 0.1079 + 24.7) / self.bw_Q
        bins = self.fft_bins.unsqueeze(1)
        rise = torch.matmul(bins, (bw.reciprocal() * 2.0).unsqueeze(0)) + 1.0 - (self.f0 * 2.0 / bw)
        fall = torch.matmul(bins, (bw.reciprocal() * -2.0).unsqueeze(0)) + 1.0 + (self.f0 * 2.0 / bw)
        return torch.clamp(torch.minimum(fall, rise), min=0.0)

    def forward(self, x):
        with torch.autocast(device_type=x.device.type, enabled=False):
            p = waveform_stft(as_waveform_batch(x), self.window, self.n_fft, self.hop_length, True, True, 2.0)
            filtered = torch.matmul(p.transpose(1, 2), self.filterbank()).transpose(1, 2)
            bands = filtered.view(filtered.size(0), self.n_harmonics, self.level, filtered.size(2))
            return torch.log10(torch.clamp(bands, min=1e-10)) * 10.0
