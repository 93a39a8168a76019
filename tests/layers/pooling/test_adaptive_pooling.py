"""Adaptive average / max pooling 1D-3D: Keras parity (divisible and not), both formats."""

import numpy as np
import pytest
import torch

from kerastorch.layers.pooling import (
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)
from tests.layer_checks import check_layer
from tests.layers.keras_files import assert_keras_files_round_trip
from tests.oracle import assert_close

AVERAGE = (AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D)
MAX = (AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D)
# (spatial input size, output_size, expected spatial output): 7 -> 3 does not divide.
SIZES = {1: ((7,), 3, (3,)), 2: ((7, 6), (3, 2), (3, 2)), 3: ((5, 4, 3), (2, 3, 2), (2, 3, 2))}


def _shape(batch, spatial, channels, data_format):
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("layer_cls", AVERAGE + MAX, ids=lambda c: c.__name__)
def test_adaptive_pooling_matches_keras(layer_cls, data_format):
    spatial, output_size, expected = SIZES[layer_cls._rank]
    check_layer(
        layer_cls,
        {"output_size": output_size, "data_format": data_format},
        _shape(2, spatial, 3, data_format),
        expected_output_shape=_shape(2, expected, 3, data_format),
        expected_num_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize("layer_cls", [AdaptiveAveragePooling2D, AdaptiveMaxPooling2D])
def test_adaptive_pooling_to_a_larger_size_matches_keras(layer_cls):
    check_layer(
        layer_cls, {"output_size": (5, 4)}, (2, 3, 2, 2), expected_output_shape=(2, 5, 4, 2)
    )


def test_adaptive_pooling_uses_keras_windows_for_non_divisible_sizes():
    # Windows [floor(i*L/n), ceil((i+1)*L/n)): for L=7, n=3 they are [0,3), [2,5), [4,7).
    x = np.arange(7, dtype="float32").reshape(1, 7, 1)
    windows = [x[0, 0:3, 0], x[0, 2:5, 0], x[0, 4:7, 0]]
    avg = AdaptiveAveragePooling1D(3)(torch.from_numpy(x))
    top = AdaptiveMaxPooling1D(3)(torch.from_numpy(x))
    assert_close(avg[0, :, 0], np.array([w.mean() for w in windows]))
    assert_close(top[0, :, 0], np.array([w.max() for w in windows]))


def test_adaptive_pooling_int_output_size_and_config():
    layer = AdaptiveMaxPooling3D(2)
    assert layer.output_size == (2, 2, 2)
    assert AdaptiveMaxPooling3D.from_config(layer.get_config()).output_size == (2, 2, 2)


@pytest.mark.parametrize(
    ("layer_cls", "size", "error", "match"),
    [
        (AdaptiveAveragePooling1D, (2, 3), ValueError, "must have length 1"),
        (AdaptiveMaxPooling2D, (2, 3, 4), TypeError, r"\(height, width\) tuple"),
        (AdaptiveAveragePooling3D, "2", TypeError, r"\(depth, height, width\) tuple"),
    ],
)
def test_adaptive_pooling_bad_output_size_is_a_clear_error(layer_cls, size, error, match):
    with pytest.raises(error, match=match):
        layer_cls(size)


def test_adaptive_pooling_bad_data_format_is_a_clear_error():
    with pytest.raises(ValueError, match="Invalid data_format: nchw"):
        AdaptiveAveragePooling2D(2, data_format="nchw")


@pytest.mark.parity
def test_adaptive_pooling_keras_files_both_ways(tmp_path):
    def build(k, cls):
        inputs = k.Input((7, 6, 3))
        return k.Model(inputs, cls((3, 4))(inputs))

    x = np.random.default_rng(2).normal(size=(2, 7, 6, 3)).astype("float32")
    assert_keras_files_round_trip(tmp_path, build, x, AdaptiveAveragePooling2D)
