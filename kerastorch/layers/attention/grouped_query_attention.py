"""`GroupQueryAttention`: grouped-query attention (Ainslie et al., 2023), Keras's layer.

Keras exports its `GroupedQueryAttention` class as `keras.layers.GroupQueryAttention` (and
saves it under that name); so does this module.

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((5, 16))
    >>> GroupQueryAttention(4, num_query_heads=4, num_key_value_heads=2)(x, x).shape
    (None, 5, 16)
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch import config, constraints, initializers, regularizers
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers.attention.attention_masks import (
    combined_attention_mask,
    keras_mask_of,
    softmax_mask_value,
)
from kerastorch.layers.attention.attention_utils import SeededDropout
from kerastorch.layers.attention.head_projection import HeadProjection, clone_initializer
from kerastorch.layers.layer import Layer
from kerastorch.ops.nn.attention import dot_product_attention

Tensor = torch.Tensor


class GroupedQueryAttention(Layer):
    """Attention with `num_query_heads` query heads sharing `num_key_value_heads` key/value heads.

    Query head `i` attends with key/value head `i // (num_query_heads // num_key_value_heads)`
    (Keras repeats each key/value head). `num_key_value_heads=1` is multi-query attention,
    `num_key_value_heads=num_query_heads` multi-head attention. Without dropout and without
    returned scores the attention runs torch's fused `scaled_dot_product_attention` (through
    `ops.dot_product_attention`, which honours `flash_attention`); otherwise the softmax is
    explicit, as Keras computes it (a fully masked query row then gets zero weights, where the
    fused kernel, in both libraries, averages all values).

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key/value heads; must divide `num_query_heads`.
        dropout: dropout rate on the attention weights (not with flash attention).
        use_bias: whether the projections have biases.
        sliding_window: attend only to keys less than this many positions away (a symmetric
            band; with `use_causal_mask=True`, the causal sliding window).
        flash_attention: `True` requires torch's flash kernel; `None`/`False` follow
            `keras.config.is_flash_attention_enabled()` (as Keras does). Not in the config.
        kernel_initializer / bias_initializer / kernel_regularizer / bias_regularizer /
            activity_regularizer / kernel_constraint / bias_constraint: for the projections.
        use_gate: gate the attention output with a sigmoid projection of the query.
        seed: seed of the attention dropout.

    Call arguments:
        query `(B, T, dim)`, value `(B, S, dim)`, key `(B, S, dim)` (default `value`);
        query_mask / value_mask / key_mask (default: the inputs' Keras masks);
        attention_mask `(B, T, S)` booleans; return_attention_scores; training;
        use_causal_mask.

    Weights (Keras order and layout):
        query `kernel (dim, num_query_heads, head_dim)`, `bias (num_query_heads, head_dim)`;
        key and value `kernel (dim, num_key_value_heads, head_dim)`, `bias` likewise; (gate
        as query, between key and value); attention_output `kernel (num_query_heads,
        head_dim, dim)`, `bias (dim,)`.

    Example:
        >>> layer = GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
        >>> q, v = torch.randn(2, 4, 6), torch.randn(2, 5, 6)
        >>> out, scores = layer(q, v, return_attention_scores=True)
        >>> out.shape, scores.shape, layer.count_params()
        (torch.Size([2, 4, 6]), torch.Size([2, 4, 4, 5]), 246)
    """

    _keras_class_name = "GroupQueryAttention"

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
        sliding_window: int | None = None,
        flash_attention: bool | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        use_gate: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.")
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        if sliding_window is not None and (
            not isinstance(sliding_window, int) or sliding_window <= 0
        ):
            raise ValueError(
                "`sliding_window` must be `None` or a positive integer. "
                f"Received: sliding_window={sliding_window}"
            )
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention or config.is_flash_attention_enabled()
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(self.head_dim))
        if self._flash_attention and self.dropout > 0.0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. Please set dropout "
                "to 0.0 to use flash attention."
            )
        self._attention_dropout = SeededDropout(dropout, seed)

    def build(
        self,
        query_shape: tuple[int | None, ...],
        value_shape: tuple[int | None, ...],
        key_shape: tuple[int | None, ...] | None = None,
    ) -> None:
        """Create the projections (query, key, [gate], value, attention_output)."""
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        q_dims, kv_dims = (self.num_query_heads, self.head_dim), (
            self.num_key_value_heads, self.head_dim
        )  # fmt: skip
        self._query_dense = self._projection(q_dims, 1, "query", query_shape)
        self._key_dense = self._projection(kv_dims, 1, "key", key_shape)
        if self.use_gate:
            self._gate_dense = self._projection(q_dims, 1, "gate", query_shape, "sigmoid")
        self._value_dense = self._projection(kv_dims, 1, "value", value_shape)
        self._output_dense = self._projection(
            (self.feature_dim,), 2, "attention_output", (None, None, *q_dims)
        )

    def _projection(self, dims, bound, name, input_shape, activation=None) -> HeadProjection:
        layer = HeadProjection(
            dims,
            bound_dims=bound,
            use_bias=self.use_bias,
            activation=activation,
            kernel_initializer=clone_initializer(self.kernel_initializer),
            bias_initializer=clone_initializer(self.bias_initializer),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            dtype=self.dtype_policy,
            name=name,
        )
        layer.build(tuple(input_shape))
        return layer

    def call(
        self,
        query: Tensor,
        value: Tensor,
        key: Tensor | None = None,
        query_mask: Tensor | None = None,
        value_mask: Tensor | None = None,
        key_mask: Tensor | None = None,
        attention_mask: Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> Tensor | tuple[Tensor, Tensor | None]:
        query_mask = keras_mask_of(query, query_mask)
        value_mask = keras_mask_of(value, value_mask)
        if key is None:
            key = value
        else:
            key_mask = keras_mask_of(key, key_mask)
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                "Returning attention scores is not supported when flash attention is enabled. "
                "Please disable flash attention to access attention scores."
            )
        masks = (query_mask, value_mask, key_mask, attention_mask, self.sliding_window)
        causal_only = use_causal_mask and all(m is None for m in masks)
        if not causal_only:
            attention_mask = combined_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask,
                use_causal_mask, self.sliding_window,
            )  # fmt: skip
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query)  # (B, T, num_query_heads, head_dim)
        k = self._key_dense(key)  # (B, S, num_key_value_heads, head_dim)
        v = self._value_dense(value)
        if self.dropout > 0.0 or return_attention_scores:
            output, scores = self._explicit_attention(q, k, v, attention_mask, causal_only,
                                                      bool(training))  # fmt: skip
        else:
            mask = None if attention_mask is None else _expand_to_4d(attention_mask)
            output = dot_product_attention(
                q, k, v, mask=mask, scale=self._inverse_sqrt_head_dim, is_causal=causal_only,
                flash_attention=self._flash_attention,
            )  # fmt: skip
            scores = None
        if gate is not None:
            output = output * gate
        output = self._output_dense(output)
        if query_mask is not None:
            output._keras_mask = query_mask
        return (output, scores) if return_attention_scores else output

    def _explicit_attention(
        self, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None, causal: bool, training: bool
    ) -> tuple[Tensor, Tensor]:
        """Keras's softmax path: `(B, T, heads, head_dim)` output and `(B, heads, T, S)` scores."""
        if causal:
            mask = combined_attention_mask(q, k, use_causal_mask=True)
        q = q.transpose(1, 2) * self._inverse_sqrt_head_dim  # (B, heads, T, head_dim)
        k = k.transpose(1, 2).repeat_interleave(self.num_repeats, dim=1)
        v = v.transpose(1, 2).repeat_interleave(self.num_repeats, dim=1)
        scores = q @ k.transpose(-2, -1)  # (B, heads, T, S)
        if mask is not None:
            mask = _expand_to_4d(mask)
            scores = torch.where(mask, scores, softmax_mask_value(scores.dtype))
        probs = torch.softmax(scores, dim=-1)
        if mask is not None:
            probs = torch.where(mask, probs, 0.0)
        dropped = self._attention_dropout(probs) if training else probs
        return (dropped @ v).transpose(1, 2), probs

    def compute_output_spec(
        self,
        query: KerasTensor,
        value: KerasTensor,
        key: KerasTensor | None = None,
        query_mask: Any = None,
        value_mask: Any = None,
        key_mask: Any = None,
        attention_mask: Any = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> KerasTensor | tuple[KerasTensor, KerasTensor]:
        key_shape = value.shape if key is None else key.shape
        if query.shape[-1] != value.shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                f"{query.shape[-1]}, {value.shape[-1]}. Received: query_shape={query.shape}, "
                f"value_shape={value.shape}"
            )
        if tuple(value.shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value.shape} and key_shape={key_shape}"
            )
        output = KerasTensor(tuple(query.shape), dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        scores_shape = (query.shape[0], self.num_query_heads, query.shape[1], key_shape[1])
        return output, KerasTensor(scores_shape, dtype=self.compute_dtype)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }


# Keras's public name for the class.
GroupQueryAttention = GroupedQueryAttention


def _expand_to_4d(mask: Tensor) -> Tensor:
    """A `(B, T, S)`-like mask with a heads axis inserted: `(B, 1, T, S)` (Keras's expansion)."""
    while mask.ndim < 4:
        mask = mask.unsqueeze(-3)
    return mask.to(torch.bool)
