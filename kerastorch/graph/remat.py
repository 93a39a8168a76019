"""Rematerialization (gradient checkpointing): `remat`, `RematScope` and the layer call.

`remat(f)` runs `f` under `torch.utils.checkpoint`: its activations are not kept for the
backward pass but recomputed there, trading compute for memory. Layers and operations created
inside a `RematScope` remember its mode and rematerialize their `call`:

- `"full"`: every call;
- `"activations"`: only the `activation` of layers that have one (`Dense(..., "relu")`);
- `"larger_than"`: calls whose outputs hold more than `output_size_threshold` values (unknown
  sizes count as 1, as in Keras; decided once per input shape);
- `"list_of_layers"`: the layers named in `layer_names`;
- `None`: none (a nested scope that turns it off).

Example:
    >>> import torch
    >>> from kerastorch import layers
    >>> with RematScope(mode="full"):
    ...     dense = layers.Dense(3, activation="relu")
    >>> x = torch.ones(2, 4, requires_grad=True)
    >>> dense(x).sum().backward()
    >>> tuple(x.grad.shape)
    (2, 4)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import torch
import torch.utils.checkpoint

from kerastorch.common import tree
from kerastorch.graph.keras_tensor import KerasTensor

_MODES = ("full", "activations", "larger_than", "list_of_layers", None)
_SCOPES: list[RematScope] = []


class RematMode(NamedTuple):
    """The active `RematScope`'s settings, as a layer records them at construction."""

    mode: str | None
    output_size_threshold: int
    layer_names: list[str]


class RematScope:
    """Rematerialize the calls of layers created inside (see the module docstring).

    Args:
        mode: `"full"`, `"activations"`, `"larger_than"`, `"list_of_layers"` or None.
        output_size_threshold: the output size above which `"larger_than"` applies.
        layer_names: the layer names `"list_of_layers"` applies to.
    """

    def __init__(
        self,
        mode: str | None = "full",
        output_size_threshold: int = 1024,
        layer_names: list[str] | None = None,
    ):
        if mode not in _MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', "
                "'larger_than', 'list_of_layers', or  None."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []

    def __enter__(self) -> RematScope:
        _SCOPES.append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _SCOPES.remove(self)


def get_current_remat_mode() -> RematMode | None:
    """The innermost active `RematScope`'s settings, or None outside any."""
    if not _SCOPES:
        return None
    scope = _SCOPES[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def remat(f: Callable[..., Any]) -> Callable[..., Any]:
    """`f`, rematerialized: its intermediate values are recomputed in the backward pass.

    Example:
        >>> import torch
        >>> x = torch.ones(3, requires_grad=True)
        >>> remat(torch.sin)(x).sum().backward()
        >>> bool(torch.allclose(x.grad, torch.cos(x)))
        True
    """

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return wrapped


def rematerialized_call(op: Any, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """Run `fn(*args, **kwargs)` (an operation's `call`) as `op._remat_mode` asks."""
    mode = op._remat_mode
    if mode.mode == "full" or (mode.mode == "list_of_layers" and op.name in mode.layer_names):
        return remat(fn)(*args, **kwargs)
    if mode.mode == "activations" and getattr(op, "activation", None) is not None:
        original = op.activation
        op.activation = remat(original)
        try:
            return fn(*args, **kwargs)
        finally:
            op.activation = original
    if mode.mode == "larger_than" and _output_size(op, args, kwargs) > mode.output_size_threshold:
        return remat(fn)(*args, **kwargs)
    return fn(*args, **kwargs)


def _output_size(op: Any, args: tuple, kwargs: dict) -> int:
    """The number of values in `op`'s outputs for these inputs' shapes (cached per shape)."""
    key = tuple(
        (tuple(x.shape), x.dtype) if isinstance(x, torch.Tensor) else None
        for x in tree.flatten((args, kwargs))
    )
    cache = op.__dict__.setdefault("_remat_output_sizes", {})
    if key not in cache:
        symbolic = tree.map_structure(
            lambda x: (
                KerasTensor(tuple(x.shape), str(x.dtype).removeprefix("torch."))
                if isinstance(x, torch.Tensor)
                else x
            ),
            (args, kwargs),
        )
        spec = op.compute_output_spec(*symbolic[0], **symbolic[1])
        cache[key] = sum(
            math.prod(d or 1 for d in x.shape)
            for x in tree.flatten(spec)
            if isinstance(x, KerasTensor)
        )
    return cache[key]
