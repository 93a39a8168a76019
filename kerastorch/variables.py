"""`Variable`: a Keras-layout view of one weight that a torch module stores.

Weights live in `nn.Parameter`s and buffers, in torch's layout (DESIGN §2). A `Variable`
holds no data of its own: it names the module attribute that stores the tensor and, where
Keras's layout differs, the two functions that convert between the layouts. `layer.weights`,
`layer.kernel`, `get_weights()` and the optimizers' constraint hook all go through it.

Example:
    >>> import torch
    >>> from kerastorch.common.layouts import transpose
    >>> lin = torch.nn.Linear(3, 2)
    >>> kernel = Variable(lin, "weight", "kernel", to_keras=transpose, from_keras=transpose)
    >>> kernel.shape  # Keras layout (in, out); nn.Linear stores (out, in)
    (3, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from kerastorch import config, initializers
from kerastorch.common.dtypes import array_to_tensor, standardize_dtype, to_torch_dtype
from kerastorch.common.layouts import Transform
from kerastorch.common.naming import uniquify


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

    Called as Keras's public constructor instead, `Variable(initializer, shape=None,
    dtype=None, trainable=True, autocast=True, aggregation="none", synchronization="auto",
    name=None)` (anything but a torch module first), it creates a standalone variable that
    owns its tensor: see `OwnedVariable`.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Variable:
        first = args[0] if args else kwargs.get("owner", kwargs.get("initializer"))
        if cls is Variable and (args or kwargs) and not isinstance(first, nn.Module):
            return super().__new__(OwnedVariable)
        return super().__new__(cls)

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

    def to_keras_layout(self, tensor: torch.Tensor) -> torch.Tensor:
        """A tensor of the stored tensor's shape (its gradient, say) in Keras layout."""
        return tensor if self._to_keras is None else self._to_keras(tensor)

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
        """A NumPy copy of the value, in Keras layout (a sharded DTensor is gathered: every
        process of its mesh must call this)."""
        value = self.value.detach()
        if hasattr(value, "full_tensor"):  # a torch DTensor
            value = value.full_tensor()
        host = value.cpu()
        if host is value or not host.is_contiguous():
            # A copy made by torch: NumPy never shares (and so pins) the weight's own
            # storage, which FSDP frees and reallocates.
            host = host.clone(memory_format=torch.contiguous_format)
        return host.numpy()

    @torch.no_grad()
    def assign(self, value: Any) -> Variable:
        """Overwrite the weight with `value`, given in Keras layout."""
        stored = self.tensor
        new = value if torch.is_tensor(value) else array_to_tensor(value)
        new = new.to(device=stored.device, dtype=stored.dtype)
        if tuple(new.shape) != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(new.shape)} to variable '{self.path}' of "
                f"shape {self.shape}."
            )
        new = new if self._from_keras is None else self._from_keras(new)
        if hasattr(stored, "device_mesh") and not hasattr(new, "device_mesh"):
            # A full value into a DTensor: each process keeps its own shard of it.
            from torch.distributed.tensor import distribute_tensor

            new = distribute_tensor(new, stored.device_mesh, stored.placements, src_data_rank=None)
        stored.copy_(new)
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
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def _scalar(self) -> torch.Tensor:
        if self.ndim > 0:
            raise TypeError(
                f"Only scalar arrays can be converted to Python scalars. Got: shape={self.shape}"
            )
        return self.value.detach()

    def __invert__(self) -> torch.Tensor:
        return ~self.value

    def __round__(self, ndigits: int | None = None) -> torch.Tensor:
        return torch.round(self.value, decimals=ndigits or 0)

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


_LOGICAL = {
    "__and__": torch.logical_and,
    "__or__": torch.logical_or,
    "__xor__": torch.logical_xor,
}


def _operand(x: Any, like: torch.Tensor) -> Any:
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, (np.ndarray, np.generic, list, tuple)):
        return torch.as_tensor(np.asarray(x), device=like.device)
    return x


def _binary(name: str) -> Callable[[Variable, Any], Any]:
    logical = _LOGICAL.get(name.replace("__r", "__"))

    def op(self: Variable, other: Any) -> Any:
        value = self.value
        other = _operand(other, value)
        if logical is not None:  # Keras: `&`, `|`, `^` are logical (boolean) operations
            other = torch.as_tensor(other, device=value.device)
            return logical(other, value) if name.startswith("__r") else logical(value, other)
        return getattr(value, name)(other)

    op.__name__ = name
    return op


for _name in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
    "__rpow__", "__matmul__", "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__",
    "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__",
):  # fmt: skip
    setattr(Variable, _name, _binary(_name))


class _Holder(nn.Module):
    """The module that stores a standalone variable's tensor (as the Parameter `value`)."""


_AGGREGATIONS = (None, "none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = (None, "none", "on_read", "on_write", "auto")


class OwnedVariable(Variable):
    """`keras.Variable(...)`: a variable that owns its tensor (Keras's public constructor).

    The tensor is an `nn.Parameter` of a small holder module (trainable floating-point
    variables require gradients), so the view's behaviour (operators, `assign`, optimizers)
    applies unchanged. `Variable(...)` called with Keras's arguments returns one of these.

    Args:
        initializer: the initial value (a NumPy array, a torch tensor, a Python number or
            nested list) or an initializer (an object, a callable taking `(shape, dtype)`, or
            a name such as `"ones"`); an initializer needs `shape`.
        shape: the variable's shape (required with an initializer).
        dtype: the dtype; defaults to the value's dtype, else `floatx()`.
        trainable: whether optimizers update it.
        autocast: recorded as Keras does (whether layers may cast it to their compute dtype).
        aggregation: `"none"`, `"mean"`, `"sum"` or `"only_first_replica"` (an annotation).
        synchronization: `"none"`, `"on_read"`, `"on_write"` or `"auto"` (an annotation).
        name: the name (no `/`); `variable`, `variable_1`, ... when omitted.

    Example:
        >>> import numpy as np
        >>> v = Variable(np.ones(3, dtype="float32"), name="v")
        >>> v.assign_add(np.ones(3)).numpy()
        array([2., 2., 2.], dtype=float32)
    """

    def __init__(
        self,
        initializer: Any,
        shape: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        aggregation: str | None = "none",
        synchronization: str | None = "auto",
        name: str | None = None,
    ):
        name = uniquify("variable") if name is None else name
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        if aggregation not in _AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `aggregation`. Expected one of `None`, `'none'`, "
                f"`'mean'`, `'sum'`, `'only_first_replica'`. Received: aggregation={aggregation}"
            )
        if synchronization not in _SYNCHRONIZATIONS:
            raise ValueError(
                "Invalid value for argument `synchronization`. Expected one of `None`, "
                "`'none'`, `'on_read'`, `'on_write'`, `'auto'`. "
                f"Received: synchronization={synchronization}"
            )
        value = _initial_value(initializer, shape, dtype, name)
        holder = _Holder()
        holder.value = nn.Parameter(value.to(config.default_device()), requires_grad=False)
        super().__init__(holder, "value", name, trainable=False)
        self.trainable = trainable
        self.autocast = bool(autocast)
        self.aggregation = aggregation or "none"
        self.synchronization = synchronization or "none"
        self.regularizer = None
        self._overwrite_with_gradient = False

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        t = self.tensor
        t.requires_grad_(self._trainable and (t.is_floating_point() or t.is_complex()))

    @property
    def constraint(self) -> Callable[[torch.Tensor], torch.Tensor] | None:
        """A callable applied after each optimizer step, or None."""
        return self._constraint

    @constraint.setter
    def constraint(self, value: Any) -> None:
        self._constraint = _callable_or_none(value, "constraint", "keras.constraints.Constraint")

    @property
    def regularizer(self) -> Callable[[torch.Tensor], torch.Tensor] | None:
        """A callable giving this variable's penalty, or None."""
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value: Any) -> None:
        self._regularizer = _callable_or_none(
            value, "regularizer", "keras.regularizers.Regularizer"
        )

    @property
    def overwrite_with_gradient(self) -> bool:
        """Whether optimizers overwrite this variable with its gradient (Keras's flag)."""
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"`overwrite_with_gradient` must be a boolean. Received: {value}")
        self._overwrite_with_gradient = value

    def __bool__(self) -> bool:
        raise TypeError("A Keras Variable cannot be used as a boolean.")

    def __eq__(self, other: Any) -> torch.Tensor:  # type: ignore[override]
        return torch.eq(self.value, _operand(other, self.value))

    def __ne__(self, other: Any) -> torch.Tensor:  # type: ignore[override]
        return torch.ne(self.value, _operand(other, self.value))

    __hash__ = Variable.__hash__


def _callable_or_none(value: Any, attribute: str, example: str) -> Any:
    if value is not None and not callable(value):
        raise ValueError(
            f"Invalid value for attribute `{attribute}`. Expected a callable (such as a "
            f"`{example}` instance) or `None`. Received: {attribute}={value}"
        )
    return value


def _initial_value(initializer: Any, shape: Any, dtype: Any, name: str) -> torch.Tensor:
    """The first value of a standalone variable, as Keras computes it."""
    if isinstance(initializer, str):
        initializer = initializers.get(initializer)
    if callable(initializer) and not isinstance(initializer, Variable):
        if shape is None:
            raise ValueError(
                "When creating a Variable from an initializer, the `shape` argument should be "
                f"specified. Received: initializer={initializer} and shape={shape}"
            )
        shape = _standardize_shape(shape, name)
        dtype = standardize_dtype(dtype)
        value = _to_tensor(initializer(shape, dtype=dtype), dtype, name)
    else:
        value = _to_tensor(initializer, None if dtype is None else standardize_dtype(dtype), name)
        if shape is not None:
            shape = _standardize_shape(shape, name)
    if shape is not None and tuple(value.shape) != shape:
        raise ValueError(
            f"Variable '{name}': the initial value has shape {tuple(value.shape)}, but "
            f"`shape={shape}` was passed. Pass a value of that shape, or omit `shape`."
        )
    return value.detach().clone()


def _standardize_shape(shape: Any, name: str) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) or not hasattr(shape, "__iter__"):
        raise ValueError(f"Cannot convert '{shape}' to a shape.")
    dims = tuple(shape)
    if any(d is None for d in dims):
        raise ValueError(
            "Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
            f"Received: shape={dims} for variable path='{name}'"
        )
    if not all(isinstance(d, (int, np.integer)) and int(d) >= 0 for d in dims):
        raise ValueError(f"Cannot convert '{shape}' to a shape (for variable path='{name}').")
    return tuple(int(d) for d in dims)


def _to_tensor(value: Any, dtype: str | None, name: str) -> torch.Tensor:
    """A tensor from an array-like, with Keras's defaults (Python floats -> `floatx()`,
    Python ints -> int32); NumPy arrays and tensors keep their dtype unless `dtype` is set."""
    if isinstance(value, Variable):
        value = value.value
    if not torch.is_tensor(value):
        python = not isinstance(value, (np.ndarray, np.generic))
        try:
            array = np.asarray(value)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"Variable '{name}': cannot convert the initial value to a tensor ({error}). "
                f"Received: initializer={value!r}"
            ) from None
        if array.dtype == object or array.dtype.kind not in "biufc":
            raise ValueError(
                f"Variable '{name}': `initializer` must be an array-like of numbers or booleans, "
                "or an initializer with `shape`. "
                f"Received: initializer={value!r} of type {type(value).__name__}"
            )
        if python and dtype is None:
            if array.dtype.kind == "f":
                dtype = config.floatx()
            elif array.dtype.kind in "iu":
                dtype = "int32"
        value = torch.from_numpy(np.array(array))
    return value if dtype is None else value.to(to_torch_dtype(dtype))
