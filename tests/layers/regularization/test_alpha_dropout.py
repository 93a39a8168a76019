import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.regularization.alpha_dropout import AlphaDropout
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip, to_numpy

# Keras's AlphaDropout formula (SELU constants).
ALPHA_P = -1.6732632423543772 * 1.0507009873554805


def _affine(rate: float) -> tuple[float, float]:
    a = ((1 - rate) * (1 + rate * ALPHA_P**2)) ** -0.5
    return a, -a * ALPHA_P * rate


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs", [{"rate": 0.5}, {"rate": 0.0}, {"rate": 0.2, "noise_shape": [None, 1, 4], "seed": 1}]
)
def test_alpha_dropout_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(
        AlphaDropout,
        kwargs,
        (2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"rate": 0.3}, {"rate": 0.3, "noise_shape": (None, 1, 4)}])
def test_alpha_dropout_training_call_passes_the_harness(kwargs):
    keras_or_skip()
    check_layer(AlphaDropout, kwargs, (2, 3, 4), training=True, deterministic=False)


@pytest.mark.parity
@pytest.mark.parametrize("rate", [0.1, 0.4])
def test_alpha_dropout_keeps_zero_mean_and_unit_variance_as_keras(rate):
    keras = keras_or_skip()
    x = np.random.default_rng(0).standard_normal((200, 500)).astype(np.float32)
    ours = AlphaDropout(rate, seed=3)(torch.from_numpy(x), training=True).numpy()
    theirs = to_numpy(keras.layers.AlphaDropout(rate, seed=3)(x, training=True))
    for out in (ours, theirs):
        assert abs(out.mean()) < 0.02
        np.testing.assert_allclose(out.var(), 1.0, atol=0.03)
    np.testing.assert_allclose(ours.var(), theirs.var(), atol=0.03)


@pytest.mark.parametrize("rate", [0.05, 0.3, 0.6])
def test_alpha_dropout_follows_keras_formula(rate):
    x = torch.randn(100, 200)
    out = AlphaDropout(rate, seed=0)(x, training=True)
    a, b = _affine(rate)
    dropped_value = a * ALPHA_P + b
    dropped = torch.isclose(out, torch.tensor(dropped_value), atol=1e-6, rtol=0)
    assert abs(dropped.float().mean().item() - rate) < 0.02
    torch.testing.assert_close(out[~dropped], x[~dropped] * a + b)


def test_alpha_dropout_noise_shape_shares_the_mask():
    out = AlphaDropout(0.5, noise_shape=(None, 1, 6), seed=0)(torch.zeros(8, 5, 6), training=True)
    assert torch.equal(out, out[:, :1, :].expand(8, 5, 6))


@pytest.mark.parametrize("training", [None, False])
def test_alpha_dropout_is_identity_unless_training(training):
    x = torch.randn(3, 4)
    assert AlphaDropout(0.5)(x, training=training) is x


def test_alpha_dropout_seed_makes_masks_reproducible():
    x = torch.randn(10, 10)
    a, b = AlphaDropout(0.5, seed=9), AlphaDropout(0.5, seed=9)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(first, a(x, training=True))


def test_alpha_dropout_follows_the_models_training_flag():
    inputs = Input((50,))
    model = Model(inputs, AlphaDropout(0.5)(inputs))
    x = torch.randn(4, 50)
    assert torch.equal(model(x), x)
    assert not torch.equal(model(x, training=True), x)


def test_alpha_dropout_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"between 0 and 1\. Received: rate=-0\.5"):
        AlphaDropout(-0.5)
    with pytest.raises(ValueError, match="`noise_shape` must have the rank of the inputs"):
        AlphaDropout(0.5, noise_shape=(None, 1))(torch.zeros(2, 3, 4), training=True)
