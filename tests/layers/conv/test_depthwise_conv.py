"""DepthwiseConv1D / DepthwiseConv2D: Keras parity and the depthwise kernel layout."""

import pickle

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.conv.depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from tests.layer_checks import check_layer
from tests.layers.conv.cases import alternate_formats, input_shape
from tests.layers.conv.torch_calls import COPYING_FUNCTIONS, TorchCallRecorder


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "data_format"),
    alternate_formats(
        [
            {"kernel_size": 3},
            {"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
            {"kernel_size": 2, "padding": "same", "dilation_rate": 2, "use_bias": False},
            {
                "kernel_size": 3,
                "depth_multiplier": 3,
                "activation": "relu",
                "bias_initializer": "ones",
            },
        ]
    ),
)
def test_depthwise_conv1d_matches_keras(kwargs, data_format):
    check_layer(
        DepthwiseConv1D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (8,), 3),
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "data_format"),
    alternate_formats(
        [
            {"kernel_size": (3, 2)},
            {"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
            {"kernel_size": 3, "strides": (1, 2), "padding": "same", "depthwise_regularizer": "l2"},
            {"kernel_size": 2, "dilation_rate": (2, 1), "depth_multiplier": 2},
        ]
    ),
)
def test_depthwise_conv2d_matches_keras(kwargs, data_format):
    check_layer(
        DepthwiseConv2D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (6, 5), 3),
        expected_num_trainable_weights=2,
    )


def test_depthwise_conv2d_kernel_layout_maps_channel_and_multiplier():
    layer = DepthwiseConv2D((3, 2), depth_multiplier=4)
    layer.build((None, 6, 6, 3))
    kernel = layer.get_weights()[0]
    assert kernel.shape == (3, 2, 3, 4)
    assert tuple(layer.conv.weight.shape) == (12, 1, 3, 2)
    torch_weight = layer.conv.weight.detach().numpy()
    # Output channel c * depth_multiplier + m comes from input channel c and filter m.
    for c in range(3):
        for m in range(4):
            np.testing.assert_array_equal(kernel[:, :, c, m], torch_weight[c * 4 + m, 0])
    assert layer.kernel.value.data_ptr() == layer.conv.weight.data_ptr()  # a view
    new = np.arange(72, dtype="float32").reshape(3, 2, 3, 4)
    layer.set_weights([new, np.zeros(12, "float32")])
    np.testing.assert_array_equal(layer.get_weights()[0], new)
    assert layer.count_params() == 72 + 12


def test_depthwise_conv2d_channels_last_input_reaches_kernel_as_view():
    layer = DepthwiseConv2D(3, depth_multiplier=2, padding="same")
    x = torch.randn(2, 5, 5, 3)
    layer(x)
    with TorchCallRecorder() as recorder:
        y = layer(x)
    ((inputs, weight, bias, *rest),) = recorder.args_of(F.conv2d)
    assert inputs.data_ptr() == x.data_ptr()
    assert weight is layer.conv.weight
    assert bias is layer.conv.bias
    assert rest[-1] == 3  # groups = channels
    assert recorder.parameter_users() == {F.conv2d}
    assert not recorder.names() & COPYING_FUNCTIONS
    assert y.shape == (2, 5, 5, 6)


def test_depthwise_conv2d_rejects_bad_depth_multiplier():
    with pytest.raises(ValueError, match="depth_multiplier=0"):
        DepthwiseConv2D(3, depth_multiplier=0)


def test_depthwise_conv2d_survives_pickling_with_its_layout_views():
    layer = DepthwiseConv2D(3, depth_multiplier=2)
    x = torch.randn(1, 5, 5, 3)
    y = layer(x)
    copy = pickle.loads(pickle.dumps(layer))
    torch.testing.assert_close(copy(x), y)
    assert [w.shape for w in copy.weights] == [(3, 3, 3, 2), (6,)]
