"""kerastorch.saving.serialization: Keras 3's config format, both ways."""

import numpy as np
import pytest
import torch

from kerastorch import activations, constraints, initializers, regularizers, saving
from kerastorch.common import registry, serialization
from tests.oracle import keras_or_skip


@pytest.fixture(autouse=True)
def _clean_registry():
    """Registrations made by a test do not leak into the next one."""
    objects = dict(registry.GLOBAL_CUSTOM_OBJECTS)
    names = dict(registry.GLOBAL_CUSTOM_NAMES)
    yield
    registry.GLOBAL_CUSTOM_OBJECTS.clear()
    registry.GLOBAL_CUSTOM_OBJECTS.update(objects)
    registry.GLOBAL_CUSTOM_NAMES.clear()
    registry.GLOBAL_CUSTOM_NAMES.update(names)


class Scaled:
    """A custom (unregistered) object with a config."""

    def __init__(self, factor=1.0):
        self.factor = factor

    def get_config(self):
        return {"factor": self.factor}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def test_saving_all_is_sorted_and_resolves():
    assert saving.__all__ == sorted(saving.__all__)
    from kerastorch.saving import file_editor, saving_api

    for name in saving.__all__:
        modules = (registry, serialization, saving_api, file_editor)
        sources = [m for m in modules if hasattr(m, name)]
        assert getattr(saving, name) is getattr(sources[0], name)


@pytest.mark.parity
@pytest.mark.parametrize(
    "value",
    [
        None,
        3,
        2.5,
        "text",
        True,
        [1, "a", None],
        (1, [2, None], {"a": 3}),
        {"nested": {"b": [1.0, 2.0]}},
        np.array([[1.0, 2.0]], dtype="float32"),
        np.array([1, 2], dtype="int64"),
        np.float32(2.5),
        b"bytes",
        slice(1, 10, 2),
        Ellipsis,
    ],
)
def test_serialize_plain_values_as_keras(value):
    keras = keras_or_skip()
    expected = keras.saving.serialize_keras_object(value)
    assert saving.serialize_keras_object(value) == expected
    restored = saving.deserialize_keras_object(expected)
    if isinstance(value, np.ndarray):
        np.testing.assert_array_equal(restored, value)
        assert restored.dtype == value.dtype
    elif isinstance(value, tuple):
        assert restored == [1, [2, None], {"a": 3}]  # Keras returns lists too
    else:
        assert restored == value


@pytest.mark.parity
def test_serialize_torch_tensor_as_keras():
    keras = keras_or_skip()
    t = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    config = saving.serialize_keras_object(t)
    assert config == keras.saving.serialize_keras_object(t)
    restored = saving.deserialize_keras_object(config)
    assert torch.equal(restored, t)
    assert restored.dtype == torch.float64


@pytest.mark.parity
@pytest.mark.parametrize(
    ("ours", "factory"),
    [
        (initializers.GlorotUniform(seed=1), lambda k: k.initializers.GlorotUniform(seed=1)),
        (regularizers.L1L2(0.1, 0.2), lambda k: k.regularizers.L1L2(0.1, 0.2)),
        (constraints.MaxNorm(3.0), lambda k: k.constraints.MaxNorm(3.0)),
        (activations.relu, lambda k: k.activations.relu),
        ([initializers.Zeros(), {"r": regularizers.L2()}], lambda k: [
            k.initializers.Zeros(), {"r": k.regularizers.L2()}]),
    ],
)  # fmt: skip
def test_builtin_objects_serialize_exactly_as_keras(ours, factory):
    keras = keras_or_skip()
    expected = keras.saving.serialize_keras_object(factory(keras))
    assert saving.serialize_keras_object(ours) == expected
    reloaded = saving.serialize_keras_object(saving.deserialize_keras_object(expected))
    assert reloaded == expected
    keras_reloaded = keras.saving.deserialize_keras_object(saving.serialize_keras_object(ours))
    assert keras.saving.serialize_keras_object(keras_reloaded) == expected


def test_custom_object_serializes_with_its_module_and_name():
    config = saving.serialize_keras_object(Scaled(2.0))
    assert config == {
        "module": __name__,
        "class_name": "Scaled",
        "config": {"factor": 2.0},
        "registered_name": "Scaled",
    }
    with pytest.raises(TypeError, match="Could not locate class 'Scaled'"):
        saving.deserialize_keras_object(config)
    restored = saving.deserialize_keras_object(config, custom_objects={"Scaled": Scaled})
    assert isinstance(restored, Scaled)
    assert restored.factor == 2.0


def test_register_keras_serializable_names_package_and_object():
    Registered = saving.register_keras_serializable("my_pkg")(type("Registered", (Scaled,), {}))

    @saving.register_keras_serializable(package="fns", name="twice")
    def double(x):
        return 2 * x

    assert saving.get_registered_name(Registered) == "my_pkg>Registered"
    assert saving.get_registered_object("my_pkg>Registered") is Registered
    assert saving.get_registered_name(double) == "fns>twice"
    assert saving.get_custom_objects()["fns>twice"] is double
    assert saving.get_registered_name(Scaled) == "Scaled"
    assert saving.get_registered_object("nothing") is None

    config = saving.serialize_keras_object(Registered(3.0))
    assert config["registered_name"] == "my_pkg>Registered"
    assert saving.deserialize_keras_object(config).factor == 3.0
    fn_config = saving.serialize_keras_object(double)
    assert fn_config == {
        "module": "builtins",
        "class_name": "function",
        "config": "fns>twice",
        "registered_name": "function",
    }
    assert saving.deserialize_keras_object(fn_config) is double
    assert activations.get(activations.serialize(double)) is double


def test_register_refuses_class_without_get_config():
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="does not have a get_config"):
        saving.register_keras_serializable()(NoConfig)


def test_custom_object_scope_is_temporary_and_nests():
    assert saving.CustomObjectScope is saving.custom_object_scope
    with saving.custom_object_scope({"Scaled": Scaled}):
        assert saving.get_registered_object("Scaled") is Scaled
        with saving.custom_object_scope({"Other": int}):
            assert saving.get_registered_object("Other") is int
            assert saving.get_registered_object("Scaled") is None
        assert saving.get_registered_object("Scaled") is Scaled
        config = saving.serialize_keras_object(Scaled(5.0))
        assert saving.deserialize_keras_object(config).factor == 5.0
    assert saving.get_registered_object("Scaled") is None


def test_kerastorch_subclass_of_builtin_is_a_custom_object():
    class MyNorm(constraints.UnitNorm):
        pass

    config = saving.serialize_keras_object(MyNorm(axis=1))
    assert config["module"] == __name__
    assert config["registered_name"] == "MyNorm"
    restored = constraints.deserialize(config, custom_objects={"MyNorm": MyNorm})
    assert type(restored) is MyNorm
    assert restored.axis == 1


def test_family_deserialize_refuses_unregistered_main_module_class():
    config = {"module": None, "class_name": "Mystery", "config": {}, "registered_name": "Mystery"}
    with pytest.raises(TypeError, match="Cannot deserialize object of type `Mystery`"):
        initializers.deserialize(config)


def test_lambda_needs_safe_mode_off():
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        config = saving.serialize_keras_object(lambda x, k=3: x * k)
    assert config["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="deserialization of a Python lambda"):
        saving.deserialize_keras_object(config)
    fn = saving.deserialize_keras_object(config, safe_mode=False)
    assert fn(2) == 6


def test_safe_mode_reaches_nested_from_config():
    class Holder(Scaled):
        @classmethod
        def from_config(cls, config):
            return cls(saving.deserialize_keras_object(config["factor"]))

    with pytest.warns(UserWarning, match="lambda"):
        config = saving.serialize_keras_object(Holder(lambda: 1))
    with pytest.raises(ValueError, match="lambda"):
        saving.deserialize_keras_object(config, custom_objects={"Holder": Holder})
    holder = saving.deserialize_keras_object(
        config, custom_objects={"Holder": Holder}, safe_mode=False
    )
    assert holder.factor() == 1


@pytest.mark.parametrize(
    "config",
    [
        {"module": "keras.models", "class_name": "function", "config": "load_model"},
        {"module": "keras.saving", "class_name": "function", "config": "save_model"},
    ],
)
def test_non_modeling_apis_are_refused(config):
    with pytest.raises(ValueError, match="not a modeling function"):
        saving.deserialize_keras_object({**config, "registered_name": None})


def test_unknown_builtin_and_private_modules_are_not_located():
    for module in ("keras.initializers", "keras.src.initializers.initializer", "keras.nothing"):
        config = {"module": module, "class_name": "Missing", "config": {}, "registered_name": None}
        with pytest.raises(TypeError, match="Could not locate class 'Missing'"):
            saving.deserialize_keras_object(config)
    # Names a kerastorch module imports (torch, typing helpers) are not public objects.
    config = {"module": "keras.initializers", "class_name": "Any", "config": {}}
    with pytest.raises(TypeError, match="Could not locate class 'Any'"):
        saving.deserialize_keras_object({**config, "registered_name": None})


def test_registered_name_on_a_builtin_is_refused():
    config = initializers.serialize(initializers.Ones())
    with pytest.raises(ValueError, match="resolved to a Keras built-in"):
        saving.deserialize_keras_object({**config, "registered_name": "pkg>Ones"})


def test_object_sharing_scope_marks_and_reuses_shared_objects():
    init = initializers.Ones()
    with serialization.ObjectSharingScope():
        configs = saving.serialize_keras_object([init, init, initializers.Zeros()])
    assert configs[0]["shared_object_id"] == configs[1]["shared_object_id"] == id(init)
    assert "shared_object_id" not in configs[2]
    with serialization.ObjectSharingScope():
        first, second, third = saving.deserialize_keras_object(configs)
    assert first is second
    assert first is not third
    # Outside a scope nothing is tracked.
    assert "shared_object_id" not in saving.serialize_keras_object([init, init])[1]


def test_build_and_compile_configs_are_saved_and_replayed():
    class Buildable(Scaled):
        built = False
        compiled = False

        def get_build_config(self):
            return {"input_shape": (None, 3)}

        def build_from_config(self, config):
            self.built_with = config["input_shape"]

        def get_compile_config(self):
            return {"loss": "mse"}

        def compile_from_config(self, config):
            self.compiled_with = config["loss"]

    config = saving.serialize_keras_object(Buildable())
    assert config["build_config"] == {"input_shape": (None, 3)}
    assert config["compile_config"] == {"loss": "mse"}
    restored = saving.deserialize_keras_object(config, custom_objects={"Buildable": Buildable})
    assert restored.built
    assert restored.built_with == (None, 3)
    assert restored.compiled
    assert restored.compiled_with == "mse"


def test_objects_without_config_or_from_config_fail_clearly():
    class Opaque:
        pass

    with pytest.raises(TypeError, match="must implement the `get_config\\(\\)` method"):
        saving.serialize_keras_object(Opaque())

    class BadConfig(Scaled):
        def get_config(self):
            return [1]

    with pytest.raises(TypeError, match="should return a dict"):
        saving.serialize_keras_object(BadConfig())
    config = {"module": None, "class_name": "Opaque", "config": {}, "registered_name": "Opaque"}
    with pytest.raises(TypeError, match="missing a `from_config\\(\\)` method"):
        saving.deserialize_keras_object(config, custom_objects={"Opaque": Opaque})
    with pytest.raises(TypeError, match="could not be deserialized properly"):
        saving.deserialize_keras_object(
            {**config, "class_name": "Scaled", "config": {"wrong": 1}, "registered_name": "Scaled"},
            custom_objects={"Scaled": Scaled},
        )


def test_keras_class_name_attribute_overrides_the_class_name():
    class Add(initializers.Zeros):
        pass

    Add.__module__ = "kerastorch.fake"  # as if kerastorch defined it
    obj = Add()
    obj._keras_class_name = "Sum"
    assert saving.serialize_keras_object(obj) == {
        "module": "keras.initializers",
        "class_name": "Sum",
        "config": {},
        "registered_name": None,
    }


def test_functions_saved_by_bare_name_before_keras_3_7_still_load():
    @saving.register_keras_serializable("old")
    def swish2(x):
        return x

    config = {"module": "builtins", "class_name": "function", "config": "swish2"}
    assert saving.deserialize_keras_object({**config, "registered_name": "function"}) is swish2
