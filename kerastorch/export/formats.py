"""`export_model`: `Model.export`'s format switch, with Keras's format names.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> export_model(model, "m", format="litert")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: format='litert' needs the LiteRT (TensorFlow Lite) converter, which ...
"""

from __future__ import annotations

from typing import Any

from kerastorch.export.onnx import export_onnx
from kerastorch.export.torch_program import export_torch

_WRITERS = {"onnx": export_onnx, "torch": export_torch}
_ELSEWHERE = {
    "tf_saved_model": "TensorFlow to write a SavedModel",
    "litert": "the LiteRT (TensorFlow Lite) converter",
    "openvino": "OpenVINO's model converter",
}


def export_model(
    model: Any, filepath: Any, format: str = "tf_saved_model", verbose: bool | None = None,
    input_signature: Any = None, **kwargs: Any,
) -> Any:  # fmt: skip
    """Write `model` in `format` (`"torch"`: a `.pt2` program; `"onnx"`: an ONNX file)."""
    if format in _WRITERS:
        return _WRITERS[format](
            model, filepath, input_signature=input_signature, verbose=verbose, **kwargs
        )
    if format in _ELSEWHERE:
        raise ValueError(
            f"format={format!r} needs {_ELSEWHERE[format]}, which kerastorch does not use. "
            "Export with format='torch' (a torch.export `.pt2` program, loadable without "
            "kerastorch) or format='onnx' (for ONNX Runtime, TensorRT, OpenVINO, ...)."
        )
    raise ValueError(
        f"Unrecognized format={format!r} for `export()`. Supported formats: 'torch', 'onnx' "
        f"(Keras's {', '.join(repr(f) for f in _ELSEWHERE)} need other runtimes)."
    )
