"""`ops.image.map_coordinates` against Keras: every fill mode, both orders, several dtypes.

Tolerance: 1e-5 (the same float32 arithmetic; measured differences are 0).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch.ops import image as kimage
from tests.ops.image.parity import IMAGES, RNG, assert_matches_keras, assert_symbolic_matches_keras

FILL_MODES = ["constant", "nearest", "wrap", "mirror", "reflect"]
# Coordinates inside and well outside an 8x8x3 input, so every fill mode matters.
COORDS = np.concatenate(
    [RNG.uniform(-3, 11, size=(2, 6, 4)), RNG.integers(0, 3, size=(1, 6, 4))]
).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates_matches_keras(order, fill_mode):
    assert_matches_keras("map_coordinates", (IMAGES[0], COORDS, order, fill_mode, 0.5), {})
    uint8 = (IMAGES[0] * 255).astype("uint8")
    assert_matches_keras("map_coordinates", (uint8, COORDS, order, fill_mode, 7), {})


@pytest.mark.parity
def test_map_coordinates_with_a_list_of_coordinates_and_float64_matches_keras():
    line = RNG.normal(size=(10,))  # float64
    coords = [np.linspace(-2.0, 12.0, 15)]
    assert_matches_keras("map_coordinates", (line, coords, 1, "reflect"), {})
    assert_matches_keras("map_coordinates", (line, coords, 0), {"fill_mode": "mirror"})


def test_map_coordinates_fill_modes_extend_the_input_as_documented():
    x = torch.arange(4.0)
    at = [torch.arange(-4.0, 8.0)]
    expect = {
        "constant": [9, 9, 9, 9, 0, 1, 2, 3, 9, 9, 9, 9],
        "nearest": [0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3],
        "wrap": [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3],
        "mirror": [2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1],
        "reflect": [3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0],
    }
    for mode, values in expect.items():
        assert kimage.map_coordinates(x, at, 0, mode, fill_value=9).tolist() == values, mode


@pytest.mark.parity
def test_map_coordinates_on_keras_tensors_matches_keras():
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.map_coordinates(
            keras.Input((8, 8), batch_size=3), keras.Input((5, 4), batch_size=3), 1
        )
    )


def test_map_coordinates_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"map_coordinates: First dim of `coordinates`"):
        kimage.map_coordinates(IMAGES[0], COORDS[:2], 1)
    with pytest.raises(ValueError, match=r"map_coordinates: .*`fill_mode`.*'edge'"):
        kimage.map_coordinates(IMAGES[0], COORDS, 1, fill_mode="edge")
    with pytest.raises(NotImplementedError, match=r"map_coordinates: .*`order`.*order=3"):
        kimage.map_coordinates(IMAGES[0], COORDS, 3)
