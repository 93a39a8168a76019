import pytest
import torch

from kerastorch.layers.preprocessing.mix_up import MixUp
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import data_dict, fresh, torch_dict
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import assert_close, keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.5, "seed": 2}])
def test_mix_up_is_identity_at_inference_and_config_matches_keras(kwargs):
    keras_or_skip()
    check_layer(MixUp, kwargs, (2, 8, 7, 3), training=False)


@pytest.mark.parity
def test_mix_up_training_shapes_match_keras():
    keras_or_skip()
    check_layer(MixUp, {"seed": 1}, (4, 8, 8, 3), training=True, deterministic=False)


@pytest.mark.parity
def test_mix_up_keeps_the_input_dtype_at_inference_as_keras():
    keras = keras_or_skip()
    x = (images((2, 4, 4, 3)) * 255).astype("uint8")
    theirs = keras.layers.MixUp()(x, training=False)
    ours = MixUp()(torch.from_numpy(x), training=False)
    assert str(ours.dtype) == str(theirs.dtype) == "torch.uint8"


def test_mix_up_blends_images_and_labels_with_the_same_weights():
    n = 32
    x = torch.arange(n, dtype=torch.float32).view(n, 1, 1, 1).expand(n, 4, 4, 3)
    labels = torch.nn.functional.one_hot(torch.arange(n), n).float()
    out = MixUp(alpha=0.5, seed=0)({"images": x, "labels": labels}, training=True)
    y, mixed = out["images"], out["labels"]
    torch.testing.assert_close(mixed.sum(-1), torch.ones(n))
    # Each image is w * i + (1 - w) * j, and its label puts w on i and 1 - w on j.
    expected = (mixed * torch.arange(n, dtype=torch.float32)).sum(-1)
    torch.testing.assert_close(y[:, 0, 0, 0], expected)
    assert bool((y == y[:, :1, :1, :1]).all())
    assert float(mixed.max(-1).values.min()) >= 0.5
    assert float((mixed.max(-1).values < 0.999).float().mean()) > 0.1  # some mixing happened


def test_mix_up_seed_reproduces_and_unbatched_is_unchanged():
    x = torch.from_numpy(images((4, 6, 6, 3)))
    assert torch.equal(MixUp(seed=4)(x, training=True), MixUp(seed=4)(x, training=True))
    single = torch.from_numpy(images((6, 6, 3)))
    torch.testing.assert_close(MixUp(seed=4)(single, training=True), single)


@pytest.mark.parity
def test_mix_up_bounding_boxes_keep_both_sets_as_keras():
    keras = keras_or_skip()
    data = data_dict("xyxy", (4, 6, 6, 3))
    kwargs = {"seed": 3, "bounding_box_format": "xyxy"}
    t = MixUp(**kwargs).get_random_transformation(torch_dict(data))
    out = MixUp(**kwargs)(torch_dict(data), training=True)
    theirs = keras.layers.MixUp(**kwargs).transform_bounding_boxes(
        torch_dict(data["bounding_boxes"]), fresh(t), training=True
    )
    assert_close(out["bounding_boxes"]["boxes"], to_numpy(theirs["boxes"]))
    # Keras stacks the labels on the batch axis; kerastorch keeps them with their boxes.
    assert tuple(theirs["labels"].shape) == (8, 3)
    paired = torch.cat(torch.as_tensor(to_numpy(theirs["labels"])).split(4), dim=1)
    assert torch.equal(out["bounding_boxes"]["labels"], paired.to(torch.int32))
    assert tuple(out["bounding_boxes"]["boxes"].shape) == (4, 6, 4)
    images = keras.layers.MixUp(**kwargs).transform_images(torch_dict(data["images"]), fresh(t))
    assert_close(out["images"], to_numpy(images))
    labels = keras.layers.MixUp(**kwargs).transform_labels(torch_dict(data["labels"]), fresh(t))
    assert_close(out["labels"], to_numpy(labels))
    w, order = t["mix_weight"].view(-1, 1, 1, 1), t["permutation_order"]
    masks = torch_dict(data["segmentation_masks"])
    torch.testing.assert_close(out["segmentation_masks"], w * masks + (1 - w) * masks[order])


def test_mix_up_bounding_boxes_need_a_format():
    data = {
        "images": torch.zeros(2, 4, 4, 3),
        "bounding_boxes": {"boxes": torch.zeros(2, 1, 4), "labels": torch.zeros(2, 1)},
    }
    with pytest.raises(ValueError, match="bounding_box_format"):
        MixUp()(data, training=True)
