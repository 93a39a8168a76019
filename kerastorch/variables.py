"""`Variable`: a Keras-layout view of one weight that a torch module stores.

Weights live in `nn.Parameter`s and buffers, in torch's layout (DESIGN §2). A `Variable`
holds no data of its own: it names the module attribute that stores the tensor and, where
Keras's layout differs, the two functions that convert between the layouts. `layer.weights`,
`layer.kernel`, `get_weights()` and the optimizers' constraint hook all go through it.

Example:
    >>> import torch
    >>> lin = torch.nn.Linear(3, 2)
    >>> kernel = Variable(lin, "weight", "kernel", to_keras=transpose, from_keras=transpose)
    >>> kernel.shape  # Keras layout (in, out); nn.Linear stores (out, in)
    (3, 2)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from kerastorch.common.dtypes import standardize_dtype

Transform = Callable[[torch.Tensor], torch.Tensor]


def transpose(t: torch.Tensor) -> torch.Tensor:
    """Swap the two axes of a matrix (Dense kernel: torch `(out, in)` <-> Keras `(in, out)`)."""
    return t.T


def _permute(t: torch.Tensor, dims: tuple[int, ...]) -> torch.Tensor:
    return t.permute(*dims)


def permutation(dims: tuple[int, ...]) -> tuple[Transform, Transform]:
    """`(to_keras, from_keras)` for a weight whose Keras layout is `torch_value.permute(dims)`.

    The functions are picklable (`functools.partial` of a module-level function), so models
    holding such variables still work with `torch.save(model)`.
    """
    inverse = tuple(int(i) for i in np.argsort(dims))
    return functools.partial(_permute, dims=tuple(dims)), functools.partial(_permute, dims=inverse)


class Variable:
    """A Keras-layout view of a tensor stored as `owner.<attr>` (a Parameter or a buffer).

    Args:
        owner: the module that stores the tensor.
        attr: the attribute name of the tensor on `owner` (looked up on each access, so the
            view stays valid across `model.to(device)` and `load_state_dict`).
        name: Keras's variable name (`"kernel"`, `"moving_mean"`, ...).
        path: Keras's variable path (`"dense/kernel"`); defaults to `name`.
        trainable: whether optimizers update it. Buffers are never trainable.
        constraint: a callable applied (in Keras layout) after each optimizer step.
        to_keras / from_keras: layout conversions; identity when omitted.

    It behaves as a tensor in torch functions and operators (`inputs @ layer.kernel`), as
    Keras's variables do on the torch backend.
    """

    def __init__(
        self,
        owner: nn.Module,
        attr: str,
        name: str,
        *,
        path: str | None = None,
        trainable: bool = True,
        constraint: Callable[[torch.Tensor], torch.Tensor] | None = None,
        to_keras: Transform | None = None,
        from_keras: Transform | None = None,
    ):
        self._owner = owner
        self._attr = attr
        self.name = name
        self.path = path or name
        self.constraint = constraint
        self._to_keras = to_keras
        self._from_keras = from_keras
        self._trainable = bool(trainable) and self.is_parameter
        if self.is_parameter:
            self.tensor.requires_grad_(self._trainable)

    # -- storage ---------------------------------------------------------------------------
    @property
    def tensor(self) -> torch.Tensor:
        """The stored torch tensor (torch layout): the Parameter or buffer itself."""
        owner = self._owner
        tensor = owner._parameters.get(self._attr)
        if tensor is None:
            tensor = owner._buffers.get(self._attr)
        return tensor if tensor is not None else getattr(owner, self._attr)

    @property
    def is_parameter(self) -> bool:
        return isinstance(self.tensor, nn.Parameter)

    @property
    def value(self) -> torch.Tensor:
        """The weight in Keras layout (a differentiable view of the stored tensor).

        Its `.grad` is the stored tensor's gradient in Keras layout, so Keras's torch-backend
        idiom `[v.value.grad for v in model.trainable_weights]` works for every weight.
        """
        t = self.tensor
        if self._to_keras is None:
            return t
        view = self._to_keras(t)
        if t.grad is not None:
            view.grad = self._to_keras(t.grad)
        return view

    @property
    def grad(self) -> torch.Tensor | None:
        """The gradient in Keras layout, or None."""
        g = self.tensor.grad
        return g if g is None or self._to_keras is None else self._to_keras(g)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        if value and not self.is_parameter:
            raise ValueError(
                f"Variable '{self.path}' is stored as a buffer (non-trainable state) and cannot "
                "be made trainable."
            )
        self._trainable = value
        if self.is_parameter:
            self.tensor.requires_grad_(value)

    # -- Keras Variable API ----------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    @property
    def ndim(self) -> int:
        return self.tensor.ndim

    @property
    def dtype(self) -> str:
        return standardize_dtype(self.tensor.dtype)

    def numpy(self) -> np.ndarray:
        """A NumPy copy of the value, in Keras layout."""
        return self.value.detach().cpu().numpy().copy()

    @torch.no_grad()
    def assign(self, value: Any) -> Variable:
        """Overwrite the weight with `value`, given in Keras layout."""
        stored = self.tensor
        new = torch.as_tensor(np.asarray(value) if not torch.is_tensor(value) else value)
        new = new.to(device=stored.device, dtype=stored.dtype)
        if tuple(new.shape) != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(new.shape)} to variable '{self.path}' of "
                f"shape {self.shape}."
            )
        stored.copy_(new if self._from_keras is None else self._from_keras(new))
        return self

    def assign_add(self, value: Any) -> Variable:
        return self.assign(self.value.detach() + torch.as_tensor(value))

    def assign_sub(self, value: Any) -> Variable:
        return self.assign(self.value.detach() - torch.as_tensor(value))

    @torch.no_grad()
    def apply_constraint(self) -> None:
        """Project the weight with its constraint (called by optimizers after each step)."""
        if self.constraint is not None:
            self.assign(self.constraint(self.value))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self) -> str:
        return (
            f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
            f"value={self.numpy()}>"
        )

    # -- tensor behaviour ------------------------------------------------------------------
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        def unwrap(x: Any) -> Any:
            if isinstance(x, Variable):
                return x.value
            if isinstance(x, (list, tuple)):
                return type(x)(unwrap(i) for i in x)
            return x

        return func(*unwrap(args), **{k: unwrap(v) for k, v in (kwargs or {}).items()})

    def __getitem__(self, index: Any) -> torch.Tensor:
        return self.value[index]

    def __len__(self) -> int:
        return self.shape[0]

    def __float__(self) -> float:
        return float(self.value.detach())

    def __int__(self) -> int:
        return int(self.value.detach())

    def __bool__(self) -> bool:
        return bool(self.value.detach())

    def __neg__(self) -> torch.Tensor:
        return -self.value

    def __abs__(self) -> torch.Tensor:
        return abs(self.value)

    def __pos__(self) -> torch.Tensor:
        return self.value

    @property
    def T(self) -> torch.Tensor:
        return self.value.T


def _binary(name: str) -> Callable[[Variable, Any], Any]:
    def op(self: Variable, other: Any) -> Any:
        other = other.value if isinstance(other, Variable) else other
        return getattr(self.value, name)(other)

    op.__name__ = name
    return op


for _name in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
    "__rpow__", "__matmul__", "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__",
    "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__",
):  # fmt: skip
    setattr(Variable, _name, _binary(_name))
