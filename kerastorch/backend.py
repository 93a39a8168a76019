"""Keras's `keras.backend` names that tutorials call: settings, `clear_session`, device.

Example:
    >>> import kerastorch as keras
    >>> keras.backend.backend(), keras.backend.image_data_format()
    ('torch', 'channels_last')
"""

from __future__ import annotations

import gc

import torch

from kerastorch.common import naming
from kerastorch.config import (
    default_device,
    epsilon,
    floatx,
    image_data_format,
    set_device,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from kerastorch.graph.keras_tensor import KerasTensor


def backend() -> str:
    """The name of the backend: always `"torch"`."""
    return "torch"


def clear_session(free_memory: bool = True) -> None:
    """Reset automatic layer names (`dense`, `dense_1`, ... start again) and free memory."""
    naming.reset_uids()
    if free_memory:
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def is_keras_tensor(x: object) -> bool:
    """Whether `x` is a symbolic `KerasTensor` (from `Input` or a layer call on one)."""
    return isinstance(x, KerasTensor)


__all__ = [
    "backend",
    "clear_session",
    "default_device",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_keras_tensor",
    "set_device",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
]
