"""`Initializer`: the base class of Keras's weight initializers, and the helpers they share.

Example:
    >>> as_shape([2, 3.0]), torch_dtype("float16")
    ((2, 3), torch.float16)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import torch

from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype

__all__ = ["Initializer", "Shape", "as_shape", "place", "torch_dtype"]

Shape = Sequence[int]


class Initializer:
    """Base class of initializers: `initializer(shape, dtype=None) -> torch.Tensor`.

    Subclasses implement `__call__` and, when they take arguments, `get_config` (the
    default `from_config` calls `cls(**config)`).

    Example:
        >>> class Halves(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return torch.full(tuple(shape), 0.5, dtype=torch_dtype(dtype))
        >>> Halves()((2,))
        tensor([0.5000, 0.5000])
    """

    _keras_module: ClassVar[str] = "keras.initializers"

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self) -> dict[str, Any]:
        """The initializer's arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        """Rebuild an initializer from the output of `get_config()`."""
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def torch_dtype(dtype: Any) -> torch.dtype:
    """Keras's dtype argument (None -> floatx) as a torch dtype."""
    return to_torch_dtype(standardize_dtype(dtype))


def as_shape(shape: Shape) -> tuple[int, ...]:
    """A shape as a tuple of Python ints."""
    return tuple(int(d) for d in shape)


def place(t: torch.Tensor) -> torch.Tensor:
    """Move a CPU-made tensor to torch's default device (a no-op unless it was changed)."""
    get_default_device = getattr(torch, "get_default_device", None)  # torch >= 2.3
    device = get_default_device() if get_default_device else t.device
    return t if device.type == "cpu" else t.to(device)
