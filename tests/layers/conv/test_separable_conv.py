"""SeparableConv1D / SeparableConv2D: Keras parity, weight order and layouts."""

import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.conv.separable_conv import (
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from tests.layer_checks import check_layer
from tests.layers.conv.cases import alternate_formats, input_shape
from tests.layers.conv.torch_calls import COPYING_FUNCTIONS, TorchCallRecorder


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "data_format"),
    alternate_formats(
        [
            {"filters": 4, "kernel_size": 3},
            {
                "filters": 4,
                "kernel_size": 3,
                "depth_multiplier": 2,
                "strides": 2,
                "padding": "same",
            },
            {
                "filters": 2,
                "kernel_size": 2,
                "padding": "same",
                "dilation_rate": 2,
                "use_bias": False,
            },
        ]
    ),
)
def test_separable_conv1d_matches_keras(kwargs, data_format):
    check_layer(
        SeparableConv1D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (7,), 3),
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "data_format"),
    alternate_formats(
        [
            {"filters": 4, "kernel_size": (3, 2)},
            {
                "filters": 4,
                "kernel_size": 3,
                "depth_multiplier": 2,
                "strides": 2,
                "padding": "same",
            },
            {"filters": 3, "kernel_size": 3, "dilation_rate": (1, 2), "activation": "relu"},
        ]
    ),
)
def test_separable_conv2d_matches_keras(kwargs, data_format):
    check_layer(
        SeparableConv2D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (6, 7), 3),
        expected_num_trainable_weights=3,
    )


def test_separable_conv2d_weights_in_keras_order_and_layout():
    layer = SeparableConv2D(5, (3, 2), depth_multiplier=2)
    layer.build((None, 8, 8, 3))
    assert [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert [w.shape for w in layer.weights] == [(3, 2, 3, 2), (1, 1, 6, 5), (5,)]
    assert layer.count_params() == 36 + 30 + 5
    assert list(layer.state_dict()) == ["depthwise.weight", "pointwise.weight", "pointwise.bias"]


def test_separable_conv_aliases_are_the_classes():
    assert SeparableConvolution1D is SeparableConv1D
    assert SeparableConvolution2D is SeparableConv2D


def test_separable_conv2d_runs_two_kernels_on_views_of_stored_weights():
    layer = SeparableConv2D(4, 3, padding="same")
    x = torch.randn(2, 5, 5, 3)
    layer(x)
    with TorchCallRecorder() as recorder:
        layer(x)
    depthwise, pointwise = recorder.args_of(F.conv2d)
    assert depthwise[0].data_ptr() == x.data_ptr()
    assert depthwise[1] is layer.depthwise.weight
    assert pointwise[1] is layer.pointwise.weight
    assert pointwise[2] is layer.pointwise.bias
    assert recorder.parameter_users() == {F.conv2d}
    assert not recorder.names() & COPYING_FUNCTIONS


def test_separable_conv1d_rejects_bad_filters():
    with pytest.raises(ValueError, match="filters=0"):
        SeparableConv1D(0, 3)
