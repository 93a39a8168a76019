"""`TextVectorization`: raw strings -> token indices or bag-of-words vectors.

Runs on the host (Python lists / NumPy string arrays in, torch tensors out), without the
TensorFlow that Keras's TextVectorization needs. Standardization and splitting follow
TensorFlow's ops: ASCII lower-casing (`tf.strings.lower`), removal of ASCII punctuation,
splitting on runs of ASCII whitespace (`tf.strings.split`).

Example:
    >>> layer = TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog ran!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'ran', 'dog', 'cat']
    >>> layer(["the cat ran far"]).tolist()
    [[2, 6, 4, 1]]
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import torch

from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.encoding_utils import encode_categorical
from kerastorch.layers.preprocessing.string_lookup import StringLookup

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = str.maketrans("", "", string.punctuation)
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


class TextVectorization(Layer):
    """Turns strings into sequences of token indices, or into token-count vectors.

    Each string is standardized, split into tokens, optionally turned into n-grams, and
    looked up in a vocabulary (learned with `adapt()` or given). Index 0 is the padding
    (the empty string), index 1 the OOV token `"[UNK]"` (`"int"` mode).

    Args:
        max_tokens: maximum vocabulary size (padding and OOV included).
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, `None`, or a callable taking a NumPy array of str.
        split: `"whitespace"` (default), `"character"`, `None` (each string is one
            token), or a callable taking a NumPy array of str and returning token lists.
        ngrams: `None`, an int `n` (all n-grams up to `n`), or a tuple of widths.
        output_mode: `"int"` (default), `"multi_hot"`, `"count"`, `"tf_idf"`, or
            `"one_hot"` (`"binary"`/`"tf-idf"` are aliases).
        output_sequence_length: pad or truncate `"int"` outputs to this length (default:
            the longest sequence of the batch).
        pad_to_max_tokens: make the vector outputs `max_tokens` wide.
        vocabulary: list of strings (optionally starting with `""` and `"[UNK]"`).
        idf_weights: IDF weights, one per vocabulary term (`"tf_idf"` with `vocabulary`).
        sparse: return torch sparse tensors for the vector output modes.
        ragged: not supported (there are no ragged torch tensors); must be False.
        encoding: text encoding of bytes inputs (default `"utf-8"`).
        name: the layer's name.
        **kwargs: base layer arguments.

    Input:
        strings: a list, a NumPy array of shape `(batch,)` or `(batch, 1)`, or a str.
    Output:
        `"int"`: int64 `(batch, sequence_length)`; `"multi_hot"`/`"count"`: int64
        `(batch, vocabulary_size)` (as Keras); `"tf_idf"`: float32.

    Example:
        >>> layer = TextVectorization(output_mode="count", vocabulary=["a", "b"])
        >>> layer(["a b a c"]).tolist()
        [[1, 2, 1]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        standardize: str | Callable | None = "lower_and_strip_punctuation",
        split: str | Callable | None = "whitespace",
        ngrams: int | tuple[int, ...] | None = None,
        output_mode: str = "int",
        output_sequence_length: int | None = None,
        pad_to_max_tokens: bool = False,
        vocabulary: Any = None,
        idf_weights: Any = None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        **kwargs: Any,
    ):
        if ragged:
            raise ValueError("`ragged=True` can only be used with the TensorFlow backend.")
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(
                f"Unknown value for `standardize`. Allowed values are: {_STANDARDIZE}, None, "
                f"or a callable. Received: standardize={standardize}"
            )
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(
                f"Unknown value for `split`. Allowed values are: {_SPLIT}, None, or a "
                f"callable. Received: split={split}"
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
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or (isinstance(ngrams, tuple) and all(isinstance(i, int) for i in ngrams))
        ):
            raise ValueError(
                f"`ngrams` must be None, an integer, or a tuple of integers. Received: "
                f"ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when "
                f"`output_mode` is 'int'. Received: output_sequence_length="
                f"{output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )
        self.built = True

    # -- vocabulary --------------------------------------------------------------------------
    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary (and document frequencies for `"tf_idf"`) from `data`.

        Args:
            data: a list / NumPy array of strings (each one a document), or an iterable of
                batches of strings.
            batch_size: unused (Keras's signature).
            steps: the number of batches to read from an iterable (default: all).
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, str)) or not isinstance(data, Iterable):
            array = self._to_array(data)
            if array.ndim == 1:
                array = array[:, None]
            self.update_state(array)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[str]:
        """The vocabulary in index order (`""` and `"[UNK]"` first in `"int"` mode)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The vocabulary size, padding and OOV tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Set the vocabulary (and IDF weights for `"tf_idf"`)."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- preprocessing -----------------------------------------------------------------------
    def _to_array(self, data: Any) -> np.ndarray:
        if isinstance(data, torch.Tensor):
            raise TypeError(
                f"Layer '{self.name}' (TextVectorization) expects strings (a list, a NumPy "
                f"string array or a str). Received a tensor of dtype {data.dtype}."
            )
        array = np.asarray(data)
        out = np.empty(array.shape, dtype=object)
        out.ravel()[:] = [
            v.decode(self._encoding) if isinstance(v, bytes) else str(v)
            for v in array.ravel().tolist()
        ]
        return out

    def _preprocess(self, data: Any) -> Any:
        """Standardized strings (`split=None`), or one list of tokens per string."""
        array = self._to_array(data)
        standardize = self._standardize
        if callable(standardize):
            array = np.asarray(standardize(array.astype(str)), dtype=object)
        elif standardize is not None:
            lower = standardize in ("lower", "lower_and_strip_punctuation")
            strip = standardize in ("strip_punctuation", "lower_and_strip_punctuation")
            flat = array.ravel().tolist()
            if lower:
                flat = [s.translate(_ASCII_LOWER) for s in flat]
            if strip:
                flat = [s.translate(_PUNCTUATION) for s in flat]
            array = _object_array(flat, array.shape)
        if self._split is None:
            return array
        if array.ndim > 1:
            if array.shape[-1] != 1:
                raise ValueError(
                    "When using `TextVectorization` to tokenize strings, the input rank must "
                    "be 1 or the last shape dimension must be 1. Received: "
                    f"inputs.shape={array.shape} with rank={array.ndim}"
                )
            array = array.squeeze(-1)
        strings = array.reshape(-1).tolist()
        if self._split == "whitespace":
            rows = [[t for t in _WHITESPACE.split(s) if t] for s in strings]
        elif self._split == "character":
            rows = [list(s) for s in strings]
        else:
            rows = [list(r) for r in self._split(np.asarray(strings, dtype=str))]
        if self._ngrams is not None:
            rows = [_ngrams(r, self._ngrams) for r in rows]
        return rows

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # host-side layer: the inputs are converted in `call`

    def call(self, inputs: Any) -> torch.Tensor:
        scalar = isinstance(inputs, (str, bytes)) or np.ndim(inputs) == 0
        data = self._preprocess([inputs] if scalar else inputs)
        lookup = self._lookup_layer
        if self._split is None:
            out = lookup(data)
            return out[0] if scalar else out
        lengths = [len(r) for r in data]
        width = max(lengths, default=0)
        if self._output_mode == "int" and self._output_sequence_length is not None:
            width = self._output_sequence_length
        pad = 0 if self._output_mode == "int" else -2  # -2: dropped by the encoders
        ids = np.full((len(data), width), pad, dtype="int64")
        flat = [t for r in data for t in r]
        if flat:
            ids_flat = lookup._lookup(_object_array(flat, (len(flat),))).tolist()
            offset = 0
            for i, n in enumerate(lengths):
                row = ids_flat[offset : offset + n][:width]
                ids[i, : len(row)] = row
                offset += n
        out = torch.as_tensor(ids)
        if self._output_mode != "int":
            depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup._frozen_vocab_size
            if depth is None:
                raise RuntimeError(
                    f"When using `output_mode={self._output_mode}` and "
                    "`pad_to_max_tokens=False`, you must set the layer's vocabulary before "
                    "calling it. Either pass a `vocabulary` argument to the layer, or call "
                    "`adapt` with some sample data."
                )
            mode = "count" if self._output_mode == "tf_idf" else self._output_mode
            out = encode_categorical(out, mode, depth, torch.int64)
            if self._output_mode == "tf_idf":
                out = out.to(lookup.idf_weights.dtype) * lookup.idf_weights
            if lookup.sparse:
                out = out.to_sparse()
        return out[0] if scalar else out

    # -- saving: the lookup layer's state, at this layer's paths too (as Keras) -------------
    def save_own_variables(self, store: Any) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store: Any) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        """Write the vocabulary (`vocabulary.txt`) as the inner `StringLookup` does."""
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)

    def get_config(self) -> dict[str, Any]:
        lookup = self._lookup_layer
        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": lookup.get_config()["vocabulary"],
            "idf_weights": lookup.get_config()["idf_weights"],
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }


def _ngrams(tokens: list[str], widths: tuple[int, ...]) -> list[str]:
    """`tf.strings.ngrams(tokens, widths, separator=" ")`: all n-grams, width by width."""
    return [" ".join(tokens[i : i + w]) for w in widths for i in range(len(tokens) - w + 1)]


def _object_array(values: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    """An object array of `values` (strings stay Python str, whatever their lengths)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out.reshape(shape)
