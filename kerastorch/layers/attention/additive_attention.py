"""`AdditiveAttention`: Bahdanau-style attention over `[query, value, key]`.

Example:
    >>> import kerastorch as keras
    >>> q, v = keras.Input((4, 8)), keras.Input((6, 8))
    >>> keras.layers.AdditiveAttention()([q, v]).shape
    (None, 4, 8)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.attention.attention import Attention

Tensor = torch.Tensor


class AdditiveAttention(Attention):
    """Additive attention: scores `sum(scale * tanh(query + key), axis=-1)`.

    Args:
        use_scale: create a trainable vector `scale` of size `dim` (glorot_uniform).
        dropout: fraction of the attention weights dropped in training.

    Call arguments, inputs and outputs are `Attention`'s.

    Weights:
        `[scale (dim,)]` if `use_scale`.

    Example:
        >>> layer = AdditiveAttention()
        >>> layer([torch.randn(2, 3, 4), torch.randn(2, 5, 4)]).shape, layer.count_params()
        (torch.Size([2, 3, 4]), 4)
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape: list[tuple[int | None, ...]]) -> None:
        self._validate_inputs(input_shape)
        dim = input_shape[0][-1]
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,), initializer="glorot_uniform")

    def _calculate_scores(self, query: Tensor, key: Tensor) -> Tensor:
        """`(B, Tq, Tv)` scores: `sum(scale * tanh(q + k), axis=-1)`."""
        summed = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))  # (B, Tq, Tv, dim)
        if self.use_scale:
            summed = self.scale.value * summed
        return summed.sum(-1)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["score_mode"]
        return config
