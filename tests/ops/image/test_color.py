"""`ops.image` colour conversions against Keras: values, shapes, dtypes, symbolic shapes, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch.ops import image as kimage
from tests.ops.image.parity import (
    IMAGES,
    LAYOUTS,
    assert_matches_keras,
    assert_symbolic_matches_keras,
)

OPS = ("rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb")


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
@pytest.mark.parametrize("name", OPS)
def test_colour_ops_match_keras(name, data_format):
    images = LAYOUTS[data_format]
    assert_matches_keras(name, (images,), {"data_format": data_format})
    assert_matches_keras(name, (images[0],), {"data_format": data_format})  # unbatched


@pytest.mark.parity
def test_grayscale_of_integer_and_one_channel_images_matches_keras():
    assert_matches_keras("rgb_to_grayscale", ((IMAGES * 255).astype("uint8"),), {})
    assert_matches_keras("rgb_to_grayscale", (IMAGES[..., :1],), {})


@pytest.mark.parity
def test_hsv_round_trip_and_pure_colours():
    hsv = kimage.rgb_to_hsv(IMAGES)
    np.testing.assert_allclose(kimage.hsv_to_rgb(hsv).numpy(), IMAGES, atol=1e-5)
    primaries = torch.eye(3).reshape(1, 3, 3)  # red, green, blue pixels
    np.testing.assert_allclose(kimage.rgb_to_hsv(primaries)[0, :, 0], [0, 1 / 3, 2 / 3])
    assert_matches_keras("rgb_to_hsv", (primaries.numpy(),), {})


@pytest.mark.parity
@pytest.mark.parametrize("name", OPS)
def test_colour_ops_on_keras_tensors_match_keras(name):
    assert_symbolic_matches_keras(lambda keras, ops: getattr(ops, name)(keras.Input((8, 8, 3))))
    assert_symbolic_matches_keras(
        lambda keras, ops: getattr(ops, name)(keras.Input((3, 5, 4)), "channels_first")
    )


@pytest.mark.parametrize("name", OPS)
def test_colour_ops_reject_wrong_rank_and_channels(name):
    with pytest.raises(ValueError, match=rf"{name}: Invalid images rank"):
        getattr(kimage, name)(torch.zeros(4, 3))
    with pytest.raises(ValueError, match=rf"{name}: .*channel"):
        getattr(kimage, name)(torch.zeros(4, 4, 2))


@pytest.mark.parametrize("name", ["rgb_to_hsv", "hsv_to_rgb"])
def test_hsv_ops_reject_integer_images(name):
    with pytest.raises(ValueError, match=rf"{name}: Invalid images dtype.*int32"):
        getattr(kimage, name)(torch.zeros(4, 4, 3, dtype=torch.int32))
