"""The serialization helpers of `keras.utils` and each family's `serialize`/`deserialize`,
compared with Keras's output."""

from __future__ import annotations

import pytest

import kerastorch
from kerastorch import saving, utils
from kerastorch.common import registry
from tests.oracle import keras_or_skip

NAMES = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]

# (family, builder of the same object in either package)
OBJECTS = [
    ("layers", lambda k: k.layers.Dense(3, activation="relu", name="dense")),
    ("losses", lambda k: k.losses.CategoricalCrossentropy(from_logits=True)),
    ("losses", lambda k: k.losses.mean_squared_error),
    ("metrics", lambda k: k.metrics.Accuracy()),
    ("activations", lambda k: k.activations.relu),
    ("initializers", lambda k: k.initializers.GlorotUniform(seed=1)),
    ("regularizers", lambda k: k.regularizers.L2(0.01)),
    ("constraints", lambda k: k.constraints.MaxNorm(2.0)),
]
IDS = [f"{family}-{i}" for i, (family, _) in enumerate(OBJECTS)]


@pytest.mark.parametrize("name", NAMES)
def test_utils_reexports_the_saving_helpers(name):
    assert getattr(utils, name) is getattr(saving, name)


@pytest.mark.parametrize("name", ["clear_session", "is_keras_tensor", "standardize_dtype"])
def test_utils_reexports_backend_helpers(name):
    assert getattr(utils, name) is getattr(kerastorch.backend, name)


@pytest.mark.parametrize(
    "name",
    ["disable_interactive_logging", "enable_interactive_logging", "is_interactive_logging_enabled"],
)
def test_utils_reexports_logging_switches(name):
    assert getattr(utils, name) is getattr(kerastorch.config, name)


def test_custom_object_scope_and_registration_round_trip(monkeypatch):
    for table in ("GLOBAL_CUSTOM_OBJECTS", "GLOBAL_CUSTOM_NAMES"):  # keep the registry clean
        monkeypatch.setattr(registry, table, dict(getattr(registry, table)))

    @utils.register_keras_serializable(package="helpers_test")
    class Twice(kerastorch.layers.Layer):
        def call(self, x):
            return 2 * x

    assert utils.get_registered_name(Twice) == "helpers_test>Twice"
    assert utils.get_registered_object("helpers_test>Twice") is Twice
    assert utils.get_custom_objects()["helpers_test>Twice"] is Twice
    config = utils.serialize_keras_object(Twice(name="t"))
    assert config["registered_name"] == "helpers_test>Twice"
    assert isinstance(utils.deserialize_keras_object(config), Twice)

    class Local(kerastorch.layers.Layer):
        pass

    with utils.custom_object_scope({"Local": Local}):
        assert utils.get_registered_object("Local") is Local
    assert utils.get_registered_object("Local") is None


@pytest.mark.parity
@pytest.mark.parametrize(("family", "build"), OBJECTS, ids=IDS)
def test_serialize_matches_keras(family, build):
    keras = keras_or_skip()
    ours, theirs = build(kerastorch), build(keras)
    expected = keras.saving.serialize_keras_object(theirs)
    assert utils.serialize_keras_object(ours) == expected
    assert getattr(kerastorch, family).serialize(ours) == getattr(keras, family).serialize(theirs)
    restored = getattr(kerastorch, family).deserialize(expected)
    assert utils.serialize_keras_object(restored) == expected


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Adam", "SGD"])
def test_optimizer_serialization_interoperates_with_keras(name):
    # Keras on torch serializes its backend subclass (module `keras.src.backend.torch...`,
    # `registered_name` set); kerastorch writes the portable `keras.optimizers` form, which
    # Keras on every backend reads. Everything else matches.
    keras = keras_or_skip()
    ours = utils.serialize_keras_object(getattr(kerastorch.optimizers, name)(0.01, name="opt"))
    theirs = keras.saving.serialize_keras_object(getattr(keras.optimizers, name)(0.01, name="opt"))
    assert (ours["class_name"], ours["config"]) == (theirs["class_name"], theirs["config"])
    assert ours["module"] == "keras.optimizers"
    assert type(keras.saving.deserialize_keras_object(ours)).__name__ == name
    restored = kerastorch.optimizers.deserialize(theirs)
    assert utils.serialize_keras_object(restored) == ours


@pytest.mark.parity
def test_families_with_serialize_in_keras_have_it():
    keras = keras_or_skip()
    families = ["layers", "losses", "metrics", "optimizers", "activations", "initializers"]
    families += ["regularizers", "constraints"]
    for family in families:
        for function in ("serialize", "deserialize", "get"):
            if hasattr(getattr(keras, family), function):
                assert callable(getattr(getattr(kerastorch, family), function)), family
    assert callable(kerastorch.optimizers.schedules.serialize)
    assert callable(kerastorch.optimizers.schedules.deserialize)
