"""PyTorch twins of musictag's models (same layers, state names and registration order as train/models/) and
load_checkpoint(), which turns any musictag-train checkpoint into a ready torch.nn.Module and its tag names."""
from musictag.checkpoint import Checkpoint, load_checkpoint
from musictag.models import MODEL_KINDS, build_model

__all__ = ["Checkpoint", "MODEL_KINDS", "build_model", "load_checkpoint"]
