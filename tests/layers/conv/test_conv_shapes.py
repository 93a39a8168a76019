"""The convolution shape helpers: TF "same" padding, output shapes, data-format views."""

import math

import pytest
import torch

from kerastorch.layers.conv.conv_shapes import (
    conv_output_shape,
    from_channels_first,
    pad_same,
    same_padding,
    to_channels_first,
)


@pytest.mark.parametrize("size", [1, 2, 5, 6, 7, 10])
@pytest.mark.parametrize(
    ("kernel", "stride", "dilation"), [(1, 1, 1), (3, 1, 2), (2, 3, 1), (3, 2, 1)]
)
def test_same_padding_follows_tensorflow(size, kernel, stride, dilation):
    before, after = same_padding(size, kernel, stride, dilation)
    effective = (kernel - 1) * dilation + 1
    total = max((math.ceil(size / stride) - 1) * stride + effective - size, 0)
    assert (before, after) == (total // 2, total - total // 2)
    # The padded input yields exactly ceil(size / stride) windows.
    assert (size + before + after - effective) // stride + 1 == math.ceil(size / stride)


def test_pad_same_pads_only_the_odd_trailing_element():
    x = torch.ones(1, 2, 6, 5)
    padded, symmetric = pad_same(x, (3, 3), (2, 2), (1, 1))
    # rows: 6 -> total 1 -> (0, 1); cols: 5 -> total 2 -> (1, 1)
    assert symmetric == (0, 1)
    assert padded.shape == (1, 2, 7, 5)
    assert padded[0, 0, -1].sum() == 0
    untouched, symmetric = pad_same(x, (3, 3), (1, 1), (1, 1))
    assert untouched is x
    assert symmetric == (1, 1)


def test_conv_output_shape_keeps_unknown_sizes():
    shape = conv_output_shape(
        (None, None, 9, 3), 4, (3, 3), (2, 2), "valid", "channels_last", (1, 1)
    )
    assert shape == (None, None, 4, 4)
    shape = conv_output_shape((2, 3, 9, 8), 5, (3, 3), (2, 2), "same", "channels_first", (1, 1))
    assert shape == (2, 5, 5, 4)


def test_channels_first_view_round_trip_shares_storage():
    x = torch.randn(2, 4, 5, 3)
    view = to_channels_first(x, "channels_last")
    assert view.shape == (2, 3, 4, 5)
    assert view.data_ptr() == x.data_ptr()
    assert view.is_contiguous(memory_format=torch.channels_last)
    back = from_channels_first(view, "channels_last")
    assert back.data_ptr() == x.data_ptr()
    assert back.is_contiguous()
    assert to_channels_first(x, "channels_first") is x
