"""Writes the tensor fixtures the C++ tests read (tests/train/tensor_fixture.h): <case>.bin + an index entry."""
import numpy as np


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
