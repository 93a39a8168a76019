"""Initializer base class: subclassing, clone and repr."""

import torch

from kerastorch import initializers


def test_custom_initializer_subclass_serializes_as_custom_object():
    class Twos(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return torch.full(tuple(shape), 2.0)

    config = initializers.serialize(Twos())
    assert config == {
        "module": __name__,
        "class_name": "Twos",
        "config": {},
        "registered_name": "Twos",
    }
    restored = initializers.deserialize(config, custom_objects={"Twos": Twos})
    assert torch.equal(restored((2,)), torch.full((2,), 2.0))
    assert initializers.Ones().clone().get_config() == {}
    assert repr(initializers.RandomNormal(seed=1)) == "RandomNormal(seed=1, mean=0.0, stddev=0.05)"
