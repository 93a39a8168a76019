"""`Attention`: dot-product (Luong-style) attention over `[query, value, key]`.

Example:
    >>> import kerastorch as keras
    >>> q, v = keras.Input((4, 8)), keras.Input((6, 8))
    >>> keras.layers.Attention()([q, v]).shape
    (None, 4, 8)
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.attention.attention_utils import SeededDropout, causal_mask
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable

Tensor = torch.Tensor


class Attention(Layer):
    """Dot-product attention: `softmax(scores(query, key)) @ value`.

    `score_mode="dot"` scores with `query @ key^T` (times the trainable scalar `scale` when
    `use_scale`); `"concat"` with `concat_score_weight * sum(tanh(scale * (q + k)))`. Dot
    scores without returned scores or active dropout run `F.scaled_dot_product_attention`.

    Args:
        use_scale: create a trainable scalar `scale` that multiplies the scores.
        score_mode: `"dot"` or `"concat"`.
        dropout: fraction of the attention weights dropped in training.
        seed: seed of the dropout.

    Call arguments:
        inputs: `[query (B, Tq, dim), value (B, Tv, dim)]` or `[query, value, key]`.
        mask: `[query_mask (B, Tq), value_mask (B, Tv)]`: masked values get no weight
            (their scores are lowered by 1e9, as Keras does); masked queries output zeros.
        training: whether dropout is active.
        return_attention_scores: also return the weights `(B, Tq, Tv)` (after dropout).
        use_causal_mask: query `i` attends to values `j <= i` only.

    Weights:
        `[scale ()]` if `use_scale`, then `[concat_score_weight ()]` in `"concat"` mode.

    Example:
        >>> q, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
        >>> out, scores = Attention()([q, v], return_attention_scores=True)
        >>> out.shape, scores.shape
        (torch.Size([2, 3, 4]), torch.Size([2, 3, 5]))
    """

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self._dropout = SeededDropout(dropout, seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}"
            )
        self.supports_masking = True

    def build(self, input_shape: list[tuple[int | None, ...]]) -> None:
        self._validate_inputs(input_shape)
        self.scale: Variable | None = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        self.concat_score_weight: Variable | None = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones"
            )

    # -- scores ----------------------------------------------------------------------------
    def _calculate_scores(self, query: Tensor, key: Tensor) -> Tensor:
        """`(B, Tq, Tv)` scores."""
        if self.score_mode == "dot":
            scores = query @ key.transpose(-2, -1)
            return scores * self.scale.value if self.scale is not None else scores
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            summed = self.scale.value * summed
        return self.concat_score_weight.value * torch.tanh(summed).sum(-1)

    def _apply_scores(
        self, scores: Tensor, value: Tensor, scores_mask: Tensor | None, training: bool
    ) -> tuple[Tensor, Tensor]:
        if scores_mask is not None:
            if scores_mask.ndim == 2:
                scores_mask = scores_mask.unsqueeze(-2)
            max_value = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            scores = torch.where(scores_mask, scores, scores - max_value)
        weights = torch.softmax(scores, dim=-1)
        if training and self.dropout > 0:
            weights = self._dropout(weights)
        return weights @ value, weights

    def _score_mask(self, q_len: int, v_len: int, v_mask: Tensor | None, causal: bool, device):
        if v_mask is not None:
            v_mask = v_mask.to(torch.bool).unsqueeze(-2)  # (B, 1, Tv)
        if not causal:
            return v_mask
        mask = causal_mask(q_len, v_len, device)  # (1, Tq, Tv)
        return mask if v_mask is None else v_mask & mask

    # -- call ------------------------------------------------------------------------------
    def call(
        self,
        inputs: list[Tensor],
        mask: list[Tensor | None] | None = None,
        training: bool | None = None,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> Tensor | tuple[Tensor, Tensor]:
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        training = bool(training)
        scores_mask = self._score_mask(
            query.shape[-2], key.shape[-2], v_mask, use_causal_mask, query.device
        )
        # Plain dot scores (not a subclass's) -> F.scaled_dot_product_attention.
        own_scores = type(self)._calculate_scores is Attention._calculate_scores
        fused = own_scores and self.score_mode == "dot" and not return_attention_scores
        if fused and not (training and self.dropout > 0):
            q = query * self.scale.value if self.scale is not None else query
            bias = None
            if scores_mask is not None:  # Keras lowers masked scores by 1e9
                max_value = 65504.0 if q.dtype == torch.float16 else 1.0e9
                bias = (~scores_mask).to(q.dtype) * -max_value
            output = F.scaled_dot_product_attention(q, key, value, attn_mask=bias, scale=1.0)
            weights = None
        else:
            scores = self._calculate_scores(query, key)
            output, weights = self._apply_scores(scores, value, scores_mask, training)
        if q_mask is not None:
            output = torch.where(q_mask.to(torch.bool).unsqueeze(-1), output, 0.0)
            output._keras_mask = q_mask  # also when returned with the scores, as Keras
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def _validate_inputs(self, inputs: Any, mask: Any = None) -> None:
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask}."
                )
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received: "
                    f"inputs={inputs}, mask={mask}."
                )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
