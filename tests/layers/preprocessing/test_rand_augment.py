import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.layers.preprocessing.rand_augment import RandAugment
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    quiet_keras,
)
from tests.layers.preprocessing.box_oracle import assert_dicts_close, data_dict, fresh, torch_dict
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import assert_close, keras_or_skip, to_numpy

OPS = [
    "random_shear", "random_translation", "random_rotation", "random_brightness",
    "random_color_degeneration", "random_contrast", "random_sharpness",
    "random_posterization", "solarization", "auto_contrast", "equalization",
]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"value_range": (0, 1), "num_ops": 3, "factor": 0.2}])
def test_rand_augment_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(RandAugment, kwargs, (2, 8, 8, 3), training=False)


def _keras_op_outputs(keras, kwargs, x):
    """Each of Keras's RandAugment operations applied once to `x` (channels last)."""
    ref = keras.layers.RandAugment(**kwargs)
    tensor = keras.ops.convert_to_tensor(x)
    outputs = {}
    with quiet_keras():
        for name in OPS:
            op = getattr(ref, name)
            outputs[name] = to_numpy(
                op.transform_images(tensor, op.get_random_transformation(tensor))
            )
    return outputs


@pytest.mark.parity
def test_rand_augment_operations_are_keras_operations():
    keras = keras_or_skip()
    kwargs = {"value_range": (0, 1), "factor": (0.0, 0.0)}  # every operation deterministic
    x = images((2, 8, 8, 3)) * 0.8 + 0.1
    expected = _keras_op_outputs(keras, kwargs, x)
    layer = RandAugment(**kwargs, num_ops=1, seed=0)
    for index, name in enumerate(OPS):
        op = layer._augment_layers[index]
        assert type(op).__name__.lower().replace("_", "") == name.replace("_", "")
        assert_close(op.call(torch.from_numpy(x), training=True), expected[name], atol=1e-5)
    seen = set()
    for _ in range(40):  # each call is one of Keras's operations, applied to the whole batch
        got = to_numpy(layer(torch.from_numpy(x), training=True))
        matches = [n for n in OPS if np.allclose(got, expected[n], atol=1e-5)]
        assert matches
        seen.update(matches)
    assert len(seen) >= 6


def test_rand_augment_is_seeded_and_in_range():
    assert_seeded_and_inference_identity(RandAugment, {"value_range": (0, 1)})
    x = torch.rand(4, 8, 8, 3)
    y = RandAugment(value_range=(0, 1), num_ops=4, seed=2)(x, training=True)
    assert y.shape == x.shape
    assert torch.equal(RandAugment(num_ops=0)(x * 255, training=True), x * 255)


def test_rand_augment_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        RandAugment(factor=1.5)


@pytest.mark.parity
def test_composite_layers_keras_files_move_both_ways(tmp_path):
    keras = keras_or_skip()
    inputs = keras.Input((8, 8, 3))
    hidden = keras.layers.RandAugment(value_range=(0, 1), num_ops=3, seed=3)(inputs)
    hidden = keras.layers.AugMix(value_range=(0, 1), all_ops=False)(hidden)
    outputs = keras.layers.RandomColorJitter(value_range=(0, 1), hue_factor=0.2, seed=1)(hidden)
    path = str(tmp_path / "theirs.keras")
    keras.Model(inputs, outputs).save(path)
    ours = kerastorch.saving.load_model(path)
    names = [type(layer).__name__ for layer in ours.layers][1:]
    assert names == ["RandAugment", "AugMix", "RandomColorJitter"]
    assert ours.layers[1].get_config()["num_ops"] == 3
    x = images((2, 8, 8, 3))
    assert torch.equal(ours(torch.from_numpy(x), training=False), torch.from_numpy(x))
    assert ours(torch.from_numpy(x), training=True).shape == (2, 8, 8, 3)
    again = str(tmp_path / "ours.keras")
    ours.save(again)
    reloaded = keras.saving.load_model(again)
    assert reloaded.layers[2].get_config()["all_ops"] is False
    assert_close(reloaded(x, training=False), x)


GEOMETRIC = {"random_shear", "random_translation", "random_rotation"}


def _seed_where(kwargs, data, wanted):
    """The first seed whose drawn operations satisfy `wanted(names)`."""
    for seed in range(300):
        steps = RandAugment(**kwargs, seed=seed).get_random_transformation(data)
        if wanted([step["layer_name"] for step in steps]):
            return seed
    raise AssertionError("no seed draws the wanted operations")


@pytest.mark.parity
@pytest.mark.parametrize("only_geometric", [True, False])
def test_rand_augment_moves_boxes_and_masks_with_keras_hooks_on_our_draws(only_geometric):
    """Each drawn geometric operation's transformation, handed to Keras's own sub-layer hooks
    in the drawn order, gives our boxes and masks (and images, when no colour op is drawn)."""

    keras = keras_or_skip()
    kwargs = {"value_range": (0, 1), "num_ops": 2 if only_geometric else 3, "factor": 0.4,
              "bounding_box_format": "xyxy"}  # fmt: skip
    data = data_dict("xyxy", (2, 10, 10, 3))
    if only_geometric:
        wanted = lambda names: set(names) <= GEOMETRIC and len(set(names)) > 1  # noqa: E731
    else:
        wanted = lambda names: 0 < len(set(names) & GEOMETRIC) < len(names)  # noqa: E731
    seed = _seed_where(kwargs, torch_dict(data), wanted)
    steps = RandAugment(**kwargs, seed=seed).get_random_transformation(torch_dict(data))
    out = RandAugment(**kwargs, seed=seed)(torch_dict(data), training=True)
    ref = keras.layers.RandAugment(**kwargs)
    expected = torch_dict(data)
    with quiet_keras():
        for step in steps:
            if step["layer_name"] not in GEOMETRIC:
                continue
            op, transformation = getattr(ref, step["layer_name"]), step["transformation"]
            expected["bounding_boxes"] = op.transform_bounding_boxes(
                expected["bounding_boxes"], fresh(transformation), training=True
            )
            expected["segmentation_masks"] = op.transform_segmentation_masks(
                expected["segmentation_masks"], fresh(transformation), training=True
            )
            expected["images"] = op.transform_images(expected["images"], fresh(transformation))
    if not only_geometric:
        assert not np.allclose(to_numpy(out["images"]), to_numpy(expected["images"]), atol=1e-4)
        out.pop("images")
        expected.pop("images")
    assert_dicts_close(out, expected)
    moved = out["bounding_boxes"]["boxes"] - torch.from_numpy(data["bounding_boxes"]["boxes"])
    assert float(moved.abs().max()) > 0.1


def test_rand_augment_dicts_need_a_format_keep_mask_dtypes_and_run_on_meta():
    boxes = {"boxes": torch.zeros(2, 1, 4), "labels": torch.zeros(2, 1)}
    with pytest.raises(ValueError, match="bounding_box_format"):
        RandAugment()({"images": torch.rand(2, 8, 8, 3), "bounding_boxes": boxes})
    masks = torch.randint(0, 3, (8, 8, 1), dtype=torch.int32)
    data = {"images": torch.rand(8, 8, 3), "segmentation_masks": masks,
            "bounding_boxes": {"boxes": torch.tensor([[1.0, 1.0, 4.0, 5.0]]),
                               "labels": torch.tensor([1])}}  # fmt: skip
    layer = RandAugment(value_range=(0, 1), num_ops=4, bounding_box_format="xyxy", seed=4)
    out = layer(data, training=True)
    assert out["segmentation_masks"].dtype == torch.int32
    assert out["segmentation_masks"].shape == (8, 8, 1)
    assert out["bounding_boxes"]["boxes"].shape == (1, 4)
    assert torch.equal(layer(data, training=False)["segmentation_masks"], masks)
    meta = {"images": torch.empty(2, 8, 8, 3, device="meta"),
            "segmentation_masks": torch.empty(2, 8, 8, 1, device="meta"),
            "bounding_boxes": {"boxes": torch.empty(2, 3, 4, device="meta"),
                               "labels": torch.empty(2, 3, device="meta")}}  # fmt: skip
    for seed in range(3):  # any operations: no step reads device values back to the host
        out = RandAugment(num_ops=3, bounding_box_format="rel_xyxy", seed=seed)(meta)
        assert out["bounding_boxes"]["boxes"].device.type == "meta"
