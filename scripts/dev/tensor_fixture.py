"""Writes the tensor fixtures the C++ tests read (tests/train/tensor_fixture.h): <case>.bin + an index entry."""
import numpy as np
import torch
import torch.nn.functional as F


def write_case(name, tensors, out_dir, **info):
    """Raw little-endian C-order bytes of every (name, tensor) into <out_dir>/<name>.bin; returns its index entry
    (name, data, per-tensor name/dtype/shape/offset/nbytes, plus `info`)."""
    blob, entries = bytearray(), []
    for tensor_name, t in tensors:
        arr = t.detach().contiguous().numpy()
        dtype = {np.dtype(np.float32): "float32", np.dtype(np.int64): "int64"}[arr.dtype]
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes(order="C")
        entries.append(dict(name=tensor_name, dtype=dtype, shape=list(arr.shape), offset=len(blob), nbytes=len(data)))
        blob += data
    (out_dir / f"{name}.bin").write_bytes(bytes(blob))
    return dict(name=name, data=f"{name}.bin", **info, tensors=entries)


def twin_tensors(model, x, y):
    """What a twin test compares, for `model` (BatchNorm already randomised), input x and targets y:
    state/<key>, input, targets, eval_logits, train_logits, loss (mean BCE with logits), grad/<name> for every
    parameter and after/<key> every buffer after the train-mode forward."""
    tensors = [(f"state/{k}", v.detach().clone()) for k, v in model.state_dict().items()]
    tensors += [("input", x), ("targets", y)]
    model.eval()
    with torch.no_grad():
        tensors.append(("eval_logits", model(x)))
    model.train()
    logits = model(x)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    loss.backward()
    tensors += [("train_logits", logits.detach()), ("loss", loss.detach().reshape(1))]
    tensors += [(f"grad/{k}", p.grad.detach().clone()) for k, p in model.named_parameters()]
    tensors += [(f"after/{k}", b.detach().clone()) for k, b in model.named_buffers()]
    return tensors
