import importlib.util

import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.recurrent.lstm import LSTM
from kerastorch.layers.recurrent.time_distributed import TimeDistributed
from tests.layer_checks import check_layer
from tests.layers.recurrent.rnn_oracle import run_pair, sequences
from tests.oracle import keras_or_skip

# Inner layers to check against Keras; Conv2D joins once kerastorch.layers.conv exists.
_INNER = [("Dense", {"units": 3, "activation": "relu"}, (2, 4, 5), Dense)]
if importlib.util.find_spec("kerastorch.layers.conv") is not None:
    from kerastorch.layers.conv.conv2d import Conv2D

    _INNER.append(("Conv2D", {"filters": 2, "kernel_size": 3}, (2, 3, 6, 6, 2), Conv2D))


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs", "shape", "cls"), _INNER)
def test_time_distributed_matches_keras(name, kwargs, shape, cls):
    keras = keras_or_skip()
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    ref = keras.layers.TimeDistributed(getattr(keras.layers, name)(**kwargs, name="inner"))
    layer = TimeDistributed(cls(**kwargs, name="inner"))
    run_pair(keras, ref, layer, x)
    assert layer.count_params() == ref.count_params()
    assert [w.shape for w in layer.weights] == [tuple(w.shape) for w in ref.weights]
    mine = {k: v for k, v in layer.get_config().items() if k != "name"}
    theirs = {k: v for k, v in ref.get_config().items() if k != "name"}
    assert _plain(mine) == _plain(theirs)


@pytest.mark.parity
def test_time_distributed_check_layer():
    keras = keras_or_skip()

    class OurTimeDistributed(TimeDistributed):  # check_layer passes keyword arguments only
        def __init__(self, layer=None, **config):
            super().__init__(layer or Dense(4, name="inner"), **config)

    class TheirTimeDistributed(keras.layers.TimeDistributed):
        def __init__(self, layer=None, **config):
            super().__init__(layer or keras.layers.Dense(4, name="inner"), **config)

    keras.layers.OurTimeDistributed = TheirTimeDistributed
    try:
        check_layer(
            OurTimeDistributed, {}, (2, 3, 5), expected_output_shape=(2, 3, 4),
            keras_cls_name="OurTimeDistributed",
        )  # fmt: skip
    finally:
        del keras.layers.OurTimeDistributed


def test_time_distributed_runs_the_inner_layer_once_on_merged_batch_and_time():
    inner = Dense(2)
    layer = TimeDistributed(inner)
    calls = []
    original = inner.call
    inner.call = lambda x: calls.append(tuple(x.shape)) or original(x)
    x = torch.as_tensor(sequences((3, 4, 5)))
    out = layer(x)
    assert calls == [(12, 5)]
    torch.testing.assert_close(out, torch.stack([original(x[:, t]) for t in range(4)], dim=1))


def test_time_distributed_wraps_a_recurrent_layer():
    layer = TimeDistributed(LSTM(3))
    x = torch.as_tensor(sequences((2, 4, 5, 6)))
    out = layer(x)
    assert out.shape == (2, 4, 3)
    torch.testing.assert_close(out[:, 1], layer.layer(x[:, 1]))


def test_time_distributed_passes_the_mask_on():
    layer = TimeDistributed(Dense(3))
    x = torch.as_tensor(sequences((2, 4, 5)))
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=torch.bool)
    x._keras_mask = mask
    out = layer(x)
    assert torch.equal(out._keras_mask, mask)


def test_time_distributed_symbolic_shape_and_errors():
    from kerastorch.layers.core.input_layer import Input

    assert TimeDistributed(Dense(7))(Input((4, 3))).shape == (None, 4, 7)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        TimeDistributed(Dense(2)).build((None, 3))
    with pytest.raises(ValueError, match="Layer` instance"):
        TimeDistributed(torch.nn.Linear(2, 2))
    layer = TimeDistributed(Dense(2))
    with pytest.raises(ValueError, match="incompatible with the input shape"):
        layer(torch.ones(2, 3, 4), mask=torch.ones(2, 5, dtype=torch.bool))


def _plain(x):
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x
