"""Masking: Keras parity of outputs and masks, and masks reaching an LSTM."""

import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.core.masking import Masking
from kerastorch.layers.recurrent import LSTM
from kerastorch.models import Sequential
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


def _padded(mask_value, shape=(3, 5, 4), seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape).astype("float32")
    x[0, 3:] = mask_value
    x[1, 1] = mask_value
    x[2, 0, 0] = mask_value  # only one feature equal: not masked
    return x


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "value"), [({}, 0.0), ({"mask_value": -1.0}, -1.0)])
def test_masking_matches_keras(kwargs, value):
    x = _padded(value)
    result = check_layer(Masking, kwargs, x.shape, expected_output_shape=x.shape, input_data=x)
    expected_mask = (x != value).any(axis=-1)
    np.testing.assert_array_equal(result.output._keras_mask.numpy(), expected_mask)
    keras = keras_or_skip()
    assert_close(result.output._keras_mask, keras.layers.Masking(**kwargs).compute_mask(x))
    assert (result.output.numpy()[~expected_mask] == 0).all()


def test_masking_zeroes_masked_timesteps_and_has_no_weights():
    layer = Masking(mask_value=2.0)
    x = torch.tensor([[[2.0, 2.0], [1.0, 2.0]]])
    out = layer(x)
    assert out.tolist() == [[[0.0, 0.0], [1.0, 2.0]]]
    assert out._keras_mask.tolist() == [[False, True]]
    assert layer.built
    assert layer.count_params() == 0
    assert layer.get_config()["mask_value"] == 2.0


@pytest.mark.parity
def test_masking_then_lstm_matches_keras():
    keras = keras_or_skip()
    x = _padded(0.0, seed=1)
    ref = keras.Sequential(
        [keras.Input((5, 4)), keras.layers.Masking(), keras.layers.LSTM(3, return_sequences=True),
         keras.layers.Dense(2)]
    )  # fmt: skip
    ours = Sequential([Input((5, 4)), Masking(), LSTM(3, return_sequences=True), Dense(2)])
    ours.set_weights(ref.get_weights())
    got = ours(torch.from_numpy(x))
    assert_close(got, ref(x))
    np.testing.assert_array_equal(got._keras_mask.numpy(), (x != 0).any(-1))
