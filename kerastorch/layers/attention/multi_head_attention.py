"""`MultiHeadAttention`: Keras's multi-head attention, computed by `F.scaled_dot_product_attention`.

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((5, 16))
    >>> keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x).shape
    (None, 5, 16)
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import constraints, initializers, regularizers
from kerastorch.layers.attention.attention_masks import (
    combined_attention_mask,
    keras_mask_of,
    softmax_mask_value,
)
from kerastorch.layers.attention.attention_utils import SDPA_MASK_VALUE, SeededDropout
from kerastorch.layers.attention.head_projection import HeadProjection, clone_initializer
from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017) with Keras's weights, masks and numbers.

    `query`, `key` and `value` are projected to `num_heads` heads (`key_dim`, `key_dim` and
    `value_dim` wide), attended over `attention_axes` with `softmax(q k^T / sqrt(key_dim))`,
    and projected back to `output_shape` (default: the query's last size). The attention runs
    `F.scaled_dot_product_attention` unless the scores are returned or dropout is active in
    training (then the softmax is explicit, as Keras computes it).

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default `key_dim`).
        dropout: dropout rate on the attention weights.
        use_bias: whether the projections have biases.
        output_shape: int or tuple, the trailing output shape (default: query's last size).
        attention_axes: axes of the (unprojected) inputs attended over (default: all axes
            but the batch and the features).
        sliding_window: attend only to keys less than this many positions away.
        flash_attention: accepted for Keras compatibility (torch picks the kernel).
        kernel_initializer / bias_initializer / kernel_regularizer / bias_regularizer /
            activity_regularizer / kernel_constraint / bias_constraint: for the projections.
        use_gate: gate the attention output with a sigmoid projection of the query.
        seed: seed of the attention dropout.

    Call arguments:
        query `(B, T, dim)`, value `(B, S, dim)`, key `(B, S, dim)` (default `value`);
        attention_mask `(B, T, S)` booleans; query/value/key masks are read from the inputs'
        `_keras_mask` (e.g. after `Embedding(mask_zero=True)`); return_attention_scores;
        training; use_causal_mask.

    Weights (Keras order and layout):
        query `kernel (dim, num_heads, key_dim)`, `bias (num_heads, key_dim)`; key likewise;
        (gate); value `kernel (dim, num_heads, value_dim)`, `bias (num_heads, value_dim)`;
        attention_output `kernel (num_heads, value_dim, *output_shape)`, `bias output_shape`.

    Example:
        >>> layer = MultiHeadAttention(num_heads=2, key_dim=3)
        >>> q, v = torch.randn(2, 4, 6), torch.randn(2, 5, 6)
        >>> out, scores = layer(q, v, return_attention_scores=True)
        >>> out.shape, scores.shape, layer.count_params()
        (torch.Size([2, 4, 6]), torch.Size([2, 2, 4, 5]), 168)
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: int | tuple[int, ...] | None = None,
        attention_axes: int | tuple[int, ...] | None = None,
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
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"Received an invalid value for argument `{arg}`, expected a positive "
                    f"integer. Received: {arg}={value}"
                )
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError(
                "Received an invalid value for argument `value_dim`, expected a positive "
                f"integer or `None`. Received: value_dim={value_dim}"
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError as error:
                raise ValueError(
                    f"Invalid `output_shape`: {output_shape}. When specified, the "
                    "`output_shape` should be of type tuple, list, or int."
                ) from error
        self._output_shape = output_shape
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                "`attention_axes` must be an int, list, or tuple. "
                f"Received: attention_axes={attention_axes}"
            )
        self._attention_axes = attention_axes
        if sliding_window is not None and (
            not isinstance(sliding_window, int) or sliding_window <= 0
        ):
            raise ValueError(
                "`sliding_window` must be `None` or a positive integer. "
                f"Received: sliding_window={sliding_window}"
            )
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        if flash_attention and dropout > 0.0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. Please set dropout "
                "to 0.0 to use flash attention."
            )
        self._attention_dropout = SeededDropout(dropout, seed)

    # -- Keras's read-only properties ------------------------------------------------------
    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    # -- build -----------------------------------------------------------------------------
    def build(
        self,
        query_shape: tuple[int | None, ...],
        value_shape: tuple[int | None, ...],
        key_shape: tuple[int | None, ...] | None = None,
    ) -> None:
        """Create the projections (query, key, [gate], value, attention_output)."""
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        heads = self._num_heads
        self._query_dense = self._projection((heads, self._key_dim), 1, "query", query_shape)
        self._key_dense = self._projection((heads, self._key_dim), 1, "key", key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(
                (heads, self._value_dim), 1, "gate", query_shape, activation="sigmoid"
            )
        self._value_dense = self._projection((heads, self._value_dim), 1, "value", value_shape)
        rank = len(query_shape) + 1  # projected rank: (B, ..., heads, size)
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            axes = self._attention_axes
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a for a in axes)
        output_dims = self._output_shape or (query_shape[-1],)
        self._output_dense = self._projection(
            output_dims, 2, "attention_output", (*query_shape[:-1], heads, self._value_dim)
        )

    def _projection(self, dims, bound, name, input_shape, activation=None) -> HeadProjection:
        layer = HeadProjection(
            dims,
            bound_dims=bound,
            use_bias=self._use_bias,
            activation=activation,
            kernel_initializer=clone_initializer(self._kernel_initializer),
            bias_initializer=clone_initializer(self._bias_initializer),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            dtype=self.dtype_policy,
            name=name,
        )
        layer.build(tuple(input_shape))
        return layer

    # -- call ------------------------------------------------------------------------------
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
        # Keras fills the masks not given from the inputs' `_keras_mask` (key's only if key
        # is given).
        query_mask = keras_mask_of(query, query_mask)
        value_mask = keras_mask_of(value, value_mask)
        if key is None:
            key = value
        else:
            key_mask = keras_mask_of(key, key_mask)
        # A causal mask alone goes to the fused kernel as `is_causal` (no mask tensor).
        causal_only = (
            use_causal_mask
            and query.ndim == 3
            and not return_attention_scores
            and not (training and self._dropout > 0)
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self._sliding_window is None
        )
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        gate = self._gate_dense(query) if self._use_gate else None
        q = self._query_dense(query)  # (B, T, heads, key_dim)
        k = self._key_dense(key)  # (B, S, heads, key_dim)
        v = self._value_dense(value)  # (B, S, heads, value_dim)
        output, scores = self._compute_attention(
            q, k, v, attention_mask, bool(training), return_attention_scores, causal_only
        )
        if gate is not None:
            output = output * gate
        output = self._output_dense(output)
        if query_mask is not None:
            output._keras_mask = query_mask
        return (output, scores) if return_attention_scores else output

    def _compute_attention_mask(
        self,
        query: Tensor,
        value: Tensor,
        query_mask: Tensor | None,
        value_mask: Tensor | None,
        key_mask: Tensor | None,
        attention_mask: Tensor | None,
        use_causal_mask: bool,
    ) -> Tensor | None:
        """AND of the query `(B, T, 1)`, value/key `(B, 1, S)`, causal, window and given masks."""
        return combined_attention_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask,
            self._sliding_window,
        )  # fmt: skip

    def _compute_attention(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        attention_mask: Tensor | None,
        training: bool,
        return_attention_scores: bool,
        causal_only: bool,
    ) -> tuple[Tensor, Tensor | None]:
        """Attention of projected `(B, ..., heads, size)` tensors over `attention_axes`.

        The attended axes are moved last and flattened: `(*batch_dims, L, size)`, where the
        batch dims are Keras's (every other axis, heads included, in order).
        """
        rank = query.ndim
        attn = self._attention_axes
        batch = [d for d in range(rank - 1) if d not in attn]
        perm = (*batch, *attn, rank - 1)
        nb = len(batch)
        q, k, v = (t.permute(perm) for t in (query, key, value))
        q_attn, k_attn = tuple(q.shape[nb:-1]), tuple(k.shape[nb:-1])
        if len(attn) > 1:
            q, k, v = q.flatten(nb, -2), k.flatten(nb, -2), v.flatten(nb, -2)
        mask = self._scores_mask(attention_mask, q.shape[:nb], q_attn, k_attn)
        explicit = return_attention_scores or (training and self._dropout > 0)
        if explicit:
            scores = (q * self._inverse_sqrt_key_dim) @ k.transpose(-2, -1)  # (..., Lq, Ls)
            if mask is not None:
                scores = torch.where(mask, scores, softmax_mask_value(scores.dtype))
            probs = torch.softmax(scores, dim=-1)
            if mask is not None:
                probs = torch.where(mask, probs, 0.0)
            dropped = self._attention_dropout(probs) if training else probs
            output = dropped @ v
            scores_out = probs.reshape(*probs.shape[:nb], *q_attn, *k_attn)
        else:
            bias = None
            if mask is not None:
                bias = torch.zeros((), dtype=q.dtype, device=q.device).masked_fill(
                    ~mask, SDPA_MASK_VALUE
                )
            output = F.scaled_dot_product_attention(
                q, k, v, attn_mask=bias, is_causal=causal_only and bias is None,
                scale=self._inverse_sqrt_key_dim,
            )  # fmt: skip
            if mask is not None and not self._keras_uses_sdpa(rank):
                # Keras's explicit softmax gives fully masked rows zero weights.
                output = torch.where(mask.any(-1, keepdim=True), output, 0.0)
            scores_out = None
        output = output.unflatten(-2, q_attn) if len(attn) > 1 else output
        return output.permute(_inverse(perm)), scores_out

    def _keras_uses_sdpa(self, rank: int) -> bool:
        """Keras runs its fused kernel (uniform weights on fully masked rows) for 4-D heads."""
        return rank == 4 and self._dropout <= 0

    def _scores_mask(
        self, mask: Tensor | None, batch_shape: tuple, q_attn: tuple, k_attn: tuple
    ) -> Tensor | None:
        """Keras's mask (expanded at axis `-2 * len(attn) - 1`) in the flattened layout."""
        if mask is None:
            return None
        n = len(q_attn)
        while mask.ndim < len(batch_shape) + 2 * n:
            mask = mask.unsqueeze(-2 * n - 1)
        if n > 1:
            mask = mask.expand(*mask.shape[: len(batch_shape)], *q_attn, *k_attn)
            mask = mask.reshape(*mask.shape[: len(batch_shape)], math.prod(q_attn), -1)
        return mask

    # -- config -----------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }


def _inverse(perm: tuple[int, ...]) -> tuple[int, ...]:
    inverse = [0] * len(perm)
    for i, p in enumerate(perm):
        inverse[p] = i
    return tuple(inverse)
