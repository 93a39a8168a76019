"""`StringLookup`: strings -> integer indices (or one-hot/multi-hot/count/TF-IDF vectors).

Runs on the host: inputs are Python lists, NumPy string arrays or strings; outputs are
torch tensors (CPU). Keras's StringLookup needs TensorFlow; this one does not (the
multi-OOV hashing, FarmHash `Fingerprint64` and SipHash, is re-implemented).

Example:
    >>> layer = StringLookup()
    >>> layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
    >>> layer.get_vocabulary()
    ['[UNK]', 'd', 'z', 'c', 'b', 'a']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings from a vocabulary to integer indices.

    Indices: `0` is the mask token (if `mask_token` is set, in `"int"` mode), then
    `num_oov_indices` out-of-vocabulary buckets, then the vocabulary in order.

    Args:
        max_tokens: maximum vocabulary size (special tokens included); `None` for no limit.
        num_oov_indices: number of OOV buckets (default 1); with more, OOV strings are
            hashed (FarmHash `Fingerprint64`, or SipHash with `salt`) into them; with 0, an
            OOV input raises.
        mask_token: token meaning "masked" (index 0); `None` (default) for none.
        oov_token: token returned for OOV indices by `invert=True` (default `"[UNK]"`).
        vocabulary: list (or array) of strings, optionally starting with the special tokens.
        idf_weights: IDF weights, one per vocabulary term (`"tf_idf"` only).
        invert: map indices back to strings (`"int"` mode only).
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"` (`"binary"`/`"tf-idf"` are aliases).
        pad_to_max_tokens: make the vector outputs `max_tokens` wide.
        sparse: return torch sparse tensors for the vector output modes.
        encoding: text encoding of bytes inputs (default `"utf-8"`).
        name: the layer's name.
        salt: int or pair of ints: use SipHash with this key for the OOV buckets.

    Output:
        `"int"`: int64 indices, the shape of the inputs. `"one_hot"`/`"multi_hot"`/
        `"count"`: int64 vectors (as Keras); `"tf_idf"`: float32. `invert=True`: nested
        Python lists of strings (a list for rank-1 inputs, as Keras on torch).

    Example:
        >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"], output_mode="multi_hot")
        >>> layer([["a", "c", "d", "d"], ["d", "z", "b", "z"]]).tolist()
        [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    """

    _vocabulary_dtype = "string"

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ):
        self.encoding = encoding
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
            name=name,
            salt=salt,
            **kwargs,
        )

    def _to_token(self, value: Any) -> Any:
        if isinstance(value, (bytes, np.bytes_)):
            return bytes(value).decode(self.encoding)
        return str(value)

    def _to_array(self, data: Any) -> np.ndarray:
        if isinstance(data, torch.Tensor):
            raise TypeError(
                f"Layer '{self.name}' (StringLookup) expects strings (a list, a NumPy string "
                f"array or a str). Received a tensor of dtype {data.dtype}."
            )
        array = np.asarray(data)
        if array.dtype.kind in ("U", "S", "O"):
            out = np.empty(array.shape, dtype=object)
            out.ravel()[:] = [self._to_token(v) for v in array.ravel().tolist()]
            return out
        raise TypeError(
            f"Layer '{self.name}' (StringLookup) expects strings. Received an array of dtype "
            f"{array.dtype}."
        )

    def _invert_output(self, flat: list[Any], shape: tuple[int, ...]) -> Any:
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(shape).tolist()

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
