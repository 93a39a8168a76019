"""`load_img`, `img_to_array`, `array_to_img`, `save_img` and `smart_resize` against Keras."""

import io
import pathlib

import numpy as np
import pytest
import torch

from kerastorch.utils import image_utils
from tests.oracle import assert_close, keras_or_skip, to_numpy

PIL = pytest.importorskip("PIL.Image")


@pytest.fixture
def png(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, size=(7, 10, 4), dtype="uint8")
    path = tmp_path / "img.png"
    PIL.fromarray(pixels, "RGBA").save(path)
    return str(path)


LOADS = [
    ("plain", {}),
    ("grayscale", {"color_mode": "grayscale"}),
    ("rgba", {"color_mode": "rgba"}),
    ("nearest", {"target_size": (4, 6)}),
    ("bilinear", {"target_size": (5, 3), "interpolation": "bilinear"}),
    ("bicubic", {"target_size": (9, 12), "interpolation": "bicubic"}),
    ("lanczos", {"target_size": (3, 3), "interpolation": "lanczos"}),
    ("keep_aspect", {"target_size": (4, 4), "keep_aspect_ratio": True, "interpolation": "box"}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), LOADS, ids=[c[0] for c in LOADS])
def test_load_img_matches_keras(png, name, kwargs):
    keras = keras_or_skip()
    ours, theirs = image_utils.load_img(png, **kwargs), keras.utils.load_img(png, **kwargs)
    assert ours.mode == theirs.mode
    assert ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_load_img_sources_and_errors(png):
    with open(png, "rb") as f:
        from_bytes = image_utils.load_img(io.BytesIO(f.read()))
    np.testing.assert_array_equal(np.asarray(from_bytes), image_utils.load_img(pathlib.Path(png)))
    with pytest.raises(TypeError, match=r"path should be path-like or io\.BytesIO"):
        image_utils.load_img(3)
    with pytest.raises(ValueError, match="color_mode must be"):
        image_utils.load_img(png, color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid interpolation method area"):
        image_utils.load_img(png, target_size=(2, 2), interpolation="area")


ARRAYS = [
    ("rgb_scaled", np.random.default_rng(1).normal(size=(3, 4, 3)), {}),
    ("rgba_unscaled", np.full((2, 2, 4), 200.0), {"scale": False}),
    ("gray", np.arange(12.0).reshape(3, 4, 1), {}),
    ("gray_int32", np.arange(12.0).reshape(3, 4, 1) * 100, {"scale": False}),
    ("channels_first", np.arange(24.0).reshape(3, 2, 4), {"data_format": "channels_first"}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "x", "kwargs"), ARRAYS, ids=[c[0] for c in ARRAYS])
def test_array_to_img_matches_keras(name, x, kwargs):
    keras = keras_or_skip()
    ours, theirs = image_utils.array_to_img(x, **kwargs), keras.utils.array_to_img(x, **kwargs)
    assert ours.mode == theirs.mode
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    assert image_utils.array_to_img(torch.as_tensor(x), **kwargs).size == theirs.size


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_img_to_array_matches_keras(png, mode, data_format):
    keras = keras_or_skip()
    with PIL.open(png) as original:
        img = original.convert(mode)
    ours = image_utils.img_to_array(img, data_format=data_format)
    theirs = keras.utils.img_to_array(img, data_format=data_format)
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)
    assert image_utils.img_to_array(img, dtype="uint8").dtype == np.uint8


def test_array_errors():
    with pytest.raises(ValueError, match="Expected image array to have rank 3"):
        image_utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        image_utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Unsupported image shape"):
        image_utils.img_to_array(np.zeros((1, 2, 2, 3)))


@pytest.mark.parity
@pytest.mark.parametrize("suffix", ["png", "bmp"])
def test_save_img_matches_keras(tmp_path, suffix):
    keras = keras_or_skip()
    x = np.random.default_rng(2).uniform(size=(5, 6, 3))
    image_utils.save_img(tmp_path / f"ours.{suffix}", x)
    keras.utils.save_img(tmp_path / f"theirs.{suffix}", x)
    with (
        PIL.open(tmp_path / f"ours.{suffix}") as ours,
        PIL.open(tmp_path / f"theirs.{suffix}") as theirs,
    ):
        assert ours.format == theirs.format
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_save_rgba_as_jpeg_warns(tmp_path):
    with pytest.warns(UserWarning, match="JPEG format does not support RGBA"):
        image_utils.save_img(tmp_path / "a.jpg", np.ones((4, 4, 4)))
    with PIL.open(tmp_path / "a.jpg") as img:
        assert img.mode == "RGB"


RESIZES = [
    ("wide", (6, 10, 3), (4, 4), {}),
    ("tall_nearest", (9, 5, 1), (3, 4), {"interpolation": "nearest"}),
    ("batch_bicubic", (2, 8, 6, 3), (5, 5), {"interpolation": "bicubic"}),
    ("channels_first", (3, 7, 9), (4, 6), {"data_format": "channels_first"}),
]


@pytest.mark.parity
@pytest.mark.parametrize("as_tensor", [False, True])
@pytest.mark.parametrize(("name", "shape", "size", "kwargs"), RESIZES, ids=[c[0] for c in RESIZES])
def test_smart_resize_matches_keras(name, shape, size, kwargs, as_tensor):
    keras = keras_or_skip()
    x = np.random.default_rng(3).uniform(size=shape).astype("float32")
    if as_tensor:
        x = torch.as_tensor(x)
    ours = image_utils.smart_resize(x, size, **kwargs)
    theirs = keras.preprocessing.image.smart_resize(x, size, **kwargs)
    assert type(ours) is type(theirs) or (as_tensor and isinstance(ours, torch.Tensor))
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours, to_numpy(theirs), atol=1e-5)


def test_smart_resize_errors():
    with pytest.raises(ValueError, match="Expected an image array with shape"):
        image_utils.smart_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="Expected `size` to be a tuple of 2 integers"):
        image_utils.smart_resize(np.zeros((4, 4, 1)), (2,))
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        image_utils.smart_resize(np.zeros((4, 4, 1)), (2, 2), antialias=True)
