"""`Metric`: Keras's stateful metric, as a `torch.nn.Module` whose state is its buffers.

State tensors are registered buffers, so `metric.to(device)`, `state_dict()` and DDP see them.
`add_variable` returns a Keras `Variable` view of the buffer (`.assign`, `.assign_add`,
`.numpy()`, arithmetic), so custom metrics written for Keras 3 run unchanged.

`update_state` runs every training step: it must stay on the device (no `.item()`, no Python
branch on tensor values). The state follows the inputs: a metric fed CUDA tensors moves its
buffers to CUDA once, on the first update.

Example:
    >>> import torch
    >>> class BinaryTruePositives(Metric):
    ...     def __init__(self, name="binary_true_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.true_positives = self.add_variable(shape=(), name="true_positives")
    ...
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         hits = (torch.as_tensor(y_true) == 1) & (torch.as_tensor(y_pred) == 1)
    ...         self.true_positives.assign(self.true_positives + hits.sum())
    ...
    ...     def result(self):
    ...         return self.true_positives.value.clone()
    >>> m = BinaryTruePositives()
    >>> float(m([1, 1, 0], [1, 0, 0]))
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from kerastorch import config, initializers
from kerastorch.common import naming
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.variables import Variable


class MetricVariable(Variable):
    """A Keras `Variable` view of one metric buffer (non-trainable state).

    `assign_add` / `assign_sub` update the buffer in place on its device; `aggregation` says
    how replicas combine it under data parallelism (`"sum"` for counts and totals).
    """

    def __init__(self, owner: nn.Module, attr: str, name: str, path: str, aggregation: str):
        super().__init__(owner, attr, name, path=path, trainable=False)
        self.aggregation = aggregation

    @property
    def tensor(self) -> torch.Tensor:
        # Read the buffer table directly: the metric's attribute of the same name is this view.
        return self._owner._buffers[self._attr]

    # No `torch.no_grad()` needed (it costs more than the update on small metrics): the
    # buffer never requires grad and `_as_state_value` hands over a value that does not either.
    def assign_add(self, value: Any) -> MetricVariable:
        stored = self._owner._buffers[self._attr]
        if type(value) in (int, float):  # a count: the cached tensor of that number
            value = scalar_like(value, stored)
        elif not (  # the other common case, checked inline: a matching tensor
            isinstance(value, torch.Tensor)
            and value.dtype == stored.dtype
            and value.device == stored.device
            and not value.requires_grad
        ):
            value = _as_state_value(value, stored)
        stored.add_(value)
        return self

    def assign_sub(self, value: Any) -> MetricVariable:
        stored = self._owner._buffers[self._attr]
        stored.sub_(_as_state_value(value, stored))
        return self


def scalar_like(value: int | float, like: torch.Tensor) -> torch.Tensor | int | float:
    """`value` as a 0-d tensor of `like`'s dtype and device, made once per value.

    Adding a Python number to a tensor on the CPU wraps it in a tensor and converts that at
    every call (three times the cost of the addition itself); counts added at every step
    (batch sizes) reuse one tensor instead. Inside a `torch.compile` trace, and for a number
    `like`'s integer dtype cannot hold as it is, the number itself.

    Example:
        >>> scalar_like(32, torch.zeros(())) is scalar_like(32, torch.zeros(()))
        True
    """
    if torch.compiler.is_compiling() or not (like.is_floating_point() or type(value) is int):
        return value
    key = (value, like.dtype, like.device)
    cached = _SCALARS.get(key)
    if cached is None:
        if len(_SCALARS) >= 256:  # (batch sizes are few; this bounds any other use)
            _SCALARS.clear()
        cached = _SCALARS[key] = torch.tensor(value, dtype=like.dtype, device=like.device)
    return cached


_SCALARS: dict[tuple[Any, torch.dtype, torch.device], torch.Tensor] = {}


def _as_state_value(value: Any, like: torch.Tensor) -> torch.Tensor | float | int:
    """`value` on `like`'s device and dtype, outside autograd (no copy when it already is)."""
    if isinstance(value, Variable):
        value = value.value
    if isinstance(value, torch.Tensor):
        if value.requires_grad:
            value = value.detach()
        if value.dtype != like.dtype or value.device != like.device:
            value = value.to(device=like.device, dtype=like.dtype)
        return value
    if isinstance(value, (int, float, bool)):
        return value  # a kernel argument: no host-to-device copy
    return torch.as_tensor(np.asarray(value), dtype=like.dtype, device=like.device)


def standardize_metric_dtype(dtype: Any) -> str:
    """Keras's metric dtype: `None` -> floatx; a dtype policy -> its compute dtype."""
    dtype = getattr(dtype, "compute_dtype", dtype)  # a DTypePolicy-like object
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return dtype.removeprefix("mixed_")
    return standardize_dtype(dtype)


def _initial_value(
    initializer: Any, shape: tuple[int, ...], dtype: torch.dtype, device: torch.device
) -> torch.Tensor:
    """The initial state: a number, or any Keras initializer (`"zeros"`, an instance, ...)."""
    if initializer is None:
        return torch.zeros(shape, dtype=dtype, device=device)
    if isinstance(initializer, (int, float)) and not isinstance(initializer, bool):
        return torch.full(shape, initializer, dtype=dtype, device=device)
    value = initializers.get(initializer)(shape, dtype=standardize_dtype(dtype))
    value = value.value if isinstance(value, Variable) else value
    value = value if torch.is_tensor(value) else torch.as_tensor(np.asarray(value))
    return value.to(device=device, dtype=dtype)


class Metric(nn.Module):
    """Encapsulates metric logic and state.

    Subclasses create their state in `__init__` with `self.add_variable(...)`, accumulate in
    `update_state(...)` and compute the value in `result()`. Calling a metric runs
    `update_state` then returns `result()`.

    Args:
        dtype: dtype of the metric's computations and result. Defaults to `floatx()`.
        name: name of the metric instance. Defaults to the snake-cased class name, made
            unique per session (`auc`, `auc_1`, ...).

    Example:
        >>> from kerastorch.metrics import Mean
        >>> m = Mean()
        >>> float(m([1.0, 3.0, 5.0, 7.0]))
        4.0
        >>> [v.path for v in m.variables]
        ['mean/total', 'mean/count']
    """

    _keras_module = "keras.metrics"

    def __init__(self, dtype: Any = None, name: str | None = None):
        super().__init__()
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self._dtype = standardize_metric_dtype(dtype)
        self._torch_dtype = to_torch_dtype(self._dtype)  # read by every update
        self._variables: list[MetricVariable] = []

    # -- state -----------------------------------------------------------------------------
    def add_variable(
        self,
        shape: tuple[int, ...] | list[int] | int = (),
        initializer: Any = "zeros",
        dtype: Any = None,
        aggregation: str = "sum",
        name: str | None = None,
    ) -> MetricVariable:
        """Create a state tensor (a buffer) and return its Keras `Variable` view.

        Args:
            shape: shape of the state.
            initializer: a Keras initializer (`"zeros"`, the default; `"ones"`, an instance, a
                callable `fn(shape, dtype)`) or a number.
            dtype: dtype of the state. Defaults to `floatx()`, as in Keras.
            aggregation: how data-parallel replicas combine it (`"sum"`, `"mean"`, ...).
            name: the variable's name; its path is `"<metric name>/<name>"`.
        """
        self._check_super_called()
        shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
        torch_dtype = to_torch_dtype(dtype if dtype is not None else config.floatx())
        name = name or "variable"
        attr = self._free_buffer_name(name.replace("/", "_").replace(".", "_"))
        value = _initial_value(initializer, shape, torch_dtype, self._state_device())
        self.register_buffer(attr, value)
        variable = MetricVariable(self, attr, name, f"{self.name}/{name}", aggregation)
        self._variables.append(variable)
        return variable

    def add_weight(
        self,
        shape: tuple[int, ...] | list[int] = (),
        initializer: Any = None,
        dtype: Any = None,
        name: str | None = None,
    ) -> MetricVariable:
        """Backwards-compatible alias of `add_variable`."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self) -> list[MetricVariable]:
        """This metric's state variables, then those of the metrics it holds."""
        variables = list(self._variables)
        for child in self.children():
            if isinstance(child, Metric):
                variables.extend(child.variables)
        return variables

    @property
    def dtype(self) -> str:
        return self._dtype

    # -- the Keras protocol ----------------------------------------------------------------
    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulate statistics for the metric."""
        raise NotImplementedError

    def result(self) -> torch.Tensor:
        """The current metric value: a tensor (0-d for scalar metrics)."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Set every state variable to zero (called between epochs)."""
        with torch.no_grad():
            for variable in self.variables:
                variable.tensor.zero_()

    def forward(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        """`metric(y_true, y_pred)`: update the state, then return `result()`."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        """The serializable config of the metric."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        return cls(**config)

    # -- helpers for subclasses ------------------------------------------------------------
    def _state_device(self) -> torch.device:
        buffer = next(self.buffers(), None)
        if buffer is not None:
            return buffer.device
        return self.__dict__.get("_home_device") or config.default_device()

    def _follow(self, x: Any) -> torch.device:
        """The device this update runs on: `x`'s if it is a tensor (state moves there once)."""
        if not isinstance(x, torch.Tensor):
            return self._state_device()
        device = x.device
        for buffer in self._buffers.values():  # the first of `self.buffers()`, found cheaply
            if buffer is not None:
                if buffer.device != device:
                    self.to(device)
                return device
        buffer = next(self.buffers(), None)  # state held by child metrics only, or none yet
        if buffer is None:
            if self.__dict__.get("_home_device") != x.device:
                self._home_device = x.device  # where lazily built state will be created
        elif buffer.device != x.device:
            self.to(x.device)
        return x.device

    def _free_buffer_name(self, base: str) -> str:
        attr, i = base, 0
        while attr in self._buffers or attr in self.__dict__ or hasattr(type(self), attr):
            i += 1
            attr = f"{base}_{i}"
        return attr

    def _check_super_called(self) -> None:
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: you forgot to call `super().__init__()` in the "
                "`__init__()` method. Go add it!"
            )

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, MetricVariable) and name in self.__dict__.get("_buffers", {}):
            # The view shadows the buffer of the same name; the buffer stays the storage.
            object.__setattr__(self, name, value)
            return
        super().__setattr__(name, value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    def __str__(self) -> str:
        return self.__repr__()
