"""`GroupNormalization`: normalize groups of channels per sample, with `F.group_norm`.

Example:
    >>> import kerastorch as keras
    >>> keras.layers.GroupNormalization(groups=2)(keras.Input((5, 4))).shape
    (None, 5, 4)
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class GroupNormalization(Layer):
    """Split the channels (`axis`) into `groups` and normalize each group of each sample.

    `groups=-1` is instance normalization (one channel per group; `groups` then becomes the
    number of channels at build, as in Keras). Channels-first inputs (`axis=1`) run
    `F.group_norm`; other layouts are normalized in place, without transposes.

    Args:
        groups: number of groups (must divide the number of channels). Defaults to 32.
        axis: the channels axis. Defaults to -1.
        epsilon: added to the variance (Keras's 1e-3).
        center / scale: whether to add `beta` / multiply by `gamma` (per channel).
        beta_initializer / gamma_initializer, beta_regularizer / gamma_regularizer,
            beta_constraint / gamma_constraint: as in Keras.

    Weights:
        `[gamma (channels,), beta (channels,)]`.

    Example:
        >>> import torch
        >>> layer = GroupNormalization(groups=2)
        >>> layer(torch.randn(3, 6, 4)).shape, layer.count_params()
        (torch.Size([3, 6, 4]), 8)
    """

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
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
        if not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer "
                f"(or `-1` for instance normalization). Received: groups={groups}"
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the "
                f"layer received an input with shape {tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of channels "
                f"({dim})."
            )
        if dim % self.groups != 0:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of channels "
                f"({dim})."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        if self.scale:
            self.gamma = self.add_weight(
                shape=(dim,), name="gamma", initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
            )  # fmt: skip
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                shape=(dim,), name="beta", initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
            )  # fmt: skip
        else:
            self.beta = None

    def call(self, inputs: Tensor) -> Tensor:
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        axis = self.axis % x.ndim
        gamma = None if self.gamma is None else self.gamma.value.to(x.dtype)
        beta = None if self.beta is None else self.beta.value.to(x.dtype)
        if axis == 1:  # channels first: torch's native layout
            outputs = F.group_norm(x, self.groups, gamma, beta, self.epsilon)
        else:
            outputs = self._grouped(x, axis, gamma, beta)
        return outputs.to(to_torch_dtype(self.compute_dtype))

    def _grouped(self, x: Tensor, axis: int, gamma: Any, beta: Any) -> Tensor:
        """Group norm with the channels left in place (e.g. channels_last), no transposes.

        (torch 2.13's CPU `group_norm` backward crashes on channels_last views of inputs that
        need no gradient, so that kernel is not used here.)
        """
        channels = x.shape[axis]
        grouped = x.unflatten(axis, (self.groups, channels // self.groups))  # (..., G, C/G, ...)
        reduce = [d for d in range(1, grouped.ndim) if d != axis]
        variance, mean = torch.var_mean(grouped, dim=reduce, correction=0, keepdim=True)
        outputs = ((grouped - mean) * (variance + self.epsilon).rsqrt()).flatten(axis, axis + 1)
        bshape = [1] * x.ndim
        bshape[axis] = channels
        if gamma is not None:
            outputs = outputs * gamma.reshape(bshape)
        if beta is not None:
            outputs = outputs + beta.reshape(bshape)
        return outputs

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        rank = len(input_shape)
        if self.axis >= rank or self.axis < -rank:
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={self.axis}"
            )
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
