"""Keras's global context managers: `name_scope`, `device`, `StatelessScope`, `SymbolicScope`.

`name_scope` keeps a stack of names (`current_path()` joins them: `"outer/inner"`), the
prefix Keras puts in variable paths. `device` makes new tensors (torch factory functions)
and new layers' weights go to a device (`config.default_device()` reads
`current_device()`). `StatelessScope` runs code against given variable values and leaves the
variables as they were. `SymbolicScope` marks symbolic shape inference (tracing a layer on
KerasTensors), as Keras does, for code that must tell it from a real call.

Example:
    >>> import torch
    >>> with name_scope("outer"), name_scope("inner"):
    ...     current_path()
    'outer/inner'
    >>> with device("cpu"):
    ...     torch.zeros(1).device.type
    'cpu'
"""

from __future__ import annotations

from typing import Any

import torch

_NAME_SCOPES: list[name_scope] = []
_DEVICES: list[torch.device] = []
_STATELESS_SCOPE: list[StatelessScope | None] = [None]
_SYMBOLIC_SCOPE: list[SymbolicScope | None] = [None]


class name_scope:
    """Open a sub-namespace `name` for the paths of variables created inside.

    Args:
        name: the scope's name (no `/`).
        caller: the object opening the scope; with `deduplicate`, the same caller reopening
            the same name does not nest again. A caller with a `_parent_path` (a layer,
            once built) opens its scope under that path wherever it is reopened, as Keras.
        deduplicate: see `caller`.
        override_parent: an absolute path that replaces the enclosing scopes.
    """

    def __init__(
        self,
        name: str,
        caller: Any = None,
        deduplicate: bool = True,
        override_parent: str | None = None,
    ):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        if override_parent is None and getattr(caller, "_parent_path", None) is not None:
            override_parent = caller._parent_path  # where the caller was first built
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pop_on_exit = False

    def __enter__(self) -> name_scope:
        if self.deduplicate and _NAME_SCOPES and self.caller is not None:
            parent = _NAME_SCOPES[-1]
            if parent.caller is self.caller and parent.name == self.name:
                return self
        _NAME_SCOPES.append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._pop_on_exit:
            _NAME_SCOPES.pop()


def current_path() -> str:
    """The open name scopes joined by `/` (`""` outside any scope)."""
    parts: list[str] = []
    for scope in _NAME_SCOPES:
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)


class device:
    """Create tensors and layer weights on `device_name` inside the block.

    Args:
        device_name: `"cpu"`, `"gpu"` / `"cuda"`, `"gpu:0"`, `"cuda:1"`, `"mps"`, ... (`gpu`
            means CUDA, as in Keras's torch backend), or a `torch.device`.

    Example:
        >>> with device("cpu") as d:
        ...     d
        device(type='cpu')
    """

    def __init__(self, device_name: str | torch.device):
        if isinstance(device_name, str):
            device_name = device_name.lower().replace("gpu", "cuda")
        elif not isinstance(device_name, torch.device):
            raise ValueError(
                "Invalid value for argument `device_name`. Expected a string like 'gpu:0' or "
                f"'cpu'. Received: device_name='{device_name}'"
            )
        self.device = torch.device(device_name)
        self._torch_scope = torch.device(self.device)

    def __enter__(self) -> torch.device:
        _DEVICES.append(self.device)
        self._torch_scope.__enter__()
        return self.device

    def __exit__(self, *exc: Any) -> None:
        self._torch_scope.__exit__(*exc)
        _DEVICES.pop()


def current_device() -> torch.device | None:
    """The device of the innermost open `device` scope, or `None`."""
    return _DEVICES[-1] if _DEVICES else None


class StatelessScope:
    """Run code against given variable values without changing any variable of the mapping.

    On entry each variable of `state_mapping` takes its given value; on exit the value
    each one reached inside the scope is kept for `get_current_value(variable)` and the
    variable gets its original value back. (On JAX Keras intercepts every read and write
    instead; kerastorch's layers read their torch parameters directly, so the values are
    swapped in place: gradients do not flow back to the mapping's tensors, and variables
    outside the mapping keep any change made inside.)

    Args:
        state_mapping: `(variable, value)` pairs; each value must have the variable's shape.
        collect_losses: kept for Keras's API: losses recorded with `add_loss` go to `losses`.
        initialize_variables: kept for Keras's API (variables are created initialized).

    Example:
        >>> import kerastorch as keras
        >>> v = keras.Variable([1.0, 2.0])
        >>> with StatelessScope([(v, [5.0, 5.0])]) as scope:
        ...     _ = v.assign(v.value * 2)
        >>> scope.get_current_value(v).tolist(), v.value.tolist()
        ([10.0, 10.0], [1.0, 2.0])
    """

    def __init__(
        self,
        state_mapping: Any = None,
        collect_losses: bool = False,
        initialize_variables: bool = True,
    ):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses: list[Any] = []
        self._variables: dict[int, Any] = {}
        self.state_mapping: dict[int, torch.Tensor] = {}
        self._originals: dict[int, torch.Tensor] = {}
        for variable, value in state_mapping or ():
            if not (hasattr(variable, "assign") and hasattr(variable, "value")):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: {variable}"
                )
            reference = variable.value
            value = getattr(value, "value", value)
            value = torch.as_tensor(value, dtype=reference.dtype, device=reference.device)
            if tuple(value.shape) != tuple(reference.shape):
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`mapping` must be tensors with a shape that matches the corresponding "
                    f"variable shape. For variable {variable}, received invalid value with "
                    f"shape {tuple(value.shape)}."
                )
            self._variables[id(variable)] = variable
            self.state_mapping[id(variable)] = value

    def __enter__(self) -> StatelessScope:
        self._outer = _STATELESS_SCOPE[0]
        _STATELESS_SCOPE[0] = self
        with torch.no_grad():
            for key, variable in self._variables.items():
                self._originals[key] = variable.value.detach().clone()
                variable.assign(self.state_mapping[key])
        return self

    def __exit__(self, *exc: Any) -> None:
        _STATELESS_SCOPE[0] = self._outer
        with torch.no_grad():
            for key, variable in self._variables.items():
                self.state_mapping[key] = variable.value.detach().clone()
                variable.assign(self._originals.pop(key))

    def add_loss(self, loss: Any) -> None:
        """Record a loss computed inside the scope."""
        self.losses.append(loss)

    def add_update(self, update: tuple[Any, Any]) -> None:
        """Record `(variable, new_value)` as the variable's current value in this scope."""
        variable, value = update
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable: Any) -> torch.Tensor | None:
        """The variable's value as of the end of the scope (`None` if not in the mapping)."""
        return self.state_mapping.get(id(variable))


def get_stateless_scope() -> StatelessScope | None:
    """The open `StatelessScope`, or `None`."""
    return _STATELESS_SCOPE[0]


def in_stateless_scope() -> bool:
    """Whether a `StatelessScope` is open."""
    return _STATELESS_SCOPE[0] is not None


class SymbolicScope:
    """Marks the symbolic stage: kerastorch opens it while it infers a layer's output specs
    (tracing `call` on the `meta` device); `in_symbolic_scope()` tells code inside.

    Example:
        >>> with SymbolicScope():
        ...     in_symbolic_scope()
        True
        >>> in_symbolic_scope()
        False
    """

    def __enter__(self) -> SymbolicScope:
        self.original_scope = _SYMBOLIC_SCOPE[0]
        _SYMBOLIC_SCOPE[0] = self
        return self

    def __exit__(self, *exc: Any) -> None:
        _SYMBOLIC_SCOPE[0] = self.original_scope


def get_symbolic_scope() -> SymbolicScope | None:
    """The open `SymbolicScope`, or `None`."""
    return _SYMBOLIC_SCOPE[0]


def in_symbolic_scope() -> bool:
    """Whether a `SymbolicScope` is open (output shapes are being inferred)."""
    return _SYMBOLIC_SCOPE[0] is not None
