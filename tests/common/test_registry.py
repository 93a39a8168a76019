import pytest

import kerastorch as kt
from kerastorch.common import registry, safe_mode, serialization


def test_registry_resolves_keras_public_private_and_top_level_modules():
    assert registry.builtin_object("keras.layers", "Dense") is kt.layers.Dense
    assert registry.builtin_object("keras.src.layers.core.dense", "Dense") is kt.layers.Dense
    assert registry.builtin_object("keras", "Sequential") is kt.Sequential
    assert registry.builtin_object("keras.src.models.functional", "Functional") is (
        kt.models.Functional
    )
    assert registry.builtin_object("keras.optimizers.schedules", "ExponentialDecay") is (
        kt.optimizers.schedules.ExponentialDecay
    )
    assert registry.builtin_object("keras.src.ops.numpy", "Add") is kt.ops.add.operation_class


def test_registry_knows_only_modeling_objects():
    assert registry.builtin_object("keras.layers", "_private") is None
    assert registry.builtin_object("keras.utils", "get_file") is None
    assert registry.builtin_object("keras.callbacks", "EarlyStopping") is None
    assert registry.builtin_object("keras.src.models", "load_model") is None
    assert registry.builtin_function("relu", ("losses", "activations")) is kt.activations.relu
    assert registry.builtin_function("Dense", ("layers",)) is None  # a class, not a function


@pytest.mark.parametrize(
    "module", ["keras.src.models", "keras.src.saving.saving_api", "keras.models", "builtins"]
)
def test_config_naming_a_saving_function_never_resolves(module):
    config = {"module": module, "class_name": "function", "config": "load_model"}
    with pytest.raises((TypeError, ValueError), match="load_model"):
        serialization.deserialize_keras_object(config)


@pytest.mark.parametrize(
    "module",
    ["keras.saving.serialization", "keras.config", "keras.src.saving.serialization_lib"],
)
def test_config_naming_enable_unsafe_deserialization_never_resolves(module):
    # A file naming this function under any module must not get it called (issue 10 §4).
    config = {"module": module, "class_name": "function",
              "config": "enable_unsafe_deserialization"}  # fmt: skip
    with pytest.raises((TypeError, ValueError), match="enable_unsafe_deserialization"):
        serialization.deserialize_keras_object(config)
    assert safe_mode.in_safe_mode() is not False


def test_register_namespace_records_classes_and_functions_of_all_only():
    def helper(x):
        return x

    class Thing:
        pass

    registry.register_namespace("test_family", {"Thing": Thing, "helper": helper, "n": 3},
                                ["Thing", "helper", "n"])  # fmt: skip
    try:
        assert registry.builtin_object("keras.src.test_family", "Thing") is None  # not mapped
        assert registry.builtin_function("helper", ("test_family",)) is helper
        assert registry.builtin_function("n", ("test_family",)) is None
    finally:
        del registry._BUILTINS["test_family"]
