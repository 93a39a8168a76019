import pytest

import kerastorch
from kerastorch import initializers, layers, optimizers
from kerastorch.common.legacy_serialization import (
    deserialize_keras_object,
    serialize_keras_object,
)
from tests.oracle import keras_or_skip


class _Holder:
    """An object whose config holds another object and a function."""

    def __init__(self, init=None, fn=None, name="holder"):
        self.init, self.fn, self.name = init, fn, name

    def get_config(self):
        return {"init": self.init, "fn": self.fn, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _custom_activation(x):
    return x


@pytest.mark.parity
@pytest.mark.parametrize(
    "build",
    [
        lambda lib: lib.layers.Dense(3, activation="relu", name="d"),
        lambda lib: lib.optimizers.Adam(learning_rate=0.01, name="opt"),
        lambda lib: lib.initializers.RandomNormal(stddev=0.5, seed=1),
        lambda lib: lib.layers.LSTM(2, name="lstm"),
    ],
)
def test_serialize_matches_keras_legacy_serialization(build):
    keras = keras_or_skip()
    theirs = keras.legacy.saving.serialize_keras_object(build(keras))
    ours = serialize_keras_object(build(kerastorch))
    assert ours == theirs


@pytest.mark.parity
def test_nested_objects_are_passive_and_functions_are_names():
    keras = keras_or_skip()
    theirs = keras.legacy.saving.serialize_keras_object(
        _Holder(keras.initializers.Ones(), _custom_activation)
    )
    ours = serialize_keras_object(_Holder(initializers.Ones(), _custom_activation))
    assert ours == theirs
    assert ours["config"]["init"]["__passive_serialization__"] is True
    assert ours["config"]["fn"] == "_custom_activation"
    restored = deserialize_keras_object(
        ours,
        module_objects={"Ones": initializers.Ones},
        custom_objects={"_Holder": _Holder, "_custom_activation": _custom_activation},
    )
    assert isinstance(restored.init, initializers.Ones)
    assert restored.fn is _custom_activation
    assert restored.name == "holder"


def test_round_trip_of_layers_and_optimizers_through_module_objects():
    dense = deserialize_keras_object(
        serialize_keras_object(layers.Dense(4, activation="tanh", name="d")),
        module_objects=vars(layers),
    )
    assert (dense.units, dense.name) == (4, "d")
    adam = deserialize_keras_object(
        serialize_keras_object(optimizers.Adam(learning_rate=0.25)),
        module_objects=vars(optimizers),
    )
    assert adam.learning_rate == pytest.approx(0.25)
    assert isinstance(deserialize_keras_object("Ones", module_objects=vars(initializers)),
                      initializers.Ones)  # fmt: skip


def test_errors_name_the_object_and_the_expected_format():
    with pytest.raises(ValueError, match="Unknown layer: 'Nope'"):
        deserialize_keras_object({"class_name": "Nope", "config": {}},
                                 printable_module_name="layer")  # fmt: skip
    with pytest.raises(ValueError, match="Expecting python dict contains `class_name`"):
        deserialize_keras_object({"config": {}})
    with pytest.raises(ValueError, match="Could not interpret serialized object: 3"):
        deserialize_keras_object(3)
    with pytest.raises(ValueError, match="doesn't implement `get_config"):
        serialize_keras_object(3)
    assert serialize_keras_object(None) is None
    assert deserialize_keras_object(None) is None


def test_public_namespaces():
    from kerastorch import legacy, utils

    assert legacy.saving.serialize_keras_object is serialize_keras_object
    assert utils.legacy.deserialize_keras_object is deserialize_keras_object
