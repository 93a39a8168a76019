"""Kernel layout: torch stores a convolution kernel, Keras shows it.

Kernels are stored in torch's layout inside a wrapped `nn.Conv*d` (so `state_dict()` is
torch-native) and shown in Keras's layout `(*kernel_size, in / groups, filters)` through a
`Variable` view: nothing is repacked per call.

Example:
    >>> to_keras, from_keras = kernel_permutation(2)
    >>> tuple(to_keras(torch.zeros(8, 3, 5, 4)).shape)
    (5, 4, 3, 8)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.layouts import permutation
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable

TORCH_CONV: dict[int, type[nn.Module]] = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONV_FN: dict[int, Callable[..., torch.Tensor]] = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def kernel_permutation(rank: int) -> tuple[Callable, Callable]:
    """torch `(out, in, *k)` <-> Keras `(*k, in, out)`; same for `(in, out, *k)`."""
    return permutation((*range(2, rank + 2), 1, 0))


def conv_module(
    rank: int,
    in_channels: int,
    out_channels: int,
    kernel_size: tuple[int, ...],
    groups: int,
    bias: bool,
    dtype: str,
) -> nn.Module:
    """An uninitialised `nn.Conv{rank}d` that stores a layer's kernel and bias."""
    return nn.utils.skip_init(
        TORCH_CONV[rank],
        in_channels,
        out_channels,
        kernel_size,
        groups=groups,
        bias=bias,
        dtype=to_torch_dtype(dtype),
    )


def track_kernel(
    layer: Layer,
    module: nn.Module,
    name: str,
    keras_shape: tuple[int, ...],
    initializer: Any,
    regularizer: Any,
    constraint: Any,
    transforms: tuple[Callable, Callable],
) -> Variable:
    """Expose `module.weight` as the Keras-layout variable `name` and initialise it."""
    to_keras, from_keras = transforms
    variable = layer.track_variable(
        Variable(module, "weight", name, constraint=constraint, to_keras=to_keras,
                 from_keras=from_keras),
        regularizer=regularizer,
    )  # fmt: skip
    variable.assign(initializer(keras_shape, dtype=layer.dtype))
    return variable


def track_bias(
    layer: Layer, module: nn.Module, size: int, initializer: Any, regularizer: Any, constraint: Any
) -> Variable:
    """Expose `module.bias` as the variable `bias` and initialise it."""
    variable = layer.track_variable(
        Variable(module, "bias", "bias", constraint=constraint), regularizer=regularizer
    )
    variable.assign(initializer((size,), dtype=layer.dtype))
    return variable
