"""`.keras` archives both ways: files written by real Keras 3 load here, ours load in Keras."""

import io
import json
import zipfile

import h5py
import numpy as np
import pytest

import kerastorch as kt
from kerastorch.common import registry
from kerastorch.saving import saving_api, saving_lib
from tests.oracle import assert_close, keras_or_skip, to_numpy

RNG = np.random.default_rng(0)


def _keras_scale(keras):
    @keras.saving.register_keras_serializable("MyPkg", "Scale")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            return x * self.w * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    return Scale


@registry.register_keras_serializable("MyPkg", "Scale")
class Scale(kt.layers.Layer):
    """The custom layer on our side; Keras's twin has the same class and registered name
    (the class name gives its path in the weights file)."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _mlp(K, custom):
    return (
        K.Sequential([K.Input((5,)), K.layers.Dense(8, activation="relu"), K.layers.Dense(3)]),
        RNG.random((4, 5)).astype("float32"),
        RNG.random((4, 3)).astype("float32"),
    )


def _cnn(K, custom):
    from kerastorch.layers.normalization import BatchNormalization
    from kerastorch.layers.pooling import GlobalAveragePooling2D, MaxPooling2D

    bn = K.layers.BatchNormalization if K is not kt else BatchNormalization
    pool = K.layers.MaxPooling2D if K is not kt else MaxPooling2D
    gap = K.layers.GlobalAveragePooling2D if K is not kt else GlobalAveragePooling2D
    model = K.Sequential(
        [
            K.Input((8, 8, 3)),
            K.layers.Conv2D(
                4, 3, padding="same", use_bias=False
            ),  # a bias before BN has no gradient
            bn(),
            K.layers.ReLU(),
            pool(),
            K.layers.Conv2D(2, 3),
            gap(),
            K.layers.Dense(3, activation="softmax"),
        ]
    )
    return model, RNG.random((4, 8, 8, 3)).astype("float32"), RNG.random((4, 3)).astype("float32")


def _rnn(K, custom):
    from kerastorch.layers.core.embedding import Embedding

    embedding = K.layers.Embedding if K is not kt else Embedding
    model = K.Sequential(
        [
            K.Input((6,), dtype="int32"),
            embedding(10, 8, mask_zero=True),
            K.layers.Bidirectional(K.layers.LSTM(4, return_sequences=True)),
            K.layers.TimeDistributed(K.layers.Dense(5)),
            K.layers.GRU(3),
            K.layers.Dense(2),
        ]
    )
    x = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9], [1, 1, 0, 0, 0, 0], [9, 8, 7, 6, 5, 4]])
    return model, x.astype("int32"), RNG.random((4, 2)).astype("float32")


def _functional(K, custom):
    a, b = K.Input((4,), name="a"), K.Input((3,), name="b")
    inner = K.Sequential([K.Input((7,)), K.layers.Dense(5)], name="inner")
    h = K.layers.Concatenate()([K.layers.Dense(4)(a) * 2.0, b])
    h = custom(factor=3.0)(inner(h))
    model = K.Model([a, b], [K.layers.Dense(1, name="o1")(h), K.layers.Dense(2, name="o2")(h)])
    x = [RNG.random((4, 4)).astype("float32"), RNG.random((4, 3)).astype("float32")]
    return model, x, [RNG.random((4, 1)).astype("float32"), RNG.random((4, 2)).astype("float32")]


CASES = {"mlp": _mlp, "cnn": _cnn, "rnn": _rnn, "functional": _functional}


def _flat(outputs):
    return [to_numpy(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]


def _build(keras, name, framework):
    K, custom = (keras, _keras_scale(keras)) if framework == "keras" else (kt, Scale)
    model, x, y = CASES[name](K, custom)
    model.compile(optimizer=K.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    return model, x, y


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(CASES))
def test_keras_file_written_by_keras_loads_with_same_predictions(tmp_path, name):
    keras = keras_or_skip()
    model, x, y = _build(keras, name, "keras")
    path = tmp_path / "model.keras"
    model.save(path)
    ours = saving_api.load_model(path)
    assert_close(_flat(ours.predict(x, verbose=0)), _flat(model.predict(x, verbose=0)))
    # Compile state and optimizer state survive: one more step gives the same weights.
    assert int(ours.optimizer.iterations) == int(to_numpy(model.optimizer.iterations)) == 1
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    ours.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert_close(ours.get_weights(), [to_numpy(w) for w in model.get_weights()], atol=2e-5)


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(CASES))
def test_keras_file_written_here_loads_in_keras_with_same_predictions(tmp_path, name):
    keras = keras_or_skip()
    model, x, y = _build(keras, name, "kerastorch")
    path = tmp_path / "model.keras"
    model.save(path)
    theirs = keras.saving.load_model(path)
    assert_close(_flat(theirs.predict(x, verbose=0)), _flat(model.predict(x, verbose=0)))
    assert int(to_numpy(theirs.optimizer.iterations)) == 1
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    theirs.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert_close(model.get_weights(), [to_numpy(w) for w in theirs.get_weights()], atol=2e-5)


@pytest.mark.parity
def test_keras_file_members_and_weight_paths_match_keras(tmp_path):
    keras = keras_or_skip()
    theirs, _, _ = _build(keras, "rnn", "keras")
    ours, _, _ = _build(keras, "rnn", "kerastorch")
    theirs.save(tmp_path / "k.keras")
    ours.save(tmp_path / "o.keras")

    def layout(path):
        with zipfile.ZipFile(path) as archive:
            members = sorted(archive.namelist())
            config = json.loads(archive.read("config.json"))
            data = archive.read("model.weights.h5")
        with h5py.File(io.BytesIO(data), "r") as h5:
            datasets = {}

            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    datasets[name] = obj.shape

            h5.visititems(visit)
        return members, config, datasets

    k_members, k_config, k_datasets = layout(tmp_path / "k.keras")
    o_members, o_config, o_datasets = layout(tmp_path / "o.keras")
    assert o_members == k_members == ["config.json", "metadata.json", "model.weights.h5"]
    assert o_datasets == k_datasets  # e.g. layers/bidirectional/forward_layer/cell/vars/0
    assert "layers/bidirectional/forward_layer/cell/vars/0" in o_datasets
    assert {k: o_config[k] for k in ("module", "class_name")} == {
        "module": "keras",
        "class_name": "Sequential",
    }
    assert [layer["class_name"] for layer in o_config["config"]["layers"]] == [
        layer["class_name"] for layer in k_config["config"]["layers"]
    ]
    assert o_config["compile_config"]["loss"] == k_config["compile_config"]["loss"] == "mse"


def test_walk_names_paths_as_keras_does():
    a = kt.Input((3,))
    h = kt.layers.Dense(2)(kt.layers.Dense(4)(a))
    inner = kt.Model(a, h)
    x = kt.Input((3,))
    model = kt.Model(x, kt.layers.Dense(1)(inner(x)))
    model.compile("sgd", "mse")
    paths = [path for path, _ in saving_lib._walk(model)]
    assert paths == [
        "",
        "layers/input_layer",
        "layers/functional",
        "layers/functional/layers/input_layer",
        "layers/functional/layers/dense",
        "layers/functional/layers/dense_1",
        "layers/dense",
        "optimizer",
    ]


def test_keras_round_trip_keeps_predictions_and_compile(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(4, activation="tanh"),
                           kt.layers.Dense(1)])  # fmt: skip
    model.compile(optimizer="adam", loss="mae", metrics=["mse"])
    x, y = RNG.random((8, 3)).astype("float32"), RNG.random((8, 1)).astype("float32")
    model.fit(x, y, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = kt.models.load_model(tmp_path / "m.keras")
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=0, rtol=0)
    assert loaded.compiled
    assert loaded._compile_config["loss"] == "mae"
    assert [v.numpy().tolist() for v in loaded.optimizer.variables] == [
        v.numpy().tolist() for v in model.optimizer.variables
    ]
    uncompiled = kt.models.load_model(tmp_path / "m.keras", compile=False)
    assert not getattr(uncompiled, "compiled", False)


def test_save_model_refuses_other_extensions(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(1)])
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        model.save(tmp_path / "m.pt")
    with pytest.raises(ValueError, match="File format not supported"):
        kt.models.load_model(tmp_path / "m.pt")


def test_interrupted_save_leaves_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    model.save(path)
    before = path.read_bytes()
    model.layers[0].kernel.assign(np.ones((3, 2)))

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]  # no temporary file left
    assert not np.allclose(kt.models.load_model(path).layers[0].kernel.numpy(), 1.0)


def _nested_blocks_class(K, register):
    @register("MyPkg", "NestedBlocks")
    class NestedBlocks(K.layers.Layer):
        """Lists, tuples and dicts of layers, nested, as Keras's saving_lib tests hold them."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.blocks = [K.layers.Dense(2), K.layers.Dense(3)]
            self.nested = [[K.layers.Dense(2), K.layers.Dense(2)], (K.layers.Dense(2),)]
            self.heads = {"b": K.layers.Dense(1), "a": K.layers.Dense(4)}

        def call(self, x):
            for layer in self.blocks:
                x = layer(x)
            for block in self.nested:
                for layer in block:
                    x = layer(x)
            return self.heads["b"](x) + self.heads["a"](x)[:, :1]

    return NestedBlocks


def _nested_model(K, register):
    blocks = _nested_blocks_class(K, register)
    model = K.Sequential([K.Input((4,)), blocks()])
    for i, weight in enumerate(model.weights):  # distinct values: a swapped layer shows
        weight.assign(np.full(tuple(weight.shape), 0.1 * (i + 1), "float32"))
    return model


@pytest.mark.parity
@pytest.mark.parametrize("writer", ["keras", "kerastorch"])
def test_keras_file_nested_layer_containers_restore_every_variable(tmp_path, writer):
    keras = keras_or_skip()
    frameworks = {
        "keras": (keras, keras.saving.register_keras_serializable),
        "kerastorch": (kt, registry.register_keras_serializable),
    }
    source = _nested_model(*frameworks[writer])
    path = tmp_path / "nested.keras"
    source.save(path)
    reader = "kerastorch" if writer == "keras" else "keras"
    _nested_blocks_class(*frameworks[reader])  # registered on the reading side
    loaded = (saving_api.load_model if reader == "kerastorch" else keras.saving.load_model)(path)
    assert len(loaded.weights) == len(source.weights) == 14
    assert_close([to_numpy(w) for w in loaded.weights], [to_numpy(w) for w in source.weights])
    x = RNG.random((3, 4)).astype("float32")
    assert_close(to_numpy(loaded.predict(x, verbose=0)), to_numpy(source.predict(x, verbose=0)))
    with (
        zipfile.ZipFile(path) as archive,
        h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as h5,
    ):
        assert "layers/nested_blocks/nested/container_1/dense/vars/0" in h5
        heads = source.layers[0].heads  # insertion order: `b` then `a`, as Keras writes them
        assert h5["layers/nested_blocks/heads/dense_1/vars"].attrs["name"] == heads["a"].name
