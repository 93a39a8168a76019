"""What every convolution layer shares: argument checks, padding, layouts, `BaseConv`.

Keras conventions, torch kernels:

- Data formats: a `channels_last` input reaches torch's kernels as a permuted *view*
  (`x.permute(0, 3, 1, 2)` of an NHWC tensor is NCHW-shaped with channels-last strides,
  which cuDNN / oneDNN run natively); the output is permuted back as a view. No copies.
- Padding: `"valid"`, `"same"` (TensorFlow's rule: total padding
  `max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)`, the odd element at the end) and,
  for `Conv1D`, `"causal"`. Symmetric padding goes to the kernel's `padding=` argument;
  only the one extra trailing element of an asymmetric `"same"` needs `F.pad`. `"causal"`
  pads both ends by `(k - 1) * d` in the kernel and drops the trailing outputs (a view).
- Kernels are stored in torch's layout inside a wrapped `nn.Conv*d` (so `state_dict()` is
  torch-native) and shown in Keras's layout `(*kernel_size, in / groups, filters)` through a
  `Variable` view: nothing is repacked per call.

Example:
    >>> same_padding(5, kernel=3, stride=2)
    (1, 1)
    >>> same_padding(6, kernel=3, stride=2)
    (0, 1)
    >>> conv_output_shape((None, 7, 7, 3), 8, (3, 3), (2, 2), "same", "channels_last", (1, 1))
    (None, 4, 4, 8)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.config import standardize_data_format
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable, permutation

Shape = tuple[int | None, ...]

TORCH_CONV: dict[int, type[nn.Module]] = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONV_FN: dict[int, Callable[..., torch.Tensor]] = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


# -------------------------------------------------------------------------------------------
# Argument checks (Keras's messages)
# -------------------------------------------------------------------------------------------
def standardize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """An int or `n` ints -> a tuple of `n` ints, each `> 0` (`>= 0` with `allow_zero`).

    Example:
        >>> standardize_tuple(3, 2, "kernel_size")
        (3, 3)
    """
    error = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int) and not isinstance(value, bool):
        values: tuple[Any, ...] = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        if len(values) != n:
            raise ValueError(error)
        for v in values:
            try:
                int(v)
            except (ValueError, TypeError):
                raise ValueError(f"{error}including element {v} of type {type(v)}") from None
    values = tuple(int(v) for v in values)
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"{error}, including values {bad} that do not satisfy `value {requirement}`"
        )
    return values


def standardize_padding(value: Any, allow_causal: bool = False) -> str:
    """`"valid"` / `"same"` (/ `"causal"` where allowed), case-insensitive."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {', '.join(map(repr, allowed))}. "
            f"Received: padding={value!r}"
        )
    return padding


# -------------------------------------------------------------------------------------------
# Shapes and padding
# -------------------------------------------------------------------------------------------
def same_padding(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TF/Keras `"same"` padding `(before, after)` of one axis; the odd element goes after."""
    effective = (kernel - 1) * dilation + 1
    total = max((-(-size // stride) - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def spatial_axes(rank: int, data_format: str) -> tuple[int, ...]:
    """The spatial axes of a rank-`rank` input in `data_format`."""
    return (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )


def conv_output_shape(
    input_shape: Sequence[int | None],
    filters: int,
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    padding: str,
    data_format: str,
    dilation_rate: tuple[int, ...],
) -> Shape:
    """The output shape of a convolution, as Keras computes it (`None` stays unknown)."""
    input_shape = tuple(input_shape)
    rank = len(kernel_size)
    if len(input_shape) != rank + 2:
        raise ValueError(
            f"Kernel shape must have the same length as input, but received kernel of shape "
            f"{(*kernel_size, None, filters)} and input of shape {input_shape}."
        )
    spatial = [input_shape[a] for a in spatial_axes(rank, data_format)]
    out: list[int | None] = []
    for n, k, s, d in zip(spatial, kernel_size, strides, dilation_rate, strict=True):
        if n is None:
            out.append(None)
        elif padding == "valid":
            size = (n - d * (k - 1) - 1) // s + 1
            if size <= 0:
                raise ValueError(
                    "Computed output size would be zero or negative. Received "
                    f"`inputs shape={input_shape}`, `kernel_size={kernel_size}`, "
                    f"`dilation_rate={dilation_rate}`, `strides={strides}`, "
                    f"`padding={padding}`."
                )
            out.append(size)
        else:  # "same" and "causal"
            out.append((n - 1) // s + 1)
    if data_format == "channels_last":
        return (input_shape[0], *out, filters)
    return (input_shape[0], filters, *out)


def to_channels_first(x: torch.Tensor, data_format: str) -> torch.Tensor:
    """A `channels_last` tensor as a `(batch, channels, *spatial)` view (no copy)."""
    if data_format == "channels_first":
        return x
    return x.permute(0, x.ndim - 1, *range(1, x.ndim - 1))


def from_channels_first(y: torch.Tensor, data_format: str) -> torch.Tensor:
    """Undo `to_channels_first` on a kernel's output (a view)."""
    if data_format == "channels_first":
        return y
    return y.permute(0, *range(2, y.ndim), 1)


def pad_same(
    x: torch.Tensor,
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    dilation_rate: tuple[int, ...],
) -> tuple[torch.Tensor, tuple[int, ...]]:
    """`"same"` padding of a channels-first `x` for a convolution.

    Returns the input (padded at the end of the axes whose padding is asymmetric, else
    untouched) and the symmetric padding to pass as the kernel's `padding=`.
    """
    sizes = x.shape[2:]
    pads = [
        same_padding(n, k, s, d)
        for n, k, s, d in zip(sizes, kernel_size, strides, dilation_rate, strict=True)
    ]
    symmetric = tuple(before for before, _ in pads)
    extra = [after - before for before, after in pads]
    if any(extra):
        flat: list[int] = []
        for e in reversed(extra):  # F.pad lists the last axis first
            flat.extend((0, e))
        x = F.pad(x, flat)
    return x, symmetric


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
    variable = layer._track_variable(
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
    variable = layer._track_variable(
        Variable(module, "bias", "bias", constraint=constraint), regularizer=regularizer
    )
    variable.assign(initializer((size,), dtype=layer.dtype))
    return variable


def channel_axis_and_size(input_shape: Sequence[int | None], data_format: str) -> tuple[int, int]:
    """The channel axis (`-1` or `1`) and the number of input channels (must be known)."""
    axis = -1 if data_format == "channels_last" else 1
    channels = input_shape[axis]
    if channels is None:
        raise ValueError(
            "The channel dimension of the inputs should be defined. Found `None`. "
            f"Full input shape received: {tuple(input_shape)}"
        )
    return axis, int(channels)


def _check_positive(value: Any, name: str) -> None:
    if value is not None and value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a strictly positive value. "
            f"Received {name}={value}."
        )


def check_conv_args(
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    dilation_rate: tuple[int, ...],
    *,
    filters: int | None = None,
    depth_multiplier: int | None = None,
    check_strides_and_dilation: bool = True,
) -> None:
    """The constructor checks Keras makes on every convolution layer."""
    _check_positive(filters, "filters")
    _check_positive(depth_multiplier, "depth_multiplier")
    if not all(kernel_size):
        raise ValueError(
            f"The argument `kernel_size` cannot contain 0. Received kernel_size={kernel_size}."
        )
    if not all(strides):
        raise ValueError(f"The argument `strides` cannot contains 0. Received strides={strides}")
    if check_strides_and_dilation and max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation_rate}"
        )


# -------------------------------------------------------------------------------------------
# ConvLayer: what BaseConv, BaseConvTranspose, BaseDepthwiseConv and BaseSeparableConv share
# -------------------------------------------------------------------------------------------
class ConvLayer(Layer):
    """The common part of the convolution layers (not a Keras class).

    Constructor steps, called in Keras's order so that errors come in the same order:
    `_init_window` (rank, kernel_size, strides, dilation_rate, padding), `_init_output`
    (data_format, activation, use_bias), `_init_weight_args` (`<weight>_initializer` /
    `_regularizer` / `_constraint` for each weight). `build` uses `_build_input_spec` and
    `_build_bias`; `call` uses `_kernel_input` and `_kernel_output`.
    """

    def _init_window(
        self,
        rank: int,
        kernel_size: Any,
        strides: Any,
        dilation_rate: Any,
        padding: str,
        allow_causal: bool = False,
    ) -> None:
        self.rank = rank
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=allow_causal)

    def _init_output(self, data_format: str | None, activation: Any, use_bias: bool) -> None:
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.input_spec = InputSpec(min_ndim=self.rank + 2)

    def _init_weight_args(self, **weights: tuple[Any, Any, Any]) -> None:
        """`name=(initializer, regularizer, constraint)` -> `self.<name>_initializer`, ...

        Resolved as Keras does: every initializer, then every regularizer, then every
        constraint (in the order of `weights`).
        """
        self._weight_arg_names = tuple(weights)
        for name, (initializer, _, _) in weights.items():
            setattr(self, f"{name}_initializer", initializers.get(initializer))
        for name, (_, regularizer, _) in weights.items():
            setattr(self, f"{name}_regularizer", regularizers.get(regularizer))
        for name, (_, _, constraint) in weights.items():
            setattr(self, f"{name}_constraint", constraints.get(constraint))

    def _output_config(self) -> dict[str, Any]:
        """`activation`, `use_bias` and the weight arguments, in Keras's config order."""
        names = self._weight_arg_names
        return {
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **{
                f"{n}_initializer": initializers.serialize(getattr(self, f"{n}_initializer"))
                for n in names
            },
            **{
                f"{n}_regularizer": regularizers.serialize(getattr(self, f"{n}_regularizer"))
                for n in names
            },
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            **{
                f"{n}_constraint": constraints.serialize(getattr(self, f"{n}_constraint"))
                for n in names
            },
        }

    def _build_input_spec(self, input_shape: Shape) -> int:
        """Fix the channel count in `input_spec`; returns it."""
        axis, channels = channel_axis_and_size(input_shape, self.data_format)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})
        return channels

    def _build_bias(self, module: nn.Module, size: int) -> None:
        """`self.bias`: `module.bias` as the Keras variable, or None without `use_bias`."""
        self.bias = None
        if self.use_bias:
            self.bias = track_bias(
                self, module, size, self.bias_initializer, self.bias_regularizer,
                self.bias_constraint,
            )  # fmt: skip

    def _kernel_input(self, inputs: torch.Tensor) -> tuple[torch.Tensor, tuple[int, ...]]:
        """The channels-first view of `inputs` and the kernel's symmetric `padding=`.

        `"same"` pads the odd trailing element here; `"causal"` pads both ends by
        `(k - 1) * d` (the caller drops the trailing outputs).
        """
        x = to_channels_first(inputs, self.data_format)
        if self.padding == "same":
            return pad_same(x, self.kernel_size, self.strides, self.dilation_rate)
        if self.padding == "causal":
            return x, ((self.kernel_size[0] - 1) * self.dilation_rate[0],)
        return x, (0,) * self.rank

    def _kernel_output(self, y: torch.Tensor) -> torch.Tensor:
        """A kernel's channels-first output back in `data_format`, through the activation."""
        y = from_channels_first(y, self.data_format)
        return y if self.activation is activations.linear else self.activation(y)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The output shape for a layer with `filters` output channels."""
        return conv_output_shape(
            input_shape, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate,
        )  # fmt: skip


# -------------------------------------------------------------------------------------------
# BaseConv
# -------------------------------------------------------------------------------------------
class BaseConv(ConvLayer):
    """N-D convolution (`Conv1D`, `Conv2D`, `Conv3D`): `activation(conv(x, kernel) + bias)`.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output channels.
        kernel_size: int or `rank` ints.
        strides: int or `rank` ints (`> 1` excludes `dilation_rate > 1`).
        padding: `"valid"`, `"same"` or, for rank 1, `"causal"`.
        data_format: `"channels_last"` (default from `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: int or `rank` ints.
        groups: number of groups the input channels are split into.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints.

    Weights:
        `[kernel (*kernel_size, in_channels // groups, filters), bias (filters,)]` in Keras
        layout; the wrapped `nn.Conv{rank}d` stores `(filters, in // groups, *kernel_size)`.
    """

    conv: nn.Module

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if lora_rank:
            raise ValueError(
                f"{type(self).__name__}: LoRA is not supported by kerastorch. "
                f"Received: lora_rank={lora_rank}"
            )
        self.filters = filters
        self.groups = groups
        self._init_window(rank, kernel_size, strides, dilation_rate, padding, rank == 1)
        self._init_output(data_format, activation, use_bias)
        self._init_weight_args(
            kernel=(kernel_initializer, kernel_regularizer, kernel_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint),
        )
        _check_positive(filters, "filters")
        if groups <= 0:
            raise ValueError(
                f"The number of groups must be a positive integer. Received: groups={groups}."
            )
        if filters % groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        check_conv_args(self.kernel_size, self.strides, self.dilation_rate)
        self._conv_fn = CONV_FN[rank]

    def build(self, input_shape: Shape) -> None:
        channels = self._build_input_spec(input_shape)
        if channels % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of "
                f"groups. Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)  # validates the spatial sizes
        self.conv = conv_module(
            self.rank, channels, self.filters, self.kernel_size, self.groups, self.use_bias,
            self.dtype,
        )  # fmt: skip
        self.kernel = track_kernel(
            self, self.conv, "kernel", (*self.kernel_size, channels // self.groups, self.filters),
            self.kernel_initializer, self.kernel_regularizer, self.kernel_constraint,
            kernel_permutation(self.rank),
        )  # fmt: skip
        self._build_bias(self.conv, self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x, pad = self._kernel_input(inputs)
        conv = self.conv
        y = self._conv_fn(
            x, conv.weight, conv.bias, self.strides, pad, self.dilation_rate, self.groups
        )
        if self.padding == "causal":  # symmetric padding, then drop the trailing outputs
            y = y[..., : (x.shape[-1] - 1) // self.strides[0] + 1]
        return self._kernel_output(y)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            **self._output_config(),
        }
