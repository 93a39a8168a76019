"""Affine, perspective and elastic warps against Keras.

Tolerances: affine 1e-5 (same arithmetic); perspective 1e-4 (the homography comes from an
8x8 float32 solve, whose rounding can move a sample by ~1e-6 pixel); elastic 1e-5 with both
sides drawing the same numbers from torch's global generator (`seed=None`).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch.ops import image as kimage
from tests.ops.image.parity import (
    IMAGES,
    LAYOUTS,
    RNG,
    assert_matches_keras,
    assert_symbolic_matches_keras,
)
from tests.oracle import keras_or_skip

FILL_MODES = ["constant", "nearest", "wrap", "mirror", "reflect"]
# Random zoom/shear/rotation/translation around the identity; c0 = c1 = 0.
TRANSFORMS = np.concatenate(
    [RNG.normal(size=(2, 6)) * [0.3, 0.3, 2, 0.3, 0.3, 2] + [1, 0, 0, 0, 1, 0], np.zeros((2, 2))],
    axis=1,
).astype("float32")
START = np.array([[[0, 0], [0, 7], [7, 0], [7, 7]]] * 2, "float32")
END = (START + RNG.uniform(-2, 2, size=START.shape)).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_transform_matches_keras(interpolation, fill_mode):
    args = (IMAGES, TRANSFORMS, interpolation, fill_mode, 0.25)
    assert_matches_keras("affine_transform", args, {})


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
def test_affine_transform_unbatched_integer_and_layouts_match_keras(data_format):
    images = LAYOUTS[data_format]
    kwargs = {"data_format": data_format}
    assert_matches_keras("affine_transform", (images, TRANSFORMS), kwargs)
    assert_matches_keras("affine_transform", (images[1], TRANSFORMS[1]), kwargs)
    uint8 = (images * 255).astype("uint8")
    assert_matches_keras("affine_transform", (uint8, TRANSFORMS.astype("float64")), kwargs)


def test_affine_transform_applies_projective_terms():
    image = torch.arange(16.0).reshape(4, 4, 1)
    # k = 0.5 x + 1: output (x, y) reads input (x / k, y / k), the pixel 4 * row + col.
    out = kimage.affine_transform(image, torch.tensor([1.0, 0, 0, 0, 1, 0, 0.5, 0]), "nearest")
    assert out[2, :, 0].tolist() == [8.0, 5.0, 5.0, 5.0]  # (2, 0), (1.3, .7), (1, 1), (.8, 1.2)


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_perspective_transform_matches_keras(interpolation, data_format):
    images = LAYOUTS[data_format]
    kwargs = {"interpolation": interpolation, "fill_value": 0.1, "data_format": data_format}
    assert_matches_keras("perspective_transform", (images, START, END), kwargs, atol=1e-4)
    args = (images[0], START[0], END[0])
    assert_matches_keras("perspective_transform", args, kwargs, atol=1e-4)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("data_format", "interpolation", "fill_mode"),
    [
        ("channels_last", "bilinear", "reflect"),
        ("channels_last", "nearest", "constant"),
        ("channels_first", "bilinear", "wrap"),
        ("channels_first", "nearest", "mirror"),
    ],
)
def test_elastic_transform_matches_keras_with_the_same_global_seed(
    data_format, interpolation, fill_mode
):
    keras = keras_or_skip()
    images = LAYOUTS[data_format]
    args = (images, 5.0, 1.0, interpolation, fill_mode, 0.2, None, data_format)
    torch.manual_seed(3)
    ours = kimage.elastic_transform(*args)
    torch.manual_seed(3)
    theirs = keras.ops.image.elastic_transform(*args)
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.numpy(), theirs.cpu().numpy(), atol=1e-5)


def test_elastic_transform_seed_makes_it_reproducible():
    first = kimage.elastic_transform(IMAGES[0], seed=4)
    assert torch.equal(first, kimage.elastic_transform(IMAGES[0], seed=4))
    assert not torch.equal(first, kimage.elastic_transform(IMAGES[0], seed=5))
    assert not torch.equal(first, torch.as_tensor(IMAGES[0]))
    with pytest.raises(TypeError, match=r"elastic_transform: `seed` must be an int"):
        kimage.elastic_transform(IMAGES[0], seed="a")


@pytest.mark.parity
def test_geometric_ops_on_keras_tensors_match_keras():
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.affine_transform(keras.Input((8, 8, 3)), keras.Input((8,)))
    )
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.perspective_transform(
            keras.Input((8, 6, 3)), keras.Input((4, 2)), keras.Input((4, 2))
        )
    )
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.elastic_transform(keras.Input((3, 8, 8)), 2.0, 1.0, seed=1)
    )


@pytest.mark.parametrize("name", ["affine_transform", "elastic_transform"])
def test_geometric_ops_reject_bad_interpolation_and_fill_mode(name):
    op = getattr(kimage, name)
    args = (IMAGES, TRANSFORMS) if name == "affine_transform" else (IMAGES,)
    with pytest.raises(ValueError, match=rf"{name}: .*`interpolation`.*'bicubic'"):
        op(*args, interpolation="bicubic")
    with pytest.raises(ValueError, match=rf"{name}: .*`fill_mode`.*'edge'"):
        op(*args, fill_mode="edge")
    with pytest.raises(ValueError, match=rf"{name}: Invalid images rank"):
        op(IMAGES[0, 0], *args[1:])


def test_affine_and_perspective_reject_bad_parameters():
    with pytest.raises(ValueError, match=r"affine_transform: Invalid transform shape"):
        kimage.affine_transform(IMAGES, TRANSFORMS[:, :6])
    with pytest.raises(ValueError, match=r"affine_transform: `transform` must hold one"):
        kimage.affine_transform(IMAGES, np.concatenate([TRANSFORMS] * 2))
    with pytest.raises(ValueError, match=r"perspective_transform: Invalid start_points shape"):
        kimage.perspective_transform(IMAGES, START[..., :1], END)
    with pytest.raises(ValueError, match=r"perspective_transform: start_points and end_points"):
        kimage.perspective_transform(IMAGES, START, END[0])
    with pytest.raises(ValueError, match=r"perspective_transform: .*`interpolation`"):
        kimage.perspective_transform(IMAGES, START, END, interpolation="bicubic")
