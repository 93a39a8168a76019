import numpy as np
import pytest
import torch

from kerastorch.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from tests.layer_checks import check_layer
from tests.layers.recurrent.rnn_oracle import (
    RIGHT_PADDED,
    WITH_EMPTY_ROW,
    WITH_HOLES,
    run_pair,
    sequences,
)
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "fused"),
    [
        ({"units": 4}, True),
        ({"units": 3, "activation": "relu", "return_sequences": True}, True),
        ({"units": 3, "activation": "sigmoid", "return_state": True}, False),
        ({"units": 3, "go_backwards": True, "use_bias": False}, True),
        ({"units": 3, "return_sequences": True, "unroll": True}, False),
    ],
)
def test_simple_rnn_matches_keras(kwargs, fused):
    result = check_layer(SimpleRNN, kwargs, (2, 5, 3))
    assert result.layer._last_call_used_fused_kernel is fused


@pytest.mark.parity
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_EMPTY_ROW, WITH_HOLES])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_simple_rnn_masks_match_keras(mask, go_backwards):
    keras = keras_or_skip()
    kwargs = {"units": 3, "return_sequences": True, "go_backwards": go_backwards}
    layer = SimpleRNN(**kwargs)
    run_pair(keras, keras.layers.SimpleRNN(**kwargs), layer, sequences(), mask=mask)
    assert layer._last_call_used_fused_kernel is (mask is not WITH_HOLES)


@pytest.mark.parity
def test_simple_rnn_initial_state_and_stateful_match_keras():
    keras = keras_or_skip()
    state = np.random.default_rng(1).standard_normal((3, 2)).astype("float32")
    kwargs = {"units": 2, "return_state": True}
    run_pair(keras, keras.layers.SimpleRNN(**kwargs), SimpleRNN(**kwargs), sequences(),
             initial_state=state)  # fmt: skip
    kwargs = {"units": 2, "stateful": True}
    run_pair(keras, keras.layers.SimpleRNN(**kwargs), SimpleRNN(**kwargs), sequences(), calls=3)


def test_simple_rnn_has_one_bias_like_keras():
    layer = SimpleRNN(4)
    layer.build((2, 3, 5))
    assert [w.shape for w in layer.weights] == [(5, 4), (4, 4), (4,)]
    assert layer.count_params() == 5 * 4 + 4 * 4 + 4
    assert sum(p.numel() for p in layer.parameters()) == layer.count_params()


@pytest.mark.parity
def test_simple_rnn_cell_call_matches_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(2)
    x, h = (rng.standard_normal(s).astype("float32") for s in [(2, 5), (2, 3)])
    ref, cell = keras.layers.SimpleRNNCell(3), SimpleRNNCell(3)
    ref.build((2, 5))
    cell.build((2, 5))
    cell.set_weights(ref.get_weights())
    expected = ref(keras.ops.convert_to_tensor(x), [keras.ops.convert_to_tensor(h)])
    output = cell(torch.as_tensor(x), [torch.as_tensor(h)])
    assert_close([output[0], *output[1]], [expected[0], *expected[1]])
    mine = {k: v for k, v in cell.get_config().items() if k != "name"}
    assert mine == {k: v for k, v in ref.get_config().items() if k != "name"}
