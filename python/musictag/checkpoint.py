"""Reads a musictag-train checkpoint (a zip written by PyTorch's own container; train/checkpoint.h) into a module."""
import dataclasses
import io
import json
import zipfile

import torch

from musictag.models import build_model


@dataclasses.dataclass
class Checkpoint:
    model: torch.nn.Module  # in eval mode, weights loaded
    tag_names: list         # in output order
    kind: str               # config model.kind
    options: dict           # the model's options
    features: dict          # the log-mel parameters of the training data (manifest features)
    metadata: dict          # all of meta.json


def _record(archive, name):
    matches = [n for n in archive.namelist() if n.endswith("/" + name)]
    if not matches:
        raise ValueError(f"no record '{name}' in the checkpoint (is it a musictag-train checkpoint?)")
    return archive.read(matches[0])


def load_checkpoint(path):
    """The model (eval mode, on CPU) and everything meta.json records, from any musictag checkpoint (format 1 or 2)."""
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(_record(archive, "meta.json"))
        if meta.get("format") != "musictag-checkpoint":
            raise ValueError(f"{path}: not a musictag checkpoint")
        if meta["format_version"] == 1:
            kind, options = "crnn", meta["model_options"]
        else:
            kind, options = meta["model"]["kind"], meta["model"]["options"]
        # weights_only=False: libtorch's typed-dict pickle names a jit helper (see train/checkpoint.h).
        state = torch.load(io.BytesIO(_record(archive, "model.pt")), weights_only=False)
    model = build_model(kind, options)
    model.load_state_dict(dict(state), strict=True)
    model.eval()
    return Checkpoint(model=model, tag_names=list(meta["tag_names"]), kind=kind, options=options,
                      features=json.loads(meta["features_json"]), metadata=meta)
