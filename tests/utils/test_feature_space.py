"""Tests of `FeatureSpace` (Keras's feature_space_test.py cases, hand-computed encodings, the
Keras oracle on the building blocks that run without TensorFlow, configs and `.keras` files)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import layers
from kerastorch.utils import PyDataset
from kerastorch.utils.feature_space import FeatureSpace
from tests.oracle import assert_close, keras_or_skip

FS = FeatureSpace
ALL_FEATURES = {
    "float_1": "float",
    "float_2": "float_normalized",
    "float_3": "float_discretized",
    "string_1": "string_categorical",
    "string_2": "string_hashed",
    "int_1": "integer_categorical",
    "int_2": "integer_hashed",
    "int_3": "integer_categorical",
}
NUMERIC_FEATURES = {k: v for k, v in ALL_FEATURES.items() if not k.startswith("string")}


def table(strings: bool = True) -> dict[str, list]:
    """Keras's test table: ten rows."""
    data = {f"float_{i}": [x / 10 for x in range(10)] for i in (1, 2, 3)}
    data.update({f"int_{i}": list(range(10)) for i in (1, 2, 3)})
    if strings:
        data.update({f"string_{i}": [str(x) for x in range(10)] for i in (1, 2)})
    return data


def first_row(data: dict) -> dict:
    return {key: value[0] for key, value in data.items()}


def small_space(output_mode: str = "concat") -> FeatureSpace:
    return FS(
        {"x": "float_normalized", "n": "integer_categorical", "s": "string_categorical"},
        output_mode=output_mode,
    )


SMALL = {"x": [1.0, 2.0, 3.0, 4.0], "n": [7, 7, 3, 9], "s": ["b", "a", "b", "c"]}


# -- Keras's usage cases -------------------------------------------------------------------------
def test_basic_usage_shapes_batched_and_unbatched():
    fs = FS(ALL_FEATURES, crosses=[("float_3", "string_1"), ("string_2", "int_2")])
    fs.adapt(table())
    assert tuple(fs(first_row(table())).shape) == (195,)
    out = fs(table())
    assert tuple(out.shape) == (10, 195)
    assert out.dtype == torch.float32


def test_no_strings_with_tensors_and_batched_adapt():
    fs = FS(NUMERIC_FEATURES, crosses=[("int_1", "int_2"), ("int_2", "int_3")])
    batches = [{k: torch.tensor(v[i : i + 4]) for k, v in table(False).items()} for i in (0, 4, 8)]
    fs.adapt(iter(batches))  # a generator of batched dicts of tensors
    tensors = {k: torch.tensor(v) for k, v in table(False).items()}
    assert tuple(fs(tensors).shape) == (10, 152)
    assert tuple(fs(first_row(tensors)).shape) == (152,)
    assert_close(fs(tensors), fs(table(False)))


def test_output_mode_dict_and_dict_of_ints():
    fs = FS(
        ALL_FEATURES, crosses=[("float_3", "string_1"), ("string_2", "int_2")], output_mode="dict"
    )
    fs.adapt(table())
    out = fs(table())
    assert len(out) == 10
    assert tuple(out["string_1"].shape) == (10, 11)
    assert tuple(out["string_2_X_int_2"].shape) == (10, 32)
    assert tuple(fs(first_row(table()))["int_2"].shape) == (32,)
    ints = FS(
        {
            "float_1": "float",
            "string_1": FS.string_categorical(output_mode="int"),
            "int_2": FS.integer_hashed(num_bins=32, output_mode="int"),
        },
        crosses=[FS.cross(("string_1", "int_2"), output_mode="int", crossing_dim=32)],
        output_mode="dict",
    )
    columns = {k: v for k, v in table().items() if k in ints.features}
    ints.adapt(columns)
    out = ints(first_row(columns))
    for name in ("string_1", "int_2", "string_1_X_int_2"):
        assert tuple(out[name].shape) == (1,)
        assert out[name].dtype == torch.int64
    assert out["float_1"].dtype == torch.float32


def test_advanced_usage_and_custom_preprocessor():
    fs = FS(
        {
            "float_1": FS.float(),
            "float_2": FS.float_normalized(),
            "float_3": FS.float_discretized(num_bins=3),
            "string_1": FS.string_categorical(max_tokens=5),
            "string_2": FS.string_hashed(num_bins=32),
            "int_1": FS.integer_categorical(max_tokens=5, num_oov_indices=2),
            "int_2": FS.integer_hashed(num_bins=32),
            "int_3": FS.integer_categorical(max_tokens=5),
        },
        crosses=[
            FS.cross(("float_3", "string_1"), crossing_dim=32),
            FS.cross(("string_2", "int_2"), crossing_dim=32),
        ],
    )
    fs.adapt(table())
    assert tuple(fs(first_row(table())).shape) == (148,)
    text = {"text": ["1st string", "2nd string", "3rd string"]}
    tv = layers.TextVectorization(output_mode="tf_idf")
    custom = FS({"text": FS.feature(preprocessor=tv, dtype="string", output_mode="float")})
    custom.adapt(text)
    assert tuple(custom(text).shape) == (3, 5)


def test_preset_preprocessors_need_no_adapt():
    data = {
        "int_1": list(range(10)),
        "float_1": [-1.2, 0.0, 2.4, 1.2, 15.0, -100.0, 23.1, 3.1, 0.1, 0],
    }
    normalization = layers.Normalization(mean=12.0, variance=5.0)
    fs = FS(
        {
            "int_1": "integer_hashed",
            "float_1": FS.feature(dtype="float32", preprocessor=normalization, output_mode="float"),
        },
        output_mode="dict",
    )
    out = fs(data)
    assert tuple(out["int_1"].shape) == (10, 32)
    expected = (np.array(data["float_1"], "float32")[:, None] - 12.0) / np.sqrt(5.0)
    assert_close(out["float_1"], expected, atol=1e-5)


# -- hand-computed encodings and the layers FeatureSpace is built on ------------------------------
def test_small_table_by_hand():
    fs = small_space()
    fs.adapt(SMALL)
    # Sorted names: n (vocab [OOV, 7, 9, 3]), s ([UNK], b, c, a), x (normalized).
    x = (np.array(SMALL["x"]) - 2.5) / np.sqrt(1.25)
    expected = np.zeros((4, 9), "float32")
    for row, (n, s) in enumerate(zip([1, 1, 3, 2], [1, 3, 1, 2], strict=True)):
        expected[row, n] = expected[row, 4 + s] = 1.0
    expected[:, 8] = x
    assert_close(fs(SMALL), expected, atol=1e-5)
    unseen = fs({"x": [2.5], "n": [5], "s": ["z"]})  # OOV -> index 0
    assert unseen.tolist() == [[1.0, 0, 0, 0, 1.0, 0, 0, 0, 0.0]]


def test_encodings_match_the_layers():
    fs = FS(
        {"f": "float_discretized", "h": "string_hashed", "i": "integer_hashed"},
        crosses=[("h", "i")],
        output_mode="dict",
        num_discretization_bins=4,
        hashing_dim=8,
        crossing_dim=16,
    )
    data = {"f": [0.1, 0.7, 0.3, 0.9, 0.5], "h": list("abcab"), "i": [4, 8, 15, 16, 23]}
    fs.adapt(data)
    out = fs(data)
    column = np.array(data["f"], "float32")[:, None]
    discretization = layers.Discretization(num_bins=4)
    discretization.adapt(column)
    bins = discretization(column)
    assert fs.preprocessors["f"].bin_boundaries == discretization.bin_boundaries
    assert_close(out["f"], layers.CategoryEncoding(4)(bins))
    h = layers.Hashing(num_bins=8)(np.array(data["h"])[:, None])
    i = layers.Hashing(num_bins=8)(torch.tensor(data["i"])[:, None])
    assert_close(out["h"], layers.CategoryEncoding(8)(h))
    assert_close(out["i"], layers.CategoryEncoding(8)(i))
    crossed = layers.HashedCrossing(num_bins=16)([h, i])
    assert_close(out["h_X_i"], layers.CategoryEncoding(16)(crossed))


@pytest.mark.parametrize("num_oov", [1, 3])
def test_integer_lookup_on_device_matches_the_layer(num_oov):
    fs = FS({"n": FS.integer_categorical(num_oov_indices=num_oov, output_mode="int")}, "dict")
    fs.adapt({"n": [5, 5, 2, 11, -4, 2, 5]})
    x = torch.tensor([[5], [2], [11], [-4], [0], [-7], [100]])
    out = fs({"n": x})["n"]
    assert torch.equal(out, fs.preprocessors["n"](x.numpy()))


def test_numeric_features_have_no_numpy_round_trip(monkeypatch):
    fs = FS({"a": "float_normalized", "b": "integer_categorical", "c": "float_discretized"})
    source = table(False)
    columns = {"a": source["float_1"], "b": source["int_1"], "c": source["float_2"]}
    fs.adapt(columns)
    data = {k: torch.tensor(v) for k, v in columns.items()}
    expected = fs(data)

    def refuse(*args, **kwargs):
        raise AssertionError("a numeric feature went through NumPy")

    monkeypatch.setattr(torch.Tensor, "numpy", refuse)
    monkeypatch.setattr(torch.Tensor, "tolist", refuse)
    assert torch.equal(fs(data), expected)


@pytest.mark.parity
def test_matches_keras_building_blocks():
    keras = keras_or_skip()
    fs = FS(
        {
            "a": "float",
            "b": "float_normalized",
            "d": FS.float_discretized(num_bins=3),
            "n": "integer_categorical",
            "r": FS.float_rescaled(scale=2.0, offset=-1.0),
        }
    )
    data = {"a": [0.5, -1.0, 2.0, 3.5], "b": [1.0, 4.0, 2.0, 9.0], "d": [0.1, 0.9, 0.5, 0.3]}
    data |= {"n": [3, 1, 3, 2], "r": [0.0, 0.25, 0.5, 1.0]}
    fs.adapt(data)
    col = {k: np.array(v, "float32")[:, None] for k, v in data.items()}
    normalization = keras.layers.Normalization()
    normalization.adapt(col["b"])
    bins = keras.layers.Discretization(bin_boundaries=fs.preprocessors["d"].bin_boundaries)(
        col["d"]
    )
    indices = np.array([[1], [3], [1], [2]])  # vocabulary [OOV, 3, 2, 1]: 3 is most frequent
    expected = np.concatenate(
        [
            col["a"],
            keras.ops.convert_to_numpy(normalization(col["b"])),
            keras.ops.convert_to_numpy(keras.layers.CategoryEncoding(3)(bins)),
            keras.ops.convert_to_numpy(keras.layers.CategoryEncoding(4)(indices)),
            keras.ops.convert_to_numpy(keras.layers.Rescaling(2.0, -1.0)(col["r"])),
        ],
        axis=-1,
    )
    assert_close(fs(data), expected, atol=1e-5)


# -- adapt inputs ----------------------------------------------------------------------------
class Batches(PyDataset):
    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> dict:
        return {k: np.array(v[index * 2 : index * 2 + 2]) for k, v in SMALL.items()}


class Frame:
    """A pandas-like table: `columns`, `keys()` and `[name]`."""

    columns = list(SMALL)

    def keys(self) -> list[str]:
        return self.columns

    def __getitem__(self, name: str) -> np.ndarray:
        return np.array(SMALL[name])

    def __contains__(self, name: str) -> bool:
        return name in self.columns


def test_adapt_sources_agree():
    reference = small_space()
    reference.adapt(SMALL)
    expected = reference(SMALL)
    loader = torch.utils.data.DataLoader(
        [{"x": x, "n": n, "s": s} for x, n, s in zip(*SMALL.values(), strict=True)], batch_size=3
    )
    for source in (
        Batches(),
        Frame(),
        loader,
        ({k: [v[i]] for k, v in SMALL.items()} for i in range(4)),
    ):
        fs = small_space()
        fs.adapt(source)
        assert_close(fs(SMALL), expected, atol=1e-6)


# -- functional models -------------------------------------------------------------------------
def test_functional_model_and_pipeline_training():
    fs = FS(NUMERIC_FEATURES, crosses=[("float_3", "int_1")])
    fs.adapt(table(False))
    inputs = fs.get_inputs()
    encoded = fs.get_encoded_features()
    dense = layers.Dense(1)
    model = kerastorch.Model(inputs, dense(encoded))
    arrays = {k: np.array(v)[:, None] for k, v in table(False).items()}
    assert_close(model.predict(arrays, verbose=0), dense(fs(table(False))), atol=1e-5)
    # The data-pipeline pattern: preprocess with the FeatureSpace, train a model on the vectors.
    x_in = kerastorch.Input(shape=(encoded.shape[-1],))
    trainer = kerastorch.Model(x_in, layers.Dense(1)(x_in))
    trainer.compile("sgd", "mse")
    history = trainer.fit(fs(table(False)), np.zeros((10, 1), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_string_features_have_no_symbolic_inputs():
    fs = small_space()
    fs.adapt(SMALL)
    with pytest.raises(NotImplementedError, match="'string'"):
        fs.get_inputs()


# -- config and files ------------------------------------------------------------------------
def test_config_round_trip():
    fs = FS(ALL_FEATURES, crosses=[FS.cross(("int_1", "string_1"), 8)], output_mode="dict")
    config = fs.get_config()
    clone = FS.from_config(json.loads(json.dumps(kerastorch.saving.serialize_keras_object(config))))
    assert clone.get_config() == config
    with pytest.raises(ValueError, match=r"You need to call `\.adapt"):
        clone(first_row(table()))


@pytest.mark.parity
def test_config_equals_keras():
    keras = keras_or_skip()

    def spec(cls):
        return {
            "a": cls.float(name="a"),
            "b": cls.float_normalized(name="b"),
            "d": cls.float_discretized(num_bins=4, name="d"),
            "r": cls.float_rescaled(scale=2.0, name="r"),
        }

    ours = FS(spec(FS), output_mode="dict").get_config()
    theirs = keras.utils.FeatureSpace(
        spec(keras.utils.FeatureSpace), output_mode="dict"
    ).get_config()
    assert json.loads(json.dumps(ours)) == json.loads(json.dumps(theirs))


def test_save_and_load(tmp_path):
    fs = FS(
        ALL_FEATURES | {"int_1": FS.integer_categorical(max_tokens=5, num_oov_indices=2)},
        crosses=[("float_3", "int_1"), ("string_2", "int_2")],
    )
    fs.adapt(table())
    expected = fs(table())
    path = os.path.join(tmp_path, "fs.keras")
    fs.save(path)
    loaded = kerastorch.saving.load_model(path)
    assert isinstance(loaded, FeatureSpace)
    assert torch.equal(loaded(table()), expected)
    again = os.path.join(tmp_path, "fs2.keras")
    loaded.save(again)
    assert torch.equal(kerastorch.saving.load_model(again)(table()), expected)


@pytest.mark.parity
def test_keras_loads_our_file(tmp_path):
    keras = keras_or_skip()
    fs = FS({"b": "float_normalized", "d": FS.float_discretized(num_bins=4)})
    column = np.linspace(0.0, 3.0, 12, dtype="float32")
    fs.adapt({"b": column, "d": column})
    path = os.path.join(tmp_path, "fs.keras")
    fs.save(path)
    theirs = keras.saving.load_model(path)
    assert isinstance(theirs, keras.utils.FeatureSpace)
    ours = fs.preprocessors
    assert_close(theirs.preprocessors["b"].mean, ours["b"].mean)
    assert_close(theirs.preprocessors["b"].variance, ours["b"].variance)
    assert theirs.preprocessors["d"].bin_boundaries == ours["d"].bin_boundaries


# -- errors ----------------------------------------------------------------------------------
def test_errors():
    two = {"f1": "integer_categorical", "f2": "integer_categorical"}
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FS(features={})
    with pytest.raises(ValueError, match="`crossing_dim`"):
        FS(two, crosses=[("f1", "f2")], crossing_dim=None)
    with pytest.raises(ValueError, match="should be present in "):
        FS(two, crosses=[("f1", "unknown")])
    with pytest.raises(ValueError, match="for argument `output_mode`"):
        FS(two, output_mode="unknown")
    with pytest.raises(ValueError, match="Invalid feature type: floaty"):
        FS({"f1": "floaty"})
    with pytest.raises(ValueError, match="for argument `output_mode`"):
        FS.cross(("f1", "f2"), 4, output_mode="float")
    with pytest.raises(ValueError, match=r"You need to call `\.adapt"):
        FS(two)({"f1": [0], "f2": [0]})
    with pytest.raises(ValueError, match=r"You need to call `\.adapt"):
        FS(two).get_encoded_features()
    fs = FS(two)
    with pytest.raises(ValueError, match="features only"):
        fs.adapt([({"f1": [1], "f2": [2]}, [0])])
    with pytest.raises(ValueError, match="no column for feature 'f2'"):
        fs.adapt({"f1": [1]})
    with pytest.raises(ValueError, match="can only be called on a dict"):
        fs.adapt(np.zeros(3))
    fs.adapt({"f1": [1, 2], "f2": [3, 4]})
    with pytest.raises(ValueError, match="can only be called with a dict"):
        fs([1, 2])
    with pytest.raises(ValueError, match=r"Unknown keys: \['f3'\]; missing features: \['f2'\]"):
        fs({"f1": [1], "f3": [2]})
    with pytest.raises(ValueError, match="Cannot concatenate features because feature 'f1'"):
        FS({"f1": FS.integer_categorical(output_mode="int")}).adapt({"f1": [1]})
