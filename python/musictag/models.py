"""The tagging models of train/models/ in PyTorch, built from the same options JSON a checkpoint stores.

Each module takes a log-mel batch [B, n_mels, T] (or [B, 1, n_mels, T]) and returns logits [B, n_tags]; names and
registration order of parameters and buffers equal the C++ modules', so state dicts move between them by name.
The waveform kinds (waveform_models.py) and log-mel kinds with options "frontend": "logmel" (frontends.py) take a
waveform batch [B, n_samples] instead.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _pools(texts):
    """["2x4", ...] -> [(2, 4), ...] (the form checkpoints store)."""
    return [tuple(int(v) for v in text.split("x")) for text in texts]


def _as_image(x, n_mels):
    x = x.unsqueeze(1) if x.dim() == 3 else x
    if x.dim() != 4 or x.size(1) != 1 or x.size(2) != n_mels:
        raise ValueError(f"expected input [batch, {n_mels} mels, frames], got {list(x.shape)}")
    return x


class Crnn(nn.Module):
    """Choi et al. 2016's CRNN, musictag's `crnn` (train/models/crnn.h)."""

    def __init__(self, n_tags, n_mels=96, n_frames=1366, conv_channels=(64, 128, 128, 128),
                 pool_sizes=("2x2", "3x3", "4x4", "4x4"), gru_hidden=32, gru_layers=2, conv_dropout=0.1,
                 gru_dropout=0.3, sequence_norm=False):
        super().__init__()
        self.n_frames = n_frames
        self.pool_sizes = _pools(pool_sizes)
        self.conv_dropout, self.gru_dropout = conv_dropout, gru_dropout
        self.input_bn = nn.BatchNorm1d(n_mels)
        freq, in_ch = n_mels, 1
        self.convs, self.bns = [], []
        for i, (out_ch, pool) in enumerate(zip(conv_channels, self.pool_sizes), start=1):
            conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)
            nn.init.kaiming_normal_(conv.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(conv.bias)
            setattr(self, f"conv{i}", conv)
            setattr(self, f"bn{i}", nn.BatchNorm2d(out_ch))
            self.convs.append(conv)
            self.bns.append(getattr(self, f"bn{i}"))
            in_ch, freq = out_ch, freq // pool[0]
        self.sequence_bn = nn.BatchNorm1d(in_ch * freq) if sequence_norm else None
        self.gru = nn.GRU(in_ch * freq, gru_hidden, num_layers=gru_layers, batch_first=True)
        self.output = nn.Linear(gru_hidden, n_tags)

    def forward(self, x):
        if x.dim() == 4:
            x = x.squeeze(1)
        x = self.input_bn(x).unsqueeze(1)
        for conv, bn, pool in zip(self.convs, self.bns, self.pool_sizes):
            x = F.elu(bn(conv(x)))
            x = F.max_pool2d(x, pool)
            x = F.dropout(x, self.conv_dropout, self.training)
        x = x.permute(0, 3, 1, 2).flatten(2)
        if self.sequence_bn is not None:
            x = self.sequence_bn(x.transpose(1, 2)).transpose(1, 2)
        seq, _ = self.gru(x)
        return self.output(F.dropout(seq[:, -1], self.gru_dropout, self.training))


class ConvBlock2d(nn.Module):
    """Won's Conv_2d: 3x3 conv (padding 1) -> BatchNorm2d -> ReLU -> max-pool."""

    def __init__(self, in_ch, out_ch, pool):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.bn = nn.BatchNorm2d(out_ch)
        self.pool = pool

    def forward(self, x):
        return F.max_pool2d(F.relu(self.bn(self.conv(x))), self.pool)


class ResBlock2d(nn.Module):
    """Won's Res_2d: conv_1 (stride) -> bn_1 -> ReLU -> conv_2 -> bn_2, + shortcut (conv_3 -> bn_3 when needed), ReLU."""

    def __init__(self, in_ch, out_ch, stride=2):
        super().__init__()
        self.conv_1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1)
        self.bn_1 = nn.BatchNorm2d(out_ch)
        self.conv_2 = nn.Conv2d(out_ch, out_ch, 3, padding=1)
        self.bn_2 = nn.BatchNorm2d(out_ch)
        self.diff = stride != 1 or in_ch != out_ch
        if self.diff:
            self.conv_3 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1)
            self.bn_3 = nn.BatchNorm2d(out_ch)

    def forward(self, x):
        out = self.bn_2(self.conv_2(F.relu(self.bn_1(self.conv_1(x)))))
        shortcut = self.bn_3(self.conv_3(x)) if self.diff else x
        return F.relu(out + shortcut)


class Fcn(nn.Module):
    """musictag's `fcn` (train/models/fcn.h)."""

    def __init__(self, n_tags, n_mels=96, n_frames=1813, conv_channels=(64, 128, 128, 128, 64),
                 pool_sizes=("2x4", "2x4", "2x4", "3x5", "4x4"), dropout=0.5):
        super().__init__()
        self.n_mels, self.n_frames, self.dropout = n_mels, n_frames, dropout
        self.spec_bn = nn.BatchNorm2d(1)
        in_ch = 1
        for i, (out_ch, pool) in enumerate(zip(conv_channels, _pools(pool_sizes)), start=1):
            setattr(self, f"layer{i}", ConvBlock2d(in_ch, out_ch, pool))
            in_ch = out_ch
        self.n_layers = len(conv_channels)
        self.dense = nn.Linear(in_ch, n_tags)

    def forward(self, x):
        x = self.spec_bn(_as_image(x, self.n_mels))
        for i in range(1, self.n_layers + 1):
            x = getattr(self, f"layer{i}")(x)
        x = x.amax(dim=(2, 3))
        return self.dense(F.dropout(x, self.dropout, self.training))


class CrnnWon(nn.Module):
    """musictag's `crnn_won` (train/models/crnn_won.h)."""

    def __init__(self, n_tags, n_mels=96, n_frames=1813, conv_channels=(64, 128, 128, 128),
                 pool_sizes=("2x2", "3x3", "4x4", "4x4"), gru_hidden=32, gru_layers=2, dropout=0.5):
        super().__init__()
        self.n_mels, self.n_frames, self.dropout = n_mels, n_frames, dropout
        self.spec_bn = nn.BatchNorm2d(1)
        in_ch, freq = 1, n_mels
        for i, (out_ch, pool) in enumerate(zip(conv_channels, _pools(pool_sizes)), start=1):
            setattr(self, f"layer{i}", ConvBlock2d(in_ch, out_ch, pool))
            in_ch, freq = out_ch, freq // pool[0]
        self.n_layers = len(conv_channels)
        # Won's name: the GRU is the layer after the last conv block ("layer5").
        setattr(self, f"layer{self.n_layers + 1}", nn.GRU(in_ch * freq, gru_hidden, num_layers=gru_layers,
                                                          batch_first=True))
        self.dense = nn.Linear(gru_hidden, n_tags)

    def forward(self, x):
        x = self.spec_bn(_as_image(x, self.n_mels))
        for i in range(1, self.n_layers + 1):
            x = getattr(self, f"layer{i}")(x)
        seq, _ = getattr(self, f"layer{self.n_layers + 1}")(x.permute(0, 3, 1, 2).flatten(2))
        return self.dense(F.dropout(seq[:, -1], self.dropout, self.training))


class ShortChunk(nn.Module):
    """musictag's `short_chunk_cnn` (residual=False) and `short_chunk_resnet` (train/models/short_chunk.h)."""

    def __init__(self, n_tags, n_mels=128, n_frames=231, conv_channels=(128, 128, 256, 256, 256, 256, 512),
                 dropout=0.5, residual=False):
        super().__init__()
        self.n_mels, self.n_frames, self.dropout = n_mels, n_frames, dropout
        self.spec_bn = nn.BatchNorm2d(1)
        in_ch = 1
        for i, out_ch in enumerate(conv_channels, start=1):
            block = ResBlock2d(in_ch, out_ch, 2) if residual else ConvBlock2d(in_ch, out_ch, (2, 2))
            setattr(self, f"layer{i}", block)
            in_ch = out_ch
        self.n_layers = len(conv_channels)
        self.dense1 = nn.Linear(in_ch, in_ch)
        self.bn = nn.BatchNorm1d(in_ch)
        self.dense2 = nn.Linear(in_ch, n_tags)

    def forward(self, x):
        x = self.spec_bn(_as_image(x, self.n_mels))
        for i in range(1, self.n_layers + 1):
            x = getattr(self, f"layer{i}")(x)
        x = F.relu(self.bn(self.dense1(x.amax(dim=(2, 3)))))
        return self.dense2(F.dropout(x, self.dropout, self.training))


class _Filter(nn.Module):
    """A conv and its BatchNorm (Won's Conv_V, Conv_H and Conv_1d hold exactly these parameters)."""

    def __init__(self, conv, bn):
        super().__init__()
        self.conv, self.bn = conv, bn


class Musicnn(nn.Module):
    """musictag's `musicnn` (train/models/musicnn.h)."""

    def __init__(self, n_tags, n_mels=96, n_frames=188, timbral_fractions=(0.7, 0.4), timbral_channels=204,
                 temporal_lengths=(129, 65, 33), temporal_channels=51, backend_channels=64, dense_channels=200,
                 dropout=0.5):
        super().__init__()
        self.n_mels, self.n_frames, self.dropout = n_mels, n_frames, dropout
        self.spec_bn = nn.BatchNorm2d(1)
        heights = [int(f * n_mels) for f in timbral_fractions]
        self.n_timbral = len(heights)
        self.layers = nn.ModuleList(
            [_Filter(nn.Conv2d(1, timbral_channels, (h, 7), padding=(0, 3)), nn.BatchNorm2d(timbral_channels))
             for h in heights] +
            [_Filter(nn.Conv1d(1, temporal_channels, n, padding=n // 2), nn.BatchNorm1d(temporal_channels))
             for n in temporal_lengths])
        front = len(heights) * timbral_channels + len(temporal_lengths) * temporal_channels
        in_ch = front
        for i in range(1, 4):
            setattr(self, f"layer{i}", _Filter(nn.Conv1d(in_ch, backend_channels, 7, padding=3),
                                               nn.BatchNorm1d(backend_channels)))
            in_ch = backend_channels
        self.dense1 = nn.Linear(2 * (front + 3 * backend_channels), dense_channels)
        self.bn = nn.BatchNorm1d(dense_channels)
        self.dense2 = nn.Linear(dense_channels, n_tags)

    def forward(self, x):
        x = self.spec_bn(_as_image(x, self.n_mels))
        fronts = []
        for i, f in enumerate(self.layers):
            if i < self.n_timbral:
                fronts.append(F.relu(f.bn(f.conv(x))).amax(dim=2))
            else:
                fronts.append(F.relu(f.bn(f.conv(x.mean(dim=2)))))
        h = torch.cat(fronts, dim=1)
        features = [h]
        for i in range(1, 4):
            layer = getattr(self, f"layer{i}")
            y = F.relu(layer.bn(layer.conv(h)))
            h = y if i == 1 else y + h
            features.append(h)
        allf = torch.cat(features, dim=1)
        x = torch.cat([allf.amax(dim=2), allf.mean(dim=2)], dim=1)
        x = F.relu(self.bn(self.dense1(x)))
        return self.dense2(F.dropout(x, self.dropout, self.training))


class _BertLayer(nn.Module):
    """huggingface's BertLayer as Won's attention_modules.py has it (post-LayerNorm, GELU, eps 1e-12)."""

    def __init__(self, hidden, heads, intermediate, hidden_dropout, attention_dropout):
        super().__init__()
        self.heads, self.hidden_dropout, self.attention_dropout = heads, hidden_dropout, attention_dropout
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        self.attention.self.query = nn.Linear(hidden, hidden)
        self.attention.self.key = nn.Linear(hidden, hidden)
        self.attention.self.value = nn.Linear(hidden, hidden)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(hidden, hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, intermediate)
        self.output = nn.Module()
        self.output.dense = nn.Linear(intermediate, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, x):
        b, t, h = x.shape
        d = h // self.heads
        a = self.attention

        def split(y):
            return y.view(b, t, self.heads, d).permute(0, 2, 1, 3)

        q, k, v = split(a.self.query(x)), split(a.self.key(x)), split(a.self.value(x))
        p = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d), dim=-1)
        p = F.dropout(p, self.attention_dropout, self.training)
        context = torch.matmul(p, v).permute(0, 2, 1, 3).contiguous().view(b, t, h)
        attended = a.output.LayerNorm(F.dropout(a.output.dense(context), self.hidden_dropout, self.training) + x)
        expanded = F.gelu(self.intermediate.dense(attended))
        return self.output.LayerNorm(F.dropout(self.output.dense(expanded), self.hidden_dropout, self.training)
                                     + attended)


class SelfAttention(nn.Module):
    """musictag's `self_attention` (train/models/self_attention.h), Won's CNNSA."""

    def __init__(self, n_tags, n_mels=128, n_frames=938, conv_channels=(128, 128, 256, 256, 256, 256, 256),
                 time_stride_blocks=3, attention_heads=8, attention_layers=2, intermediate_size=1024,
                 hidden_dropout=0.4, attention_dropout=0.5, dropout=0.5):
        super().__init__()
        self.n_mels, self.n_frames, self.dropout = n_mels, n_frames, dropout
        self.spec_bn = nn.BatchNorm2d(1)
        in_ch = 1
        for i, out_ch in enumerate(conv_channels, start=1):
            setattr(self, f"layer{i}", ResBlock2d(in_ch, out_ch, (2, 2) if i <= time_stride_blocks else (2, 1)))
            in_ch = out_ch
        self.n_layers = len(conv_channels)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([
            _BertLayer(in_ch, attention_heads, intermediate_size, hidden_dropout, attention_dropout)
            for _ in range(attention_layers)])
        self.pooler = nn.Module()
        self.pooler.dense = nn.Linear(in_ch, in_ch)
        self.dense = nn.Linear(in_ch, n_tags)
        state = np.random.RandomState(0)  # Won's get_cls: np.random.seed(0); np.random.random((1, C))
        self.register_buffer("vec_cls", torch.tensor(state.random_sample((1, in_ch)), dtype=torch.float32)
                             .reshape(1, 1, in_ch))

    def forward(self, x):
        x = self.spec_bn(_as_image(x, self.n_mels))
        for i in range(1, self.n_layers + 1):
            x = getattr(self, f"layer{i}")(x)
        x = x.amax(dim=2).permute(0, 2, 1)
        x = torch.cat([self.vec_cls.expand(x.size(0), 1, x.size(2)), x], dim=1)
        for layer in self.encoder.layer:
            x = layer(x)
        x = torch.tanh(self.pooler.dense(x[:, 0]))
        return self.dense(F.dropout(x, self.dropout, self.training))


# The waveform kinds use the blocks above, so they are imported once those exist.
from musictag.frontends import FrontendModel, LogMelFrontend  # noqa: E402
from musictag.waveform_models import HarmonicCnn, SampleCnn  # noqa: E402

MODEL_KINDS = {
    "crnn": Crnn,
    "fcn": Fcn,
    "musicnn": Musicnn,
    "crnn_won": CrnnWon,
    "short_chunk_cnn": lambda **o: ShortChunk(**o, residual=False),
    "short_chunk_resnet": lambda **o: ShortChunk(**o, residual=True),
    "self_attention": SelfAttention,
    "sample_cnn": lambda **o: SampleCnn(**o, se=False),
    "sample_cnn_se": lambda **o: SampleCnn(**o, se=True),
    "harmonic_cnn": HarmonicCnn,
}


def build_model(kind, options):
    """The module of `kind` (config model.kind) for the options JSON a checkpoint stores (meta.json model.options);
    with "frontend": "logmel" in them, behind the device log-mel frontend (train/models/frontend_model.h)."""
    if kind not in MODEL_KINDS:
        raise ValueError(f"unknown model kind '{kind}'; known kinds: {', '.join(MODEL_KINDS)}")
    if "frontend" not in options:
        return MODEL_KINDS[kind](**options)
    if options["frontend"] != "logmel":
        raise ValueError(f"unknown model frontend '{options['frontend']}'; known: logmel")
    model_options = {k: v for k, v in options.items() if k not in ("frontend", "n_samples", "features")}
    frontend = LogMelFrontend(n_mels=options["n_mels"], **options["features"])
    return FrontendModel(frontend, MODEL_KINDS[kind](**model_options))
