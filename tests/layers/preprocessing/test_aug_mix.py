import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.aug_mix import AugMix
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    quiet_keras,
)
from tests.layers.preprocessing.box_oracle import assert_dicts_close, data_dict, fresh, torch_dict
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"value_range": (0, 1), "all_ops": False, "alpha": 0.5}])
def test_aug_mix_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(AugMix, kwargs, (2, 8, 8, 3), training=False)


@pytest.mark.parity
def test_aug_mix_mixes_the_image_with_one_keras_operation():
    keras = keras_or_skip()
    kwargs = {"value_range": (0, 1), "factor": (0.0, 0.0), "all_ops": False}
    x = images((2, 8, 8, 3)) * 0.8 + 0.1
    ref = keras.layers.AugMix(**kwargs)
    tensor = keras.ops.convert_to_tensor(x)
    candidates = [x]  # "no operation"
    with quiet_keras():
        for name in ref._augment_layers:  # deterministic with factor 0
            op = getattr(ref, name)
            transformation = op.get_random_transformation(tensor)
            candidates.append(to_numpy(op.transform_images(tensor, transformation)))
    layer = AugMix(**kwargs, num_chains=1, chain_depth=1, seed=0)
    assert len(layer._augment_layers) == len(ref._augment_layers) == 7
    for _ in range(10):  # clip(m x + (1 - m) op(x)): on a segment from x to a Keras op
        got = to_numpy(layer(torch.from_numpy(x), training=True)).ravel()
        residuals = []
        for candidate in candidates:
            direction = candidate.ravel() - x.ravel()
            if not direction.any():
                residuals.append(np.abs(got - x.ravel()).max())
                continue
            m = np.dot(got - x.ravel(), direction) / np.dot(direction, direction)
            residuals.append(np.abs(x.ravel() + m * direction - got).max())
        assert min(residuals) < 1e-5


def test_aug_mix_is_seeded_and_stays_in_range():
    assert_seeded_and_inference_identity(AugMix, {"value_range": (0, 1)})
    x = torch.rand(4, 8, 8, 3) * 255
    y = AugMix(seed=1, num_chains=2, chain_depth=2)(x, training=True)
    assert bool(((y >= 0) & (y <= 255)).all())
    weights, mix = AugMix(num_chains=4, seed=0)._mixing_weights()
    assert len(weights) == 4
    assert abs(sum(weights) - 1) < 1e-6
    assert 0 <= mix <= 1
    assert len(AugMix(all_ops=True)._augment_layers) == 11


def test_aug_mix_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        AugMix(factor=(0.2, 0.5, 0.7))


DETERMINISTIC_GIVEN_DRAWS = {
    "random_shear", "random_translation", "random_rotation", "auto_contrast", "equalization",
}  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("compare_images", [True, False])
def test_aug_mix_dict_matches_keras_hooks_on_our_draws(compare_images):
    """Our drawn transformation (Keras's keys) handed to Keras's AugMix hooks gives our masks
    (mixed through the geometric operations), our boxes (unchanged) and, when every drawn
    operation is given by its transformation, our images."""

    keras = keras_or_skip()
    kwargs = {"value_range": (0, 1), "num_chains": 2, "chain_depth": 2, "factor": 0.4,
              "all_ops": not compare_images, "bounding_box_format": "xyxy"}  # fmt: skip
    data = data_dict("xyxy", (2, 10, 10, 3))
    for seed in range(100):
        transformation = AugMix(**kwargs, seed=seed).get_random_transformation(torch_dict(data))
        names = {op["layer_name"] for chain in transformation["chain_transforms"] for op in chain}
        usable = names <= DETERMINISTIC_GIVEN_DRAWS if compare_images else len(names) > 2
        if usable and names & {"random_shear", "random_translation", "random_rotation"}:
            break
    else:
        raise AssertionError("no seed draws the wanted operations")
    out = AugMix(**kwargs, seed=seed)(torch_dict(data), training=True)
    ref = keras.layers.AugMix(**kwargs)
    with quiet_keras():
        masks = ref.transform_segmentation_masks(
            torch_dict(data["segmentation_masks"]), fresh(transformation), training=True
        )
        expected = {**torch_dict(data), "segmentation_masks": masks}
        if compare_images:
            expected["images"] = ref.transform_images(expected["images"], fresh(transformation))
    if not compare_images:
        out.pop("images")
        expected.pop("images")
    assert_dicts_close(out, expected)
    assert not np.allclose(to_numpy(out["segmentation_masks"]), data["segmentation_masks"])


def test_aug_mix_dicts_need_a_format_mix_integer_masks_and_run_on_meta():
    boxes = {"boxes": torch.zeros(2, 1, 4), "labels": torch.zeros(2, 1)}
    with pytest.raises(ValueError, match="bounding_box_format"):
        AugMix()({"images": torch.rand(2, 8, 8, 3), "bounding_boxes": boxes})
    masks = torch.randint(0, 3, (8, 8, 1), dtype=torch.int32)
    layer = AugMix(value_range=(0, 1), bounding_box_format="xyxy", seed=2)
    out = layer({"images": torch.rand(8, 8, 3), "segmentation_masks": masks}, training=True)
    assert out["segmentation_masks"].dtype == torch.float32  # Keras 3.15 fails here
    assert out["segmentation_masks"].shape == (8, 8, 1)
    meta = {"images": torch.empty(2, 8, 8, 3, device="meta"),
            "segmentation_masks": torch.empty(2, 8, 8, 1, device="meta"),
            "bounding_boxes": {"boxes": torch.empty(2, 3, 4, device="meta"),
                               "labels": torch.empty(2, 3, device="meta")}}  # fmt: skip
    out = AugMix(bounding_box_format="rel_xyxy", seed=0)(meta)
    assert out["segmentation_masks"].device.type == "meta"
    assert out["bounding_boxes"]["boxes"].device.type == "meta"
