"""Patch extraction, cropping and padding against Keras (exact: they only move values)."""

from __future__ import annotations

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

PATCHES_2D = [
    {"size": 3},
    {"size": (2, 3), "strides": (1, 2)},
    {"size": 3, "strides": 2, "padding": "same"},
    {"size": (2, 2), "strides": 1, "dilation_rate": 2},
    {"size": 3, "strides": 1, "dilation_rate": (1, 2), "padding": "same"},
]
PATCHES_3D = [
    {"size": 3},
    {"size": (2, 3, 2), "strides": (1, 2, 1)},
    {"size": 2, "strides": 2, "padding": "same"},
    {"size": 2, "strides": 1, "dilation_rate": 2},
]
CROPS = [
    {"top_cropping": 1, "left_cropping": 2, "bottom_cropping": 0, "right_cropping": 3},
    {"top_cropping": 1, "left_cropping": 2, "target_height": 4, "target_width": 5},
    {"bottom_cropping": 1, "right_cropping": 2, "target_height": 4, "target_width": 5},
]
PADS = [
    {"top_padding": 1, "left_padding": 2, "bottom_padding": 0, "right_padding": 3},
    {"top_padding": 1, "left_padding": 2, "target_height": 14, "target_width": 15},
    {"bottom_padding": 1, "right_padding": 2, "target_height": 14, "target_width": 15},
]


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
@pytest.mark.parametrize("kwargs", PATCHES_2D, ids=range(len(PATCHES_2D)))
def test_extract_patches_matches_keras(kwargs, data_format):
    images = LAYOUTS[data_format]
    assert_matches_keras("extract_patches", (images,), {**kwargs, "data_format": data_format})
    assert_matches_keras("extract_patches", (images[0],), {**kwargs, "data_format": data_format})


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("kwargs", PATCHES_3D, ids=range(len(PATCHES_3D)))
def test_extract_patches_3d_matches_keras(kwargs, data_format):
    shape = (2, 6, 6, 6, 2) if data_format == "channels_last" else (2, 2, 6, 6, 6)
    volumes = RNG.uniform(size=shape).astype("float32")
    kwargs = {**kwargs, "data_format": data_format}
    assert_matches_keras("extract_patches_3d", (volumes,), kwargs)
    assert_matches_keras("extract_patches_3d", (volumes[0],), kwargs)
    size = kwargs.pop("size")
    size = (size,) * 3 if isinstance(size, int) else size
    assert_matches_keras("extract_patches", (volumes, size), kwargs)


@pytest.mark.parity
def test_extract_patches_of_integer_images_matches_keras():
    images = torch.arange(16, dtype=torch.int32).reshape(1, 4, 4, 1)
    assert kimage.extract_patches(images, 2)[0, 1, 1].tolist() == [10, 11, 14, 15]
    uint8 = (IMAGES * 255).astype("uint8")
    assert_matches_keras("extract_patches", (uint8, 3), {"strides": 2, "padding": "same"})


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
@pytest.mark.parametrize("name", ["crop_images", "pad_images"])
def test_crop_and_pad_images_match_keras(name, data_format):
    images = LAYOUTS[data_format]
    for kwargs in CROPS if name == "crop_images" else PADS:
        kwargs = {**kwargs, "data_format": data_format}
        assert_matches_keras(name, (images,), kwargs)
        assert_matches_keras(name, (images[0],), kwargs)


@pytest.mark.parity
def test_patch_ops_on_keras_tensors_match_keras():
    assert_symbolic_matches_keras(lambda k, ops: ops.extract_patches(k.Input((8, 8, 3)), 2))
    assert_symbolic_matches_keras(
        lambda k, ops: ops.extract_patches(k.Input((8, 8, 3)), (3, 3), 1, padding="same")
    )
    assert_symbolic_matches_keras(lambda k, ops: ops.extract_patches_3d(k.Input((6, 6, 6, 2)), 3))
    assert_symbolic_matches_keras(lambda k, ops: ops.crop_images(k.Input((8, 8, 3)), 1, 2, 3, 1))
    assert_symbolic_matches_keras(
        lambda k, ops: ops.pad_images(k.Input((8, 8, 3)), 1, 2, target_height=12, target_width=11)
    )


def test_extract_patches_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"extract_patches: Invalid `size` argument"):
        kimage.extract_patches(IMAGES, "3")
    with pytest.raises(ValueError, match=r"extract_patches: Invalid `size`.*length 4"):
        kimage.extract_patches(IMAGES, (1, 2, 3, 4))
    with pytest.raises(ValueError, match=r"extract_patches: .*`padding`.*'full'"):
        kimage.extract_patches(IMAGES, 2, padding="full")
    with pytest.raises(ValueError, match=r"extract_patches: Invalid images rank for 2D"):
        kimage.extract_patches(IMAGES[0, 0], 2)
    with pytest.raises(ValueError, match=r"extract_patches: the patch .* larger"):
        kimage.extract_patches(IMAGES, 9)
    with pytest.raises(ValueError, match=r"extract_patches_3d: Invalid `size`"):
        kimage.extract_patches_3d(IMAGES, (2, 2))


def test_crop_and_pad_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"pad_images: Must specify exactly two of top_padding"):
        kimage.pad_images(IMAGES, 1, 1, 1, 1, target_height=12)
    with pytest.raises(ValueError, match=r"pad_images: left_padding must be >= 0"):
        kimage.pad_images(IMAGES, 1, -1, 1, 1)
    with pytest.raises(ValueError, match=r"pad_images: top_padding must be >= 0.*=-1"):
        kimage.pad_images(IMAGES, None, 0, 1, 0, target_height=8)
    with pytest.raises(ValueError, match=r"crop_images: Must specify exactly two of left_cropping"):
        kimage.crop_images(IMAGES, 1, None, 1, None)
    with pytest.raises(ValueError, match=r"crop_images: the crop box is larger"):
        kimage.crop_images(IMAGES, 2, 0, target_height=7, target_width=8)
    with pytest.raises(ValueError, match=r"crop_images: Invalid images rank"):
        kimage.crop_images(IMAGES[0, 0], 0, 0, 0, 0)
