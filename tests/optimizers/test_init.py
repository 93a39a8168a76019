import pytest

import kerastorch.optimizers as kto
from tests.oracle import keras_or_skip


@pytest.mark.parametrize(
    ("identifier", "cls"),
    [
        ("sgd", kto.SGD),
        ("adam", kto.Adam),
        ("Adam", kto.Adam),
        ("rmsprop", kto.RMSprop),
        ("RMSprop", kto.RMSprop),
        ("adamw", kto.AdamW),
        ("adagrad", kto.Adagrad),
        ("adadelta", kto.Adadelta),
        ("adamax", kto.Adamax),
        ("nadam", kto.Nadam),
        ("ftrl", kto.Ftrl),
        ("lion", kto.Lion),
        ("lamb", kto.Lamb),
    ],
)
def test_get_resolves_keras_strings(identifier, cls):
    assert type(kto.get(identifier)) is cls


def test_get_returns_instances_and_none_unchanged():
    opt = kto.SGD()
    assert kto.get(opt) is opt
    assert kto.get(None) is None


def test_get_rejects_unknown_identifiers_with_a_suggestion():
    with pytest.raises(ValueError, match=r"'adamm'\. Did you mean 'adam'"):
        kto.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 3"):
        kto.get(3)


def test_serialize_round_trips_through_deserialize():
    opt = kto.SGD(learning_rate=0.5, momentum=0.9, name="mine")
    config = kto.serialize(opt)
    assert (config["module"], config["class_name"]) == ("keras.optimizers", "SGD")
    restored = kto.get(config)
    assert type(restored) is kto.SGD
    assert restored.get_config() == opt.get_config()


def test_deserialize_uses_custom_objects_for_subclasses():
    class MyAdam(kto.Adam):
        pass

    config = kto.serialize(MyAdam(name="custom"))
    assert config["registered_name"] == "MyAdam"
    assert type(kto.deserialize(config, custom_objects={"MyAdam": MyAdam})) is MyAdam


@pytest.mark.parity
@pytest.mark.parametrize("name", ["SGD", "Adam", "Nadam", "Ftrl"])
def test_serialized_configs_move_both_ways_with_keras(name):
    keras = keras_or_skip()
    ours = getattr(kto, name)(learning_rate=0.02, name="opt")
    from_ours = keras.optimizers.deserialize(kto.serialize(ours))
    assert from_ours.get_config() == ours.get_config()
    reference = getattr(keras.optimizers, name)(learning_rate=0.02, name="opt")
    from_keras = kto.deserialize(keras.optimizers.serialize(reference))
    assert from_keras.get_config() == reference.get_config()


def test_optimizers_all_is_sorted_and_resolves():
    assert kto.__all__ == sorted(kto.__all__)
    assert all(hasattr(kto, name) for name in kto.__all__)
    assert kto.schedules.__all__ == sorted(kto.schedules.__all__)
