"""MaxPooling1D / 2D / 3D: Keras parity, TF "same" semantics, no input copies."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.pooling.max_pooling import (
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from tests.layer_checks import check_layer
from tests.layers.conv.cases import alternate_formats, input_shape
from tests.layers.conv.torch_calls import COPYING_FUNCTIONS, TorchCallRecorder
from tests.layers.pooling.tf_reference import tf_pool
from tests.oracle import keras_or_skip

CASES_1D = [
    {},
    {"pool_size": 3, "strides": 2, "padding": "same"},  # 7: symmetric
    {"pool_size": 2, "strides": 1, "padding": "same"},  # asymmetric, stride 1
    {"pool_size": 2, "strides": 3, "padding": "same"},  # asymmetric, stride 3
    {"pool_size": 3, "strides": 1, "padding": "valid"},
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "data_format"), alternate_formats(CASES_1D))
def test_max_pooling1d_matches_keras(kwargs, data_format):
    result = check_layer(
        MaxPooling1D, {**kwargs, "data_format": data_format}, input_shape(data_format, 2, (7,), 3)
    )
    pool = result.layer
    expected = tf_pool(
        result.inputs, pool.pool_size, pool.strides, pool.padding, "max", data_format
    )
    np.testing.assert_array_equal(result.output.numpy(), expected)


CASES_2D = [
    ({}, (6, 5)),
    ({"pool_size": 3, "strides": 2, "padding": "same"}, (7, 6)),  # rows symmetric, cols not
    ({"pool_size": (2, 3), "strides": (1, 2), "padding": "same"}, (5, 6)),
    ({"pool_size": 3, "strides": (2, 1), "padding": "valid"}, (7, 6)),
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "spatial", "data_format"), alternate_formats(CASES_2D))
def test_max_pooling2d_matches_keras(kwargs, spatial, data_format):
    result = check_layer(
        MaxPooling2D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, spatial, 3),
    )
    pool = result.layer
    expected = tf_pool(
        result.inputs, pool.pool_size, pool.strides, pool.padding, "max", data_format
    )
    np.testing.assert_array_equal(result.output.numpy(), expected)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "data_format"),
    alternate_formats([{}, {"pool_size": (2, 3, 2), "strides": (1, 2, 2), "padding": "same"}]),
)
def test_max_pooling3d_matches_keras(kwargs, data_format):
    result = check_layer(
        MaxPooling3D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 1, (4, 5, 3), 2),
    )
    pool = result.layer
    expected = tf_pool(
        result.inputs, pool.pool_size, pool.strides, pool.padding, "max", data_format
    )
    np.testing.assert_array_equal(result.output.numpy(), expected)


@pytest.mark.parity
def test_max_pooling2d_unknown_spatial_sizes_match_keras():
    keras = keras_or_skip()
    for padding in ("valid", "same"):
        ours = MaxPooling2D(3, 2, padding=padding)(Input((None, 9, 3)))
        ref = keras.layers.MaxPooling2D(3, 2, padding=padding)(keras.Input((None, 9, 3)))
        assert ours.shape == tuple(ref.shape)


def test_max_pooling_aliases_are_the_classes():
    assert MaxPool1D is MaxPooling1D
    assert MaxPool2D is MaxPooling2D
    assert MaxPool3D is MaxPooling3D


def test_max_pooling2d_is_built_without_weights_like_keras():
    layer = MaxPooling2D()
    assert layer.built
    assert layer.count_params() == 0
    assert layer.get_config()["strides"] == (2, 2)


@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 6, 3)),  # asymmetric
        ({"pool_size": 2, "strides": 1, "padding": "same"}, (2, 5, 5, 3)),  # asymmetric
        ({"pool_size": 2}, (2, 6, 6, 3)),
    ],
)
def test_max_pooling2d_channels_last_input_reaches_kernel_as_view(kwargs, shape):
    layer = MaxPooling2D(**kwargs)
    x = torch.randn(shape)
    with TorchCallRecorder() as recorder:
        y = layer(x)
    ((inputs, *_),) = recorder.args_of(F.max_pool2d)
    assert inputs.data_ptr() == x.data_ptr()
    assert inputs.stride() == x.permute(0, 3, 1, 2).stride()
    assert not recorder.names() & COPYING_FUNCTIONS
    expected = tf_pool(x.numpy(), layer.pool_size, layer.strides, layer.padding, "max")
    np.testing.assert_array_equal(y.numpy(), expected)


def test_max_pooling2d_same_never_picks_padding():
    x = -torch.ones(1, 4, 4, 1)  # all negative: a zero from padding would win
    y = MaxPooling2D(3, 2, padding="same")(x)
    assert torch.all(y == -1)


def test_max_pooling2d_rejects_bad_padding_and_rank():
    with pytest.raises(ValueError, match="either 'valid' or 'same'"):
        MaxPooling2D(padding="causal")
    with pytest.raises(ValueError, match="expected ndim=4"):
        MaxPooling2D()(torch.ones(2, 4, 4))
