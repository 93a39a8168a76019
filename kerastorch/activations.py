"""Keras 3's activation functions, on torch tensors, with `get`/`serialize`/`deserialize`.

Each function calls torch's fused kernel where it computes the same numbers as Keras
(`F.relu`, `F.gelu`, `F.silu`, ...), so layers pay nothing for the Keras names.

Example:
    >>> import torch
    >>> from kerastorch import activations
    >>> activations.get("relu")(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    >>> activations.serialize(activations.swish)
    'silu'
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.common import registry, serialization
from kerastorch.ops.logits import attach_logits

Tensor = torch.Tensor
Axis = int | tuple[int, ...] | None

__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]


def _tensor(x: Any) -> Tensor:
    """Torch tensors pass through; arrays keep their dtype; Python numbers become floatx."""
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.as_tensor(x)
    if hasattr(x, "value") and isinstance(x.value, torch.Tensor):  # a kerastorch Variable
        return x.value
    return torch.as_tensor(x, dtype=getattr(torch, config.floatx()))


def _keep_logits(output: Tensor, logits: Tensor, activation: str, axis: Axis = -1) -> Tensor:
    """Record that `output = activation(logits)` (`ops.logits.attach_logits`), so that
    crossentropy losses compute from the logits, as Keras does on TensorFlow. Skipped while
    torch.compile traces, and for softmax over several axes."""
    if isinstance(axis, int) and not torch.compiler.is_compiling():
        try:  # noqa: SIM105 (`contextlib.suppress` would cost more than the tagging)
            attach_logits(output, logits, activation, axis)
        except AttributeError:
            pass
    return output


# -- rectifiers --------------------------------------------------------------------------------
def relu(
    x: Tensor, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0
) -> Tensor:
    """Rectified linear unit: `max(x, 0)`, with Keras's optional slope, ceiling and threshold.

    Args:
        x: Input tensor.
        negative_slope: Slope for values below `threshold`. Defaults to `0.0`.
        max_value: Saturation value (the largest value returned). Defaults to `None`.
        threshold: Values at or below it are damped or set to zero. Defaults to `0.0`.

    Example:
        >>> relu(torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0]), negative_slope=0.5)
        tensor([-5.0000, -2.5000,  0.0000,  5.0000, 10.0000])
    """
    if not isinstance(x, torch.Tensor):
        x = _tensor(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)  # `F.relu`'s own kernel, without its Python wrapper
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return F.leaky_relu(x, negative_slope)
        negative_part = F.relu(-x + threshold) if threshold != 0 else F.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = torch.where(x > threshold, x, torch.zeros((), dtype=x.dtype, device=x.device))
    elif max_value == 6:
        x, clip_max = F.relu6(x), False
    else:
        x = F.relu(x)
    if clip_max:
        x = torch.clamp(x, 0.0, max_value)
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


def leaky_relu(x: Tensor, negative_slope: float = 0.2) -> Tensor:
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise (Keras's default 0.2)."""
    return F.leaky_relu(_tensor(x), negative_slope)


def relu6(x: Tensor) -> Tensor:
    """ReLU capped at 6: `min(max(x, 0), 6)`."""
    return F.relu6(_tensor(x))


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise."""
    return F.elu(_tensor(x), alpha)


def selu(x: Tensor) -> Tensor:
    """Scaled ELU, with `alpha=1.67326324` and `scale=1.05070098`."""
    return F.selu(_tensor(x))


def celu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: `x` for `x >= 0`, `alpha * (exp(x / alpha) - 1)`."""
    return F.celu(_tensor(x), alpha)


def gelu(x: Tensor, approximate: bool = False) -> Tensor:
    """Gaussian error linear unit, `0.5 * x * (1 + erf(x / sqrt(2)))`.

    Args:
        x: Input tensor.
        approximate: Use the tanh approximation. Defaults to `False`, as in Keras.
    """
    return F.gelu(_tensor(x), approximate="tanh" if approximate else "none")


def silu(x: Tensor) -> Tensor:
    """Swish / SiLU: `x * sigmoid(x)`. Also available as `swish`."""
    return F.silu(_tensor(x))


def hard_silu(x: Tensor) -> Tensor:
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`. Also available as `hard_swish`."""
    return F.hardswish(_tensor(x))


def mish(x: Tensor) -> Tensor:
    """Mish: `x * tanh(softplus(x))`."""
    return F.mish(_tensor(x))


def glu(x: Tensor, axis: int = -1) -> Tensor:
    """Gated linear unit: split `x` in halves `a, b` along `axis`; return `a * sigmoid(b)`."""
    return F.glu(_tensor(x), dim=axis)


def squareplus(x: Tensor, b: float = 4) -> Tensor:
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`."""
    x = _tensor(x)
    return (x + torch.sqrt(x**2 + b)) / 2


def sparse_plus(x: Tensor) -> Tensor:
    """SparsePlus: `0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`."""
    x = _tensor(x)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


def softplus(x: Tensor) -> Tensor:
    """Softplus: `log(exp(x) + 1)`."""
    return F.softplus(_tensor(x))


def softsign(x: Tensor) -> Tensor:
    """Softsign: `x / (abs(x) + 1)`."""
    return F.softsign(_tensor(x))


def linear(x: Tensor) -> Tensor:
    """The identity: returns `x` unchanged (what `activation=None` means)."""
    return x


def exponential(x: Tensor) -> Tensor:
    """Exponential: `exp(x)`."""
    return torch.exp(_tensor(x))


# -- sigmoids and tanh ------------------------------------------------------------------------
def sigmoid(x: Tensor) -> Tensor:
    """Sigmoid: `1 / (1 + exp(-x))`."""
    if not isinstance(x, torch.Tensor):
        x = _tensor(x)
    return _keep_logits(torch.sigmoid(x), x, "sigmoid")


def hard_sigmoid(x: Tensor) -> Tensor:
    """Hard sigmoid: `0` for `x <= -3`, `1` for `x >= 3`, `x / 6 + 0.5` in between."""
    return F.hardsigmoid(_tensor(x))


def sparse_sigmoid(x: Tensor) -> Tensor:
    """Sparse sigmoid: `0` for `x <= -1`, `1` for `x >= 1`, `(x + 1) / 2` in between."""
    x = _tensor(x)
    return torch.clamp(0.5 * (x + 1), 0.0, 1.0)


def log_sigmoid(x: Tensor) -> Tensor:
    """Log of the sigmoid: `-softplus(-x)`."""
    return F.logsigmoid(_tensor(x))


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return torch.tanh(_tensor(x))


def tanh_shrink(x: Tensor) -> Tensor:
    """Tanh shrink: `x - tanh(x)`."""
    return F.tanhshrink(_tensor(x))


def hard_tanh(x: Tensor) -> Tensor:
    """Hard tanh: `x` clipped to `[-1, 1]`."""
    return F.hardtanh(_tensor(x), -1.0, 1.0)


# -- shrinkage and thresholds ----------------------------------------------------------------
def hard_shrink(x: Tensor, threshold: float = 0.5) -> Tensor:
    """Hard shrink: `x` where `|x| > threshold`, else `0`."""
    return F.hardshrink(_tensor(x), threshold)


def soft_shrink(x: Tensor, threshold: float = 0.5) -> Tensor:
    """Soft shrink: `x - threshold` above `threshold`, `x + threshold` below `-threshold`,
    else `0`."""
    return F.softshrink(_tensor(x), threshold)


def threshold(x: Tensor, threshold: float, default_value: float) -> Tensor:
    """Threshold: `x` where `x > threshold`, else `default_value`."""
    return F.threshold(_tensor(x), threshold, default_value)


# -- normalizing activations -------------------------------------------------------------------
def _over_axes(fn: Callable[..., Tensor], x: Tensor, axis: Axis) -> Tensor:
    """Apply `fn(x, dim=-1)` jointly over `axis` (an int, a tuple of ints, or all axes)."""
    if isinstance(axis, int):
        return fn(x, dim=axis)
    if axis is None:
        return fn(x.reshape(-1), dim=-1).reshape(x.shape)
    axes = tuple(a % x.ndim for a in axis)
    keep = [a for a in range(x.ndim) if a not in axes]
    moved = x.permute(*keep, *axes)  # (kept..., reduced...)
    out = fn(moved.reshape(*[x.shape[a] for a in keep], -1), dim=-1).reshape(moved.shape)
    order = [*keep, *axes]
    return out.permute(*sorted(range(x.ndim), key=order.__getitem__))


def _warn_on_unit_axis(x: Tensor, axis: Axis) -> None:
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {tuple(x.shape)}. "
            "This axis has size 1. The softmax operation will always return the value 1, which "
            "is likely not what you intended. Did you mean to use a sigmoid instead?",
            stacklevel=3,
        )


def softmax(x: Tensor, axis: Axis = -1) -> Tensor:
    """Softmax along `axis`: `exp(x) / sum(exp(x))`, each slice summing to 1.

    Args:
        x: Input tensor.
        axis: An int, a tuple of ints (normalized jointly) or `None` (all axes).
            Defaults to `-1`.

    Example:
        >>> softmax(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([0.0900, 0.2447, 0.6652])
    """
    if not isinstance(x, torch.Tensor):
        x = _tensor(x)
    if isinstance(axis, int):
        if -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
            _warn_on_unit_axis(x, axis)
        # `torch.softmax` is `F.softmax`'s kernel, without its Python wrapper.
        return _keep_logits(torch.softmax(x, axis), x, "softmax", axis)
    return _over_axes(F.softmax, x, axis)  # several axes: no logits to keep


def log_softmax(x: Tensor, axis: Axis = -1) -> Tensor:
    """Log-softmax along `axis`: `x - logsumexp(x)`; `axis` as in `softmax`."""
    return _over_axes(F.log_softmax, _tensor(x), axis)


def sparsemax(x: Tensor, axis: int = -1) -> Tensor:
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    `sparsemax(x) = max(x - tau(x), 0)`, where `tau` makes each slice sum to 1; unlike
    softmax, small entries become exactly zero (Martins et al., 2016).

    Note:
        Keras 3.15 computes `tau` from the sum of the cumulative sums over the support rather
        than from the cumulative sum at its end, so its output does not sum to 1 when more
        than one entry is non-zero (`[0.1, 0.2, 0.3]` -> `[0, 0.067, 0.167]`). kerastorch
        follows the paper, as Keras does after keras-team/keras#23469; both agree whenever a
        single entry is non-zero.
    """
    x = _tensor(x)
    z = x.movedim(axis, -1)  # (..., n)
    z_sorted = torch.sort(z, dim=-1, descending=True).values
    cumsum = z_sorted.cumsum(-1)
    k = torch.arange(1, z.shape[-1] + 1, device=z.device, dtype=z.dtype)
    support = z_sorted - (cumsum - 1) / k > 0  # entries that stay positive
    k_z = support.sum(-1, keepdim=True)  # size of the support (>= 1)
    tau = (cumsum.gather(-1, k_z - 1) - 1) / k_z  # (sum of the k_z largest - 1) / k_z
    return torch.clamp(z - tau, min=0.0).movedim(-1, axis)


# Aliases.
swish = silu
hard_swish = hard_silu

ALL_OBJECTS_DICT: dict[str, Callable[..., Tensor]] = {
    fn.__name__: fn
    for fn in (
        relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign, squareplus,
        soft_shrink, sparse_plus, silu, gelu, glu, tanh, tanh_shrink, threshold, sigmoid,
        sparse_sigmoid, exponential, hard_sigmoid, hard_silu, hard_tanh, hard_shrink, linear,
        mish, log_softmax, log_sigmoid, sparsemax,
    )
}  # fmt: skip
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def serialize(activation: Callable[..., Any]) -> str | dict[str, Any]:
    """The Keras config of an activation: the name for built-ins (`"relu"`), else a dict.

    Example:
        >>> serialize(relu), serialize(hard_swish)
        ('relu', 'hard_silu')
    """
    fn_config = serialization.serialize_keras_object(activation)
    if not isinstance(fn_config, dict) or "config" not in fn_config:
        raise ValueError(
            f"Unknown activation function '{activation}' cannot be serialized due to invalid "
            "function name. Make sure to use an activation name that matches the references "
            "defined in activations.py or use `@keras.saving.register_keras_serializable()` to "
            f"register any custom activations. config={fn_config}"
        )
    if not isinstance(activation, types.FunctionType):
        return fn_config  # callable objects (e.g. a layer)
    if isinstance(fn_config["config"], str) and fn_config["config"] not in ALL_OBJECTS_DICT:
        fn_config["config"] = registry.get_registered_name(activation)
        return fn_config  # custom functions
    return fn_config["config"]


def deserialize(
    config: str | dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Callable[..., Any]:
    """The activation a Keras config describes (`"relu"` or a serialized dict)."""
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier: str | dict[str, Any] | Callable[..., Any] | None) -> Callable[..., Any]:
    """Resolve an activation: `None` -> `linear`, a name, a config dict, or a callable.

    Example:
        >>> get(None) is linear, get("swish") is silu
        (True, True)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        obj = serialization.deserialize_keras_object(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")


registry.register_namespace("activations", globals(), __all__)
