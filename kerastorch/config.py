"""Process-wide settings, Keras's `keras.config`: float type, fuzz factor, image layout, device,
logging, debugging caps on `fit`, and flags kept for API parity.

These are the only globals of the package. `kerastorch.backend` re-exports the setters under
Keras's names; `enable_unsafe_deserialization` lets the calling thread load serialized lambdas.
`KERAS_MAX_EPOCHS` and `KERAS_MAX_STEPS_PER_EPOCH` set the caps at import, as in Keras.
`dtype_policy` / `set_dtype_policy` are `kerastorch.mixed_precision`'s global-policy functions
(a higher floor); `kerastorch/__init__` attaches them here.

Example:
    >>> from kerastorch import config
    >>> config.floatx(), config.epsilon(), config.image_data_format()
    ('float32', 1e-07, 'channels_last')
"""

from __future__ import annotations

import os
from typing import Any

import torch

from kerastorch.common.safe_mode import enable_unsafe_deserialization
from kerastorch.common.scopes import current_device

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DEVICE: torch.device | None = None
_INTERACTIVE_LOGGING = True
_TRACEBACK_FILTERING = True
_FLASH_ATTENTION: bool | None = None


def _int_from_env(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


_MAX_EPOCHS: int | None = _int_from_env("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH: int | None = _int_from_env("KERAS_MAX_STEPS_PER_EPOCH")


def backend() -> str:
    """The name of the backend: always `"torch"`."""
    return "torch"


def set_backend(backend: str) -> None:
    """Keras's backend switch; kerastorch *is* the torch backend, so only `"torch"` is accepted.

    Raises:
        ValueError: for any other backend name.
    """
    if backend != "torch":
        raise ValueError(
            "`set_backend()`: kerastorch implements Keras on PyTorch only, so the backend "
            f"must be 'torch'. Received: backend={backend!r}. Use the `keras` package "
            "itself for the JAX or TensorFlow backends."
        )


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
    """CUDA when available, else CPU; `KERASTORCH_DEVICE`, `backend.set_device()` and (first of
    all) an open `keras.device(...)` scope override it.

    Called at every step and every `predict_on_batch`, so it is cheap: the environment
    variable is read at each call (a change takes effect at the next one) through one dict
    look-up, and its device, like CUDA's availability, is worked out once per value.

    Example:
        >>> import os
        >>> os.environ["KERASTORCH_DEVICE"] = "meta"
        >>> default_device()
        device(type='meta')
        >>> del os.environ["KERASTORCH_DEVICE"]
        >>> default_device() == torch.device("cuda" if torch.cuda.is_available() else "cpu")
        True
    """
    scoped = current_device()
    if scoped is not None:
        return scoped
    if _DEVICE is not None:
        return _DEVICE
    name = _ENV_DATA.get(_ENV_KEY) if _ENV_DATA is not None else os.environ.get(_ENV_NAME)
    device = _DEVICES_BY_NAME.get(name)
    if device is None:
        device = _DEVICES_BY_NAME[name] = _device_named(name)
    return device


_ENV_NAME = "KERASTORCH_DEVICE"
# `os.environ`'s own storage (CPython: a dict keyed by the encoded names, kept in step with
# every change through `os.environ`); anything else falls back to `os.environ.get`.
_ENV_DATA: dict[Any, Any] | None = getattr(os.environ, "_data", None)
_ENV_DATA = _ENV_DATA if isinstance(_ENV_DATA, dict) else None
_ENV_KEY = os.environ.encodekey(_ENV_NAME) if _ENV_DATA is not None else _ENV_NAME
_DEVICES_BY_NAME: dict[Any, torch.device] = {}  # `KERASTORCH_DEVICE`'s value -> its device


def _device_named(name: str | bytes | None) -> torch.device:
    """The device of a `KERASTORCH_DEVICE` value (raw, as stored), or the default one."""
    if isinstance(name, bytes):
        name = os.environ.decodevalue(name)
    if name:
        return torch.device(name)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def set_device(device: str | torch.device | None) -> None:
    """Pin the device used for new weights and training (`None` restores the default)."""
    global _DEVICE
    _DEVICE = None if device is None else torch.device(device)


def enable_interactive_logging() -> None:
    """Progress bars and messages go to stdout, redrawn in place (the default)."""
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging() -> None:
    """Send progress bars and messages to Python's `logging` (logger `"kerastorch"`, level
    INFO) as plain lines, for jobs whose output goes to a log file (Keras sends them to
    `absl.logging`)."""
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled() -> bool:
    """Whether messages go to stdout (`True`) or to `logging` (`False`)."""
    return _INTERACTIVE_LOGGING


def enable_traceback_filtering() -> None:
    """Kept for API parity: kerastorch never filters tracebacks, so this flag only records
    the choice (`is_traceback_filtering_enabled()` reports it); errors show in full."""
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering() -> None:
    """Kept for API parity: see `enable_traceback_filtering` (tracebacks are never filtered)."""
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled() -> bool:
    """The recorded traceback-filtering flag (`True` by default, as in Keras)."""
    return _TRACEBACK_FILTERING


def enable_flash_attention() -> None:
    """Record a request for flash attention (Keras's flag). On torch,
    `scaled_dot_product_attention` picks its fused kernel itself; the flag is only reported
    by `is_flash_attention_enabled()`."""
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = True


def disable_flash_attention() -> None:
    """Record that flash attention is not wanted (see `enable_flash_attention`)."""
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled() -> bool | None:
    """`True` / `False` once set; `None` (the default) lets each layer decide, as in Keras."""
    return _FLASH_ATTENTION


def is_nnx_enabled() -> bool:
    """Flax NNX integration (a JAX feature): always `False` on torch."""
    return False


def max_epochs() -> int | None:
    """The cap on `epochs` in every `fit()` (`None`: no cap), for quick debugging runs."""
    return _MAX_EPOCHS


def set_max_epochs(max_epochs: int | None) -> None:
    """Cap the number of epochs of every `fit()` call (`None` removes the cap)."""
    global _MAX_EPOCHS
    _MAX_EPOCHS = max_epochs


def max_steps_per_epoch() -> int | None:
    """The cap on steps per epoch in `fit`/`evaluate`/`predict` (`None`: no cap)."""
    return _MAX_STEPS_PER_EPOCH


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Cap the steps of each epoch of `fit`/`evaluate`/`predict` (`None` removes the cap)."""
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = max_steps_per_epoch


__all__ = [
    "backend",
    "default_device",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_device",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
    "standardize_data_format",
]
