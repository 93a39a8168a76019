"""`FeatureSpace`: preprocess and encode a table of features in one object (`keras.utils`).

Each feature gets a preprocessing layer (`Normalization`, `Discretization`, `StringLookup`,
`IntegerLookup`, `Hashing`, `Rescaling`, or your own), features can be crossed with
`HashedCrossing`, and the indices are multi-hot encoded with `CategoryEncoding`; the result
is one float32 vector per sample (`output_mode="concat"`) or a dict of encoded features.

Differences from Keras (which runs FeatureSpace on TensorFlow):

- `adapt` takes what kerastorch's preprocessing layers take instead of a `tf.data.Dataset`:
  a dict (or pandas DataFrame) of columns, or an iterable of batches that are dicts of
  columns (a generator, a `torch.utils.data.DataLoader`, a `PyDataset`). The iterable is read
  once. Batches must hold features only: drop labels first (`(x for x, _ in loader)`).
- Calling it returns torch tensors on the device of the inputs (the default device for NumPy
  arrays and lists); numeric features stay on the device (`IntegerLookup` indices come from
  a sorted vocabulary and `torch.searchsorted`), while strings, hashing and crosses are
  computed on the host, as kerastorch's `StringLookup`, `Hashing` and `HashedCrossing` are.
- `get_inputs()` / `get_encoded_features()` need features without strings: torch has no
  string tensors, so kerastorch's functional models take no string inputs. With string
  features, preprocess in the data pipeline (`model.fit(feature_space(x), y)`).
- `.keras` files keep the learned vocabularies of the lookup features as Keras does, as
  asset files (`assets/preprocessors/<lookup>/vocabulary.txt`).

Example:
    >>> data = {"price": [1.0, 2.0, 3.0, 4.0], "color": ["red", "blue", "red", "green"]}
    >>> fs = FeatureSpace({"price": "float_normalized", "color": "string_categorical"})
    >>> fs.adapt(data)
    >>> out = fs(data)
    >>> tuple(out.shape), str(out.dtype)
    ((4, 5), 'torch.float32')
    >>> [round(v, 4) for v in out[0].tolist()]  # one-hot 'red' (after [UNK]), scaled price
    [0.0, 1.0, 0.0, 0.0, -1.3416]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.common import registry
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers import (
    CategoryEncoding,
    Discretization,
    HashedCrossing,
    Hashing,
    Input,
    IntegerLookup,
    Layer,
    Normalization,
    StringLookup,
    TextVectorization,
)
from kerastorch.layers.preprocessing.index_lookup import IndexLookup
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.saving import saving_lib
from kerastorch.utils.feature_space_data import columns_for_adapt, device_of, same_device
from kerastorch.utils.feature_space_features import (
    Cross,
    Feature,
    IntegerTable,
    TFDConcat,
    device_lookup_supported,
    float_discretized_feature,
    float_feature,
    float_normalized_feature,
    float_rescaled_feature,
    integer_categorical_feature,
    integer_hashed_feature,
    string_categorical_feature,
    string_hashed_feature,
)

_SHORTCUTS = (
    "float",
    "float_normalized",
    "float_rescaled",
    "float_discretized",
    "integer_categorical",
    "string_categorical",
    "integer_hashed",
    "string_hashed",
)


class FeatureSpace(Layer):
    """One-stop utility for preprocessing and encoding structured data.

    Args:
        features: dict mapping each feature name to its type: a string shortcut
            (`"float"`, `"float_normalized"`, `"float_rescaled"`, `"float_discretized"`,
            `"integer_categorical"`, `"string_categorical"`, `"integer_hashed"`,
            `"string_hashed"`, with default arguments) or a `FeatureSpace.<type>(...)` spec.
        output_mode: `"concat"` (one float32 vector per sample) or `"dict"` (a dict of
            individually encoded features, crosses included).
        crosses: features to cross, as tuples of names or `FeatureSpace.cross(...)` specs.
        crossing_dim: default number of hash bins of a cross (default 32).
        hashing_dim: default number of bins of `"integer_hashed"` / `"string_hashed"`.
        num_discretization_bins: default number of bins of `"float_discretized"`.
        name: the name of the FeatureSpace.

    Example:
        >>> fs = FeatureSpace(
        ...     {"a": FeatureSpace.integer_categorical(), "b": "float"},
        ...     crosses=[FeatureSpace.cross(("a", "a"), crossing_dim=4)], output_mode="dict")
        >>> fs.adapt({"a": [3, 5, 5], "b": [0.5, 1.5, 2.5]})
        >>> sorted(fs({"a": [5, 7], "b": [1.0, 2.0]}))
        ['a', 'a_X_a', 'b']
    """

    _keras_module = "keras.utils"

    # -- feature constructors (see `feature_space_features.py`) ------------------------------
    cross = staticmethod(Cross)
    feature = staticmethod(Feature)
    float = staticmethod(float_feature)
    float_rescaled = staticmethod(float_rescaled_feature)
    float_normalized = staticmethod(float_normalized_feature)
    float_discretized = staticmethod(float_discretized_feature)
    integer_categorical = staticmethod(integer_categorical_feature)
    string_categorical = staticmethod(string_categorical_feature)
    string_hashed = staticmethod(string_hashed_feature)
    integer_hashed = staticmethod(integer_hashed_feature)

    # -- construction ------------------------------------------------------------------------
    def __init__(
        self,
        features: dict[str, Any],
        output_mode: str = "concat",
        crosses: list[Any] | None = None,
        crossing_dim: int | None = 32,
        hashing_dim: int = 32,
        num_discretization_bins: int = 32,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {
            key: self._standardize_feature(key, value) for key, value in features.items()
        }
        self.crosses = [self._standardize_cross(cross, features) for cross in crosses or []]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        if output_mode not in {"dict", "concat"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'dict', 'concat'}. "
                f"Received: output_mode={output_mode}"
            )
        self.output_mode = output_mode
        self.inputs: dict[str, KerasTensor] | None = None
        self.preprocessors = {key: value.preprocessor for key, value in self.features.items()}
        self.encoded_features: Any = None
        self.crossers = {
            cross.name: HashedCrossing(cross.crossing_dim, name=cross.name)
            for cross in self.crosses
        }
        self.one_hot_encoders: dict[str, CategoryEncoding] = {}
        self.concat: TFDConcat | None = None
        self._is_adapted = False
        self._sublayers_built = False
        self._preprocessed_features_names: list[str] | None = None
        self._crossed_features_names: list[str] | None = None
        self._integer_tables: dict[str, IntegerTable] = {}

    def _standardize_feature(self, name: str, feature: Any) -> Feature:
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return deserialize_keras_object(feature)
        if feature not in _SHORTCUTS:
            raise ValueError(f"Invalid feature type: {feature}")
        if feature == "float_discretized":
            return self.float_discretized(name=name, num_bins=self.num_discretization_bins)
        if feature in ("integer_hashed", "string_hashed"):
            return getattr(self, feature)(self.hashing_dim, name=name)
        return getattr(self, feature)(name=name)

    def _standardize_cross(self, cross: Any, features: dict[str, Any]) -> Cross:
        if isinstance(cross, dict):
            cross = deserialize_keras_object(cross)
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError(
                "When specifying `crosses`, the argument `crossing_dim` (dimensionality of the "
                "crossing space) should be specified as well."
            )
        if any(key not in features for key in cross):
            raise ValueError(
                "All features referenced in the `crosses` argument should be present in the "
                f"`features` dict. Received unknown features: {cross}"
            )
        return Cross(cross, crossing_dim=self.crossing_dim)

    # -- adapt -------------------------------------------------------------------------------
    def _list_adaptable_preprocessors(self) -> list[str]:
        """Features whose preprocessor learns from data (preset statistics are skipped)."""
        names = []
        for name, preprocessor in self.preprocessors.items():
            if isinstance(preprocessor, Normalization) and preprocessor.input_mean is not None:
                continue
            if _has_static_vocabulary(preprocessor):
                continue
            if isinstance(preprocessor, Discretization) and preprocessor.num_bins is None:
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset: Any) -> None:
        """Learn the statistics and vocabularies of the features from `dataset`.

        Args:
            dataset: a dict (or pandas DataFrame) of columns (lists, NumPy arrays, tensors),
                or an iterable of batches that are such dicts (a generator, a
                `torch.utils.data.DataLoader`, a `PyDataset`), read once. Features only:
                batches that are `(features, labels)` tuples are refused.
        """
        names = self._list_adaptable_preprocessors()
        columns = columns_for_adapt(dataset, names)
        for name in names:
            self.preprocessors[name].adapt(columns[name])
        self._is_adapted = True
        self._reset_encoders()
        self._check_if_built()
        self.built = True

    def _reset_encoders(self) -> None:
        self._integer_tables = {}
        self._sublayers_built = False
        self.encoded_features = None
        self.inputs = None

    def _check_if_adapted(self) -> None:
        if not self._is_adapted:
            if self._list_adaptable_preprocessors():
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace before you can "
                    "start using it."
                )
            self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self._sublayers_built:
            self._check_if_adapted()
            if not self._string_features():  # else built by the first call
                self.get_encoded_features()

    def _string_features(self) -> list[str]:
        return [name for name, f in self.features.items() if f.dtype == "string"]

    # -- the functional API ------------------------------------------------------------------
    def get_inputs(self) -> dict[str, KerasTensor]:
        """The `keras.Input` of each feature (shape `(None, 1)`), for a functional model."""
        self._check_if_adapted()
        self.get_encoded_features()
        return self.inputs

    def get_encoded_features(self) -> Any:
        """The encoded features of `get_inputs()`, as symbolic tensors (concat or dict)."""
        self._check_if_adapted()
        strings = self._string_features()
        if strings:
            raise NotImplementedError(
                "FeatureSpace.get_inputs() / get_encoded_features(): features "
                f"{strings} have dtype 'string', and kerastorch's functional models take no "
                "string inputs (torch has no string tensors). Preprocess in the data pipeline "
                "instead: `model.fit(feature_space(x), y)` with a model on the encoded features."
            )
        if self.encoded_features is None:
            self.inputs = {
                name: Input(shape=(1,), dtype=feature.dtype, name=name)
                for name, feature in self.features.items()
            }
            preprocessed = {name: self.preprocessors[name](x) for name, x in self.inputs.items()}
            crossed = self._cross_features(preprocessed)
            self.encoded_features = self._merge_features(preprocessed, crossed)
        return self.encoded_features

    # -- calling -----------------------------------------------------------------------------
    def __call__(self, data: dict[str, Any]) -> Any:
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(
                f"A FeatureSpace can only be called with a dict. Received: data={data} (of type "
                f"{type(data)}"
            )
        unknown = sorted(set(data) - set(self.features))
        missing = sorted(set(self.features) - set(data))
        if unknown or missing:
            raise ValueError(
                f"FeatureSpace '{self.name}' expects a dict with the features "
                f"{list(self.features)}. Unknown keys: {unknown}; missing features: {missing}."
            )
        device = device_of(data)
        own = self._device()
        if own is not None and not same_device(own, device):
            self.to(device)
        inputs, rebatched = {}, False
        for name, value in data.items():
            value = self._standardize_input(name, value, device)
            if value.ndim == 0:
                value, rebatched = value.reshape(1, 1), True
            elif value.ndim == 1:
                value = value[:, None]
            inputs[name] = value
        preprocessed = {name: self._preprocess(name, x, device) for name, x in inputs.items()}
        crossed = {name: x.to(device) for name, x in self._cross_features(preprocessed).items()}
        merged = self._merge_features(preprocessed, crossed)
        if rebatched:
            if self.output_mode == "concat":
                return merged.squeeze(0)
            for name, x in merged.items():
                if x.ndim == 2 and x.shape[0] == 1:
                    merged[name] = x.squeeze(0)
        return merged

    def _standardize_input(self, name: str, value: Any, device: torch.device) -> Any:
        """Strings as NumPy arrays (host); numbers as tensors on `device` (floats cast)."""
        dtype = self.features[name].dtype
        if dtype == "string":
            return value if isinstance(value, torch.Tensor) else np.asarray(value)
        if not isinstance(value, torch.Tensor):
            value = convert_to_tensor(value)
        value = value.to(device)
        torch_dtype = to_torch_dtype(dtype)
        if torch_dtype.is_floating_point and value.dtype != torch_dtype:
            value = value.to(torch_dtype)
        return value

    def _preprocess(self, name: str, x: Any, device: torch.device) -> Any:
        preprocessor = self.preprocessors[name]
        if isinstance(x, torch.Tensor) and device_lookup_supported(preprocessor):
            table = self._integer_tables.get(name)
            if table is None or not table.matches(preprocessor):
                table = self._integer_tables[name] = IntegerTable(preprocessor)
            return table.lookup(x)
        output = preprocessor(x)
        return output.to(device) if isinstance(output, torch.Tensor) else output

    def _cross_features(self, features: dict[str, Any]) -> dict[str, Any]:
        return {
            cross.name: self.crossers[cross.name]([features[n] for n in cross.feature_names])
            for cross in self.crosses
        }

    def _merge_features(self, preprocessed: dict[str, Any], crossed: dict[str, Any]) -> Any:
        if self._preprocessed_features_names is None:
            self._preprocessed_features_names = sorted(preprocessed)
            self._crossed_features_names = sorted(crossed)
        names = self._preprocessed_features_names + self._crossed_features_names
        features = [preprocessed[n] for n in self._preprocessed_features_names] + [
            crossed[n] for n in self._crossed_features_names
        ]
        if not self._sublayers_built:
            self._build_encoders(names, features)
        encoded = {}
        for name, feature in zip(names, features, strict=True):
            encoder = self.one_hot_encoders.get(name)
            encoded[name] = encoder(feature) if encoder is not None else feature
        if self.output_mode == "dict":
            return encoded
        return self.concat(list(encoded.values()))

    def _build_encoders(self, names: list[str], features: list[Any]) -> None:
        """Create the multi-hot encoders and the concat layer, checking the dtypes (Keras)."""
        encoders = {}
        for name, feature in zip(names, features, strict=True):
            dtype = _dtype_name(feature)
            spec = self.features.get(name) or self.crosses_by_name[name]
            if spec.output_mode == "one_hot":
                if not dtype.startswith("int"):
                    raise ValueError(
                        f"Feature '{name}' has `output_mode='one_hot'`. Thus its preprocessor "
                        f"should return an integer dtype. Instead it returns a {dtype} dtype."
                    )
                cardinality = self._cardinality(name)
                if cardinality is not None:
                    encoders[name] = CategoryEncoding(
                        num_tokens=cardinality, output_mode="multi_hot"
                    )
                    dtype = encoders[name].compute_dtype
            if self.output_mode == "concat" and (dtype.startswith("int") or dtype == "string"):
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has not been encoded "
                    f"(it has dtype {dtype}). Consider using `output_mode='dict'`."
                )
        self.one_hot_encoders = encoders
        if self.output_mode == "concat":
            self.concat = TFDConcat(axis=-1)
        self._sublayers_built = True

    def _cardinality(self, name: str) -> int | None:
        preprocessor = self.preprocessors.get(name) or self.crossers.get(name)
        if isinstance(preprocessor, (IntegerLookup, StringLookup)):
            return preprocessor.vocabulary_size()
        if isinstance(preprocessor, CategoryEncoding):
            return preprocessor.num_tokens
        if isinstance(preprocessor, (Discretization, HashedCrossing, Hashing)):
            return preprocessor.num_bins
        raise ValueError(
            f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard feature "
            "and the dimensionality of its output space is not known, thus it cannot be "
            "one-hot encoded. Try using `output_mode='int'`."
        )

    # -- serialization -----------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {
            "features": serialize_keras_object(self.features),
            "output_mode": self.output_mode,
            "crosses": serialize_keras_object(self.crosses),
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> FeatureSpace:
        return cls(**config)

    def get_build_config(self) -> dict[str, Any]:
        return {name: f.preprocessor.get_build_config() for name, f in self.features.items()}

    def build_from_config(self, config: dict[str, Any]) -> None:
        for name, build_config in config.items():
            preprocessor = self.features[name].preprocessor
            if not preprocessor.built:
                preprocessor.build_from_config(build_config)
        self._is_adapted = True

    def save(self, filepath: Any) -> None:
        """Save the FeatureSpace to a `.keras` file (reload it with `keras.saving.load_model`)."""
        saving_lib.save_model(self, filepath)


def _has_static_vocabulary(layer: Any) -> bool:
    """A lookup (or TextVectorization) given its vocabulary: nothing to adapt or save."""
    lookup = layer._lookup_layer if isinstance(layer, TextVectorization) else layer
    return isinstance(lookup, IndexLookup) and lookup._has_input_vocabulary


def _dtype_name(x: Any) -> str:
    """Keras's dtype name of a tensor, KerasTensor, or host output (strings: `"string"`)."""
    if isinstance(x, KerasTensor):
        return x.dtype
    if isinstance(x, torch.Tensor):
        return standardize_dtype(x.dtype)
    array = np.asarray(x)
    return "string" if array.dtype.kind in "USO" else standardize_dtype(array.dtype)


registry.register_namespace("utils", {"FeatureSpace": FeatureSpace}, ["FeatureSpace"])
