"""`SeedGenerator`: state, advancing, config, and its place in a layer's state."""

import pytest
import torch

import kerastorch
from kerastorch import random
from kerastorch.utils import set_random_seed
from tests.oracle import keras_or_skip


def test_seed_generator_state_advances_and_draws_differ():
    gen = random.SeedGenerator(5)
    assert gen.state.dtype == torch.int32
    assert gen.state.tolist() == [5, 0]
    a = random.normal((4,), seed=gen)
    b = random.normal((4,), seed=gen)
    assert gen.state.tolist() == [5, 2]
    assert not torch.equal(a, b)
    again = random.SeedGenerator(5)
    assert torch.equal(random.normal((4,), seed=again), a)
    assert torch.equal(random.normal((4,), seed=again), b)


def test_seed_generator_config_round_trip_and_errors():
    gen = random.SeedGenerator(3, name="gen")
    assert gen.get_config() == {"seed": 3, "name": "gen"}
    clone = random.SeedGenerator.from_config(gen.get_config())
    assert clone.state.tolist() == [3, 0]
    assert random.SeedGenerator().get_config()["seed"] is None
    with pytest.raises(ValueError, match="must be an integer"):
        random.SeedGenerator(seed=1.5)
    with pytest.raises(ValueError, match="unrecognized keyword"):
        random.SeedGenerator(1, foo=2)
    with pytest.raises(ValueError, match="SeedGenerator"):
        random.normal((2,), seed="abc")


def test_seed_generator_is_part_of_a_layers_state():
    class Noisy(kerastorch.Layer):
        def __init__(self):
            super().__init__()
            self.seed_generator = random.SeedGenerator(11)

        def call(self, x):
            return x + random.normal(x.shape, seed=self.seed_generator)

    layer = Noisy()
    x = torch.zeros(3)
    first = layer(x)
    state = {k: v.clone() for k, v in layer.state_dict().items()}
    assert state["seed_generator.state"].tolist() == [11, 1]
    second = layer(x)
    assert not torch.equal(first, second)
    layer.load_state_dict(state)
    assert torch.equal(layer(x), second)
    assert layer.to("cpu").seed_generator.state.device.type == "cpu"


def test_seed_generator_state_is_meta_during_tracing_and_not_advanced():
    class Noisy(kerastorch.Layer):
        def __init__(self):
            super().__init__()
            self.seed_generator = random.SeedGenerator(2)

        def call(self, x):
            return random.dropout(x, 0.5, seed=self.seed_generator)

    layer = Noisy()
    y = layer(kerastorch.Input((4,)))
    assert y.shape == (None, 4)
    assert layer.seed_generator.state.tolist() == [2, 0]


@pytest.mark.parity
def test_set_random_seed_makes_unseeded_draws_match_keras():
    keras = keras_or_skip()
    keras.utils.set_random_seed(123)
    theirs = [keras.random.normal((3,)), keras.random.uniform((2,))]
    set_random_seed(123)
    ours = [random.normal((3,)), random.uniform((2,))]
    for a, b in zip(ours, theirs, strict=True):
        assert torch.equal(a.cpu(), b.cpu())
    set_random_seed(123)
    assert torch.equal(random.normal((3,)), ours[0])


@pytest.mark.parity
def test_seed_generator_sequence_matches_keras():
    keras = keras_or_skip()
    theirs = keras.random.SeedGenerator(9)
    ours = random.SeedGenerator(9)
    for _ in range(2):
        assert torch.equal(random.uniform((3,), seed=ours), keras.random.uniform((3,), seed=theirs))
    assert ours.state.tolist() == theirs.state.numpy().tolist()
