import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.equalization import Equalization
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import assert_no_host_sync, quiet_keras
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({}, (2, 8, 8, 3)),
        ({"value_range": (0, 1), "bins": 16}, (2, 8, 8, 3)),
        ({"value_range": (-1, 1), "data_format": "channels_first"}, (2, 3, 8, 8)),
    ],
)
def test_equalization_matches_keras(kwargs, shape):
    keras_or_skip()
    low, high = kwargs.get("value_range", (0, 255))
    data = images(shape) * (high - low) * 0.5 + low
    with quiet_keras():
        for training in (True, False):
            check_layer(Equalization, kwargs, shape, input_data=data, training=training)


@pytest.mark.parity
def test_equalization_single_image_and_flat_channels_match_keras():
    x = images((6, 5, 3)) * 100
    x[..., 2] = 3.0  # one occupied bin: the channel is left as it is
    with quiet_keras():
        got = assert_matches_keras(Equalization(), "Equalization", {}, x)
    assert bool((got[..., 2] == 3.0).all())


def test_equalization_spreads_values_over_the_range():
    x = torch.cat([torch.full((1, 4, 8, 1), 10.0), torch.full((1, 4, 8, 1), 20.0)], dim=1)
    y = Equalization()(x, training=True)
    assert sorted(torch.unique(y).tolist()) == [0.0, 255.0]
    assert torch.equal(Equalization()(x, training=False), x)


def test_equalization_histogram_is_taken_over_the_batch():
    x = torch.stack([torch.full((4, 4, 1), 10.0), torch.full((4, 4, 1), 200.0)])
    batched = Equalization()(x, training=True)
    assert batched[0].max() == 0
    assert batched[1].min() == 255
    assert torch.equal(Equalization()(x[0], training=True), x[0])  # alone: one bin, kept


def test_equalization_validates_value_range():
    with pytest.raises(ValueError, match="value_range"):
        Equalization(value_range=5)
    assert np.isfinite(Equalization(bins=8)(torch.rand(2, 4, 4, 3) * 255).numpy()).all()


def test_equalization_runs_on_the_meta_device_without_host_sync():
    assert_no_host_sync(Equalization())
