"""imagenet_utils against Keras: preprocessing modes, input-shape rules, decode_predictions."""

import hashlib
import json

import numpy as np
import pytest
import torch

from kerastorch.applications import imagenet_utils
from tests.oracle import assert_close, keras_or_skip


def _keras_utils():
    keras_or_skip()
    from keras.src.applications import imagenet_utils as theirs

    return theirs


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape", [(2, 4, 4, 3), (4, 4, 3)])
@pytest.mark.parametrize("kind", ["numpy", "tensor", "uint8"])
def test_preprocess_input_matches_keras(mode, data_format, shape, kind):
    theirs = _keras_utils()
    if data_format == "channels_first":
        shape = (shape[0], 3, *shape[1:-1]) if len(shape) == 4 else (3, *shape[:-1])
    x = np.random.default_rng(0).uniform(0, 255, shape).astype("float32")
    if kind == "uint8":
        x = x.astype("uint8")
    ours_in = torch.tensor(x) if kind == "tensor" else x.copy()
    theirs_in = torch.tensor(x) if kind == "tensor" else x.copy()
    ours = imagenet_utils.preprocess_input(ours_in, data_format=data_format, mode=mode)
    expected = theirs.preprocess_input(theirs_in, data_format=data_format, mode=mode)
    assert type(ours) is type(expected)
    assert str(ours.dtype) == str(expected.dtype)
    assert_close(ours, expected, atol=1e-4)
    if kind == "numpy":
        np.testing.assert_array_equal(ours_in, x)  # the caller's array is left alone


@pytest.mark.parity
@pytest.mark.parametrize(
    ("input_shape", "require_flatten", "weights"),
    [
        (None, True, "imagenet"),
        (None, False, None),
        ((224, 224, 3), True, "imagenet"),
        ((100, 100, 3), False, "imagenet"),
        ((64, 80, 1), False, None),
        ((None, None, 3), False, None),
    ],
)
def test_obtain_input_shape_matches_keras(input_shape, require_flatten, weights):
    theirs = _keras_utils()
    args = (input_shape, 224, 32, "channels_last", require_flatten, weights)
    assert imagenet_utils.obtain_input_shape(*args) == theirs.obtain_input_shape(*args)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("input_shape", "require_flatten", "weights", "message"),
    [
        ((100, 100, 3), True, "imagenet", "should be"),
        ((16, 16, 3), False, None, "at least 32x32"),
        ((64, 64, 1), False, "imagenet", "3 channels"),
        ((64, 64), False, None, "three integers"),
        ((None, None, 3), True, None, "static"),
    ],
)
def test_obtain_input_shape_errors_match_keras(input_shape, require_flatten, weights, message):
    theirs = _keras_utils()
    args = (input_shape, 224, 32, "channels_last", require_flatten, weights)
    with pytest.raises(ValueError, match=message) as ours:
        imagenet_utils.obtain_input_shape(*args)
    with pytest.raises(ValueError) as expected:
        theirs.obtain_input_shape(*args)
    assert str(ours.value) == str(expected.value)


def test_decode_predictions_reads_the_class_index_through_keras_cache(tmp_path, monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    models = tmp_path / "models"
    models.mkdir()
    (models / "imagenet_class_index.json").write_text(json.dumps(index))
    digest = hashlib.md5((models / "imagenet_class_index.json").read_bytes()).hexdigest()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "_CLASS_INDEX_HASH", digest)
    monkeypatch.setattr(imagenet_utils, "_CLASS_INDEX", {})
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7]] = [0.9, 0.1]
    preds[1, 999] = 1.0
    decoded = imagenet_utils.decode_predictions(preds, top=2)
    assert [r[:2] for r in decoded[0]] == [("n00000003", "class_3"), ("n00000007", "class_7")]
    assert decoded[1][0][1] == "class_999"
    assert decoded[0][0][2] == pytest.approx(0.9)
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_validate_weights_and_activation():
    with pytest.raises(ValueError, match="classes` should be 1000"):
        imagenet_utils.validate_weights("imagenet", include_top=True, classes=10)
    with pytest.raises(ValueError, match="path to the weights file"):
        imagenet_utils.validate_weights("/no/such/file.h5", include_top=False, classes=10)
    imagenet_utils.validate_weights(None, include_top=True, classes=10)
    with pytest.raises(ValueError, match="Only `None` and `softmax`"):
        imagenet_utils.validate_activation("relu", "imagenet")
    imagenet_utils.validate_activation("softmax", "imagenet")
    imagenet_utils.validate_activation("relu", None)
