"""`HeadProjection`: the dense projections of `MultiHeadAttention` (Keras's EinsumDense there).

Keras builds them as `EinsumDense("abc,cde->abde")` (query/key/value: `(dim, heads, size)`)
and `EinsumDense("abcd,cde->abe")` (output: `(heads, value_dim, out)`). Here the kernel is
stored in that Keras layout and used as a `(prod(in_dims), prod(out_dims))` matrix view, so
each projection is one matmul with no per-call repacking.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch import activations, initializers
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable

Tensor = torch.Tensor


class HeadProjection(Layer):
    """`outputs[..., *out_dims] = inputs[..., *in_dims] . kernel + bias` over the last axes.

    Args:
        output_dims: the trailing output sizes (`(heads, key_dim)`, or `(out,)`).
        bound_dims: how many trailing input axes are contracted (1, or 2 for the output).
        use_bias: whether to add a bias of shape `output_dims`.
        activation: applied to the result (the gate uses `"sigmoid"`).
        Other arguments: kernel/bias initializers, regularizers, constraints (Keras's).

    Weights:
        `[kernel (*in_dims, *output_dims), bias output_dims]`.
    """

    def __init__(
        self,
        output_dims: tuple[int, ...],
        bound_dims: int = 1,
        use_bias: bool = True,
        activation: Any = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.output_dims = tuple(int(d) for d in output_dims)
        self.bound_dims = bound_dims
        self.use_bias = use_bias
        self.activation = activations.get(activation)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        in_dims = tuple(int(d) for d in input_shape[len(input_shape) - self.bound_dims :])
        self._in_size = math.prod(in_dims)
        self._out_size = math.prod(self.output_dims)
        self.kernel = self.add_weight(
            shape=(*in_dims, *self.output_dims), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint, name="kernel",
        )  # fmt: skip
        self.bias: Variable | None = (
            self.add_weight(
                shape=self.output_dims,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
            if self.use_bias
            else None
        )

    def call(self, inputs: Tensor) -> Tensor:
        x = inputs.flatten(-self.bound_dims) if self.bound_dims > 1 else inputs
        kernel = self.kernel.value.view(self._in_size, self._out_size)
        if self.bias is not None:
            y = torch.addmm(self.bias.value.view(-1), x.reshape(-1, self._in_size), kernel)
            y = y.view(*x.shape[:-1], self._out_size)
        else:
            y = x @ kernel
        return self.activation(y.unflatten(-1, self.output_dims))


def clone_initializer(initializer: Any) -> Any:
    """A fresh copy of an initializer (Keras clones one per sub-projection)."""
    initializer = initializers.get(initializer)
    if hasattr(initializer, "get_config"):
        return type(initializer).from_config(initializer.get_config())
    return initializer
