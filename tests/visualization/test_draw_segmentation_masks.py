import numpy as np
import pytest
import torch

from kerastorch.visualization import draw_segmentation_masks
from tests.oracle import keras_or_skip


def _inputs(seed=0, batch=2, size=6, classes=4, dtype="uint8"):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (batch, size, size + 1, 3)).astype(dtype)
    masks = rng.integers(-1, classes, (batch, size, size + 1, 1)).astype("int32")
    return images, masks


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_classes": 4},
        {"num_classes": 5, "alpha": 0.3},
        {"num_classes": 4, "ignore_index": 0},
        {"num_classes": 4, "blend": False},
        {"num_classes": 3, "color_mapping": {0: (0, 0, 0), 1: (255, 0, 0), 2: (0, 9, 250)}},
    ],
)
def test_draw_segmentation_masks_matches_keras(kwargs):
    keras = keras_or_skip()
    images, masks = _inputs()
    masks = np.minimum(masks, kwargs["num_classes"] - 1)  # Keras's torch one_hot refuses more
    expected = np.asarray(keras.visualization.draw_segmentation_masks(images, masks, **kwargs))
    ours = draw_segmentation_masks(images, masks, **kwargs)
    assert isinstance(ours, np.ndarray)
    assert ours.dtype == expected.dtype == (np.uint8 if kwargs.get("blend", True) else np.float32)
    np.testing.assert_array_equal(ours, expected)


@pytest.mark.parity
def test_draw_segmentation_masks_channels_first_and_float_images_match_keras():
    keras = keras_or_skip()
    images, masks = _inputs(seed=1, dtype="float32")
    images_cf, masks_cf = images.transpose(0, 3, 1, 2), masks.transpose(0, 3, 1, 2)
    expected = keras.visualization.draw_segmentation_masks(
        images_cf, masks_cf, num_classes=4, data_format="channels_first"
    )
    ours = draw_segmentation_masks(
        torch.from_numpy(images_cf), torch.from_numpy(masks_cf), 4, data_format="channels_first"
    )
    assert ours.shape == images.shape  # channels_last out, as in Keras
    np.testing.assert_array_equal(ours, expected)


def test_draw_segmentation_masks_accepts_3d_masks_and_infers_num_classes():
    images, masks = _inputs(seed=2)
    # Keras's docstring allows (batch, height, width) masks (its code needs the trailing 1).
    np.testing.assert_array_equal(
        draw_segmentation_masks(images, masks[..., 0]), draw_segmentation_masks(images, masks, 4)
    )  # num_classes=None: the largest class (3) + 1, so every class present is drawn


def test_draw_segmentation_masks_ignore_index_keeps_the_image_and_input_is_unchanged():
    images, masks = _inputs(seed=3)
    before = images.copy()
    out = draw_segmentation_masks(images, masks, 4)
    ignored = masks[..., 0] == -1
    np.testing.assert_array_equal(out[ignored], images[ignored])
    np.testing.assert_array_equal(images, before)


def test_draw_segmentation_masks_color_mapping_skips_classes_without_a_colour():
    images = np.full((1, 1, 2, 3), 10, "uint8")
    masks = np.array([[[[0], [1]]]])
    out = draw_segmentation_masks(images, masks, 2, color_mapping={1: (250, 250, 250)}, blend=False)
    assert out[0, 0].tolist() == [[10.0, 10.0, 10.0], [250.0, 250.0, 250.0]]


def test_draw_segmentation_masks_errors():
    images, masks = _inputs()
    with pytest.raises(ValueError, match="must be batched 4D tensor"):
        draw_segmentation_masks(images[0], masks[0], 4)
    with pytest.raises(
        TypeError, match=r"integer dtype. Received: segmentation_masks.dtype=float32"
    ):
        draw_segmentation_masks(images, masks.astype("float32"), 4)
    with pytest.raises(ValueError, match=r"segmentation_masks\.shape"):
        draw_segmentation_masks(images, masks[:, :3], 4)
