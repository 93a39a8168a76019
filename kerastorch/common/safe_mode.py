"""Safe mode: what loading refuses to run unless the user asks.

A config may hold a serialized Python lambda (Keras's `func_dump`: marshalled bytecode),
which runs arbitrary code when loaded: `deserialize_keras_object` refuses it while safe mode
is on (the default). `SafeModeScope` carries one load's choice to the nested
`from_config` calls; `enable_unsafe_deserialization()` turns it off for the thread. Public
Keras functions that are not modeling objects (`keras.saving.load_model`, ...) are refused
in configs whatever the mode.

Example:
    >>> fn = load_lambda(*dump_lambda(lambda x: x + 1))
    >>> fn(1)
    2
"""

from __future__ import annotations

import base64
import builtins
import inspect
import marshal
import sys
import threading
import types
import warnings
from typing import Any

import numpy as np
import torch

# Per-thread state, as Keras keeps it.
_STATE = threading.local()

# Public Keras functions that a model config must never call (Keras refuses them too).
NON_MODELING_APIS = frozenset(
    {
        "keras.backend.clear_session",
        "keras.config.enable_unsafe_deserialization",
        "keras.models.load_model",
        "keras.models.model_from_json",
        "keras.models.save_model",
        "keras.preprocessing.image_dataset_from_directory",
        "keras.preprocessing.image.load_img",
        "keras.preprocessing.image.save_img",
        "keras.preprocessing.text_dataset_from_directory",
        "keras.saving.deserialize_keras_object",
        "keras.saving.load_model",
        "keras.saving.load_weights",
        "keras.saving.register_keras_serializable",
        "keras.saving.save_model",
        "keras.saving.save_weights",
        "keras.saving.serialize_keras_object",
        "keras.utils.audio_dataset_from_directory",
        "keras.utils.clear_session",
        "keras.utils.deserialize_keras_object",
        "keras.utils.get_file",
        "keras.utils.image_dataset_from_directory",
        "keras.utils.load_img",
        "keras.utils.register_keras_serializable",
        "keras.utils.save_img",
        "keras.utils.serialize_keras_object",
        "keras.utils.text_dataset_from_directory",
    }
)


def enable_unsafe_deserialization() -> None:
    """Disable safe mode for this thread, allowing serialized lambdas to load."""
    _STATE.safe_mode = False


def in_safe_mode() -> bool | None:
    """The safe mode forced by an enclosing scope, or `None` when none is active."""
    return getattr(_STATE, "safe_mode", None)


class SafeModeScope:
    """Propagate `safe_mode` to nested `deserialize_keras_object` calls (`from_config`)."""

    def __init__(self, safe_mode: bool = True):
        self.safe_mode = safe_mode

    def __enter__(self) -> None:
        self.original_value = in_safe_mode()
        _STATE.safe_mode = self.safe_mode

    def __exit__(self, *args: Any) -> None:
        _STATE.safe_mode = self.original_value


def dump_lambda(fn: types.FunctionType) -> tuple[str, Any, Any]:
    """Keras's `func_dump`: base64 of the marshalled code, the defaults, the closure values."""
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return code, fn.__defaults__, closure


def load_lambda(code: Any, defaults: Any = None, closure: Any = None) -> types.FunctionType:
    """Rebuild a lambda from `dump_lambda`'s triple (also given as one nested value).

    Its globals are the names Keras code usually means: `keras` (this package), `torch`, `np`.
    """
    if isinstance(code, (list, tuple)):
        code, defaults, closure = code
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    try:
        raw = base64.decodebytes(code.encode("ascii"))
    except (UnicodeEncodeError, ValueError):
        raw = code.encode("raw_unicode_escape")
    code_object = marshal.loads(raw)
    cells = None if closure is None else tuple(types.CellType(v) for v in closure)
    package = sys.modules["kerastorch"]  # the running package: a lookup, not an import
    namespace = {"__builtins__": builtins, "keras": package, "kerastorch": package,
                 "torch": torch, "np": np, "numpy": np}  # fmt: skip
    return types.FunctionType(code_object, namespace, code_object.co_name, defaults, cells)


def serialize_lambda(fn: types.FunctionType) -> dict[str, Any]:
    """Keras's config of a Python lambda, with Keras's warning that loading it is unsafe."""
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        source = "<source unavailable>"
    warnings.warn(
        "The object being serialized includes a `lambda`. This is unsafe. In order to reload "
        "the object, you will have to pass `safe_mode=False` to the loading function. Please "
        "avoid using `lambda` in the future, and use named Python functions instead. This is "
        f"the `lambda` being serialized: {source}",
        stacklevel=3,
    )
    return {"class_name": "__lambda__", "config": {"value": dump_lambda(fn)}}


def deserialize_lambda(config: dict[str, Any], safe_mode: bool) -> types.FunctionType:
    """The lambda of a `{"class_name": "__lambda__"}` config; refused in safe mode."""
    if safe_mode:
        raise ValueError(
            "Requested the deserialization of a Python lambda. This carries a potential "
            "risk of arbitrary code execution and thus it is disallowed by default. If you "
            "trust the source of the artifact, you can override this error by passing "
            "`safe_mode=False` to the loading function, or calling "
            "`keras.config.enable_unsafe_deserialization()."
        )
    return load_lambda(config["value"])
