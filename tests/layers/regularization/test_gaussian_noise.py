import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.regularization.gaussian_noise import GaussianNoise
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"stddev": 0.5}, {"stddev": 0.0}, {"stddev": 1.0, "seed": 3}])
def test_gaussian_noise_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(
        GaussianNoise,
        kwargs,
        (2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
def test_gaussian_noise_training_call_passes_the_harness():
    keras_or_skip()
    check_layer(
        GaussianNoise, {"stddev": 0.2, "seed": 1}, (2, 5), training=True, deterministic=False
    )


@pytest.mark.parity
@pytest.mark.parametrize("stddev", [0.1, 0.7])
def test_gaussian_noise_statistics_match_keras(stddev):
    keras = keras_or_skip()
    x = np.random.default_rng(0).standard_normal((200, 500)).astype(np.float32)
    ours = GaussianNoise(stddev, seed=1)(torch.from_numpy(x), training=True).numpy() - x
    theirs = to_numpy(keras.layers.GaussianNoise(stddev, seed=1)(x, training=True)) - x
    for noise in (ours, theirs):  # 100,000 draws: mean within ~4 standard errors
        assert abs(noise.mean()) < 4 * stddev / np.sqrt(noise.size)
        np.testing.assert_allclose(noise.std(), stddev, rtol=0.01)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)


@pytest.mark.parametrize("training", [None, False, 0])
def test_gaussian_noise_is_identity_unless_training(training):
    x = torch.randn(3, 4)
    assert GaussianNoise(0.5)(x, training=training) is x


def test_gaussian_noise_seed_makes_noise_reproducible():
    x = torch.zeros(8, 8)
    a, b = GaussianNoise(0.5, seed=11), GaussianNoise(0.5, seed=11)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(first, a(x, training=True))  # the sequence moves on
    assert not torch.equal(first, GaussianNoise(0.5, seed=12)(x, training=True))


def test_gaussian_noise_gradient_is_identity():
    x = torch.randn(4, 5, requires_grad=True)
    GaussianNoise(0.3)(x, training=True).sum().backward()
    assert torch.equal(x.grad, torch.ones(4, 5))


def test_gaussian_noise_follows_the_models_training_flag():
    inputs = Input((6,))
    model = Model(inputs, GaussianNoise(0.5)(inputs))
    x = torch.zeros(4, 6)
    assert torch.equal(model(x), x)
    assert bool((model(x, training=True) != 0).all())


@pytest.mark.parametrize("stddev", [-0.1, 1.5])
def test_gaussian_noise_rejects_stddev_outside_0_1(stddev):
    with pytest.raises(ValueError, match=f"between 0 and 1. Received: stddev={stddev}"):
        GaussianNoise(stddev)
