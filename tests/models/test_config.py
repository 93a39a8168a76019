"""get_config / from_config / to_json for Functional and Sequential, in Keras 3's format."""

import json

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.common import naming, registry, serialization
from kerastorch.ops.numpy.operators import GetItem
from tests.oracle import assert_close, keras_or_skip, to_numpy


def _functional(K):
    a, b = K.Input((4,), name="a"), K.Input((3,), name="b")
    h = K.layers.Dense(5, name="d1")(a) + 1.0
    h = K.layers.Concatenate(name="cat")([h[:, :2], b])
    return K.Model([a, b], K.layers.Dense(2, name="d2")(h))


def _copy_weights(src, dst):
    dst.set_weights([to_numpy(w) for w in src.get_weights()])


def test_functional_config_has_keras_structure():
    config = _functional(kt).get_config()
    assert set(config) == {"name", "trainable", "layers", "input_layers", "output_layers"}
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == ["d2", 0, 0]
    add = next(layer for layer in config["layers"] if layer["name"] == "add")
    assert {k: add[k] for k in ("module", "class_name", "registered_name")} == {
        "module": "keras.src.ops.numpy",
        "class_name": "Add",
        "registered_name": "Add",
    }
    tensor, constant = add["inbound_nodes"][0]["args"]
    assert tensor == {"class_name": "__keras_tensor__",
                      "config": {"shape": [None, 5], "dtype": "float32",
                                 "keras_history": ["d1", 0, 0]}}  # fmt: skip
    assert constant == 1.0


def test_functional_from_config_rebuilds_graph_and_operations():
    model = _functional(kt)
    clone = type(model).from_config(model.get_config())
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert any(isinstance(op, GetItem) for op in clone.operations)
    _copy_weights(model, clone)
    x = [torch.randn(2, 4), torch.randn(2, 3)]
    assert_close(clone(x), model(x))


def test_shared_layer_and_nested_model_round_trip():
    inner_in = kt.Input((3,))
    inner = kt.Model(inner_in, kt.layers.Dense(3, name="inner_dense")(inner_in), name="inner")
    x = kt.Input((3,), name="x")
    shared = kt.layers.Dense(3, name="shared")
    y = inner(shared(shared(x)))
    model = kt.Model(x, y)
    config = model.get_config()
    shared_config = next(layer for layer in config["layers"] if layer["name"] == "shared")
    assert len(shared_config["inbound_nodes"]) == 2
    inner_history = shared_config["inbound_nodes"][1]["args"][0]["config"]["keras_history"]
    assert inner_history == ["shared", 0, 0]
    out = config["output_layers"]
    assert out == ["inner", 1, 0]  # Keras counts a functional model's construction node
    clone = type(model).from_config(config)
    _copy_weights(model, clone)
    data = torch.randn(2, 3)
    assert_close(clone(data), model(data))


def test_sequential_config_keeps_input_layer_and_build_shape():
    model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(3), kt.layers.Dense(1)], name="s")
    config = model.get_config()
    assert [layer["class_name"] for layer in config["layers"]] == ["InputLayer", "Dense", "Dense"]
    assert config["build_input_shape"] == [None, 4]
    clone = kt.Sequential.from_config(config)
    assert clone.name == "s"
    assert clone.built
    assert clone.count_params() == model.count_params()
    unbuilt = kt.Sequential([kt.layers.Dense(2)])
    assert "build_input_shape" not in unbuilt.get_config()
    assert not kt.Sequential.from_config(unbuilt.get_config()).built


def test_to_json_and_model_from_json_round_trip():
    model = _functional(kt)
    text = model.to_json()
    assert json.loads(text)["class_name"] == "Functional"
    clone = kt.models.model_from_json(text)
    assert clone.count_params() == model.count_params()


def test_serialize_keras_object_for_models_and_layers():
    layer = kt.layers.Dense(3, activation="relu", name="d")
    config = serialization.serialize_keras_object(layer)
    assert config["module"] == "keras.layers"
    assert config["class_name"] == "Dense"
    assert serialization.deserialize_keras_object(config).units == 3
    model = kt.Sequential([kt.Input((2,)), kt.layers.Dense(1)])
    config = serialization.serialize_keras_object(model)
    assert (config["module"], config["class_name"], config["build_config"]) == (
        "keras",
        "Sequential",
        {"input_shape": [None, 2]},
    )
    assert serialization.deserialize_keras_object(config).count_params() == 3


def test_custom_object_scope_resolves_custom_layer():
    class Double(kt.layers.Layer):
        def call(self, x):
            return x * 2

    x = kt.Input((2,))
    model = kt.Model(x, Double(name="double")(x))
    text = model.to_json()
    with pytest.raises(TypeError, match="Could not locate class 'Double'"):
        kt.models.model_from_json(text)
    with registry.custom_object_scope({"Double": Double}):
        clone = kt.models.model_from_json(text)
    assert torch.equal(clone(torch.ones(1, 2)), torch.full((1, 2), 2.0))
    clone = kt.models.model_from_json(text, custom_objects={"Double": Double})
    assert isinstance(clone.get_layer("double"), Double)


@pytest.mark.parity
def test_keras_reads_our_json_and_we_read_keras_json():
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)  # auto names ("add") count from zero
    naming.reset_uids()
    ours, theirs = _functional(kt), _functional(keras)
    from_ours = keras.models.model_from_json(ours.to_json())
    from_theirs = kt.models.model_from_json(theirs.to_json())
    assert [layer.name for layer in from_ours.layers] == [layer.name for layer in ours.layers]
    assert [layer.name for layer in from_theirs.layers] == [layer.name for layer in theirs.layers]
    _copy_weights(theirs, from_theirs)
    _copy_weights(ours, from_ours)
    x = [np.random.rand(2, 4).astype("float32"), np.random.rand(2, 3).astype("float32")]
    assert_close(from_theirs.predict(x, verbose=0), to_numpy(theirs.predict(x, verbose=0)))
    assert_close(to_numpy(from_ours.predict(x, verbose=0)), ours.predict(x, verbose=0))
    ours_config = json.loads(json.dumps(ours.get_config()))
    theirs_config = json.loads(json.dumps(theirs.get_config()))
    assert ours_config["input_layers"] == theirs_config["input_layers"]
    assert ours_config["output_layers"] == theirs_config["output_layers"]
    for mine, keras_layer in zip(ours_config["layers"], theirs_config["layers"], strict=False):
        assert mine["name"] == keras_layer["name"]
        assert mine["inbound_nodes"] == keras_layer["inbound_nodes"]


@pytest.mark.parity
def test_sequential_config_matches_keras():
    keras = keras_or_skip()

    def build(K):
        layers = [K.Input((4,), name="x"), K.layers.Dense(3, name="h"), K.layers.Dense(1, name="o")]
        return K.Sequential(layers, name="seq")

    ours = json.loads(json.dumps(build(kt).get_config()))
    theirs = json.loads(json.dumps(build(keras).get_config()))
    assert ours == theirs
