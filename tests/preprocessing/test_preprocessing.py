"""`kerastorch.preprocessing`: the same names as `keras.preprocessing`, aliasing `utils`."""

import inspect

import pytest

from kerastorch import preprocessing, utils
from kerastorch.utils import image_utils
from tests.oracle import keras_or_skip


def _public(module):
    return sorted(name for name in dir(module) if not name.startswith("_"))


@pytest.mark.parity
@pytest.mark.parametrize("path", ["", "image", "sequence"])
def test_namespaces_match_keras(path):
    keras = keras_or_skip()
    theirs, ours = keras.preprocessing, preprocessing
    if path:
        theirs, ours = getattr(theirs, path), getattr(ours, path)
    assert sorted(ours.__all__) == _public(theirs)


def test_names_alias_the_utils_functions():
    assert preprocessing.sequence.pad_sequences is utils.pad_sequences
    assert preprocessing.image.load_img is utils.load_img
    assert preprocessing.image.smart_resize is image_utils.smart_resize
    for name in (
        "image_dataset_from_directory",
        "text_dataset_from_directory",
        "timeseries_dataset_from_array",
    ):
        assert getattr(preprocessing, name) is getattr(utils, name)


@pytest.mark.parity
def test_utils_has_keras_data_names():
    keras = keras_or_skip()
    names = [
        "array_to_img",
        "audio_dataset_from_directory",
        "image_dataset_from_directory",
        "img_to_array",
        "load_img",
        "normalize",
        "pack_x_y_sample_weight",
        "pad_sequences",
        "save_img",
        "split_dataset",
        "text_dataset_from_directory",
        "timeseries_dataset_from_array",
        "to_categorical",
        "unpack_x_y_sample_weight",
    ]
    for name in names:
        assert hasattr(keras.utils, name)
        assert name in utils.__all__


SIGNED = [
    "array_to_img",
    "audio_dataset_from_directory",
    "image_dataset_from_directory",
    "img_to_array",
    "load_img",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "save_img",
    "split_dataset",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]


def _parameters(function):
    return [(p.name, p.default, p.kind) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parity
@pytest.mark.parametrize("name", SIGNED)
def test_signatures_match_keras(name):
    """Keras's parameters, in order and with its defaults (kerastorch extensions after)."""
    keras = keras_or_skip()
    theirs = _parameters(getattr(keras.utils, name))
    ours = _parameters(getattr(utils, name))
    assert ours[: len(theirs)] == theirs
    assert [p[0] for p in ours[len(theirs) :]] in ([], ["num_workers"])
    smart = keras.preprocessing.image.smart_resize
    assert _parameters(preprocessing.image.smart_resize) == _parameters(smart)
