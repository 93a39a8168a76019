"""`ReversibleEmbedding`: an `Embedding` that can also project back to the vocabulary.

Example:
    >>> import torch
    >>> layer = ReversibleEmbedding(100, 8)
    >>> hidden = layer(torch.tensor([[3, 7, 0]]))
    >>> layer(hidden, reverse=True).shape  # logits over the 100 tokens
    torch.Size([1, 3, 100])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers.core.embedding import Embedding
from kerastorch.ops.numpy.linear import matmul

Tensor = torch.Tensor


class ReversibleEmbedding(Embedding):
    """An `Embedding` whose `reverse=True` call maps `output_dim` vectors to `input_dim` logits.

    The reverse projection is `inputs @ embeddings.T` (weights tied, the default) or
    `inputs @ reverse_embeddings` (`tie_weights=False`, a separate trainable
    `(output_dim, input_dim)` matrix), optionally soft-capped:
    `tanh(logits / logit_soft_cap) * logit_soft_cap`. There is no bias.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each embedding vector.
        tie_weights: whether the reverse projection uses the transposed `embeddings`.
        embeddings_initializer / embeddings_regularizer / embeddings_constraint / mask_zero:
            as in `Embedding` (the initializer also initializes `reverse_embeddings`).
        reverse_dtype: dtype the reverse projection is computed in (default: the inputs').
        logit_soft_cap: the soft cap of the reverse logits, or None.
        **kwargs: other `Embedding` arguments (`name`, `dtype`, `trainable`, ...).

    Call arguments:
        inputs: integer indices, or (with `reverse=True`) vectors `(..., output_dim)`.
        reverse: project back to the vocabulary instead of embedding.

    Weights:
        `[embeddings (input_dim, output_dim)]`, plus `reverse_embeddings
        (output_dim, input_dim)` when `tie_weights=False`.

    As in Keras, `compute_mask` returns None: with `mask_zero=True` the eager output carries
    the mask `inputs != 0`, symbolic outputs carry none. Quantized (int8) reverse projection
    is not available here: it raises `NotImplementedError`.
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        reverse_dtype: Any = None,
        logit_soft_cap: float | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        if not tie_weights:  # Keras's variable_serialization_spec: the reverse matrix follows
            self._serialization_spec = {
                mode: (*names, "reverse_embeddings")
                for mode, names in Embedding._serialization_spec.items()
            }

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            if self._quantization_mode is not None:
                raise NotImplementedError(
                    "ReversibleEmbedding: a quantized layer with tie_weights=False (a quantized "
                    "`reverse_embeddings`) is not available in kerastorch."
                )
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
                trainable=True,
            )

    def call(self, inputs: Tensor, reverse: bool = False) -> Tensor:
        if not reverse:
            outputs = super().call(inputs)
            if self.mask_zero:
                outputs._keras_mask = inputs != 0
            return outputs
        if self._quantization_mode is not None:
            raise NotImplementedError(
                f"ReversibleEmbedding: the reverse projection of a quantized layer "
                f"('{self._quantization_mode}') is not available in kerastorch."
            )
        if self.tie_weights:
            embeddings = self.embeddings
            kernel = getattr(embeddings, "value", embeddings).t()
        else:
            kernel = self.reverse_embeddings.value
        if self.reverse_dtype is not None:
            dtype = to_torch_dtype(self.reverse_dtype)
            inputs, kernel = inputs.to(dtype), kernel.to(dtype)
        logits = matmul(inputs, kernel)  # Keras's result dtype (float64 operands: float32)
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None

    def compute_output_spec(self, inputs: KerasTensor, reverse: bool = False) -> KerasTensor:
        shape = list(inputs.shape)
        if reverse:
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return KerasTensor(tuple(shape), dtype=self.compute_dtype)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
