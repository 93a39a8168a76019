"""Label encodings of `keras.ops.nn`: `one_hot` and `multi_hot`.

The output dtype is `dtype`, by default `config.floatx()`. Negative labels encode as all
zeros (as in Keras). torch tensors here are dense: `sparse=True` raises, as on Keras's
torch backend.

Example:
    >>> import torch
    >>> one_hot(torch.tensor([1, -1]), 3).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    >>> multi_hot(torch.tensor([[0, 2], [1, 1]]), 3).tolist()
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["multi_hot", "one_hot"]


def _check_sparse(op: str, sparse: bool) -> None:
    if sparse:
        raise ValueError(
            f"{op}: `sparse=True` is not supported: kerastorch tensors are dense "
            "(as on Keras's torch backend). Received: sparse=True"
        )


def _encode(op: str, x: Any, num_classes: int, axis: int, dtype: str) -> Tensor:
    x = convert_to_tensor(x).long()
    out = F.one_hot(torch.clamp(x, min=0), num_classes)
    out = (out * (x >= 0).unsqueeze(-1)).to(to_torch_dtype(dtype))
    if not -out.dim() <= axis < out.dim():
        raise ValueError(
            f"{op}: `axis` must be in [-{out.dim()}, {out.dim()}) for inputs of rank "
            f"{x.dim()}. Received: axis={axis}"
        )
    return out.movedim(-1, axis)


@keras_op("nn", class_name="OneHot")
def _one_hot(
    x: Any, num_classes: int, axis: int = -1, dtype: str = "float32", sparse: bool = False
) -> Tensor:
    _check_sparse("one_hot", sparse)
    return _encode("one_hot", x, num_classes, axis, dtype)


def one_hot(
    x: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False
) -> Tensor:
    """Integer labels `x` as one-hot vectors of length `num_classes` along `axis`.

    Args:
        x: Integer tensor of any shape.
        num_classes: The length of the encoding.
        axis: Where the new axis goes in the output. Default `-1`.
        dtype: The output dtype; default `config.floatx()`.
        sparse: `True` raises `ValueError` (no sparse tensors on torch).

    Example:
        >>> import torch
        >>> one_hot(torch.tensor([0, 2]), 3, axis=0, dtype="int32").tolist()
        [[1, 0], [0, 0], [0, 1]]
    """
    return _one_hot(x, num_classes, axis=axis, dtype=standardize_dtype(dtype), sparse=sparse)


@keras_op("nn", tensors=("inputs",), class_name="MultiHot")
def _multi_hot(
    inputs: Any, num_classes: int, axis: int = -1, dtype: str = "float32", sparse: bool = False
) -> Tensor:
    _check_sparse("multi_hot", sparse)
    x = convert_to_tensor(inputs)
    encoded = _encode("multi_hot", x, num_classes, axis, dtype)
    return torch.amax(encoded, dim=1 if x.dim() > 1 else 0)


def multi_hot(
    inputs: Any,
    num_classes: int | None = None,
    axis: int = -1,
    dtype: Any = None,
    sparse: bool = False,
    **kwargs: Any,
) -> Tensor:
    """Integer labels as multi-hot vectors: each row's labels set to 1.

    A batch of label lists `(batch, n)` gives `(batch, num_classes)`; a single list `(n,)`
    gives `(num_classes,)`.

    Args:
        inputs: Integer labels.
        num_classes: The length of the encoding (`num_tokens=` is accepted, as in Keras).
        axis: Where the class axis goes before reducing. Default `-1`.
        dtype: The output dtype; default `config.floatx()`.
        sparse: `True` raises `ValueError` (no sparse tensors on torch).
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if kwargs:
        raise TypeError(f"multi_hot: unexpected keyword arguments {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("multi_hot: argument `num_classes` must be specified.")
    return _multi_hot(inputs, num_classes, axis=axis, dtype=standardize_dtype(dtype), sparse=sparse)
