"""Conv1D / Conv2D / Conv3D: Keras parity across formats, paddings, strides, dilation, groups."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.conv import Conv1D, Conv2D, Conv3D, Convolution1D, Convolution2D
from kerastorch.layers.conv.conv3d import Convolution3D
from kerastorch.layers.core.input_layer import Input
from tests.layer_checks import check_layer
from tests.layers.conv.cases import alternate_formats, input_shape
from tests.layers.conv.torch_calls import COPYING_FUNCTIONS, TorchCallRecorder
from tests.oracle import assert_close, keras_or_skip

CONV1D_CASES = [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2},
    {"filters": 4, "kernel_size": 2, "padding": "same"},  # asymmetric "same", stride 1
    {"filters": 4, "kernel_size": 3, "padding": "same", "dilation_rate": 2},
    {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
    {"filters": 4, "kernel_size": 3, "padding": "causal", "strides": 2, "activation": "relu"},
    {"filters": 6, "kernel_size": 3, "groups": 2, "use_bias": False},
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "data_format"), alternate_formats(CONV1D_CASES))
def test_conv1d_matches_keras(kwargs, data_format):
    check_layer(
        Conv1D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, (7,), 4),
        expected_num_trainable_weights=1 if kwargs.get("use_bias") is False else 2,
    )


CONV2D_CASES = [
    ({"filters": 3, "kernel_size": (3, 2)}, (5, 5)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (7, 6)),  # 6: asym
    ({"filters": 3, "kernel_size": 3, "strides": (2, 1), "padding": "valid"}, (7, 6)),
    ({"filters": 3, "kernel_size": 2, "padding": "same", "activation": "tanh"}, (5, 4)),
    ({"filters": 3, "kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"}, (7, 6)),
    ({"filters": 4, "kernel_size": 3, "groups": 2, "padding": "same", "strides": 3}, (8, 7)),
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "spatial", "data_format"), alternate_formats(CONV2D_CASES))
def test_conv2d_matches_keras(kwargs, spatial, data_format):
    check_layer(
        Conv2D,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, spatial, 2),
        expected_num_trainable_weights=2,
    )


CONV3D_CASES = [
    {"filters": 2, "kernel_size": 2},
    {"filters": 2, "kernel_size": (3, 2, 2), "strides": 2, "padding": "same"},
    {"filters": 4, "kernel_size": 2, "groups": 2, "dilation_rate": (1, 2, 1), "padding": "same"},
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "data_format"), alternate_formats(CONV3D_CASES))
def test_conv3d_matches_keras(kwargs, data_format):
    check_layer(
        Conv3D, {**kwargs, "data_format": data_format}, input_shape(data_format, 1, (5, 4, 3), 2)
    )


@pytest.mark.parity
def test_conv2d_unknown_spatial_sizes_match_keras():
    keras = keras_or_skip()
    for padding in ("valid", "same"):
        ours = Conv2D(4, 3, strides=2, padding=padding)(Input((None, 9, 3)))
        ref = keras.layers.Conv2D(4, 3, strides=2, padding=padding)(keras.Input((None, 9, 3)))
        assert ours.shape == tuple(ref.shape)


@pytest.mark.parity
def test_conv2d_regularizer_loss_and_initializer_fans_match_keras():
    keras = keras_or_skip()
    kwargs = {"kernel_regularizer": "l2", "bias_regularizer": "l1", "bias_initializer": "ones"}
    ref = keras.layers.Conv2D(4, (3, 2), **kwargs)
    ours = Conv2D(4, (3, 2), **kwargs)
    ref.build((None, 6, 6, 5))
    ours.build((None, 6, 6, 5))
    ours.set_weights(ref.get_weights())
    assert len(ours.losses) == len(ref.losses) == 2
    assert_close([loss.detach() for loss in ours.losses], [loss.detach() for loss in ref.losses])
    # Glorot fans come from the Keras-layout shape: the same uniform limit as Keras's.
    fresh = Conv2D(4, (3, 2), kernel_initializer="glorot_uniform")
    fresh.build((None, 6, 6, 5))
    limit = np.sqrt(6.0 / (3 * 2 * 5 + 3 * 2 * 4))
    kernel = fresh.get_weights()[0]
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.8 * limit


@pytest.mark.parity
def test_conv2d_kernel_constraint_applies_in_keras_layout():
    keras = keras_or_skip()
    ref = keras.layers.Conv2D(3, 2, kernel_constraint=keras.constraints.MaxNorm(0.5, axis=[0, 1]))
    ours = Conv2D(
        3,
        2,
        kernel_constraint={"class_name": "MaxNorm", "config": {"max_value": 0.5, "axis": [0, 1]}},
    )
    ref.build((None, 4, 4, 2))
    ours.build((None, 4, 4, 2))
    ours.set_weights(ref.get_weights())
    ours.kernel.apply_constraint()
    expected = ref.kernel_constraint(ref.kernel)
    assert_close(ours.kernel.numpy(), expected)


def test_conv_aliases_are_the_classes():
    assert Convolution1D is Conv1D
    assert Convolution2D is Conv2D
    assert Convolution3D is Conv3D


def test_conv2d_weights_are_keras_layout_views_of_torch_storage():
    layer = Conv2D(5, (3, 2), groups=1)
    layer.build((None, 6, 6, 4))
    assert layer.kernel.shape == (3, 2, 4, 5)
    assert tuple(layer.conv.weight.shape) == (5, 4, 3, 2)
    assert layer.kernel.value.data_ptr() == layer.conv.weight.data_ptr()  # a view, no copy
    np.testing.assert_array_equal(
        layer.get_weights()[0], layer.conv.weight.detach().numpy().transpose(2, 3, 1, 0)
    )
    assert list(layer.state_dict()) == ["conv.weight", "conv.bias"]
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert layer.count_params() == 3 * 2 * 4 * 5 + 5


def test_conv1d_grouped_kernel_shape_and_params():
    layer = Conv1D(6, 3, groups=3)
    layer.build((None, 10, 9))
    assert layer.kernel.shape == (3, 3, 6)
    assert layer.count_params() == 3 * 3 * 6 + 6


def test_conv1d_causal_output_sees_no_future_input():
    layer = Conv1D(1, 3, padding="causal", dilation_rate=2, kernel_initializer="ones")
    x = torch.zeros(1, 9, 1)
    x[0, 6, 0] = 1.0
    y = layer(x)[0, :, 0]
    assert y.shape == (9,)
    assert torch.all(y[:6] == 0)
    assert y[6] == 1
    assert y[8] == 1
    assert y[7] == 0


@pytest.mark.parametrize(
    ("layer", "shape", "kernel", "order"),
    [
        (Conv1D(4, 3, padding="causal"), (2, 9, 3), F.conv1d, (0, 2, 1)),
        (Conv2D(4, 3, padding="same"), (2, 6, 5, 3), F.conv2d, (0, 3, 1, 2)),
        (Conv2D(4, 3, strides=2, padding="same"), (2, 7, 5, 3), F.conv2d, (0, 3, 1, 2)),
        (Conv3D(2, 2), (1, 4, 3, 3, 2), F.conv3d, (0, 4, 1, 2, 3)),
    ],
)
def test_conv_channels_last_input_reaches_kernel_as_view_without_copies(
    layer, shape, kernel, order
):
    x = torch.randn(shape)
    layer(x)  # build
    with TorchCallRecorder() as recorder:
        y = layer(x)
    ((inputs, weight, bias, *_),) = recorder.args_of(kernel)
    # The input is the NHWC tensor's own storage, seen through a permutation.
    assert inputs.data_ptr() == x.data_ptr()
    assert inputs.stride() == x.permute(*order).stride()
    # The weights go in as the stored parameters: nothing repacked per call.
    assert weight is layer.conv.weight
    assert bias is layer.conv.bias
    assert recorder.parameter_users() == {kernel}
    assert not recorder.names() & COPYING_FUNCTIONS
    assert y.shape[0] == shape[0]
    assert y.shape[-1] == layer.filters


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"filters": 0, "kernel_size": 3}, "Expected a strictly positive value"),
        ({"filters": 4, "kernel_size": (3, 0)}, "that do not satisfy `value > 0`"),
        ({"filters": 4, "kernel_size": (3, 3, 3)}, "must be a tuple of 2 integers"),
        ({"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, "`strides > 1`"),
        ({"filters": 5, "kernel_size": 3, "groups": 2}, "evenly divisible"),
        ({"filters": 4, "kernel_size": 3, "groups": 0}, "groups must be a positive"),
        ({"filters": 4, "kernel_size": 3, "padding": "causal"}, "`padding` argument"),
        ({"filters": 4, "kernel_size": 3, "padding": "full"}, "Received: padding='full'"),
        ({"filters": 4, "kernel_size": 3, "data_format": "NHWC"}, "data_format"),
    ],
)
def test_conv2d_rejects_bad_arguments(kwargs, error):
    with pytest.raises(ValueError, match=error):
        Conv2D(**kwargs)


def test_conv2d_build_rejects_channels_not_divisible_by_groups():
    with pytest.raises(ValueError, match="input has 3 channels"):
        Conv2D(4, 3, groups=2).build((None, 5, 5, 3))


def test_conv2d_valid_output_too_small_is_an_error():
    with pytest.raises(ValueError, match="Computed output size would be zero or negative"):
        Conv2D(4, 5).build((None, 3, 3, 2))


def test_conv2d_wrong_channels_names_layer():
    layer = Conv2D(2, 3, name="c")
    layer(torch.ones(1, 5, 5, 3))
    with pytest.raises(ValueError, match=r"Layer 'c' \(Conv2D\).*axis -1.*value 3"):
        layer(torch.ones(1, 5, 5, 4))
