import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.max_num_bounding_box import MaxNumBoundingBoxes
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_dicts_close, copy
from tests.oracle import assert_close, keras_or_skip


def _data(num_boxes, batched=True):
    rng = np.random.default_rng(num_boxes)
    lead = (2,) if batched else ()
    return {
        "images": rng.random((*lead, 6, 6, 3)).astype("float32"),
        "bounding_boxes": {
            "boxes": rng.random((*lead, num_boxes, 4)).astype("float32") * 6,
            "labels": rng.integers(0, 5, (*lead, num_boxes)).astype("int32"),
        },
    }


@pytest.mark.parity
def test_max_num_bounding_boxes_passes_images_through_and_config_matches_keras():
    keras_or_skip()
    check_layer(MaxNumBoundingBoxes, {"max_number": 4}, (2, 6, 6, 3))
    check_layer(MaxNumBoundingBoxes, {"max_number": 2, "bounding_box_format": "xyxy"},
                (2, 6, 6, 3), training=True)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "num_boxes", "batched"),
    [
        ({"max_number": 5}, 3, True),  # padded
        ({"max_number": 2}, 3, True),  # truncated
        ({"max_number": 3, "fill_value": 0}, 1, True),
        ({"max_number": 4}, 2, False),  # one image
    ],
)
def test_max_num_bounding_boxes_pads_and_truncates_as_keras(kwargs, num_boxes, batched):
    keras = keras_or_skip()
    kwargs = {**kwargs, "bounding_box_format": "xyxy"}
    expected = keras.layers.MaxNumBoundingBoxes(**kwargs)(_data(num_boxes, batched))
    got = MaxNumBoundingBoxes(**kwargs)(_data(num_boxes, batched))
    for key in ("boxes", "labels"):
        ours, theirs = got["bounding_boxes"][key], expected["bounding_boxes"][key]
        assert str(ours.dtype) == str(theirs.dtype)
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert_close(ours, theirs)
    assert_close(got["images"], expected["images"])


def test_max_num_bounding_boxes_fills_and_keeps_other_entries():
    data = _data(1)
    data["labels"] = np.array([0, 1])
    out = MaxNumBoundingBoxes(max_number=3, fill_value=-7, bounding_box_format="yxyx")(data)
    assert out["bounding_boxes"]["labels"][:, 1:].tolist() == [[-7, -7], [-7, -7]]
    assert bool((out["bounding_boxes"]["boxes"][:, 1:] == -7).all())
    assert torch.equal(out["labels"], torch.tensor([0, 1]))
    restored = MaxNumBoundingBoxes.from_config(
        MaxNumBoundingBoxes(max_number=3, fill_value=-7).get_config()
    )
    assert restored.fill_value == -7


def test_max_num_bounding_boxes_needs_a_box_format():
    with pytest.raises(ValueError, match="bounding_box_format"):
        MaxNumBoundingBoxes(max_number=2)(_data(1))


@pytest.mark.parity
@pytest.mark.parametrize("batched", [True, False])
def test_max_num_bounding_boxes_whole_dicts_match_keras(batched):
    """Integer boxes are densified to float32 first; labels and masks pass through."""

    keras = keras_or_skip()
    data = _data(3, batched)
    data["bounding_boxes"]["boxes"] = data["bounding_boxes"]["boxes"].astype("int64")
    lead = (2,) if batched else ()
    data["segmentation_masks"] = np.ones((*lead, 6, 6, 1), dtype="int32")
    data["labels"] = np.arange(2) if batched else np.int64(1)
    kwargs = {"max_number": 5, "bounding_box_format": "rel_xyxy"}
    expected = keras.layers.MaxNumBoundingBoxes(**kwargs)(copy(data), training=False)
    got = MaxNumBoundingBoxes(**kwargs)(copy(data), training=False)
    assert got["bounding_boxes"]["boxes"].dtype == torch.float32
    assert got["segmentation_masks"].dtype == torch.int32
    assert_dicts_close(got, expected)
