import math

import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.regularization.gaussian_dropout import GaussianDropout
from kerastorch.models import Sequential
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"rate": 0.5}, {"rate": 0.0}, {"rate": 0.1, "seed": 3}])
def test_gaussian_dropout_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(
        GaussianDropout,
        kwargs,
        (2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
def test_gaussian_dropout_training_call_passes_the_harness():
    keras_or_skip()
    check_layer(GaussianDropout, {"rate": 0.4}, (2, 5), training=True, deterministic=False)


@pytest.mark.parity
@pytest.mark.parametrize("rate", [0.1, 0.5])
def test_gaussian_dropout_statistics_match_keras(rate):
    keras = keras_or_skip()
    x = np.ones((200, 500), np.float32)
    stddev = math.sqrt(rate / (1 - rate))
    ours = GaussianDropout(rate, seed=2)(torch.from_numpy(x), training=True).numpy()
    theirs = to_numpy(keras.layers.GaussianDropout(rate, seed=2)(x, training=True))
    for out in (ours, theirs):  # 1-centred multiplicative noise of Dropout's variance
        assert abs(out.mean() - 1) < 4 * stddev / np.sqrt(out.size)
        np.testing.assert_allclose(out.std(), stddev, rtol=0.01)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)


def test_gaussian_dropout_scales_each_input_by_its_own_factor():
    x = torch.randn(50, 40)
    out = GaussianDropout(0.3, seed=0)(x, training=True)
    factors = GaussianDropout(0.3, seed=0)(torch.ones(50, 40), training=True)
    torch.testing.assert_close(out, x * factors)


@pytest.mark.parametrize("training", [None, False])
def test_gaussian_dropout_is_identity_unless_training(training):
    x = torch.randn(3, 4)
    assert GaussianDropout(0.5)(x, training=training) is x


def test_gaussian_dropout_seed_makes_noise_reproducible():
    x = torch.ones(8, 8)
    a, b = GaussianDropout(0.5, seed=5), GaussianDropout(0.5, seed=5)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(first, a(x, training=True))


def test_gaussian_dropout_follows_the_models_training_flag():
    model = Sequential([Input((6,)), GaussianDropout(0.5)])
    x = torch.ones(4, 6)
    assert torch.equal(model(x), x)
    assert not torch.equal(model(x, training=True), x)


def test_gaussian_dropout_rejects_rate_outside_0_1():
    with pytest.raises(ValueError, match=r"between 0 and 1\. Received: rate=2"):
        GaussianDropout(2)
