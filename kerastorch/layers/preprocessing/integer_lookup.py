"""`IntegerLookup`: integer ids -> contiguous indices (or one-hot/multi-hot/count/TF-IDF).

Runs on the host (Python lists, NumPy arrays, CPU tensors in; torch tensors out), without
TensorFlow, which Keras's IntegerLookup needs.

Example:
    >>> IntegerLookup(vocabulary=[12, 36, 1138, 42])([[12, 1138, 42], [42, 1000, 36]]).tolist()
    [[1, 3, 4], [4, 0, 2]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer features to contiguous indices through a vocabulary.

    Args:
        max_tokens: maximum vocabulary size (special tokens included); `None` for no limit.
        num_oov_indices: number of OOV buckets (default 1); with more, an OOV value `v` goes
            to bucket `v mod num_oov_indices` (or is hashed with `oov_method="farmhash"`).
        mask_token: integer meaning "masked" (index 0); `None` (default) for none.
        oov_token: value returned for OOV indices by `invert=True` (default -1).
        vocabulary: list (or array) of integers, optionally starting with the special
            tokens.
        vocabulary_dtype: only `"int64"`.
        idf_weights: IDF weights, one per vocabulary term (`"tf_idf"` only).
        invert: map indices back to values.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"`, `"tf_idf"`.
        sparse: return torch sparse tensors for the vector output modes.
        pad_to_max_tokens: make the vector outputs `max_tokens` wide.
        oov_method: `"floormod"` (default) or `"farmhash"` for the OOV buckets.
        salt: int or pair of ints: SipHash key for `oov_method="farmhash"`.
        name: the layer's name.

    Output:
        `"int"` and `invert=True`: int64 tensors shaped as the inputs; `"one_hot"`/
        `"multi_hot"`/`"count"`: int64 vectors (as Keras); `"tf_idf"`: float32.

    Example:
        >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)
        >>> layer([[1, 3, 4], [4, 0, 2]]).tolist()
        [[12, 1138, 42], [42, -1, 36]]
    """

    _vocabulary_dtype = "int64"

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _to_token(self, value: Any) -> Any:
        return int(value)

    def _to_array(self, data: Any) -> np.ndarray:
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu().numpy()
        return np.asarray(data).astype("int64")

    def _invert_output(self, flat: list[Any], shape: tuple[int, ...]) -> Any:
        return torch.as_tensor(np.asarray(flat, dtype="int64").reshape(shape))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
