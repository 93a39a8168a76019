import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.layers.layer import Layer
from kerastorch.layers.recurrent.gru import GRUCell
from kerastorch.layers.recurrent.lstm import LSTMCell
from kerastorch.layers.recurrent.rnn import RNN
from kerastorch.layers.recurrent.simple_rnn import SimpleRNNCell
from kerastorch.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from tests.layer_checks import check_layer
from tests.layers.recurrent.rnn_oracle import RIGHT_PADDED, WITH_HOLES, run_pair, sequences
from tests.oracle import keras_or_skip


class MinimalRNNCell(Layer):
    """Keras's documentation example, with a second state that accumulates the inputs."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        # (attribute names differ from the weight names: see the report on add_weight)
        self.w = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.u = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        h = inputs @ self.w
        output = torch.tanh(h + states[0] @ self.u)
        return output, [output, states[1] + h]


def _keras_minimal_cell(keras, units):
    class KerasMinimalRNNCell(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = [units, units]
            self.output_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(
                shape=(self.units, self.units), name="recurrent_kernel"
            )

        def call(self, inputs, states):
            h = keras.ops.matmul(inputs, self.kernel)
            output = keras.ops.tanh(h + keras.ops.matmul(states[0], self.recurrent_kernel))
            return output, [output, states[1] + h]

    return KerasMinimalRNNCell(units)


@pytest.mark.parity
@pytest.mark.parametrize("mask", [None, RIGHT_PADDED, WITH_HOLES])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_rnn_runs_a_custom_cell_like_keras(mask, go_backwards):
    keras = keras_or_skip()
    kwargs = {"return_sequences": True, "return_state": True, "go_backwards": go_backwards}
    ref = keras.layers.RNN(_keras_minimal_cell(keras, 3), **kwargs)
    layer = RNN(MinimalRNNCell(3), **kwargs)
    call_kwargs = {} if mask is None else {"mask": mask}
    ours, _ = run_pair(keras, ref, layer, sequences(), **call_kwargs)
    assert len(ours[0]) == 3  # output, then both states
    assert not layer._last_call_used_fused_kernel


@pytest.mark.parity
@pytest.mark.parametrize(
    "cell_cls_name", ["SimpleRNNCell", "LSTMCell", "GRUCell"]
)  # fmt: skip
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_rnn_runs_builtin_cells_with_masks_like_keras(cell_cls_name, zero_output_for_mask):
    keras = keras_or_skip()
    ours_cls = {"SimpleRNNCell": SimpleRNNCell, "LSTMCell": LSTMCell, "GRUCell": GRUCell}
    kwargs = {"return_sequences": True, "return_state": True}
    kwargs["zero_output_for_mask"] = zero_output_for_mask
    ref = keras.layers.RNN(getattr(keras.layers, cell_cls_name)(3), **kwargs)
    layer = RNN(ours_cls[cell_cls_name](3), **kwargs)
    run_pair(keras, ref, layer, sequences(), mask=RIGHT_PADDED)
    assert not layer._last_call_used_fused_kernel  # RNN(cell) always runs the step loop


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"cell": {"class": "LSTMCell", "units": 3}},
        {"cell": {"class": "GRUCell", "units": 3}, "return_sequences": True, "unroll": True},
        {"cell": {"class": "SimpleRNNCell", "units": 3}, "return_state": True},
    ],
)
def test_rnn_check_layer_with_builtin_cells(kwargs):
    keras = keras_or_skip()
    spec = dict(kwargs["cell"])
    name = spec.pop("class")
    ours_cls = {"SimpleRNNCell": SimpleRNNCell, "LSTMCell": LSTMCell, "GRUCell": GRUCell}[name]
    rest = {k: v for k, v in kwargs.items() if k != "cell"}

    class OurRNN(RNN):  # check_layer builds a layer from keyword arguments: bind the cell
        def __init__(self, cell=None, **config):
            super().__init__(cell or ours_cls(**spec), **config)

    class TheirRNN(keras.layers.RNN):
        def __init__(self, cell=None, **config):
            super().__init__(cell or getattr(keras.layers, name)(**spec), **config)

    keras.layers.OurRNN = TheirRNN
    try:
        check_layer(OurRNN, rest, (2, 4, 3), compare_config=False, keras_cls_name="OurRNN")
    finally:
        del keras.layers.OurRNN


def test_rnn_config_round_trip_rebuilds_the_cell():
    layer = RNN(LSTMCell(3), return_sequences=True, go_backwards=True)
    x = torch.as_tensor(sequences())
    expected = layer(x)
    config = layer.get_config()
    assert config["cell"]["class_name"] == "LSTMCell"
    assert config["cell"]["build_config"] == {"input_shape": (3, 4)}
    copy = RNN.from_config(config)
    assert copy.get_config() == config
    copy.set_weights(layer.get_weights())
    torch.testing.assert_close(copy(x), expected)


def test_rnn_list_of_cells_is_stacked():
    layer = RNN([SimpleRNNCell(4), GRUCell(2)], return_state=True)
    output, *states = layer(torch.as_tensor(sequences()))
    assert isinstance(layer.cell, StackedRNNCells)
    assert output.shape == (3, 2)
    # As in Keras: one list of states per cell.
    assert [[tuple(t.shape) for t in s] for s in states] == [[(3, 4)], [(3, 2)]]


def test_rnn_rejects_objects_that_are_not_cells():
    with pytest.raises(ValueError, match="should have a `call` method"):
        RNN(object())
    with pytest.raises(ValueError, match="`state_size` attribute"):
        RNN(torch.nn.Linear(2, 2).eval().__class__.__new__(_CallOnly))


class _CallOnly:
    def call(self, inputs, states):
        return inputs, states


def test_rnn_symbolic_output_shapes():
    from kerastorch.layers.core.input_layer import Input

    x = Input((None, 3))
    out, h, c = RNN(LSTMCell(5), return_sequences=True, return_state=True)(x)
    assert out.shape == (None, None, 5)
    assert h.shape == (None, 5)
    assert c.shape == (None, 5)


def test_rnn_stateful_needs_a_static_batch_size():
    from kerastorch.layers.core.input_layer import Input

    with pytest.raises(ValueError, match="batch size must be static"):
        RNN(SimpleRNNCell(2), stateful=True)(Input((4, 3)))


def test_rnn_stateful_custom_cell_keeps_gradients_within_a_call():
    layer = RNN(MinimalRNNCell(2), stateful=True)
    x = torch.as_tensor(sequences((2, 4, 3)))
    layer(x)
    out = layer(x)
    out.sum().backward()
    assert all(w.tensor.grad is not None for w in layer.trainable_weights)
    assert all(not s.requires_grad for s in layer.states)
    np.testing.assert_equal(len(layer.states), 2)


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional"])
@pytest.mark.parametrize("symbolic", [True, False])
def test_rnn_2d_input_is_an_input_spec_error_naming_the_layer(name, symbolic):
    layers = kerastorch.layers
    make = {
        "LSTM": lambda: layers.LSTM(3, name="seq"),
        "GRU": lambda: layers.GRU(3, name="seq"),
        "SimpleRNN": lambda: layers.SimpleRNN(3, name="seq"),
        "RNN": lambda: layers.RNN(layers.SimpleRNNCell(3), name="seq"),
        "Bidirectional": lambda: layers.Bidirectional(layers.LSTM(3), name="seq"),
    }[name]
    x = kerastorch.Input((4,)) if symbolic else np.zeros((2, 4), "float32")
    with pytest.raises(ValueError, match=r"Layer 'seq' .*expected (min_)?ndim=3, found ndim=2"):
        make()(x)
