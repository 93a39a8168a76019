import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip

CASES = [
    (SpatialDropout1D, {"rate": 0.5}, (2, 3, 4)),
    (SpatialDropout1D, {"rate": 0.2, "seed": 3}, (2, 3, 4)),
    (SpatialDropout2D, {"rate": 0.5}, (2, 3, 4, 5)),
    (SpatialDropout2D, {"rate": 0.3, "data_format": "channels_first", "seed": 1}, (2, 3, 4, 5)),
    (SpatialDropout3D, {"rate": 0.5}, (1, 2, 3, 2, 4)),
    (SpatialDropout3D, {"rate": 0.4, "data_format": "channels_first"}, (1, 2, 3, 2, 4)),
]


@pytest.mark.parity
@pytest.mark.parametrize(("cls", "kwargs", "input_shape"), CASES)
def test_spatial_dropout_matches_keras_at_inference(cls, kwargs, input_shape):
    keras_or_skip()
    check_layer(
        cls,
        kwargs,
        input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize(("cls", "kwargs", "input_shape"), CASES[::2])
def test_spatial_dropout_training_call_passes_the_harness(cls, kwargs, input_shape):
    keras_or_skip()
    check_layer(cls, kwargs, input_shape, training=True, deterministic=False)


def test_spatial_dropout_config_has_keras_form():
    config = SpatialDropout2D(0.25, seed=4).get_config()
    assert config == {
        "rate": 0.25,
        "seed": 4,
        "name": "spatial_dropout2d",
        "dtype": "float32",
        "data_format": "channels_last",
    }
    assert "data_format" not in SpatialDropout1D(0.1).get_config()


@pytest.mark.parametrize(
    ("cls", "kwargs", "shape", "spatial_axes", "channel_axis"),
    [
        (SpatialDropout1D, {}, (64, 6, 32), (1,), 2),
        (SpatialDropout2D, {}, (64, 3, 4, 32), (1, 2), 3),
        (SpatialDropout2D, {"data_format": "channels_first"}, (64, 32, 3, 4), (2, 3), 1),
        (SpatialDropout3D, {}, (64, 2, 3, 2, 32), (1, 2, 3), 4),
        (SpatialDropout3D, {"data_format": "channels_first"}, (64, 32, 2, 3, 2), (2, 3, 4), 1),
    ],
)
def test_spatial_dropout_drops_whole_channels(cls, kwargs, shape, spatial_axes, channel_axis):
    rate = 0.3
    out = cls(rate, **kwargs)(torch.ones(shape), training=True)
    # One decision per (sample, channel), shared by every spatial position.
    first = out.amax(dim=spatial_axes, keepdim=True)
    assert torch.equal(out, first.expand(shape))
    np.testing.assert_allclose(out.unique().numpy(), [0.0, 1 / (1 - rate)], rtol=1e-6)
    dropped = (first == 0).float().mean().item()  # over 64 * 32 channels
    assert abs(dropped - rate) < 0.05
    assert first.shape[channel_axis] == 32


@pytest.mark.parametrize("training", [None, False, 0])
def test_spatial_dropout_is_identity_unless_training(training):
    x = torch.randn(2, 3, 4, 5)
    assert SpatialDropout2D(0.9)(x, training=training) is x


def test_spatial_dropout_seed_makes_masks_reproducible():
    x = torch.ones(16, 3, 40)
    a, b = SpatialDropout1D(0.5, seed=7), SpatialDropout1D(0.5, seed=7)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(first, a(x, training=True))  # the sequence moves on


def test_spatial_dropout_rate_edge_cases():
    x = torch.randn(2, 3, 4)
    assert torch.equal(SpatialDropout1D(0.0)(x, training=True), x)
    assert float(SpatialDropout1D(1.0)(x, training=True).abs().sum()) == 0


def test_spatial_dropout_follows_the_models_training_flag():
    inputs = Input((4, 4, 8))
    model = Model(inputs, SpatialDropout2D(0.5)(inputs))
    x = torch.ones(4, 4, 4, 8)
    assert torch.equal(model(x), x)
    assert bool((model(x, training=True) == 0).any())


def test_spatial_dropout_checks_rate_and_rank():
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        SpatialDropout3D(1.5)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        SpatialDropout1D(0.5)(torch.zeros(1, 2, 3, 4))
