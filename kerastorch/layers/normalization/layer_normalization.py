"""`LayerNormalization`: normalize each sample over `axis`, with `F.layer_norm` when it can.

Example:
    >>> import kerastorch as keras
    >>> keras.layers.LayerNormalization()(keras.Input((5, 4))).shape
    (None, 5, 4)
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class LayerNormalization(Layer):
    """Normalize each sample: `gamma * (x - mean) / sqrt(var + epsilon) + beta` over `axis`.

    When the normalized axes are the trailing ones (the default `axis=-1`), the layer runs
    `F.layer_norm`; other axes (e.g. `axis=1` of a 3-D input) are normalized explicitly.

    Args:
        axis: int or list of ints, the axes to normalize over (the weights have their sizes).
            After `build`, `axis` is a sorted list, as in Keras.
        epsilon: added to the variance (Keras's 1e-3).
        center / scale: whether to add `beta` / multiply by `gamma`.
        rms_scaling: deprecated in Keras: `x * rsqrt(var + epsilon) * gamma` (no centering).
        beta_initializer / gamma_initializer, beta_regularizer / gamma_regularizer,
            beta_constraint / gamma_constraint: as in Keras.

    Weights:
        `[gamma, beta]`, each of shape `tuple(input_shape[a] for a in axis)`.

    Example:
        >>> import torch
        >>> layer = LayerNormalization()
        >>> y = layer(torch.arange(8.0).reshape(2, 4))
        >>> [round(v, 3) for v in y[0].tolist()]
        [-1.341, -0.447, 0.447, 1.341]
    """

    def __init__(
        self,
        axis: int | list[int] = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly "
                "scales the input by the variance, not the root mean square. To correctly use "
                "RMS Normalization, please use `keras.layers.RMSNormalization` instead.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis: int | list[int] = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', but "
                f"received: {axis!r}"
            )
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        axes = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        _check_axes(axes, input_shape, self.axis)
        self.axis = axes
        shape = tuple(input_shape[a] for a in axes)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape=shape, name="gamma", initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
            )  # fmt: skip
        else:
            self.gamma = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape=shape, name="beta", initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
            )  # fmt: skip
        else:
            self.beta = None

    def call(self, inputs: Tensor) -> Tensor:
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        rank = x.ndim
        axes = [a % rank for a in self.axis]
        gamma = None if self.gamma is None else self.gamma.value.to(x.dtype)
        beta = None if self.beta is None else self.beta.value.to(x.dtype)
        trailing = axes == list(range(rank - len(axes), rank))
        if trailing and not self.rms_scaling:
            shape = tuple(x.shape[rank - len(axes) :])
            outputs = F.layer_norm(x, shape, gamma, beta, self.epsilon)
        else:
            bshape = [x.shape[d] if d in axes else 1 for d in range(rank)]
            variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=True)
            inv = (variance + self.epsilon).rsqrt()
            if gamma is not None:
                inv = inv * gamma.reshape(bshape)
            if self.rms_scaling:
                outputs = x * inv
            else:
                outputs = (x - mean) * inv
                if beta is not None:
                    outputs = outputs + beta.reshape(bshape)
        return outputs.to(to_torch_dtype(self.compute_dtype))

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        _check_axes(axes, input_shape, self.axis)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }


def _check_axes(axes: list[int], input_shape: tuple[int | None, ...], received: Any) -> None:
    rank = len(input_shape)
    for axis in axes:
        if axis >= rank or axis < -rank:
            raise ValueError(
                f"Axis {axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={received}"
            )
