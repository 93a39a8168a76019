"""What a layer tracks as it is constructed: containers of layers, and whether it is built.

`track_modules` turns a list, tuple or dict whose leaves are all torch modules (layers),
nested to any depth, into `nn.ModuleList` / `ModuleDict`, so that torch registers them (their
weights are the layer's weights, `state_dict()` holds them, and saving finds them as Keras
does, as `container`, `container_1`, ...).

`LayerType` is the metaclass of `Layer`. After construction it applies Keras's rule for
layers that are built at construction (stateless ones such as `ReLU` set `built` in
`__init__`): a subclass that overrides `build` is not built until it is first called, so
that its `build` runs.

Example:
    >>> from kerastorch import layers
    >>> class Blocks(layers.Layer):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.blocks = [[layers.Dense(2), layers.Dense(2)], (layers.Dense(1),)]
    ...         self.heads = {"a": layers.Dense(1)}
    >>> block = Blocks()
    >>> type(block.blocks).__name__, type(block.heads).__name__
    ('ModuleList', 'ModuleDict')
    >>> class MyReLU(layers.ReLU):
    ...     def build(self, input_shape):
    ...         pass
    >>> layers.ReLU().built, MyReLU().built
    (True, False)
"""

from __future__ import annotations

from typing import Any

from torch import nn


class ModuleDict(nn.ModuleDict):
    """`nn.ModuleDict` with the `dict.get` a Keras program may call on it."""

    def get(self, key: str, default: Any = None) -> Any:
        """The module under `key`, or `default`."""
        try:
            return self[key]
        except KeyError:
            return default


def track_modules(value: Any) -> Any:
    """`value` with its nested lists/tuples/dicts of modules as `ModuleList`/`ModuleDict`;
    `value` itself when it holds anything else (or is empty), as torch would leave it."""
    converted = _as_container(value)
    return value if converted is None else converted


def _as_container(value: Any) -> nn.Module | None:
    if isinstance(value, nn.Module):
        return value
    if isinstance(value, (list, tuple)) and value:
        items = []
        for item in value:  # stops at the first leaf that is not a module
            items.append(_as_container(item))
            if items[-1] is None:
                return None
        return nn.ModuleList(items)
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        entries = {}
        for key, item in value.items():
            entries[key] = _as_container(item)
            if entries[key] is None:
                return None
        try:
            return ModuleDict(entries)
        except (KeyError, TypeError):  # a key torch refuses ("a.b", "training"): left as is
            return None
    return None


class LayerType(type):
    """The metaclass of `Layer`: Keras's rule for `built` at the end of construction."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        layer = super().__call__(*args, **kwargs)
        state = layer.__dict__
        if (
            state.get("built")
            and not state.get("_build_called")
            and cls._unbuilt_if_build_overridden
            and cls._overrides_build
        ):
            # Built in `__init__` by a stateless base class, but this class has a `build`
            # of its own: it runs at the first call (Keras's `_build_at_init`).
            layer.built = False
        return layer
