import pytest
import torch

from kerastorch.layers.preprocessing.random_erasing import RandomErasing
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs", [{}, {"factor": 0.5, "scale": (0.1, 0.4), "fill_value": [1, 2, 3], "seed": 2}]
)
def test_random_erasing_is_identity_at_inference_and_config_matches_keras(kwargs):
    keras_or_skip()
    check_layer(RandomErasing, kwargs, (2, 8, 7, 3), training=False)


@pytest.mark.parity
def test_random_erasing_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomErasing, {"seed": 1}, (2, 8, 8, 3), training=True, deterministic=False)


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"factor": (1.0, 1.0), "scale": (1.0, 1.0), "fill_value": 0.25, "value_range": (0, 1)},
        {"factor": (1.0, 1.0), "scale": (1.0, 1.0), "fill_value": 300.0},  # clipped to 255
        {"factor": 0.0, "scale": (1.0, 1.0), "fill_value": 0.5},  # never applied
    ],
)
def test_random_erasing_with_pinned_parameters_matches_keras(kwargs):
    assert_matches_keras(RandomErasing(**kwargs), "RandomErasing", kwargs, images(),
                         training=True)  # fmt: skip


def test_random_erasing_erases_one_box_per_image_with_the_fill_value():
    x = torch.full((64, 10, 12, 3), 0.5)
    y = RandomErasing(factor=0.5, fill_value=[0.0, 0.25, 1.0], value_range=(0, 1), seed=0)(
        x, training=True
    )
    erased = y[..., 0] != 0.5
    counts = erased.flatten(1).sum(1)
    assert 10 < int((counts > 0).sum()) < 54  # about half the images
    for i in range(64):
        if counts[i]:
            rows, cols = erased[i].nonzero().T
            assert int((rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)) == counts[i]
            assert y[i][erased[i]].unique(dim=0).tolist() == [[0.0, 0.25, 1.0]]


def test_random_erasing_noise_fill_is_seeded_and_clipped():
    x = torch.from_numpy(images((4, 3, 8, 8)))
    kwargs = {"scale": (0.3, 0.3), "value_range": (0, 1), "seed": 3,
              "data_format": "channels_first"}  # fmt: skip
    a, b = RandomErasing(**kwargs)(x, training=True), RandomErasing(**kwargs)(x, training=True)
    assert torch.equal(a, b)
    assert not torch.equal(a, x)
    assert float(a.min()) >= 0
    assert float(a.max()) <= 1
    single = RandomErasing(**{**kwargs, "data_format": "channels_last"})(x[0].permute(1, 2, 0))
    assert single.shape == (8, 8, 3)


def test_random_erasing_validates_arguments():
    with pytest.raises(ValueError, match="scale"):
        RandomErasing(scale=(0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="fill_value"):
        RandomErasing(fill_value=[1, 2])


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": 1, "factor": (0.5, 1.0), "bounding_box_format": "xyxy"},
        {"seed": 2, "fill_value": [0.1, 0.5, 0.9], "value_range": (0, 1),
         "bounding_box_format": "rel_xywh"},
        {"seed": 3, "fill_value": 0.3, "data_format": "channels_first",
         "bounding_box_format": "xyxy"},
    ],
)  # fmt: skip
def test_random_erasing_dict_matches_keras_hooks_on_our_draws(kwargs):

    fmt, channels_first = kwargs["bounding_box_format"], "data_format" in kwargs
    shape = (3, 3, 9, 8) if channels_first else (3, 9, 8, 3)
    data = data_dict(fmt, shape, channels_first=channels_first)
    out = assert_transforms_match_keras(RandomErasing, "RandomErasing", kwargs, data)
    assert torch.equal(out["labels"], torch.from_numpy(data["labels"]))
    assert torch.equal(
        out["bounding_boxes"]["boxes"], torch.from_numpy(data["bounding_boxes"]["boxes"])
    )
    assert not torch.equal(out["images"], torch.from_numpy(data["images"]))


def test_random_erasing_dict_needs_a_box_format_and_runs_without_host_sync():
    boxes = {"boxes": torch.zeros(2, 1, 4), "labels": torch.zeros(2, 1)}
    with pytest.raises(ValueError, match="bounding_box_format"):
        RandomErasing()({"images": torch.rand(2, 4, 4, 3), "bounding_boxes": boxes})
    meta = {"images": torch.empty(2, 6, 5, 3, device="meta"),
            "segmentation_masks": torch.empty(2, 6, 5, 1, device="meta")}  # fmt: skip
    out = RandomErasing(seed=1)(meta, training=True)
    assert out["images"].device.type == "meta"
    assert out["images"].shape == (2, 6, 5, 3)
