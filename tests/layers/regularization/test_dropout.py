import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.regularization.dropout import Dropout
from kerastorch.models import Model, Sequential
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": 0.5},
        {"rate": 0.0},
        {"rate": 0.3, "seed": 7},
        {"rate": 0.2, "noise_shape": (None, 1, 4)},
    ],
)
def test_dropout_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(
        Dropout,
        kwargs,
        (2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"rate": 0.5}, {"rate": 0.5, "noise_shape": [None, 1, 4]}])
def test_dropout_training_call_passes_the_harness(kwargs):
    keras_or_skip()
    check_layer(Dropout, kwargs, (2, 3, 4), training=True, deterministic=False)


@pytest.mark.parametrize("training", [None, False, 0])
def test_dropout_is_identity_unless_training(training):
    x = torch.randn(4, 5)
    assert Dropout(0.9)(x, training=training) is x


@pytest.mark.parametrize("kwargs", [{}, {"seed": 3}, {"noise_shape": (None, 50)}])
def test_dropout_training_zeroes_a_fraction_and_scales_the_rest(kwargs):
    x = torch.ones(200, 50)
    out = Dropout(0.25, **kwargs)(x, training=True)
    kept = out != 0
    np.testing.assert_allclose(out[kept].numpy(), 1 / 0.75, rtol=1e-6)
    assert 0.2 < 1 - kept.float().mean().item() < 0.3


def test_dropout_rate_one_drops_everything():
    assert float(Dropout(1.0)(torch.ones(3, 4), training=True).abs().sum()) == 0


def test_dropout_noise_shape_shares_the_mask():
    out = Dropout(0.5, noise_shape=(None, 1, 6))(torch.ones(8, 5, 6), training=True)
    assert torch.equal(out, out[:, :1, :].expand(8, 5, 6))


def test_dropout_seed_makes_masks_reproducible():
    x = torch.ones(10, 10)
    a, b = Dropout(0.5, seed=42), Dropout(0.5, seed=42)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(first, a(x, training=True))  # the sequence moves on


def test_dropout_gradient_flows_through_kept_units():
    x = torch.ones(4, 6, requires_grad=True)
    out = Dropout(0.5)(x, training=True)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), (out != 0).float().numpy() * 2.0)


def test_dropout_follows_the_models_training_flag():
    inputs = Input((20,))
    model = Model(inputs, Dropout(0.5)(inputs))
    x = torch.ones(8, 20)
    assert torch.equal(model(x), x)
    assert torch.equal(model(x, training=False), x)
    assert bool((model(x, training=True) == 0).any())
    seq = Sequential([Input((20,)), Dropout(0.5)])
    assert torch.equal(seq(x), x)
    assert bool((seq(x, training=True) == 0).any())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rate": 1.5}, "Expected a float value between 0 and 1. Received: rate=1.5"),
        ({"rate": 0.5, "noise_shape": "abc"}, "Expected a tuple or list of integers"),
        ({"rate": 0.5, "noise_shape": (None, 0)}, "negative or zero value at index 1: 0"),
        ({"rate": 0.5, "noise_shape": (None, 2.0)}, "index 1: 2.0 \\(type: float\\)"),
    ],
)
def test_dropout_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Dropout(**kwargs)


def test_dropout_symbolic_keeps_shape():
    assert Dropout(0.5)(Input((None, 3)), training=True).shape == (None, None, 3)
