"""`Hashing`: map categorical values (strings or integers) to `num_bins` bins by hashing.

Runs on the host and reproduces TensorFlow's hashes, which Keras's Hashing uses (and the
reason it needs TensorFlow): each value is turned into its string (integers in decimal,
floats first truncated to int64, booleans as `"true"`/`"false"`), then hashed with FarmHash
`Fingerprint64` (`tf.strings.to_hash_bucket_fast`), or with SipHash-2-4 keyed by `salt`
(`to_hash_bucket_strong`), modulo the number of bins. Each distinct value is hashed once.

Example:
    >>> Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).flatten().tolist()
    [1, 0, 1, 1, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.encoding_utils import encode_categorical
from kerastorch.layers.preprocessing.string_hashes import fingerprint64, siphash24

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(Layer):
    """Hash each input value into one of `num_bins` bins (Keras's hashing trick layer).

    Args:
        num_bins: number of bins; with `mask_value`, bin 0 is the mask's and the others
            take the hashes.
        mask_value: a value mapped to bin 0 (e.g. `""` or `0`), or None.
        salt: an int or a pair of ints: use the keyed SipHash (`salt=k` is `(k, k)`);
            None: FarmHash.
        output_mode: `"int"` (bin indices, int64 by default), `"one_hot"`, `"multi_hot"` or
            `"count"` (float vectors of size `num_bins`, as `CategoryEncoding`).
        sparse: return a torch sparse tensor (not with `"int"`).
        **kwargs: base layer arguments (`name`, `dtype`: int32/int64 for `"int"`).

    Call arguments:
        inputs: strings or integers (or floats): a Python list, a NumPy array, a scalar or a
            torch tensor, of any shape.
    """

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: int | tuple[int, int] | list[int] | None = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                f"'in64'. Received: dtype={kwargs['dtype']}"
            )
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{_OUTPUT_MODES}. Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, '
                f'or `"count"`. Received: sparse={sparse} and output_mode={output_mode}'
            )
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt: list[int] | None = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 "
                    f"integers, or a single integer. Received: salt={salt}."
                )
        self.built = True

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # host-side layer: the inputs are converted in `call`

    def call(self, inputs: Any) -> torch.Tensor:
        device = inputs.device if isinstance(inputs, torch.Tensor) else None
        values = inputs.detach().cpu().numpy() if device is not None else np.asarray(inputs)
        if self.output_mode == "one_hot" and values.ndim > 0 and values.shape[-1] == 1:
            values = values.squeeze(-1)
        bins = torch.from_numpy(self._hash_values_to_bins(values))
        if device is not None:
            bins = bins.to(device)
        return encode_categorical(
            bins, self.output_mode, self.num_bins, to_torch_dtype(self.compute_dtype),
            self.sparse,
        )  # fmt: skip

    def _hash_values_to_bins(self, values: np.ndarray) -> np.ndarray:
        """int64 bins of `values` (each distinct value hashed once)."""
        hash_bins = self.num_bins
        reserve_mask = self.mask_value is not None and hash_bins > 1
        if reserve_mask:
            hash_bins -= 1
        if values.dtype.kind == "f":
            values = values.astype("int64")  # TensorFlow's cast: truncation toward zero
        uniques, inverse = np.unique(values, return_inverse=True)
        table = np.array([self._hash(_as_string(v), hash_bins) for v in uniques.tolist()],
                         dtype="int64")  # fmt: skip
        if reserve_mask:
            table = table + 1
            table[np.array([v == self.mask_value for v in uniques.tolist()], dtype=bool)] = 0
        return table[inverse].reshape(values.shape)

    def _hash(self, data: bytes, hash_bins: int) -> int:
        if self.salt is not None:
            return siphash24((self.salt[0], self.salt[1]), data) % hash_bins
        return fingerprint64(data) % hash_bins

    def compute_output_spec(self, inputs: KerasTensor) -> KerasTensor:
        if self.output_mode == "int":
            return KerasTensor(tuple(inputs.shape), dtype=self.dtype)
        base = tuple(inputs.shape)[:-1] if len(inputs.shape) >= 1 else ()
        return KerasTensor((*base, self.num_bins), dtype=self.dtype)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return (*tuple(input_shape)[:-1], self.num_bins)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }


def _as_string(value: Any) -> bytes:
    """TensorFlow's `as_string` of one value, as UTF-8 bytes."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bool):
        return b"true" if value else b"false"
    return str(value).encode("utf-8")
