"""The `ops.image` namespace: Keras's names and classes, `.keras` interop, no host reads."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import image as kimage
from kerastorch.ops.keras_op import OP_CLASSES
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
def test_namespace_holds_kerass_image_ops():
    keras = keras_or_skip()
    theirs = sorted(n for n in dir(keras.ops.image) if not n.startswith("_"))
    assert kimage.__all__ == theirs
    for name in theirs:
        assert callable(getattr(kimage, name)), name


@pytest.mark.parity
def test_every_keras_image_operation_class_has_a_kerastorch_twin():
    keras_or_skip()
    from keras.src.ops import image as keras_image  # the oracle's Operation classes
    from keras.src.ops.operation import Operation

    names = [n for n, c in vars(keras_image).items() if isinstance(c, type)
             and issubclass(c, Operation) and c.__module__ == keras_image.__name__]  # fmt: skip
    assert len(names) == 15  # extract_patches_3d records ExtractPatches
    for name in names:
        assert OP_CLASSES[name]._keras_module == "keras.src.ops.image", name


def _meta(*shape):
    return torch.empty(*shape, device="meta")


META_CALLS = {
    "resize": lambda x: kimage.resize(x, (5, 7), "bicubic", True, pad_to_aspect_ratio=True),
    "rgb_to_grayscale": kimage.rgb_to_grayscale,
    "rgb_to_hsv": kimage.rgb_to_hsv,
    "hsv_to_rgb": kimage.hsv_to_rgb,
    "affine_transform": lambda x: kimage.affine_transform(x, _meta(2, 8), fill_mode="reflect"),
    "map_coordinates": lambda x: kimage.map_coordinates(x[0], _meta(3, 4, 5), 1, "mirror"),
    "perspective_transform": lambda x: kimage.perspective_transform(
        x, _meta(2, 4, 2), _meta(2, 4, 2)
    ),
    "gaussian_blur": kimage.gaussian_blur,
    "elastic_transform": lambda x: kimage.elastic_transform(x, seed=3),
    "sobel_edges": kimage.sobel_edges,
    "ssim": lambda x: kimage.ssim(x, x, filter_size=3),
    "extract_patches": lambda x: kimage.extract_patches(x, 3, 2, padding="same"),
    "extract_patches_3d": lambda x: kimage.extract_patches_3d(_meta(2, 6, 6, 6, 2), 2),
    "crop_images": lambda x: kimage.crop_images(x, 1, 1, 1, 1),
    "pad_images": lambda x: kimage.pad_images(x, 1, 1, 1, 1),
    "scale_and_translate": lambda x: kimage.scale_and_translate(
        x, (2, 9, 4, 3), _meta(2), _meta(2), (1, 2), "lanczos3"
    ),
}


@pytest.mark.parametrize("name", sorted(META_CALLS))
def test_every_op_runs_on_meta_tensors_so_never_reads_values_to_the_host(name):
    out = META_CALLS[name](_meta(2, 8, 8, 3))
    assert out.device.type == "meta"


def test_meta_table_covers_every_op():
    assert sorted(META_CALLS) == kimage.__all__


# Each op inside a functional model, saved by one library and loaded by the other.
_DATA = [
    np.random.default_rng(0).uniform(size=(2, 8, 8, 3)).astype("float32"),
    np.array([[1, 0.1, 0.5, 0.1, 1, 0.3, 0, 0]] * 2, "float32"),
    np.array([[[0, 0], [0, 7], [7, 0], [7, 7]]] * 2, "float32"),
    np.array([[[1, 0], [0, 6], [7, 1], [6, 7]]] * 2, "float32"),
    np.random.default_rng(1).uniform(-2, 9, size=(4, 2, 8, 8, 3)).astype("float32"),
]
GRAPHS = {
    "rgb_to_grayscale": lambda i, ops: ops.rgb_to_grayscale(i[0]),
    "rgb_to_hsv": lambda i, ops: ops.rgb_to_hsv(i[0]),
    "hsv_to_rgb": lambda i, ops: ops.hsv_to_rgb(i[0]),
    "affine_transform": lambda i, ops: ops.affine_transform(i[0], i[1], "nearest", "wrap"),
    "perspective_transform": lambda i, ops: ops.perspective_transform(i[0], i[2], i[3], "nearest"),
    "gaussian_blur": lambda i, ops: ops.gaussian_blur(i[0], (5, 5), (1.0, 1.5)),
    "sobel_edges": lambda i, ops: ops.sobel_edges(i[0]),
    "ssim": lambda i, ops: ops.ssim(i[0], i[0], filter_size=3),
    "extract_patches": lambda i, ops: ops.extract_patches(i[0], 3, 1, padding="same"),
    "crop_images": lambda i, ops: ops.crop_images(i[0], 1, 2, target_height=4, target_width=5),
    "pad_images": lambda i, ops: ops.pad_images(i[0], 1, 2, 3, 4),
    "map_coordinates": lambda i, ops: ops.map_coordinates(i[0], i[4], 1, "reflect"),
}


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_models_using_each_op_load_in_the_other_library(name, tmp_path):
    keras = keras_or_skip()
    for lib, ops, loader in (
        (kerastorch, kimage, keras.saving.load_model),
        (keras, keras.ops.image, kerastorch.saving.load_model),
    ):
        inputs = [lib.Input(batch_shape=x.shape) for x in _DATA]
        model = lib.Model(inputs, GRAPHS[name](inputs, ops))
        path = str(tmp_path / f"{lib.__name__}.keras")
        model.save(path)
        assert_close(loader(path)(_DATA), model(_DATA))
