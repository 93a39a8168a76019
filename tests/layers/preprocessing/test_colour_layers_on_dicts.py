"""Keras's dict inputs on the colour layers (images-only `call`, wrapped by the base class).

As in Keras 3.15, a dict in gives a dict out: the images are transformed, the labels, the
(densified) bounding boxes and the segmentation masks pass through unchanged.
"""

import pytest
import torch

import kerastorch.layers.preprocessing as ours_module
from tests.layers.preprocessing.augment_oracle import quiet_keras
from tests.layers.preprocessing.box_oracle import assert_dicts_close, copy, data_dict
from tests.oracle import keras_or_skip

VALUE_RANGE = {"value_range": (0, 1)}
LAYERS = [  # (name, kwargs): each deterministic at `training=False`
    ("AutoContrast", VALUE_RANGE),
    ("Equalization", VALUE_RANGE),
    ("RandomBrightness", {"factor": 0.3, **VALUE_RANGE}),
    ("RandomColorDegeneration", {"factor": 0.3, **VALUE_RANGE}),
    ("RandomColorJitter", {"brightness_factor": 0.2, "hue_factor": 0.2, **VALUE_RANGE}),
    ("RandomContrast", {"factor": 0.3}),
    ("RandomGrayscale", {"factor": 0.5}),
    ("RandomHue", {"factor": 0.3, **VALUE_RANGE}),
    ("RandomInvert", {"factor": 0.5, **VALUE_RANGE}),
    ("RandomPosterization", {"factor": 4, **VALUE_RANGE}),
    ("RandomSaturation", {"factor": 0.3, **VALUE_RANGE}),
    ("RandomSharpness", {"factor": 0.3, **VALUE_RANGE}),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": 0.3, **VALUE_RANGE}),
]
IDS = [name for name, _ in LAYERS]


def _kwargs(name, kwargs):
    kwargs = {**kwargs, "bounding_box_format": "center_yxhw", "seed": 2}
    if name in ("AutoContrast", "Equalization"):
        kwargs.pop("seed")
    return kwargs


def _keras_call(layer, data, training):
    """Keras's output on a dict; for RandomGrayscale, which Keras 3.15 cannot run on a dict
    (its `get_random_transformation` reads `data.shape`), its passthrough (what it means)."""
    if type(layer).__name__ == "RandomGrayscale":
        with pytest.raises(AttributeError, match="shape"):
            layer(copy(data), training=training)
        return {**copy(data), "images": layer(copy(data["images"]), training=False)}
    with quiet_keras():
        return layer(copy(data), training=training)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), LAYERS, ids=IDS)
def test_colour_layers_match_keras_on_dicts(name, kwargs):
    keras = keras_or_skip()
    data = data_dict("center_yxhw", (2, 6, 5, 3))
    kwargs = _kwargs(name, kwargs)
    ours, theirs = getattr(ours_module, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    assert_dicts_close(ours(copy(data), training=False), _keras_call(theirs, data, False))
    out = ours(copy(data), training=True)
    assert out["bounding_boxes"]["boxes"].dtype == torch.float32  # densified, as in Keras
    twin = getattr(ours_module, name)(**kwargs)  # the same seed: the same images
    assert torch.equal(out["images"], twin(torch.from_numpy(data["images"]), training=True))
    expected = _keras_call(theirs, data, True)
    out.pop("images")
    expected.pop("images")
    assert_dicts_close(out, expected)


@pytest.mark.parametrize(("name", "kwargs"), LAYERS, ids=IDS)
def test_colour_layers_on_dicts_need_a_box_format_and_keep_one_image_dicts(name, kwargs):
    layer = getattr(ours_module, name)(**kwargs)
    boxes = {"boxes": [[1.0, 2.0, 3.0, 4.0]], "labels": [3]}
    data = {"images": torch.rand(5, 4, 3), "bounding_boxes": boxes, "labels": torch.tensor(1)}
    with pytest.raises(ValueError, match="bounding_box_format"):
        layer(data)
    layer.bounding_box_format = "xyxy"
    data["segmentation_masks"] = torch.ones(5, 4, 1, dtype=torch.int32)
    out = layer(data, training=True)
    assert out["images"].shape == (5, 4, 3)
    assert out["bounding_boxes"]["boxes"].tolist() == [[1.0, 2.0, 3.0, 4.0]]
    assert out["bounding_boxes"]["labels"].tolist() == [3]
    assert torch.equal(out["segmentation_masks"], data["segmentation_masks"])
    assert out["labels"].tolist() == 1
