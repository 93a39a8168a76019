import json

import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization
from kerastorch.models import Sequential
from kerastorch.saving import load_model
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_dicts_close, copy, data_dict
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import assert_close, keras_or_skip, to_numpy

CLAHE = ContrastLimitedAdaptiveHistogramEqualization


def _pixels(shape, dtype="float32", seed=0):
    return (images(shape, seed) * 255).astype(dtype)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"tile_grid_size": (2, 2)}, (2, 8, 8, 3)),
        ({"tile_grid_size": (3, 4), "clip_limit": 2.0}, (2, 7, 9, 2)),  # symmetric padding
        ({"tile_grid_size": (2, 2), "clip_limit": 0}, (1, 8, 8, 1)),  # no clipping
        (
            {"tile_grid_size": (2, 3), "clip_limit": 40.0, "data_format": "channels_first"},
            (2, 3, 10, 9),
        ),
    ],
)
def test_clahe_matches_keras(kwargs, shape):
    keras_or_skip()
    check_layer(CLAHE, kwargs, shape, input_data=_pixels(shape), atol=1e-4, training=True)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "x"),
    [
        ({}, _pixels((5, 6, 1), "uint8")),  # unbatched, tiles smaller than the padding
        ({"value_range": (0, 1), "tile_grid_size": (2, 2)}, images((2, 8, 8, 3))),
        ({"value_range": (-1, 1), "tile_grid_size": (4, 4)}, images((1, 16, 16, 3)) * 2 - 1),
    ],
)
def test_clahe_value_ranges_and_integer_images_match_keras(kwargs, x):
    keras = keras_or_skip()
    expected = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)(x)
    got = CLAHE(**kwargs)(torch.from_numpy(x), training=False)
    assert str(got.dtype) == str(expected.dtype)
    assert_close(got, expected, atol=1e-4)


def test_clahe_spreads_a_low_contrast_image_and_is_deterministic():
    x = torch.from_numpy(np.random.default_rng(0).integers(100, 120, (1, 16, 16, 1))).float()
    layer = CLAHE(tile_grid_size=(2, 2), clip_limit=10.0)
    y = layer(x)
    assert float(y.max() - y.min()) > 2 * float(x.max() - x.min())
    assert torch.equal(y, layer(x, training=False))


@pytest.mark.parity
def test_clahe_keras_file_round_trips_with_keras(tmp_path):
    keras = keras_or_skip()
    x = _pixels((2, 8, 8, 3))
    ours = Sequential([Input((8, 8, 3)), CLAHE(tile_grid_size=(2, 2), clip_limit=3.0)])
    ours.save(tmp_path / "ours.keras")
    theirs = keras.saving.load_model(tmp_path / "ours.keras")
    assert_close(to_numpy(theirs.predict(x, verbose=0)), ours.predict(x, verbose=0), atol=1e-4)
    theirs.save(tmp_path / "theirs.keras")
    back = load_model(tmp_path / "theirs.keras")
    configs = [json.dumps(m.layers[-1].get_config()) for m in (back, ours)]  # tuples as lists
    assert configs[0] == configs[1]
    assert_close(back.predict(x, verbose=0), ours.predict(x, verbose=0))


@pytest.mark.parity
@pytest.mark.parametrize(
    ("key", "training", "error"),
    [
        ("labels", False, NotImplementedError),
        ("bounding_boxes", True, ValueError),  # no `bounding_box_format`
        ("bounding_boxes", True, NotImplementedError),
        ("segmentation_masks", True, NotImplementedError),
        ("segmentation_masks", False, None),  # passes through at inference
    ],
)
def test_clahe_dict_inputs_behave_as_keras(key, training, error):

    keras = keras_or_skip()
    data = data_dict("xyxy", (2, 8, 8, 3))
    data = {"images": data["images"] * 255, key: data[key]}
    kwargs = {"tile_grid_size": (2, 2)}
    if error is not ValueError and key == "bounding_boxes":
        kwargs["bounding_box_format"] = "xyxy"
    ours = CLAHE(**kwargs)
    theirs = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    if error is None:
        assert_dicts_close(
            ours(copy(data), training=training), theirs(copy(data), training=training)
        )
        return
    for layer in (ours, theirs):
        with pytest.raises(error):
            layer(copy(data), training=training)
