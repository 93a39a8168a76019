import pytest
import torch

from kerastorch.layers.preprocessing.random_crop import RandomCrop
from kerastorch.layers.preprocessing.resizing import Resizing
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_dicts_close, data_dict, torch_dict
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
def test_random_crop_training_shapes_and_config_match_keras():
    keras_or_skip()
    check_layer(
        RandomCrop,
        {"height": 4, "width": 4, "seed": 3},
        (2, 8, 8, 3),
        training=True,
        deterministic=False,
        expected_output_shape=(2, 4, 4, 3),
    )


@pytest.mark.parity
@pytest.mark.parametrize(("size", "shape"), [((8, 8), (2, 4, 6, 3)), ((8, 4), (2, 8, 6, 3))])
def test_random_crop_fallback_for_small_images_matches_keras(size, shape):
    """Images not larger than the target take Keras's deterministic path, even in training."""
    kwargs = {"height": size[0], "width": size[1], "seed": 1}
    assert_matches_keras(RandomCrop(**kwargs), "RandomCrop", kwargs, images(shape), training=True)


def test_random_crop_training_windows_are_crops_of_the_input():
    x = torch.arange(2 * 8 * 8, dtype=torch.float32).reshape(2, 8, 8, 1)
    layer = RandomCrop(3, 4, seed=0)
    corners = set()
    for _ in range(20):
        y = layer(x, training=True)
        top, left = divmod(int(y[0, 0, 0, 0]), 8)
        torch.testing.assert_close(y, x[:, top : top + 3, left : left + 4])
        corners.add((top, left))
    assert len(corners) > 3
    again = [RandomCrop(3, 4, seed=9)(x, training=True) for _ in range(2)]
    assert torch.equal(again[0], again[1])


def test_random_crop_at_inference_resizes_the_central_aspect_window():
    """Keras documents (and tf.keras did) `smart_resize` at inference: the largest centred
    window with the target aspect ratio, resized (Keras 3.15 returns the input unchanged)."""
    x = torch.rand(2, 8, 8, 3)
    expected = Resizing(4, 4, crop_to_aspect_ratio=True)(x)
    torch.testing.assert_close(RandomCrop(4, 4)(x, training=False), expected)
    assert RandomCrop(4, 6)(x, training=False).shape == (2, 4, 6, 3)


def test_random_crop_draws_a_seed_when_none_is_given():
    assert isinstance(RandomCrop(2, 2).get_config()["seed"], int)


def _box_mask(boxes, h, w):
    """(n, h, w, 1) masks of integer xyxy boxes (one box per image)."""
    ys, xs = torch.arange(h).view(1, h, 1), torch.arange(w).view(1, 1, w)
    b = boxes[:, 0]
    inside = (xs >= b[:, 0, None, None]) & (xs < b[:, 2, None, None])
    inside = inside & (ys >= b[:, 1, None, None]) & (ys < b[:, 3, None, None])
    return inside.float().unsqueeze(-1)


def test_random_crop_boxes_follow_the_pixels():
    boxes = torch.tensor([[[3.0, 4.0, 9.0, 11.0]], [[5.0, 2.0, 8.0, 6.0]]])
    data = {
        "images": torch.rand(2, 16, 12, 3),
        "segmentation_masks": _box_mask(boxes, 16, 12),
        "bounding_boxes": {"boxes": boxes, "labels": torch.ones(2, 1)},
    }
    for seed in range(4):
        out = RandomCrop(10, 8, seed=seed, bounding_box_format="xyxy")(data, training=True)
        masks = out["segmentation_masks"][..., 0]
        for mask, box, label in zip(
            masks, out["bounding_boxes"]["boxes"], out["bounding_boxes"]["labels"], strict=True
        ):
            ys, xs = torch.nonzero(mask, as_tuple=True)
            if len(xs):
                extent = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
                assert box[0].tolist() == [float(v) for v in extent]
            else:
                assert label.item() == -1


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "rel_xywh"])
@pytest.mark.parametrize(
    ("shape", "training"), [((2, 12, 10, 3), True), ((2, 5, 10, 3), True), ((2, 12, 10, 3), False)]
)
def test_random_crop_boxes_match_keras_crop_functions(fmt, shape, training):
    keras = keras_or_skip()
    kb = keras.utils.bounding_boxes
    kwargs = {"height": 6, "width": 7, "seed": 4, "bounding_box_format": fmt}
    data = data_dict(fmt, shape)
    t = RandomCrop(**kwargs).get_random_transformation(torch_dict(data), training=training)
    out = RandomCrop(**kwargs)(torch_dict(data), training=training)
    assert tuple(out["segmentation_masks"].shape) == (2, 6, 7, 1)
    h, w = shape[1:3]
    boxes = kb.convert_format(data["bounding_boxes"]["boxes"], fmt, "xyxy", h, w)
    boxes = kb.crop(boxes, t["top"], t["left"], t["crop_height"], t["crop_width"])
    boxes = kb.convert_format(boxes, "xyxy", "rel_xyxy", t["crop_height"], t["crop_width"])
    boxes = kb.convert_format(boxes, "rel_xyxy", "xyxy", 6, 7)
    expected = kb.clip_to_image_size(
        {"boxes": boxes, "labels": data["bounding_boxes"]["labels"]}, height=6, width=7
    )
    expected["boxes"] = kb.convert_format(expected["boxes"], "xyxy", fmt, 6, 7)
    assert_dicts_close(out["bounding_boxes"], expected)
