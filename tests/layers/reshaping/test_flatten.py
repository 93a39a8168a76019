import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.flatten import Flatten
from kerastorch.models import Sequential
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "input_shape", "output_shape", "dtype"),
    [
        ({}, (2, 3, 4), (2, 12), "float32"),
        ({}, (2, 3, 4, 5), (2, 60), "float32"),
        ({}, (3, 4), (3, 4), "float32"),
        ({"data_format": "channels_first"}, (2, 3, 4, 5), (2, 60), "float32"),
        ({"data_format": "channels_first"}, (2, 3, 4), (2, 12), "float32"),
        ({"data_format": "channels_last"}, (2, 3, 4), (2, 12), "int32"),
    ],
)
def test_flatten_matches_keras(kwargs, input_shape, output_shape, dtype):
    keras_or_skip()
    check_layer(
        Flatten,
        kwargs,
        input_shape,
        expected_output_shape=output_shape,
        input_dtype=dtype,
        expected_output_dtype=dtype,
        run_backward=False,
    )


@pytest.mark.parity
def test_flatten_symbolic_unknown_dims_match_keras():
    keras = keras_or_skip()
    assert Flatten()(Input((None, 3))).shape == keras.layers.Flatten()(keras.Input((None, 3))).shape
    assert Flatten()(Input(batch_shape=(4, 2, 3))).shape == (4, 6)


@pytest.mark.parity
def test_flatten_rank_one_input_matches_keras():
    keras = keras_or_skip()
    x = np.arange(3, dtype="float32")
    out = Flatten()(torch.from_numpy(x))
    assert_close(out, keras.layers.Flatten()(x))
    assert tuple(out.shape) == (3, 1)


def test_flatten_channels_first_orders_like_channels_last():
    x = torch.randn(2, 3, 4, 5)  # (batch, channels, rows, cols)
    first = Flatten(data_format="channels_first")(x)
    last = Flatten(data_format="channels_last")(x.permute(0, 2, 3, 1))
    assert torch.equal(first, last)


def test_flatten_channels_last_is_a_view():
    x = torch.randn(2, 3, 4)
    assert Flatten()(x).data_ptr() == x.data_ptr()


def test_flatten_in_sequential_then_dense():
    model = Sequential([Input((4, 4, 2)), Flatten(), Dense(3)])
    assert model.output_shape == (None, 3)
    assert model(torch.randn(5, 4, 4, 2)).shape == (5, 3)
    assert model.count_params() == 32 * 3 + 3


def test_flatten_rejects_bad_data_format():
    with pytest.raises(ValueError, match="data_format"):
        Flatten(data_format="channels_middle")
