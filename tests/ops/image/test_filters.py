"""Gaussian blur, Sobel edges and SSIM against Keras (tolerance 1e-5; measured <= 2e-7)."""

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

# Keras's torch backend lays non-square kernels out wrongly, so square ones only.
BLURS = [((3, 3), (1.0, 1.0)), ((5, 5), (0.7, 1.6)), ((4, 4), (1.0, 2.0))]


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
@pytest.mark.parametrize(("kernel_size", "sigma"), BLURS)
def test_gaussian_blur_matches_keras(kernel_size, sigma, data_format):
    images = LAYOUTS[data_format]
    assert_matches_keras("gaussian_blur", (images, kernel_size, sigma, data_format), {})
    assert_matches_keras("gaussian_blur", (images[0], kernel_size, sigma, data_format), {})


def test_gaussian_blur_defaults_to_the_image_data_format():
    # Keras's torch backend reads data_format=None as channels_first here; we follow the docs.
    blurred = kimage.gaussian_blur(IMAGES)
    assert torch.equal(blurred, kimage.gaussian_blur(IMAGES, data_format="channels_last"))


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
def test_sobel_edges_matches_keras(data_format):
    assert_matches_keras("sobel_edges", (LAYOUTS[data_format], data_format), {})


@pytest.mark.parity
@pytest.mark.parametrize("data_format", sorted(LAYOUTS))
@pytest.mark.parametrize("filter_size", [3, 5])
def test_ssim_matches_keras(filter_size, data_format):
    images = LAYOUTS[data_format]
    others = (images + RNG.normal(scale=0.1, size=images.shape)).astype("float32")
    kwargs = {"filter_size": filter_size, "filter_sigma": 1.2, "data_format": data_format}
    assert_matches_keras("ssim", (images, others), kwargs)
    assert_matches_keras("ssim", (images[0], others[0]), {**kwargs, "max_val": 2.0})


def test_ssim_of_identical_images_is_one():
    assert torch.allclose(kimage.ssim(IMAGES, IMAGES, filter_size=3), torch.ones(2))


@pytest.mark.parity
def test_filters_on_keras_tensors_match_keras():
    assert_symbolic_matches_keras(lambda keras, ops: ops.gaussian_blur(keras.Input((8, 8, 3))))
    assert_symbolic_matches_keras(lambda keras, ops: ops.sobel_edges(keras.Input((8, 8, 3))))
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.ssim(keras.Input((16, 16, 3)), keras.Input((16, 16, 3)))
    )


def test_filters_reject_wrong_ranks():
    with pytest.raises(ValueError, match=r"gaussian_blur: Invalid images rank"):
        kimage.gaussian_blur(IMAGES[0, 0])
    with pytest.raises(ValueError, match=r"sobel_edges: Invalid images rank: expected rank 4"):
        kimage.sobel_edges(IMAGES[0])
    with pytest.raises(ValueError, match=r"ssim: Invalid image2 rank"):
        kimage.ssim(IMAGES, IMAGES[0, 0])
