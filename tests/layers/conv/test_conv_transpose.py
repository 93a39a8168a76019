"""Conv1DTranspose / Conv2DTranspose / Conv3DTranspose: Keras's output sizes and values."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.conv.conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
    transpose_crops,
    transpose_output_size,
)
from kerastorch.layers.core.input_layer import Input
from tests.layer_checks import check_layer
from tests.layers.conv.cases import alternate_formats, input_shape
from tests.layers.conv.torch_calls import COPYING_FUNCTIONS, TorchCallRecorder
from tests.oracle import keras_or_skip

CONV1D_TRANSPOSE_CASES = [
    {"filters": 3, "kernel_size": 3},
    {"filters": 3, "kernel_size": 3, "strides": 2},
    {"filters": 3, "kernel_size": 2, "strides": 3},  # valid: (n - 1) * s + max(k, s)
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},  # odd kernel, stride 2
    {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 3, "strides": 3, "padding": "same", "output_padding": 2},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "valid", "output_padding": 1},
    {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 2, "padding": "same", "activation": "relu", "use_bias": False},
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "data_format"), alternate_formats(CONV1D_TRANSPOSE_CASES))
def test_conv1d_transpose_matches_keras(kwargs, data_format):
    check_layer(
        Conv1DTranspose,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (5,), 2),
    )


CONV2D_TRANSPOSE_CASES = [
    {"filters": 2, "kernel_size": (3, 2)},
    {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 2, "kernel_size": (3, 4), "strides": (2, 3), "padding": "same"},
    {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": (0, 1)},
    {"filters": 2, "kernel_size": 2, "strides": (1, 2), "padding": "valid", "output_padding": 0},
    {"filters": 2, "kernel_size": 3, "dilation_rate": (2, 1), "padding": "valid"},
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "data_format"), alternate_formats(CONV2D_TRANSPOSE_CASES))
def test_conv2d_transpose_matches_keras(kwargs, data_format):
    check_layer(
        Conv2DTranspose,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (4, 3), 3),
        expected_num_trainable_weights=2,
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "data_format"),
    alternate_formats(
        [
            {"filters": 2, "kernel_size": 2, "strides": 2},
            {"filters": 2, "kernel_size": 3, "strides": (2, 1, 2), "padding": "same"},
        ]
    ),
)
def test_conv3d_transpose_matches_keras(kwargs, data_format):
    check_layer(
        Conv3DTranspose,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 1, (3, 2, 3), 2),
    )


@pytest.mark.parity
def test_conv2d_transpose_unknown_spatial_sizes_match_keras():
    keras = keras_or_skip()
    for padding in ("valid", "same"):
        ours = Conv2DTranspose(4, 3, strides=2, padding=padding)(Input((None, 5, 3)))
        ref = keras.layers.Conv2DTranspose(4, 3, strides=2, padding=padding)(
            keras.Input((None, 5, 3))
        )
        assert ours.shape == tuple(ref.shape)


def test_conv2d_transpose_kernel_layout_is_filters_then_inputs():
    layer = Conv2DTranspose(5, (3, 2))
    layer.build((None, 4, 4, 7))
    assert layer.kernel.shape == (3, 2, 5, 7)
    assert tuple(layer.conv.weight.shape) == (7, 5, 3, 2)
    np.testing.assert_array_equal(
        layer.get_weights()[0], layer.conv.weight.detach().numpy().transpose(2, 3, 1, 0)
    )
    assert layer.count_params() == 3 * 2 * 5 * 7 + 5


def test_conv_transpose_aliases_are_the_classes():
    assert Convolution1DTranspose is Conv1DTranspose
    assert Convolution2DTranspose is Conv2DTranspose
    assert Convolution3DTranspose is Conv3DTranspose


@pytest.mark.parametrize(
    ("args", "size"),
    [
        ((5, 3, 2, "same", None, 1), 10),
        ((5, 3, 2, "valid", None, 1), 11),
        ((5, 2, 3, "valid", None, 1), 15),
        ((5, 3, 3, "same", 2, 1), 15),
        ((5, 3, 1, "same", None, 2), 5),
        ((None, 3, 2, "same", None, 1), None),
    ],
)
def test_transpose_output_size_follows_keras(args, size):
    assert transpose_output_size(*args) == size


def test_transpose_crops_agree_with_output_size():
    for kernel in (1, 2, 3, 4):
        for stride in (1, 2, 3):
            for padding in ("valid", "same"):
                for output_padding in (None, *range(stride)):
                    start, end = transpose_crops(kernel, stride, padding, output_padding, 1)
                    natural = (5 - 1) * stride + kernel
                    expected = transpose_output_size(5, kernel, stride, padding, output_padding, 1)
                    assert natural - start - end == expected


def test_conv2d_transpose_rejects_output_padding_not_below_strides():
    with pytest.raises(ValueError, match="`output_padding` must be strictly less than `strides`"):
        Conv2DTranspose(2, 3, strides=2, output_padding=2)


def test_conv2d_transpose_rejects_causal_padding():
    with pytest.raises(ValueError, match="`padding` argument"):
        Conv1DTranspose(2, 3, padding="causal")


def test_conv2d_transpose_channels_last_input_reaches_kernel_as_view():
    layer = Conv2DTranspose(2, 3, strides=2, padding="same")
    x = torch.randn(2, 4, 3, 3)
    layer(x)  # build
    with TorchCallRecorder() as recorder:
        y = layer(x)
    ((inputs, weight, bias, *_),) = recorder.args_of(F.conv_transpose2d)
    assert inputs.data_ptr() == x.data_ptr()
    assert inputs.stride() == x.permute(0, 3, 1, 2).stride()
    assert weight is layer.conv.weight
    assert bias is layer.conv.bias
    assert recorder.parameter_users() == {F.conv_transpose2d}
    assert not recorder.names() & COPYING_FUNCTIONS
    assert y.shape == (2, 8, 6, 2)
