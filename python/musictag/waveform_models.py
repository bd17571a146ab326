"""Twins of musictag's waveform kinds (train/models/sample_cnn.h, harmonic_cnn.h): input [B, n_samples]."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from musictag.frontends import HarmonicStft, as_waveform_batch
from musictag.models import ConvBlock2d


class ConvBlock1d(nn.Module):
    """Won's Conv_1d: conv -> BatchNorm1d -> ReLU -> max-pool."""

    def __init__(self, in_ch, out_ch, kernel, stride, pool):
        super().__init__()
        self.conv = nn.Conv1d(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2)
        self.bn = nn.BatchNorm1d(out_ch)
        self.pool = pool

    def forward(self, x):
        y = F.relu(self.bn(self.conv(x)))
        return F.max_pool1d(y, self.pool) if self.pool > 1 else y


class ResSeBlock1d(nn.Module):
    """Won's ResSE_1d: two convs with squeeze-excitation, shortcut (conv_3 -> bn_3 when needed), ReLU, max-pool."""

    def __init__(self, in_ch, out_ch, kernel, stride, pool):
        super().__init__()
        self.conv_1 = nn.Conv1d(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2)
        self.bn_1 = nn.BatchNorm1d(out_ch)
        self.conv_2 = nn.Conv1d(out_ch, out_ch, kernel, padding=kernel // 2)
        self.bn_2 = nn.BatchNorm1d(out_ch)
        self.dense1 = nn.Linear(out_ch, out_ch)
        self.dense2 = nn.Linear(out_ch, out_ch)
        self.diff = stride != 1 or in_ch != out_ch
        if self.diff:
            self.conv_3 = nn.Conv1d(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2)
            self.bn_3 = nn.BatchNorm1d(out_ch)
        self.pool = pool

    def forward(self, x):
        out = self.bn_2(self.conv_2(F.relu(self.bn_1(self.conv_1(x)))))
        excitation = torch.sigmoid(self.dense2(F.relu(self.dense1(out.mean(dim=2)))))
        out = out * excitation.unsqueeze(2)
        shortcut = self.bn_3(self.conv_3(x)) if self.diff else x
        y = F.relu(out + shortcut)
        return F.max_pool1d(y, self.pool) if self.pool > 1 else y


class SampleCnn(nn.Module):
    """musictag's `sample_cnn` (se=False) and `sample_cnn_se` (train/models/sample_cnn.h)."""

    def __init__(self, n_tags, n_samples=59049, sample_rate=16000,
                 conv_channels=(128, 128, 128, 256, 256, 256, 256, 256, 256, 512, 512), dropout=0.5, se=False):
        super().__init__()
        self.n_samples, self.sample_rate, self.dropout, self.se = n_samples, sample_rate, dropout, se
        block = ResSeBlock1d if se else ConvBlock1d
        in_ch, n = 1, len(conv_channels)
        for i, out_ch in enumerate(conv_channels):
            kernel, stride, pool = (3, 3, 1) if i == 0 else (1, 1, 1) if i == n - 1 else (3, 1, 3)
            setattr(self, f"layer{i + 1}", block(in_ch, out_ch, kernel, stride, pool))
            in_ch = out_ch
        self.n_layers = n
        if se:
            self.dense1 = nn.Linear(in_ch, in_ch)
            self.bn = nn.BatchNorm1d(in_ch)
            self.dense2 = nn.Linear(in_ch, n_tags)
        else:
            self.dense = nn.Linear(in_ch, n_tags)

    def forward(self, x):
        x = as_waveform_batch(x).unsqueeze(1)
        for i in range(1, self.n_layers + 1):
            x = getattr(self, f"layer{i}")(x)
        x = x.amax(dim=2)
        if self.se:
            x = F.relu(self.bn(self.dense1(x)))
            return self.dense2(F.dropout(x, self.dropout, self.training))
        return self.dense(F.dropout(x, self.dropout, self.training))


class ResPoolBlock2d(nn.Module):
    """Won's Res_2d_mp: conv_1 -> bn_1 -> ReLU -> conv_2 -> bn_2, + input, ReLU, max-pool."""

    def __init__(self, channels, pool):
        super().__init__()
        self.conv_1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.bn_1 = nn.BatchNorm2d(channels)
        self.conv_2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.bn_2 = nn.BatchNorm2d(channels)
        self.pool = pool

    def forward(self, x):
        out = self.bn_2(self.conv_2(F.relu(self.bn_1(self.conv_1(x)))))
        return F.max_pool2d(F.relu(out + x), self.pool)


class HarmonicCnn(nn.Module):
    """musictag's `harmonic_cnn` (train/models/harmonic_cnn.h), Won et al. 2020's HarmonicCNN."""

    POOLS = [(2, 2), (2, 2), (2, 2), (2, 2), (2, 2), (2, 3), (2, 3)]

    def __init__(self, n_tags, n_samples=80000, sample_rate=16000, n_fft=512, hop_length=256, n_harmonics=6,
                 semitone_scale=2, lowest_midi=24, bandwidth_q=1.0, learn_q=True, channels=128, dropout=0.5):
        super().__init__()
        self.n_samples, self.dropout = n_samples, dropout
        self.hstft = HarmonicStft(sample_rate, n_fft, hop_length, n_harmonics, semitone_scale, lowest_midi,
                                  bandwidth_q, learn_q)
        self.hstft_bn = nn.BatchNorm2d(n_harmonics)
        in_ch = n_harmonics
        for i, pool in enumerate(self.POOLS):
            out_ch = channels if i < 4 else 2 * channels
            block = ConvBlock2d(in_ch, out_ch, pool) if i in (0, 4) else ResPoolBlock2d(out_ch, pool)
            setattr(self, f"layer{i + 1}", block)
            in_ch = out_ch
        self.dense1 = nn.Linear(in_ch, in_ch)
        self.bn = nn.BatchNorm1d(in_ch)
        self.dense2 = nn.Linear(in_ch, n_tags)

    def forward(self, x):
        x = self.hstft_bn(self.hstft(x))
        for i in range(1, len(self.POOLS) + 1):
            x = getattr(self, f"layer{i}")(x)
        x = F.relu(self.bn(self.dense1(x.amax(dim=(2, 3)))))
        return self.dense2(F.dropout(x, self.dropout, self.training))
