"""`Rescaling`: `inputs * scale + offset`, in training and inference.

Example:
    >>> import torch
    >>> Rescaling(1.0 / 255)(torch.tensor([0, 255], dtype=torch.uint8)).tolist()
    [0.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer


class Rescaling(Layer):
    """Rescales inputs: `outputs = inputs * scale + offset` (e.g. `scale=1/255`).

    Integer inputs are accepted; the output has the layer's compute dtype (float32).

    Args:
        scale: float (or per-channel array) to multiply the inputs by.
        offset: float (or per-channel array) to add after scaling.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> Rescaling(1.0 / 127.5, offset=-1)(torch.tensor([0.0, 255.0])).tolist()
        [-1.0, 1.0]
    """

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = to_torch_dtype(self.compute_dtype)
        scale = torch.as_tensor(np.asarray(self.scale), dtype=dtype, device=inputs.device)
        offset = torch.as_tensor(np.asarray(self.offset), dtype=dtype, device=inputs.device)
        if scale.ndim > 0 and config.image_data_format() == "channels_first":
            scale = scale.reshape(*scale.shape, *(1,) * (3 - scale.ndim))
        return inputs.to(dtype) * scale + offset

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
