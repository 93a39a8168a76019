"""`Dot`: batched dot product of two tensors along one axis of each (`torch.bmm`).

Example:
    >>> import torch
    >>> x, y = torch.ones(2, 5, 3), torch.ones(2, 4, 3)
    >>> dot([x, y], axes=(2, 2)).shape
    torch.Size([2, 5, 4])
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch import config
from kerastorch.layers.merging.base_merge import Merge, Shape


class Dot(Merge):
    """Batched dot product: contracts axis `axes[0]` of `x` with axis `axes[1]` of `y`.

    For `x` of shape `(batch, n, d)` and `y` of shape `(batch, m, d)`, `Dot(axes=2)`
    gives `(batch, n, m)`: `out[b, i, j] = sum_k x[b, i, k] * y[b, j, k]`. The output keeps
    `x`'s remaining axes then `y`'s; two rank-2 inputs give `(batch, 1)`.

    Args:
        axes: int, or a pair of ints: the axis of each input to contract (batch axis
            excluded; negative values count from the end).
        normalize: L2-normalize both inputs along their contracted axis first, so that the
            result is the cosine similarity.
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((5, 3)), keras.Input((4, 3))
        >>> Dot(axes=(2, 2))([a, b]).shape
        (None, 5, 4)
    """

    def __init__(self, axes: int | tuple[int, int] | list[int], normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _axes_for(self, rank1: int, rank2: int) -> list[int]:
        if isinstance(self.axes, int):
            if self.axes < 0:
                return [self.axes % rank1, self.axes % rank2]
            return [self.axes, self.axes]
        return [a % r if a < 0 else a for a, r in zip(self.axes, (rank1, rank2), strict=False)]

    def build(self, input_shape: list[Shape]) -> None:
        if not isinstance(input_shape[0], (tuple, list)) or len(input_shape) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. "
                f"Received: input_shape={input_shape}"
            )
        shape1, shape2 = input_shape
        if shape1 is None or shape2 is None:
            return
        axes = self._axes_for(len(shape1), len(shape2))
        if shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(
                f"Incompatible input shapes: axis values {shape1[axes[0]]} (at axis {axes[0]}) "
                f"!= {shape2[axes[1]]} (at axis {axes[1]}). Full input shapes: {shape1}, "
                f"{shape2}"
            )

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        if len(inputs) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}"
            )
        x, y = inputs
        a0, a1 = self._axes_for(x.ndim, y.ndim)
        if 0 in (a0, a1):
            raise ValueError(
                "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a "
                "dummy batch dimension to your inputs using keras.ops.expand_dims(x, 0)"
            )
        if self.normalize:
            x, y = _l2_normalize(x, a0), _l2_normalize(y, a1)
        x = x.movedim(a0, -1)  # (batch, *x_rest, d)
        y = y.movedim(a1, 1)  # (batch, d, *y_rest)
        batch, depth = x.shape[0], x.shape[-1]
        x_rest, y_rest = tuple(x.shape[1:-1]), tuple(y.shape[2:])
        out = torch.bmm(
            x.reshape(batch, math.prod(x_rest), depth),
            y.reshape(batch, depth, math.prod(y_rest)),
        )  # (batch, prod(x_rest), prod(y_rest))
        out = out.reshape(batch, *x_rest, *y_rest)
        return out.unsqueeze(1) if out.ndim == 1 else out

    def compute_output_shape(self, input_shape: list[Shape], **kwargs: Any) -> Shape:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. "
                f"Received: input_shape={input_shape}"
            )
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = self._axes_for(len(shape1), len(shape2))
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        shape2.pop(0)
        output_shape = shape1 + shape2
        if len(output_shape) == 1:
            output_shape += [1]
        return tuple(output_shape)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> None:
        return None

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    """Keras's `ops.normalize(x, axis)`: `x * min(rsqrt(sum(x**2)), 1 / epsilon)`."""
    inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / config.epsilon())


def dot(inputs: list[Any], axes: int | tuple[int, int] = -1, **kwargs: Any) -> Any:
    """Functional interface to the `Dot` layer: `Dot(axes, **kwargs)(inputs)`."""
    return Dot(axes=axes, **kwargs)(inputs)
