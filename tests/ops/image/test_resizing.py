"""`ops.image.resize` and `scale_and_translate` against Keras, plus a saved model using them.

Tolerance: 1e-5 (both sides run the same float32 torch kernels; measured differences are 0).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import image as kimage
from tests.ops.image.parity import (
    IMAGES,
    LAYOUTS,
    RNG,
    assert_matches_keras,
    assert_symbolic_matches_keras,
)
from tests.oracle import assert_close, keras_or_skip

ASPECT = [
    {},
    {"crop_to_aspect_ratio": True},
    {"pad_to_aspect_ratio": True, "fill_value": 0.5},
]


@pytest.mark.parity
@pytest.mark.parametrize("aspect", ASPECT, ids=["stretch", "crop", "pad"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
def test_resize_matches_keras(interpolation, antialias, aspect):
    kwargs = {"interpolation": interpolation, "antialias": antialias, **aspect}
    assert_matches_keras("resize", (IMAGES, (5, 11)), kwargs)  # down and up at once
    assert_matches_keras("resize", (IMAGES[0], (12, 3)), kwargs)  # unbatched


@pytest.mark.parity
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
def test_resize_integer_and_channels_first_images_match_keras(interpolation):
    uint8 = (IMAGES * 255).astype("uint8")
    assert_matches_keras("resize", (uint8, (13, 5)), {"interpolation": interpolation})
    images = LAYOUTS["channels_first"]
    kwargs = {"interpolation": interpolation, "data_format": "channels_first"}
    assert_matches_keras("resize", (images, (4, 6)), kwargs)
    assert_matches_keras("resize", (images.astype("float16"), (4, 6)), kwargs, atol=1e-3)


SCALE_CASES = [
    ("linear", True, (2, 9, 4, 3)),
    ("bilinear", False, (2, 9, 4, 3)),
    ("cubic", True, (2, 3, 10, 3)),
    ("bicubic", False, (2, 9, 4, 3)),
    ("tricubic", True, (2, 9, 4, 3)),
    ("lanczos3", True, (2, 9, 4, 3)),
    ("lanczos5", False, (2, 3, 10, 3)),
]


@pytest.mark.parity
@pytest.mark.parametrize(("method", "antialias", "shape"), SCALE_CASES)
def test_scale_and_translate_matches_keras(method, antialias, shape):
    images = RNG.uniform(size=(2, 5, 6, 3)).astype("float32")
    scale = np.array([shape[1] / 5, shape[2] / 6], "float32")
    translation = np.array([0.3, -0.5], "float32")
    args = (images, shape, scale, translation, (1, 2), method, antialias)
    assert_matches_keras("scale_and_translate", args, {})
    args = ((images * 255).astype("uint8"), *args[1:])
    assert_matches_keras("scale_and_translate", args, {})


@pytest.mark.parity
def test_resize_and_scale_and_translate_on_keras_tensors_match_keras():
    assert_symbolic_matches_keras(lambda keras, ops: ops.resize(keras.Input((8, 8, 3)), (4, 5)))
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.resize(keras.Input((None, None, 3)), (4, 5), "nearest")
    )
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.resize(keras.Input((3, 8, 8)), (7, 5), data_format="channels_first")
    )
    assert_symbolic_matches_keras(
        lambda keras, ops: ops.scale_and_translate(
            keras.Input((5, 6, 3), batch_size=2),
            (2, 9, 4, 3),
            keras.Input((), batch_size=2),
            keras.Input((), batch_size=2),
            (1, 2),
            "linear",
        )
    )


@pytest.mark.parity
def test_model_with_resize_saves_and_loads_in_kerastorch_and_keras(tmp_path):
    keras = keras_or_skip()
    inputs = kerastorch.Input((8, 8, 3))
    resized = kimage.resize(inputs, (4, 6), interpolation="bicubic", antialias=True)
    model = kerastorch.Model(inputs, kimage.rgb_to_grayscale(resized))
    path = str(tmp_path / "resize.keras")
    model.save(path)
    expected = model(IMAGES)
    assert tuple(expected.shape) == (2, 4, 6, 1)
    assert_close(kerastorch.saving.load_model(path)(IMAGES), expected)
    assert_close(keras.saving.load_model(path)(IMAGES), expected)
    # And the other way: a Keras model with `resize` loads into kerastorch.
    keras_inputs = keras.Input((8, 8, 3))
    keras_model = keras.Model(keras_inputs, keras.ops.image.resize(keras_inputs, (5, 3)))
    keras_path = str(tmp_path / "keras_resize.keras")
    keras_model.save(keras_path)
    assert_close(kerastorch.saving.load_model(keras_path)(IMAGES), keras_model(IMAGES))


@pytest.mark.parity
def test_model_with_scale_and_translate_round_trips_between_kerastorch_and_keras(tmp_path):
    keras = keras_or_skip()
    images = RNG.uniform(size=(2, 5, 6, 3)).astype("float32")
    scale, translation = np.array([1.6, 0.7], "float32"), np.array([0.2, -0.1], "float32")
    for lib, ops, loader in (
        (kerastorch, kimage, keras.saving.load_model),
        (keras, keras.ops.image, kerastorch.saving.load_model),
    ):
        inputs = [lib.Input(batch_shape=s) for s in ((2, 5, 6, 3), (2,), (2,))]
        out = ops.scale_and_translate(inputs[0], (2, 8, 4, 3), *inputs[1:], (1, 2), "cubic")
        model = lib.Model(inputs, out)
        path = str(tmp_path / f"{lib.__name__}.keras")
        model.save(path)
        batch = [images, scale, translation]
        assert_close(loader(path)(batch), model(batch))


@pytest.mark.parametrize("interpolation", ["lanczos3", "lanczos5", "area", "cubic"])
def test_resize_rejects_unsupported_interpolations(interpolation):
    with pytest.raises(ValueError, match=r"resize: .*interpolation.*'bilinear', 'nearest'"):
        kimage.resize(IMAGES, (4, 4), interpolation=interpolation)


def test_resize_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"resize: Invalid images rank.*\(8, 3\)"):
        kimage.resize(torch.zeros(8, 3), (4, 4))
    with pytest.raises(ValueError, match=r"resize: Expected `size` to be a tuple of 2"):
        kimage.resize(IMAGES, (4,))
    with pytest.raises(ValueError, match=r"resize: `size` must have positive"):
        kimage.resize(IMAGES, (0, 4))
    with pytest.raises(ValueError, match=r"resize: Only one of `pad_to_aspect_ratio`"):
        kimage.resize(IMAGES, (4, 4), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match=r"resize: .*`fill_mode`.*'reflect'"):
        kimage.resize(IMAGES, (4, 4), pad_to_aspect_ratio=True, fill_mode="reflect")
    with pytest.raises(ValueError, match=r"resize: Invalid images rank"):
        kimage.resize(kerastorch.Input((3,)), (4, 4))


def test_scale_and_translate_rejects_unknown_methods():
    with pytest.raises(ValueError, match=r"scale_and_translate: .*`method`.*'nearest'"):
        kimage.scale_and_translate(IMAGES, (2, 4, 4, 3), [0.5, 0.5], [0, 0], (1, 2), "nearest")
