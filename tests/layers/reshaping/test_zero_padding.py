import numpy as np
import pytest
import torch

from kerastorch import config
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("cls", "kwargs", "input_shape", "output_shape"),
    [
        (ZeroPadding1D, {}, (2, 3, 4), (2, 5, 4)),
        (ZeroPadding1D, {"padding": 2}, (2, 3, 4), (2, 7, 4)),
        (ZeroPadding1D, {"padding": (0, 3)}, (2, 3, 4), (2, 6, 4)),
        (ZeroPadding1D, {"padding": [2, 1], "data_format": "channels_first"}, (2, 3, 4), (2, 3, 7)),
        (ZeroPadding2D, {}, (2, 3, 4, 2), (2, 5, 6, 2)),
        (ZeroPadding2D, {"padding": 2}, (2, 3, 4, 2), (2, 7, 8, 2)),
        (ZeroPadding2D, {"padding": (1, 0)}, (2, 3, 4, 2), (2, 5, 4, 2)),
        (ZeroPadding2D, {"padding": ((1, 2), (0, 3))}, (2, 3, 4, 2), (2, 6, 7, 2)),
        (ZeroPadding2D, {"padding": ((0, 1), 2), "data_format": "channels_first"}, (2, 3, 4, 2),
         (2, 3, 5, 6)),
        (ZeroPadding3D, {}, (1, 2, 3, 2, 2), (1, 4, 5, 4, 2)),
        (ZeroPadding3D, {"padding": (1, 0, 2)}, (1, 2, 3, 2, 2), (1, 4, 3, 6, 2)),
        (ZeroPadding3D, {"padding": ((0, 1), (2, 0), 1), "data_format": "channels_first"},
         (1, 2, 3, 2, 2), (1, 2, 4, 4, 4)),
    ],
)  # fmt: skip
def test_zero_padding_matches_keras(cls, kwargs, input_shape, output_shape):
    keras_or_skip()
    check_layer(
        cls,
        kwargs,
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


def test_zero_padding_2d_places_zeros_around_the_input():
    x = torch.arange(1.0, 7.0).reshape(1, 2, 3, 1)
    out = ZeroPadding2D(((1, 0), (0, 2)))(x)
    expected = np.zeros((1, 3, 5, 1), np.float32)
    expected[:, 1:, :3] = x.numpy()
    np.testing.assert_array_equal(out.numpy(), expected)


def test_zero_padding_calls_f_pad_once_on_the_input_itself(monkeypatch):
    seen = []
    original = torch.nn.functional.pad

    def spy(inputs, pad, *args, **kwargs):
        seen.append((inputs, pad))
        return original(inputs, pad, *args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, "pad", spy)
    x = torch.randn(2, 3, 4, 5)
    out = ZeroPadding2D(((1, 2), (3, 4)))(x)
    assert len(seen) == 1
    assert seen[0][0] is x
    assert seen[0][1] == (0, 0, 3, 4, 1, 2)
    assert out.is_contiguous()
    assert out.shape == (2, 6, 11, 5)


def test_zero_padding_keeps_integer_dtypes():
    out = ZeroPadding1D(1)(torch.ones(1, 2, 2, dtype=torch.int32))
    assert out.dtype == torch.int32
    assert out.sum().item() == 4


def test_zero_padding_symbolic_keeps_unknown_dims():
    assert ZeroPadding2D(1)(Input((None, 5, 3))).shape == (None, None, 7, 3)


def test_zero_padding_follows_the_global_data_format():
    config.set_image_data_format("channels_first")
    try:
        layer = ZeroPadding2D(1)
    finally:
        config.set_image_data_format("channels_last")
    assert layer.data_format == "channels_first"
    assert layer(torch.zeros(1, 3, 4, 4)).shape == (1, 3, 6, 6)


@pytest.mark.parametrize(
    ("cls", "padding", "match"),
    [
        (ZeroPadding1D, (1, 2, 3), "must be a tuple of 2 integers"),
        (ZeroPadding1D, -1, r"including values \{-1\} that do not satisfy `value >= 0`"),
        (ZeroPadding2D, (1, 2, 3), "`padding` should have 2 elements"),
        (ZeroPadding2D, ((1, 2), (1, 2, 3)), "The `2nd entry of padding` argument"),
        (ZeroPadding2D, -2, "`padding` cannot be negative"),
        (ZeroPadding2D, 1.5, "should be either an int"),
        (ZeroPadding3D, (1, 2), "`padding` should have 3 elements"),
    ],
)
def test_zero_padding_rejects_bad_padding(cls, padding, match):
    with pytest.raises(ValueError, match=match):
        cls(padding)


def test_zero_padding_rejects_inputs_of_another_rank():
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        ZeroPadding2D()(torch.zeros(2, 3, 4))
