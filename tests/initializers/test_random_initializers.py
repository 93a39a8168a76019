"""The random initializers against keras.initializers (the oracle).

Random values cannot equal Keras's random stream, so the random initializers are compared by
their distributions: bounds, standard deviations and the fan formulas, on large samples.
"""

import math

import numpy as np
import pytest
import torch

from kerastorch import initializers
from kerastorch.initializers import initializer
from tests.oracle import assert_close, keras_or_skip, to_numpy

SHAPES = [(7,), (40, 30), (3, 3, 8, 16), (2, 3, 3, 4, 5)]


@pytest.mark.parity
@pytest.mark.parametrize("shape", [(), *SHAPES])
def test_compute_fans_matches_keras(shape):
    keras_or_skip()
    from keras.src.initializers.random_initializers import compute_fans

    assert initializers.compute_fans(shape) == compute_fans(shape)
    if len(shape) >= 2:
        axes = ([0], [len(shape) - 1])
        assert initializers.compute_fans(shape, *axes) == compute_fans(shape, *axes)


VARIANCE_SCALING = [
    {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"},
    {"scale": 2.0, "mode": "fan_out", "distribution": "untruncated_normal"},
    {"scale": 0.5, "mode": "fan_avg", "distribution": "uniform"},
    {"scale": 3.0, "mode": "fan_in", "distribution": "uniform"},
    {"scale": 1.0, "mode": "fan_avg", "distribution": "normal"},
]


def _expected_std(kwargs, shape):
    fan_in, fan_out = initializers.compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[kwargs["mode"]]
    return math.sqrt(kwargs["scale"] / n)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", VARIANCE_SCALING)
@pytest.mark.parametrize("shape", [(200, 300), (3, 3, 64, 96)])
def test_variance_scaling_matches_keras_distribution(kwargs, shape):
    keras = keras_or_skip()
    expected = to_numpy(keras.initializers.VarianceScaling(**kwargs, seed=1)(shape))
    actual = initializers.VarianceScaling(**kwargs, seed=1)(shape).numpy()
    std = _expected_std(kwargs, shape)
    assert actual.shape == shape
    # The variance is `scale / n` for every distribution (truncation included).
    np.testing.assert_allclose(actual.std(), std, rtol=0.02)
    np.testing.assert_allclose(actual.std(), expected.std(), rtol=0.03)
    assert abs(actual.mean()) < 0.02 * std
    if kwargs["distribution"] == "uniform":
        limit = math.sqrt(3.0) * std
        assert np.abs(actual).max() <= limit
        np.testing.assert_allclose(np.abs(actual).max(), np.abs(expected).max(), rtol=1e-3)
    elif kwargs["distribution"] in ("normal", "truncated_normal"):
        bound = 2 * std / 0.87962566103423978
        assert np.abs(actual).max() <= bound * (1 + 1e-6)
        np.testing.assert_allclose(np.abs(actual).max(), bound, rtol=1e-2)
    else:
        assert np.abs(actual).max() > 3 * std  # untruncated tails


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "scale", "mode", "distribution"),
    [
        ("GlorotUniform", 1.0, "fan_avg", "uniform"),
        ("GlorotNormal", 1.0, "fan_avg", "truncated_normal"),
        ("HeUniform", 2.0, "fan_in", "uniform"),
        ("HeNormal", 2.0, "fan_in", "truncated_normal"),
        ("LecunUniform", 1.0, "fan_in", "uniform"),
        ("LecunNormal", 1.0, "fan_in", "truncated_normal"),
    ],
)
def test_variance_scaling_presets_match_keras(name, scale, mode, distribution):
    keras = keras_or_skip()
    reference = getattr(keras.initializers, name)(seed=3)
    ours = getattr(initializers, name)(seed=3)
    assert (ours.scale, ours.mode, ours.distribution) == (scale, mode, distribution)
    assert (reference.scale, reference.mode, reference.distribution) == (scale, mode, distribution)
    shape = (3, 3, 32, 48)
    actual, expected = ours(shape).numpy(), to_numpy(reference(shape))
    np.testing.assert_allclose(actual.std(), expected.std(), rtol=0.03)
    np.testing.assert_allclose(np.abs(actual).max(), np.abs(expected).max(), rtol=0.02)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs", "low", "high"),
    [
        ("RandomUniform", {}, -0.05, 0.05),
        ("RandomUniform", {"minval": 1.0, "maxval": 3.0}, 1.0, 3.0),
        ("RandomNormal", {}, None, None),
        ("RandomNormal", {"mean": 1.0, "stddev": 2.0}, None, None),
        ("TruncatedNormal", {}, -0.1, 0.1),
        ("TruncatedNormal", {"mean": -1.0, "stddev": 0.5}, -2.0, 0.0),
    ],
)
def test_random_initializer_statistics_match_keras(name, kwargs, low, high):
    keras = keras_or_skip()
    shape = (100, 500)
    expected = to_numpy(getattr(keras.initializers, name)(**kwargs, seed=0)(shape))
    actual = getattr(initializers, name)(**kwargs, seed=0)(shape).numpy()
    scale = expected.std()
    assert abs(actual.mean() - expected.mean()) < 0.02 * scale
    np.testing.assert_allclose(actual.std(), scale, rtol=0.02)
    if low is not None:
        assert low <= actual.min()
        assert actual.max() <= high
        np.testing.assert_allclose([actual.min(), actual.max()], [low, high], atol=0.01 * scale)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["RandomNormal", "GlorotUniform", "Orthogonal"])
def test_int_seed_repeats_values_on_each_call_as_keras(name):
    keras = keras_or_skip()
    reference = getattr(keras.initializers, name)(seed=5)
    np.testing.assert_array_equal(to_numpy(reference((4, 3))), to_numpy(reference((4, 3))))
    ours = getattr(initializers, name)(seed=5)
    assert torch.equal(ours((4, 3)), ours((4, 3)))
    assert torch.equal(ours((4, 3)), getattr(initializers, name)(seed=5)((4, 3)))
    assert not torch.equal(ours((4, 3)), getattr(initializers, name)(seed=6)((4, 3)))


def test_unseeded_initializer_follows_torch_manual_seed():
    init = initializers.HeNormal()
    torch.manual_seed(123)
    first = init((5, 4))
    second = init((5, 4))
    torch.manual_seed(123)
    assert torch.equal(init((5, 4)), first)
    assert not torch.equal(first, second)


def test_keras_seed_generator_config_gives_an_advancing_stream():
    seed = {
        "module": "keras.random",
        "class_name": "SeedGenerator",
        "config": {"seed": 3, "name": "seed_generator"},
        "registered_name": None,
    }
    init = initializers.RandomNormal(seed=seed)
    assert not torch.equal(init((3,)), init((3,)))
    other = initializers.RandomNormal(seed=seed)
    assert torch.equal(other((3,)), initializers.RandomNormal(seed=seed)((3,)))
    assert init.get_config()["seed"] == seed


def test_seed_of_another_type_is_refused():
    with pytest.raises(ValueError, match=r"an integer. Received: seed=1.5"):
        initializers.RandomUniform(seed=1.5)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5), (3, 3, 4, 8), (2, 2, 8, 3)])
@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_orthogonal_is_orthogonal(shape, gain):
    w = initializers.Orthogonal(gain=gain, seed=0)(shape, dtype="float64")
    assert tuple(w.shape) == shape
    flat = w.reshape(-1, shape[-1])  # (rows, cols)
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    assert_close(gram, gain**2 * torch.eye(gram.shape[0], dtype=torch.float64), atol=1e-10)


@pytest.mark.parity
def test_orthogonal_matches_keras_gram_and_rejects_vectors():
    keras = keras_or_skip()
    expected = to_numpy(keras.initializers.Orthogonal(gain=1.5, seed=1)((8, 5)))
    actual = initializers.Orthogonal(gain=1.5, seed=1)((8, 5))
    assert_close(actual.T @ actual, expected.T @ expected)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal()((4,))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", torch.float64])
def test_random_initializer_returns_requested_dtype(dtype):
    for init in (initializers.GlorotNormal(seed=1), initializers.Orthogonal(seed=1)):
        assert init((4, 4), dtype=dtype).dtype == initializer.torch_dtype(dtype)


def test_random_initializer_refuses_integer_dtype():
    with pytest.raises(ValueError, match=r"RandomNormal draws random floats.*dtype='int32'"):
        initializers.RandomNormal()((2,), dtype="int32")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0.0}, "`scale` must be positive float. Received: scale=0.0"),
        ({"mode": "fan"}, "Invalid `mode` argument: fan"),
        ({"distribution": "gamma"}, "Invalid `distribution` argument: gamma"),
    ],
)
def test_variance_scaling_validates_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        initializers.VarianceScaling(**kwargs)


def test_truncated_normal_is_the_normal_law_cut_at_two_stddevs():
    from kerastorch.initializers import TruncatedNormal

    x = TruncatedNormal(mean=1.0, stddev=0.5, seed=3)((200_000,)).double()
    z = (x - 1.0) / 0.5
    assert float(z.abs().max()) <= 2.0
    # P(|z| < 1 | |z| <= 2) = 0.6827 / 0.9545, and the truncated law's stddev is 0.8796.
    assert abs(float((z.abs() < 1).double().mean()) - 0.71523) < 0.005
    assert abs(float(z.std()) - 0.87962) < 0.005
    assert torch.equal(TruncatedNormal(seed=3)((50,)), TruncatedNormal(seed=3)((50,)))
