"""What a layer's eager call does with inputs that are not torch tensors: NumPy arrays,
NumPy scalars and Python numbers become tensors on the layer's device (floats in the
layer's compute dtype when it autocasts); a flat list of Python numbers becomes one tensor
of `floatx`. Other values (strings, tensors, None) pass through.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> layer = keras.layers.Dense(2)
    >>> convert_inputs(layer, [np.ones((1, 3)), None])[0].dtype
    torch.float32
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common import tree
from kerastorch.common.dtypes import to_torch_dtype


def convert_inputs(layer: Any, inputs: Any) -> Any:
    """`inputs` with its arrays and numbers as tensors on `layer`'s device (see above)."""
    device = layer._device()

    def convert(x: Any) -> Any:
        if isinstance(x, torch.Tensor) or x is None or isinstance(x, (str, bytes)):
            return x
        if isinstance(x, (np.ndarray, np.generic, float, int, bool)):
            t = torch.as_tensor(np.asarray(x))
            if t.is_floating_point() and layer.autocast:
                t = t.to(to_torch_dtype(layer.compute_dtype))
            return t if device is None else t.to(device)
        return x

    if (
        isinstance(inputs, (list, tuple))
        and inputs
        and all(isinstance(i, (int, float)) for i in inputs)
    ):
        return convert(np.asarray(inputs, dtype=config.floatx()))
    return tree.map_structure(convert, inputs)


__all__ = ["convert_inputs"]
