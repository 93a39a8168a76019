import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.bounding_boxes.validation import (
    densify_bounding_boxes,
    validate_bounding_boxes,
)


def test_densify_pads_ragged_batched_lists_with_keras_defaults():
    data = {"boxes": [[[0, 0, 1, 1]], [[0, 0, 2, 2], [1, 1, 3, 3]]], "labels": [[1], [2, 3]]}
    out = densify_bounding_boxes(data, is_batched=True)
    assert out["boxes"].dtype == torch.float32
    assert out["labels"].dtype == torch.int32
    assert out["boxes"][0].tolist() == [[0, 0, 1, 1], [0, 0, 0, 0]]
    assert out["labels"].tolist() == [[1, -1], [2, 3]]
    out = densify_bounding_boxes(data, is_batched=True, max_boxes=1, labels_default_value=-2)
    assert out["labels"].tolist() == [[1], [2]]


def test_densify_tensors_and_empty_boxes():
    out = densify_bounding_boxes({"boxes": np.ones((2, 3, 4)), "labels": np.ones((2, 3))})
    assert out["boxes"].dtype == torch.float32
    assert out["labels"].dtype == torch.float64
    empty = densify_bounding_boxes({"boxes": [[], []], "labels": [[], []]}, is_batched=True)
    assert tuple(empty["boxes"].shape) == (2, 0, 4)


@pytest.mark.parity
@pytest.mark.parametrize(
    "data",
    [
        {"boxes": np.zeros((1, 4))},
        {"boxes": [[0, 0, 1, 1]], "labels": np.zeros(1)},
        {"boxes": [[0, 0, 1, 1]], "labels": [1, 2]},
        {"boxes": np.zeros((1, 4)), "labels": np.zeros((1, 1, 1))},
        {"boxes": np.zeros((1, 1, 4)), "labels": np.zeros(1)},
        {"boxes": np.zeros(4), "labels": np.zeros(1)},
    ],
)
def test_validate_errors_match_keras(data):
    from tests.oracle import keras_or_skip

    keras_or_skip()
    from keras.src.layers.preprocessing.image_preprocessing.bounding_boxes import validation

    with pytest.raises(ValueError) as theirs:
        validation.validate_bounding_boxes(data)
    with pytest.raises(ValueError) as ours:
        validate_bounding_boxes(data)
    assert str(ours.value).replace(" ", "") == str(theirs.value).replace(" ", "")
