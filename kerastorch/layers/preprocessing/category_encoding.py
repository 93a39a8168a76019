"""`CategoryEncoding`: integer category ids -> one-hot, multi-hot or count vectors.

Example:
    >>> import torch
    >>> CategoryEncoding(num_tokens=4, output_mode="one_hot")(torch.tensor([3, 0])).tolist()
    [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.encoding_utils import encode_categorical


class CategoryEncoding(Layer):
    """Encodes integer features in `[0, num_tokens)` as dense (or sparse) vectors.

    Args:
        num_tokens: the number of categories; inputs must be in `[0, num_tokens)`
            (values outside give zero rows: no device sync is spent on a check).
        output_mode: `"multi_hot"` (default; `"binary"` is an alias), `"one_hot"` or
            `"count"`.
        sparse: return a torch sparse COO tensor.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: integer tensor (or array) of rank 0, 1 or 2 (`(batch, 1)` for one-hot).
        count_weights: same shape as `inputs`, weights of each count (`"count"` only).

    Output shape:
        `"one_hot"`: `inputs.shape + (num_tokens,)` (a trailing 1 is replaced);
        `"multi_hot"`/`"count"`: `(batch, num_tokens)`. Dtype: the layer's (float32).

    Example:
        >>> import torch
        >>> layer = CategoryEncoding(num_tokens=4, output_mode="multi_hot")
        >>> layer(torch.tensor([[0, 1], [0, 0], [1, 2], [3, 1]])).tolist()[2]
        [0.0, 1.0, 1.0, 0.0]
    """

    def __init__(
        self,
        num_tokens: int | None = None,
        output_mode: str = "multi_hot",
        sparse: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not "
                "known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def call(self, inputs: torch.Tensor, count_weights: Any = None) -> torch.Tensor:
        dtype = to_torch_dtype(self.compute_dtype)
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    f"Received `count_weights={count_weights}`."
                )
            count_weights = torch.as_tensor(count_weights, dtype=dtype, device=inputs.device)
        return encode_categorical(
            torch.as_tensor(inputs),
            self.output_mode,
            self.num_tokens,
            dtype,
            sparse=self.sparse,
            count_weights=count_weights,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return (*input_shape, self.num_tokens)
        return (*input_shape[:-1], self.num_tokens)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }
