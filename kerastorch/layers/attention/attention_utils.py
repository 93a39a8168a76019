"""Helpers shared by the attention layers: seeded dropout and Keras's masking constants."""

from __future__ import annotations

import torch
import torch.nn.functional as F

Tensor = torch.Tensor

# Keras's torch `dot_product_attention` turns a boolean mask into this additive bias.
SDPA_MASK_VALUE = -0.7 * 3.38953e38


class SeededDropout:
    """Dropout of attention weights; reproducible (one generator per device) when seeded."""

    def __init__(self, rate: float, seed: int | None = None):
        self.rate = float(rate)
        self.seed = seed
        self._generators: dict[torch.device, torch.Generator] = {}

    def __call__(self, x: Tensor) -> Tensor:
        if self.rate <= 0:
            return x
        if self.seed is None or x.device.type == "meta":
            return F.dropout(x, self.rate, training=True)
        if x.device not in self._generators:
            self._generators[x.device] = torch.Generator(device=x.device).manual_seed(self.seed)
        keep_prob = 1.0 - self.rate
        probs = torch.full_like(x, keep_prob)
        keep = torch.bernoulli(probs, generator=self._generators[x.device]).bool()
        return torch.where(keep, x / keep_prob, 0.0)


def causal_mask(q_len: int, v_len: int, device: torch.device) -> Tensor:
    """`(1, q_len, v_len)` booleans, True where `row >= column` (Keras's causal mask)."""
    return torch.ones(q_len, v_len, dtype=torch.bool, device=device).tril().unsqueeze(0)
