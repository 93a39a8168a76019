"""Process-wide settings: float type, fuzz factor, image layout and device.

These are the only globals of the package. `kerastorch.backend` re-exports the setters under
Keras's names; `enable_unsafe_deserialization` (Keras's `keras.config` name) lets the calling
thread load serialized lambdas.

Example:
    >>> from kerastorch import config
    >>> config.floatx(), config.epsilon(), config.image_data_format()
    ('float32', 1e-07, 'channels_last')
"""

from __future__ import annotations

import os

import torch

from kerastorch.common.safe_mode import enable_unsafe_deserialization

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DEVICE: torch.device | None = None


def floatx() -> str:
    """The default float type of weights and inputs, as a string (`"float32"`)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type: `"float16"`, `"bfloat16"`, `"float32"` or `"float64"`."""
    global _FLOATX
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(
            "Unknown `floatx` value. Expected one of 'float16', 'bfloat16', 'float32', "
            f"'float64'. Received: value={value!r}"
        )
    _FLOATX = str(value)


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (`1e-7`)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """The default image layout: `"channels_last"` (Keras's default) or `"channels_first"`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Set the default image layout for convolution, pooling and reshaping layers."""
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of 'channels_first', 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format: str | None) -> str:
    """`None` -> the global default; otherwise check and return `data_format`."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of 'channels_first', 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def default_device() -> torch.device:
    """CUDA when available, else CPU; `KERASTORCH_DEVICE` or `backend.set_device()` override."""
    if _DEVICE is not None:
        return _DEVICE
    name = os.environ.get("KERASTORCH_DEVICE")
    if name:
        return torch.device(name)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def set_device(device: str | torch.device | None) -> None:
    """Pin the device used for new weights and training (`None` restores the default)."""
    global _DEVICE
    _DEVICE = None if device is None else torch.device(device)


__all__ = [
    "default_device",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "set_device",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
]
