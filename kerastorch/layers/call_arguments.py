"""What a layer call receives besides its tensors: the shapes it builds from, its masks.

`mark_built` wraps each subclass's `build` to record those shapes and set `built`.

Example:
    >>> import torch
    >>> input_shape_from_kwargs({"input_dim": 4})
    (4,)
    >>> x = torch.ones(2, 3)
    >>> attach_masks(x, torch.ones(2, dtype=torch.bool))
    >>> collect_masks(x).shape
    torch.Size([2])
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch.common import tree
from kerastorch.graph.keras_tensor import KerasTensor


def input_shape_from_kwargs(kwargs: dict[str, Any]) -> tuple[int | None, ...] | None:
    """tf.keras-style declarations -> the batch-less input shape (None if not given)."""
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"][1:])
    if kwargs.get("input_shape") is not None:
        return tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (int(kwargs["input_dim"]),)
    return None


def shape_of(x: Any) -> Any:
    if isinstance(x, (torch.Tensor, KerasTensor, np.ndarray)):
        return tuple(x.shape)
    return None


def shapes_for_build(layer: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    names = layer._build_arg_names
    first = args[0] if args else next(iter(kwargs.values()))
    if len(names) <= 1:
        return tree.map_structure(shape_of, first) if tree.is_nested(first) else shape_of(first)
    # Several `*_shape` build arguments: match them to the call's arguments by name.
    call_params = [p for p in inspect.signature(layer.call).parameters if p != "self"]
    bound = dict(zip(call_params, args, strict=False))
    bound.update(kwargs)
    shapes = {}
    for name in names:
        arg = name.removesuffix("_shape")
        if arg in bound and bound[arg] is not None:
            shapes[name] = tree.map_structure(shape_of, bound[arg])
    return shapes


def collect_masks(inputs: Any) -> Any:
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return None if all(m is None for m in masks) else masks
    return None


def attach_masks(outputs: Any, masks: Any) -> None:
    if masks is None:
        return
    if isinstance(outputs, torch.Tensor):
        outputs._keras_mask = masks
        return
    if isinstance(outputs, (list, tuple)) and isinstance(masks, (list, tuple)):
        for output, mask in zip(outputs, masks, strict=False):
            if isinstance(output, torch.Tensor) and mask is not None:
                output._keras_mask = mask


def mark_built(build: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a subclass's `build` so that `built` is set even when users call it directly."""

    @functools.wraps(build)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = build(self, *args, **kwargs)
        self.built = True
        self._build_called = True  # built by its own `build` (see `tracking.LayerType`)
        if self._build_shapes is None:
            if len(args) == 1 and not kwargs:
                self._build_shapes = args[0]
            else:  # several build arguments: by name, as Keras's `shapes_dict`
                named = dict(zip(type(self)._build_arg_names, args, strict=False), **kwargs)
                self._build_shapes = {k: v for k, v in named.items() if v is not None}
        return result

    return wrapper


def outer_autocast(layer: Any, inputs: Any) -> Any:
    """`torch.autocast` for an outermost call of a mixed-precision layer made outside one
    (`model(x)` under `mixed_bfloat16`, as Keras computes it), else None."""
    if not (layer._dtype.startswith("mixed") and layer.autocast):
        return None
    device = inputs.device.type if isinstance(inputs, torch.Tensor) else "cpu"
    if device == "meta" or torch.is_autocast_enabled(device):
        return None
    return torch.autocast(device, dtype=getattr(torch, layer.compute_dtype))
