"""`IndexLookup`: the vocabulary machinery shared by `StringLookup` and `IntegerLookup`.

Runs on the host, on Python lists / NumPy arrays / CPU tensors (lookup layers sit before
the device, in the input pipeline), and returns torch tensors. The vocabulary lives in
Python (a list and a dict); the TF-IDF weights, which Keras saves as the layer's own
variables (not as `weights`), are a tensor attribute. In a `.keras` file an adapted
vocabulary is Keras's `vocabulary.txt` asset (`save_assets` / `load_assets`).

Index layout, as in Keras: `[mask (int mode only), OOV x num_oov_indices, tokens...]`.

Example:
    >>> from kerastorch.layers.preprocessing.string_lookup import StringLookup
    >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer([["a", "c", "d"], ["d", "z", "b"]]).tolist()
    [[1, 3, 4], [4, 0, 2]]
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.encoding_utils import encode_categorical
from kerastorch.layers.preprocessing.string_hashes import fingerprint64, siphash24
from kerastorch.layers.preprocessing.vocabulary_utils import (
    flat_list,
    listify,
    read_vocabulary_file,
    write_vocabulary_file,
)

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(Layer):
    """Maps tokens to indices through a vocabulary (or back, with `invert=True`).

    See `StringLookup` and `IntegerLookup` for the arguments.
    """

    _vocabulary_dtype = "string"

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        name: str | None = None,
        salt: Any = None,
        vocabulary_size: int | None = None,
        has_input_vocabulary: bool | None = None,
        trainable: bool = True,
        dtype: Any = None,
    ):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                f"If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                f"max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "`num_oov_indices` must be greater than or equal to 0. Received: "
                f"num_oov_indices={num_oov_indices}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                "Unknown value for `oov_method`. Allowed values are: ('floormod', 'farmhash'). "
                f"Received: oov_method={oov_method}"
            )
        if salt is not None:
            if self._vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError(
                    "`salt` can only be used when `oov_method='farmhash'`. Received: "
                    f"oov_method={oov_method}"
                )
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `IndexLookup` can only be a tuple of 2 integers, "
                    f"or a single integer. Received: salt={salt}."
                )
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(
                f"Unknown value for `output_mode`. Allowed values are: {_OUTPUT_MODES}. "
                f"Received: output_mode={output_mode}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                "`output_mode` must be `'int'` when `invert` is true. Received: "
                f"output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, "
                f"`'count'` or `'tf_idf'`. Received: sparse={sparse} and output_mode="
                f"{output_mode}"
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                f"idf_weights={idf_weights} and output_mode={output_mode}"
            )
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = vocabulary_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = (
            vocabulary is not None if has_input_vocabulary is None else has_input_vocabulary
        )
        self._tokens: list[Any] = []
        self._index: dict[Any, int] = {}
        self.idf_weights: torch.Tensor | None = None
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                "`idf_weights` argument must also be provided."
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()
        self.built = True

    # -- the vocabulary ----------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The size of the vocabulary, special tokens (mask, OOV) included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The vocabulary in index order (with the mask and OOV tokens first, by default)."""
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index() :]
        return vocab

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Set the vocabulary (and, for `"tf_idf"`, the IDF weights), as Keras does.

        The vocabulary may start with the special tokens in order (`mask`, then the OOV
        tokens); they are recognised and not counted as tokens.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            raise ValueError(
                f"Layer '{self.name}': vocabulary files are not supported by kerastorch; pass "
                f"the tokens as a list. Received: vocabulary={vocabulary!r}"
            )
        vocabulary = [self._to_token(t) for t in flat_list(vocabulary)]
        if not vocabulary:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        oov_start, token_start = self._oov_start_index(), self._token_start_index()
        special = [self.mask_token] * oov_start + [self.oov_token] * self.num_oov_indices
        found_special = vocabulary[:token_start] == special
        tokens = vocabulary[token_start:] if found_special else vocabulary
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your "
                f"dataset. The repeated terms are: {repeated}"
            )
        for kind, token in (("mask", self.mask_token), ("OOV", self.oov_token)):
            if token is not None and (kind == "mask" or self.invert) and token in tokens:
                raise ValueError(
                    f"Found reserved {kind} token at unexpected location in `vocabulary`. Note "
                    "that passed `vocabulary` does not need to include the OOV and mask tokens. "
                    "Either remove all mask and OOV tokens, or include them only at the start "
                    f"of the vocabulary in precisely this order: {special}. Received: "
                    f"{kind.lower()}_token={token} at vocabulary index "
                    f"{len(vocabulary) - 1 - vocabulary[::-1].index(token)}"
                )
        size = token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received "
                f"vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )
        self._set_tokens(tokens)
        self._record_vocabulary_size()
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, dtype="float64")
            if len(vocabulary) != len(weights):
                raise ValueError(
                    "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                    f"{len(weights)}; len(vocabulary) is {len(vocabulary)}"
                )
            if weights.ndim != 1:
                raise ValueError(
                    f"TF-IDF data must be a 1-index array. Received: idf_weights={idf_weights}"
                )
            front, front_value = (0, 0.0) if found_special else (token_start, np.average(weights))
            back = 0
            if self.pad_to_max_tokens and self.max_tokens is not None:
                back = self.max_tokens - front - len(weights)
            weights = np.pad(weights, (front, back), constant_values=(front_value, 0))
            self.idf_weights = torch.as_tensor(weights.astype(config.floatx()))

    def _set_tokens(self, tokens: list[Any]) -> None:
        start = self._token_start_index()
        self._tokens = list(tokens)
        self._index = {t: start + i for i, t in enumerate(self._tokens)}

    def _record_vocabulary_size(self) -> None:
        size = self.vocabulary_size()
        if (
            self.output_mode != "int"
            and not self.pad_to_max_tokens
            and self._frozen_vocab_size is not None
            and size != self._frozen_vocab_size
        ):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "the vocabulary size cannot be changed after the layer is called. Old vocab "
                f"size is {self._frozen_vocab_size}, new vocab size is {size}"
            )
        self._frozen_vocab_size = size

    # -- adapt -------------------------------------------------------------------------------
    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learn the vocabulary from `data`: tokens by decreasing count, ties by decreasing
        token; `max_tokens` keeps the most frequent. In `"tf_idf"` mode each sample (row) is
        a document for the document frequencies.

        Args:
            data: a list, NumPy array or tensor (a rank-1 one is a column: one document per
                element), or an iterable of batches (a rank-1 batch is one document).
            steps: the number of batches to read from an iterable (default: all).
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, torch.Tensor)):
            array = self._to_array(data)
            if array.ndim == 1:
                array = array[:, None]
            self.update_state(array)
        elif isinstance(data, Iterable):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        rows = self._rows(data)
        for row in rows:
            self._token_counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def _rows(self, data: Any) -> list[list[Any]]:
        """Documents as lists of tokens (ragged lists of lists are accepted)."""
        if (
            isinstance(data, (list, tuple))
            and data
            and all(isinstance(r, (list, tuple)) for r in data)
        ):
            return [[self._to_token(t) for t in flat_list(r)] for r in data]
        array = self._to_array(data)
        if array.ndim == 0:
            array = array[None]
        if array.ndim == 1:
            array = array[None, :]
        return [list(r.ravel()) for r in array]

    def finalize_state(self) -> None:
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        counts = self._token_counts
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(special, None)
        # Keras: sort by count, ties by token, both descending (np.lexsort(...)[::-1]).
        tokens = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
        if self.max_tokens:
            tokens = tokens[: self.max_tokens - self._token_start_index()]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            docs = np.array([self._document_counts[t] for t in tokens], dtype="float64")
            idf = np.log(1 + self._num_documents / (1 + docs)).astype(config.floatx())
            mean = idf.mean(dtype=config.floatx()) if idf.size else 0.0
            idf = np.pad(idf, (self._token_start_index(), 0), constant_values=mean)
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - idf.size))
            self.idf_weights = torch.as_tensor(idf)
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self) -> None:
        self._token_counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

    # -- call --------------------------------------------------------------------------------
    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # host-side layer: the inputs are converted in `call`

    def call(self, inputs: Any) -> Any:
        if (
            self.output_mode != "int"
            and not self.pad_to_max_tokens
            and (self._frozen_vocab_size is None)
        ):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "you must set the layer's vocabulary before calling it. Either pass a "
                "`vocabulary` argument to the layer, or call `adapt` with some sample data."
            )
        if self.invert:
            return self._invert_lookup(self._to_index_array(inputs))
        array = self._to_array(inputs)
        lookups = torch.as_tensor(self._lookup(array), dtype=torch.int64)
        if self.output_mode == "int":
            return lookups
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        output = encode_categorical(lookups, mode, depth, torch.int64)
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError(
                    "When `output_mode` is `'tf_idf'`, `idf_weights` must be provided."
                )
            output = output.to(self.idf_weights.dtype) * self.idf_weights
        return output.to_sparse() if self.sparse else output

    def _lookup(self, array: np.ndarray) -> np.ndarray:
        flat = array.ravel().tolist()
        oov = self._oov_start_index() if self.num_oov_indices == 1 else -1
        index = self._index
        out = [index.get(t, oov) for t in flat]
        unknown = [i for i, v in enumerate(out) if v == -1]
        if self.mask_token is not None:
            mask_value = 0 if self.output_mode == "int" else -2  # -2: dropped by the encoders
            for i, t in enumerate(flat):
                if t == self.mask_token:
                    out[i] = mask_value
            unknown = [i for i in unknown if out[i] == -1]
        if unknown and self.num_oov_indices == 0:
            values = [flat[i] for i in unknown]
            raise ValueError(
                f"Layer '{self.name}': when `num_oov_indices=0` all inputs should be in "
                f"vocabulary, found OOV values {values}, consider setting `num_oov_indices=1`."
            )
        for i in unknown:
            out[i] = self._oov_start_index() + self._hash_oov(flat[i])
        return np.asarray(out, dtype="int64").reshape(array.shape)

    def _hash_oov(self, token: Any) -> int:
        """The OOV bucket of a token when there are several OOV indices (Keras's rules)."""
        n = self.num_oov_indices
        if self._vocabulary_dtype != "string" and self.oov_method != "farmhash":
            return int(token) % n  # floormod
        data = str(token).encode("utf-8") if not isinstance(token, bytes) else token
        if self.salt is not None:
            return siphash24((self.salt[0], self.salt[1]), data) % n
        return fingerprint64(data) % n

    def _invert_lookup(self, indices: np.ndarray) -> Any:
        start = self._token_start_index()
        tokens = self._tokens

        def token(i: int) -> Any:
            if self.mask_token is not None and i == 0:
                return self.mask_token
            if start <= i < start + len(tokens):
                return tokens[i - start]
            return self.oov_token

        flat = [token(i) for i in indices.ravel().tolist()]
        return self._invert_output(flat, indices.shape)

    # -- conversions (overridden by StringLookup / IntegerLookup) ---------------------------
    def _to_token(self, value: Any) -> Any:
        return value

    def _to_array(self, data: Any) -> np.ndarray:
        raise NotImplementedError

    def _to_index_array(self, data: Any) -> np.ndarray:
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu().numpy()
        return np.asarray(data, dtype="int64")

    def _invert_output(self, flat: list[Any], shape: tuple[int, ...]) -> Any:
        raise NotImplementedError

    # -- saving: Keras's `vars/idf_weights` and `assets/<path>/vocabulary.txt` ---------------
    def save_own_variables(self, store: Any) -> None:
        """`"tf_idf"` mode: write the IDF weights as Keras's `idf_weights` entry."""
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights.numpy()

    def load_own_variables(self, store: Any) -> None:
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            weights = np.asarray(store["idf_weights"], dtype=config.floatx())
            self.idf_weights = torch.as_tensor(weights)

    def save_assets(self, dir_path: str) -> None:
        """Write `vocabulary.txt` (special tokens included), unless the config holds it."""
        if self.input_vocabulary is None:
            write_vocabulary_file(dir_path, self.get_vocabulary(), self.name)

    def load_assets(self, dir_path: str) -> None:
        """Set the vocabulary `save_assets` wrote (the IDF weights are loaded before)."""
        if self.input_vocabulary is not None:
            return
        lines = read_vocabulary_file(dir_path)
        values = lines if self._vocabulary_dtype == "string" else [int(v) for v in lines]
        if values:  # an empty file: a layer never adapted, without special tokens
            idf = self.idf_weights
            tf_idf = self.output_mode == "tf_idf" and idf is not None
            self.set_vocabulary(values, idf.numpy()[: len(values)] if tf_idf else None)

    # -- config ------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self._vocabulary_dtype,
            "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> IndexLookup:
        config = dict(config)
        config.pop("dtype", None)
        config.pop("vocabulary_dtype", None)
        return cls(**config)
