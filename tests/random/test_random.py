"""`keras.random` ops: Keras's numbers for integer seeds, dtypes, moments, bounds, errors."""

import numpy as np
import pytest
import torch

from kerastorch import random
from tests.oracle import assert_close, keras_or_skip

CASES = [  # (name, args, kwargs)
    ("normal", ((3, 4),), {"mean": 1.0, "stddev": 2.0}),
    ("normal", ((2,),), {"dtype": "float64"}),
    ("uniform", ((3, 4),), {"minval": -1.0, "maxval": 3.0}),
    ("uniform", ((),), {}),
    ("uniform", ((5,),), {"dtype": "float16"}),
    ("truncated_normal", ((6, 2),), {"mean": 0.5, "stddev": 3.0}),
    ("randint", ((3, 4), 0, 10), {}),
    ("randint", ((5,), -3, 3), {"dtype": "int64"}),
    ("categorical", (np.array([[0.0, 1.0, 2.0], [2.0, 0.0, -1.0]], "float32"), 5), {}),
    ("dropout", (torch.ones(4, 5), 0.3), {}),
    ("dropout", (torch.ones(4, 5), 0.5), {"noise_shape": (None, 1)}),
    ("shuffle", (np.arange(12).reshape(3, 4),), {}),
    ("shuffle", (np.arange(12).reshape(3, 4),), {"axis": 1}),
    ("gamma", ((3, 2), 2.0), {}),
    ("binomial", ((4,), 10, 0.3), {}),
    ("beta", ((4,), 2.0, 3.0), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "args", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_random_integer_seed_matches_keras(name, args, kwargs):
    keras = keras_or_skip()
    ours = getattr(random, name)(*args, **kwargs, seed=42)
    theirs = getattr(keras.random, name)(*args, **kwargs, seed=42)
    assert str(ours.dtype).removeprefix("torch.") == str(theirs.dtype).removeprefix("torch.")
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours.float(), theirs.float())
    assert torch.equal(getattr(random, name)(*args, **kwargs, seed=42), ours)


@pytest.mark.parametrize(
    ("name", "make", "mean", "std"),
    [
        ("normal", lambda s: random.normal((10000,), 1.0, 2.0, seed=s), 1.0, 2.0),
        ("uniform", lambda s: random.uniform((10000,), 2.0, 4.0, seed=s), 3.0, 2 / 12**0.5),
        ("truncated_normal", lambda s: random.truncated_normal((10000,), seed=s), 0.0, 0.8796),
        ("gamma", lambda s: random.gamma((10000,), 4.0, seed=s), 4.0, 2.0),
        ("beta", lambda s: random.beta((10000,), 2.0, 2.0, seed=s), 0.5, 0.2236),
        ("binomial", lambda s: random.binomial((10000,), 10, 0.5, seed=s), 5.0, 1.5811),
    ],
)
def test_random_moments_with_a_seed_generator(name, make, mean, std):
    gen = random.SeedGenerator(0)
    x, y = make(gen), make(gen)
    assert not torch.equal(x, y)
    assert abs(float(x.mean()) - mean) < 0.05 * max(std, 1.0)
    assert abs(float(x.std()) - std) < 0.05 * std


def test_random_bounds_and_unseeded_draws():
    assert bool((random.truncated_normal((5000,), 1.0, 0.5) - 1.0).abs().max() < 1.0)
    x = random.randint((5000,), 2, 6)
    assert x.min() >= 2
    assert x.max() <= 5
    u = random.uniform((5000,), -1.0, 1.0)
    assert u.min() >= -1
    assert u.max() < 1
    assert not torch.equal(random.normal((8,)), random.normal((8,)))
    y = random.dropout(torch.ones(10000), 0.25)
    assert abs(float((y == 0).float().mean()) - 0.25) < 0.03
    assert torch.equal(random.dropout(torch.ones(3), 1.0), torch.zeros(3))


def test_random_bad_arguments():
    with pytest.raises(ValueError, match=r"uniform.*floating point"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match=r"randint.*integer"):
        random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="2-D"):
        random.categorical(np.zeros(3, "float32"), 2)


def test_random_seeded_distributions_leave_torchs_global_generator_alone():
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    random.gamma((3,), 2.0, seed=1)
    random.beta((3,), 2.0, 2.0, seed=1)
    random.binomial((3,), 4, 0.5, seed=1)
    assert torch.equal(torch.rand(3), expected)
