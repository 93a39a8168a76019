"""Oracle tests for `kerastorch/ops/nn/conv.py`: random kernels in Keras's layout."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import config
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def image(r, spatial, channels, data_format="channels_last", batch=2):
    shape = (
        (batch, *spatial, channels)
        if data_format == "channels_last"
        else (batch, channels, *spatial)
    )
    return r.normal(size=shape).astype(F32)


def kernel(r, spatial, a, b):
    return r.normal(size=(*spatial, a, b)).astype(F32)


# (spatial, kernel spatial, strides, padding, data_format, dilation_rate)
CONV_SETTINGS = [
    ((7,), (3,), 1, "valid", "channels_last", 1),
    ((8,), (4,), 2, "same", "channels_last", 1),
    ((9,), (3,), 1, "same", "channels_first", 2),
    ((6, 7), (3, 3), 1, "same", "channels_last", 1),
    ((6, 7), (2, 2), 1, "same", "channels_last", 1),
    ((7, 8), (3, 2), (2, 3), "same", "channels_first", 1),
    ((8, 8), (3, 3), 1, "valid", "channels_last", (2, 1)),
    ((7, 6), (4, 3), 2, "valid", "channels_first", 1),
    ((5, 6, 4), (2, 3, 2), (1, 2, 1), "same", "channels_last", 1),
    ((5, 5, 5), (3, 3, 3), 2, "valid", "channels_first", 1),
]


def _conv_case(spatial, ks, strides, padding, data_format, dilation):
    def make(r):
        return image(r, spatial, 3, data_format), kernel(r, ks, 3, 4)

    kw = {
        "strides": strides,
        "padding": padding,
        "data_format": data_format,
        "dilation_rate": dilation,
    }
    return ("conv", make, kw)


def _depthwise_case(spatial, ks, strides, padding, data_format, dilation):
    def make(r):
        return image(r, spatial, 3, data_format), kernel(r, ks, 3, 2)

    kw = {
        "strides": strides,
        "padding": padding,
        "data_format": data_format,
        "dilation_rate": dilation,
    }
    return ("depthwise_conv", make, kw)


def _separable_case(spatial, ks, strides, padding, data_format, dilation):
    def make(r):
        ones = (1,) * len(spatial)
        return image(r, spatial, 3, data_format), kernel(r, ks, 3, 2), kernel(r, ones, 6, 5)

    kw = {
        "strides": strides,
        "padding": padding,
        "data_format": data_format,
        "dilation_rate": dilation,
    }
    return ("separable_conv", make, kw)


# (spatial, kernel spatial, strides, padding, output_padding, data_format, dilation_rate)
TRANSPOSE_SETTINGS = [
    ((4,), (3,), 1, "valid", None, "channels_last", 1),
    ((4,), (3,), 2, "same", None, "channels_last", 1),
    ((5,), (4,), 3, "valid", None, "channels_first", 1),
    ((5,), (3,), 2, "valid", 1, "channels_last", 1),
    ((3, 4), (3, 3), 2, "same", None, "channels_last", 1),
    ((3, 4), (2, 2), 2, "same", None, "channels_first", 1),
    ((3, 4), (3, 2), (2, 3), "same", (1, 0), "channels_last", 1),
    ((4, 4), (3, 3), 1, "same", None, "channels_last", 2),
    ((4, 3), (3, 3), 1, "valid", None, "channels_first", (1, 2)),
    ((2, 3, 2), (2, 2, 3), 2, "same", None, "channels_last", 1),
]


def _transpose_case(spatial, ks, strides, padding, output_padding, data_format, dilation):
    def make(r):
        return image(r, spatial, 3, data_format), kernel(r, ks, 4, 3)

    kw = {
        "strides": strides,
        "padding": padding,
        "output_padding": output_padding,
        "data_format": data_format,
        "dilation_rate": dilation,
    }
    return ("conv_transpose", make, kw)


DEPTHWISE_SETTINGS = [s for s in CONV_SETTINGS if len(s[0]) < 3]
CASES = (
    [_conv_case(*s) for s in CONV_SETTINGS]
    + [_depthwise_case(*s) for s in DEPTHWISE_SETTINGS]
    + [_separable_case(*s) for s in DEPTHWISE_SETTINGS if s[2] == 1 or s[5] == 1]
    + [_transpose_case(*s) for s in TRANSPOSE_SETTINGS]
    + [("conv", lambda r: (image(r, (6,), 4), kernel(r, (3,), 2, 6)), {})]  # grouped
)
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_conv_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs, atol=1e-4)


SYMBOLIC = [c for c in CASES if c[0] != "conv" or c[1](np.random.default_rng(0))[1].shape[-2] == 3]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_conv_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_conv_unknown_spatial_size_is_unknown():
    y = nn.conv(kerastorch.KerasTensor((None, None, 5, 3)), np.zeros((3, 3, 3, 2), F32), 2, "same")
    assert y.shape == (None, None, 3, 2)


def test_conv_default_data_format_follows_config():
    x, k = torch.ones(1, 3, 5, 5), torch.ones(3, 3, 3, 2)
    config.set_image_data_format("channels_first")
    try:
        assert nn.conv(x, k).shape == (1, 2, 3, 3)
    finally:
        config.set_image_data_format("channels_last")


def test_conv_bad_data_format_names_op_and_argument():
    with pytest.raises(ValueError, match=r"conv: .*`data_format`.*channels_middle"):
        nn.conv(torch.ones(1, 5, 3), torch.ones(3, 3, 2), data_format="channels_middle")


def test_conv_kernel_rank_mismatch_names_op_and_argument():
    with pytest.raises(ValueError, match="conv: `kernel` must have the rank of `inputs`"):
        nn.conv(torch.ones(1, 5, 5, 3), torch.ones(3, 3, 2))


def test_conv_bad_rank_and_channels_name_the_op():
    with pytest.raises(ValueError, match="conv: `inputs` must have rank"):
        nn.conv(torch.ones(5, 3), torch.ones(3, 3, 2))
    with pytest.raises(ValueError, match="depthwise_conv: the number of input channels"):
        nn.depthwise_conv(torch.ones(1, 5, 3), torch.ones(3, 2, 2))
    with pytest.raises(ValueError, match="conv_transpose: the `strides` argument"):
        nn.conv_transpose(torch.ones(1, 5, 3), torch.ones(3, 2, 3), strides=(1, 2))
    with pytest.raises(ValueError, match="conv: the `padding` argument"):
        nn.conv(torch.ones(1, 5, 3), torch.ones(3, 3, 2), padding="full")
