import pytest
import torch

from kerastorch.layers.recurrent.gru import GRUCell
from kerastorch.layers.recurrent.lstm import LSTMCell
from kerastorch.layers.recurrent.rnn import RNN
from kerastorch.layers.recurrent.simple_rnn import SimpleRNNCell
from kerastorch.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from tests.layers.recurrent.rnn_oracle import RIGHT_PADDED, run_pair, sequences
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("mask", [None, RIGHT_PADDED])
def test_stacked_rnn_cells_match_keras(mask):
    keras = keras_or_skip()
    kwargs = {"return_sequences": True, "return_state": True}
    ref = keras.layers.RNN(
        keras.layers.StackedRNNCells([keras.layers.LSTMCell(4), keras.layers.GRUCell(3)]),
        **kwargs,
    )
    layer = RNN(StackedRNNCells([LSTMCell(4), GRUCell(3)]), **kwargs)
    call_kwargs = {} if mask is None else {"mask": mask}
    run_pair(keras, ref, layer, sequences(), **call_kwargs)
    assert [w.name for w in layer.weights] == [w.name for w in ref.weights]
    assert [w.shape for w in layer.weights] == [tuple(w.shape) for w in ref.weights]
    assert layer.count_params() == ref.count_params()
    assert _without_names(layer.get_config()) == _without_names(ref.get_config())


def test_stacked_rnn_cells_sizes_and_config_round_trip():
    cells = StackedRNNCells([SimpleRNNCell(5), LSTMCell(2)])
    assert cells.state_size == [5, [2, 2]]
    assert cells.output_size == 2
    layer = RNN(cells)
    x = torch.as_tensor(sequences())
    expected = layer(x)
    copy = RNN.from_config(layer.get_config())
    assert isinstance(copy.cell, StackedRNNCells)
    copy.set_weights(layer.get_weights())
    torch.testing.assert_close(copy(x), expected)


def test_stacked_rnn_cells_gradients_reach_every_cell():
    layer = RNN([GRUCell(3), SimpleRNNCell(2)])
    layer(torch.as_tensor(sequences())).sum().backward()
    assert len(layer.trainable_weights) == 6
    assert all(w.tensor.grad is not None for w in layer.trainable_weights)


def test_stacked_rnn_cells_rejects_non_cells():
    with pytest.raises(ValueError, match="must have a `state_size`"):
        StackedRNNCells([torch.nn.Linear(2, 2).__class__.__new__(_CallOnly)])


class _CallOnly:
    def call(self, inputs, states):
        return inputs, states


def _without_names(x):
    """A config with every `name` dropped (auto names depend on the session's counters)."""
    if isinstance(x, dict):
        return {k: _without_names(v) for k, v in x.items() if k != "name"}
    if isinstance(x, (list, tuple)):
        return [_without_names(v) for v in x]
    return x
