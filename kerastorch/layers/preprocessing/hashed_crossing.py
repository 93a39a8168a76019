"""`HashedCrossing`: crosses categorical features into hashed bins (Keras's feature crosses).

Runs on the host and reproduces TensorFlow's `tf.sparse.cross_hashed` exactly (the hash
that Keras's HashedCrossing uses, and the reason Keras needs TensorFlow for it): strings
are fingerprinted with FarmHash `Fingerprint64`, integers enter as their 64-bit value, and
the features are chained with `FingerprintCat64` from the key `0xDECAFCAFFE`.

Example:
    >>> layer = HashedCrossing(num_bins=5)
    >>> layer((["A", "B", "A", "B", "A"], [101, 101, 101, 102, 102])).tolist()
    [1, 4, 1, 1, 3]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.encoding_utils import encode_categorical
from kerastorch.layers.preprocessing.string_hashes import fingerprint64, fingerprint_cat64

_HASH_KEY = 0xDECAFCAFFE  # tf.sparse.cross_hashed's default `hash_key`
_MASK = (1 << 64) - 1


class HashedCrossing(Layer):
    """Crosses two or more categorical features with the hashing trick.

    Args:
        num_bins: number of hash bins.
        output_mode: `"int"` (default; int64 bin indices) or `"one_hot"` (float vectors of
            size `num_bins`).
        sparse: return a torch sparse tensor (`"one_hot"` only).
        name: the layer's name.
        dtype: output dtype (default `"int64"` for `"int"`, the float type otherwise).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tuple/list of at least two features, each a scalar, `(batch,)` or
            `(batch, 1)`, all of the same shape, of integers or strings (lists, NumPy
            arrays, or integer tensors).

    Output:
        The bins, shaped as one input (`"int"`), or one-hot vectors of size `num_bins`.

    Example:
        >>> HashedCrossing(num_bins=10)(("A", 101)).item()
        1
    """

    def __init__(
        self,
        num_bins: int,
        output_mode: str = "int",
        sparse: bool = False,
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Unknown value for `output_mode`. Allowed values are: ('int', 'one_hot'). "
                f"Received: output_mode={output_mode}"
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # host-side layer: the inputs are converted in `call`

    def call(self, inputs: Any) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                "`HashedCrossing` should be called on a list or tuple of inputs. Received: "
                f"inputs={inputs}"
            )
        if len(inputs) < 2:
            raise ValueError(
                f"`HashedCrossing` should be called on at least two inputs. Received: "
                f"inputs={inputs}"
            )
        features = [_to_array(x) for x in inputs]
        shape = features[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                "All `HashedCrossing` inputs should have shape `()`, `(batch_size)` or "
                f"`(batch_size, 1)`. Received: inputs={inputs}"
            )
        if not all(f.shape == shape for f in features[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. Received: "
                             f"inputs={inputs}")  # fmt: skip
        if not all(f.dtype.kind in "iuUSO" for f in features):
            raise ValueError(
                "All `HashedCrossing` inputs should have an integer or string dtype. "
                f"Received: inputs={inputs}"
            )
        columns = [[_feature_hash(v) for v in f.ravel().tolist()] for f in features]
        bins = []
        for row in zip(*columns, strict=True):
            hashed = _HASH_KEY
            for value in row:
                hashed = fingerprint_cat64(hashed, value)
            bins.append(hashed % self.num_bins)
        out = torch.as_tensor(np.asarray(bins, dtype="int64").reshape(shape))
        return encode_categorical(
            out, self.output_mode, self.num_bins, to_torch_dtype(self.compute_dtype), self.sparse
        )

    def get_config(self) -> dict[str, Any]:
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }


def _to_array(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def _feature_hash(value: Any) -> int:
    """A string's `Fingerprint64`; an integer's own 64-bit value (as TensorFlow)."""
    if isinstance(value, str):
        return fingerprint64(value.encode("utf-8"))
    if isinstance(value, bytes):
        return fingerprint64(value)
    return int(value) & _MASK
