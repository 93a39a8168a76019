"""`InputSpec` and the one place where layer input errors are written.

Example:
    >>> from kerastorch.layers import InputSpec
    >>> InputSpec(min_ndim=2, axes={-1: 8})
    InputSpec(min_ndim=2, axes={-1: 8})
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import tree
from kerastorch.common.shapes import format_shape


class InputSpec:
    """What a layer accepts: rank (`ndim`, `min_ndim`, `max_ndim`), fixed `axes`, `shape`.

    Args:
        dtype: expected dtype name, or None.
        shape: expected shape (`None` entries match anything).
        ndim / min_ndim / max_ndim: expected rank bounds.
        axes: `{axis: size}` that must hold (set by `build` once the weights are made).
        allow_last_axis_squeeze: accept inputs whose rank differs by a trailing 1.
        name: the input's name (for multi-input layers).
        optional: the input may be None.
    """

    def __init__(
        self,
        dtype: str | None = None,
        shape: tuple[int | None, ...] | None = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict[int, int] | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): int(v) for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def __repr__(self) -> str:
        fields = [
            f"{key}={value!r}"
            for key, value in (
                ("dtype", self.dtype),
                ("shape", self.shape),
                ("ndim", self.ndim),
                ("max_ndim", self.max_ndim),
                ("min_ndim", self.min_ndim),
                ("axes", self.axes or None),
            )
            if value is not None
        ]
        return f"InputSpec({', '.join(fields)})"

    def get_config(self) -> dict[str, Any]:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputSpec:
        return cls(**config)


def _produced_by(x: Any) -> str:
    history = getattr(x, "_keras_history", None)  # None for eager torch tensors
    return f" (output of layer '{history.layer.name}')" if history else ""


def assert_input_compatibility(layer: Any, inputs: Any) -> None:
    """Check `inputs` against `layer.input_spec`; raise a ValueError a user can act on."""
    specs = layer.input_spec
    if specs is None:
        return
    specs = tree.flatten(specs)
    flat = tree.flatten(inputs)
    where = f"Layer '{layer.name}' ({type(layer).__name__})"
    if len(flat) != len(specs):
        raise ValueError(
            f"{where} expects {len(specs)} input(s), but it received {len(flat)} input "
            f"tensors. Inputs received: {inputs}"
        )
    for index, (spec, x) in enumerate(zip(specs, flat, strict=False)):
        if spec is None or (x is None and spec.optional):
            continue
        reason = mismatch(spec, tuple(x.shape), _produced_by(x))
        if reason is not None:
            what = f"Input {index} of {where}" if index else where
            raise ValueError(f"{what} is incompatible with the layer: {reason}")


def assert_shape_compatibility(layer: Any, shape: Any, spec: InputSpec | None = None) -> None:
    """Check a `build` shape against `spec` (default: the layer's single `input_spec`).

    `build` runs before the call's input check, so layers whose weights depend on the
    rank (convolutions, recurrent layers) call this first: a wrong rank then fails with
    the layer's name instead of an error from making the weights.
    """
    spec = layer.input_spec if spec is None else spec
    if not isinstance(spec, InputSpec) or not isinstance(shape, (tuple, list)):
        return
    if not all(d is None or isinstance(d, int) for d in shape):
        return  # a structure of shapes (nested inputs): not a single tensor's shape
    reason = mismatch(spec, tuple(shape))
    if reason is not None:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) is incompatible with the layer: "
            f"{reason}"
        )


def mismatch(spec: InputSpec, shape: tuple[int | None, ...], produced_by: str = "") -> str | None:
    """Why `shape` does not fit `spec` (the end of Keras's message), or None when it fits.

    Layers call it on every eager call, so the path where everything fits stays short;
    `produced_by` (which layer made the input) goes into the message.
    """
    rank = len(shape)
    if spec.ndim is not None and rank != spec.ndim and not spec.allow_last_axis_squeeze:
        return _rank_reason(f"ndim={spec.ndim}", shape, produced_by)
    if spec.max_ndim is not None and rank > spec.max_ndim:
        return _rank_reason(f"max_ndim={spec.max_ndim}", shape, produced_by)
    if spec.min_ndim is not None and rank < spec.min_ndim:
        return _rank_reason(f"min_ndim={spec.min_ndim}", shape, produced_by)
    for axis, expected in spec.axes.items():
        if -rank <= axis < rank and shape[axis] is not None and shape[axis] != expected:
            return (
                f"expected axis {axis} of input shape to have value {expected}, but received "
                f"input with shape {format_shape(shape)}{produced_by}.\nA layer creates its "
                "weights on its first call; to apply it to inputs of another size, create a "
                "new layer."
            )
    if spec.shape is not None:
        for axis, expected in enumerate(spec.shape):
            if expected is not None and axis < rank and shape[axis] not in (None, expected):
                return (
                    f"expected shape={format_shape(spec.shape)}, found shape="
                    f"{format_shape(shape)}{produced_by}"
                )
    return None


def _rank_reason(expected: str, shape: tuple[int | None, ...], produced_by: str) -> str:
    return (
        f"expected {expected}, found ndim={len(shape)}. Full shape received: "
        f"{format_shape(shape)}{produced_by}"
    )
