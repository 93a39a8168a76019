"""`RMSNormalization`: scale each sample by the reciprocal root mean square over `axis`.

Example:
    >>> import kerastorch as keras
    >>> RMSNormalization()(keras.Input((5, 4))).shape
    (None, 5, 4)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.layer import Layer
from kerastorch.ops.nn.normalization import rms_normalization

Tensor = torch.Tensor


class RMSNormalization(Layer):
    """Root mean square normalization: `x * rsqrt(mean(square(x)) + epsilon) * scale`.

    The mean is taken over `axis`; when those are the trailing axes (the default `axis=-1`)
    the layer runs `F.rms_norm`, as Keras's torch backend does. Other axes (`axis=1` of a
    3-D input) are normalized explicitly, where Keras's torch backend fails. The computation
    is done in at least float32 and the result cast back to the input's dtype.

    Args:
        axis: int or list of ints, the axes to normalize over (`scale` has their sizes).
            After `build`, `axis` is a sorted list, as in Keras.
        epsilon: added to the mean square (Keras's 1e-6).

    Weights:
        `[scale]`, of shape `tuple(input_shape[a] for a in axis)`, initialized to ones.

    Example:
        >>> import torch
        >>> layer = RMSNormalization()
        >>> y = layer(torch.tensor([[3.0, 4.0]]))
        >>> [round(v, 4) for v in y[0].tolist()]
        [0.8485, 1.1314]
    """

    def __init__(self, axis: int | list[int] = -1, epsilon: float = 1e-6, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis: int | list[int] = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        axes = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        _check_axes(axes, input_shape, self.axis)
        self.axis = axes
        shape = tuple(input_shape[a] for a in axes)
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")

    def call(self, x: Tensor) -> Tensor:
        scale = self.scale.value
        rank = x.ndim
        axes = [a % rank for a in self.axis]
        if axes != list(range(rank - len(axes), rank)):  # broadcast over the other axes
            scale = scale.reshape([x.shape[d] if d in axes else 1 for d in range(rank)])
        return rms_normalization(x, scale=scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        _check_axes(axes, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}


def _check_axes(axes: list[int], input_shape: tuple[int | None, ...], received: Any) -> None:
    rank = len(input_shape)
    for axis in axes:
        if axis >= rank or axis < -rank:
            raise ValueError(
                f"Axis {axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={received}"
            )
