import numpy as np
import pytest
import torch

from kerastorch.layers.recurrent.bidirectional import Bidirectional
from kerastorch.layers.recurrent.gru import GRU
from kerastorch.layers.recurrent.lstm import LSTM
from kerastorch.layers.recurrent.simple_rnn import SimpleRNN
from tests.layer_checks import check_layer
from tests.layers.recurrent.rnn_oracle import RIGHT_PADDED, WITH_HOLES, run_pair, sequences
from tests.oracle import keras_or_skip

_OURS = {"LSTM": LSTM, "GRU": GRU, "SimpleRNN": SimpleRNN}


@pytest.mark.parity
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_merge_modes_match_keras(merge_mode, return_sequences):
    keras = keras_or_skip()
    kwargs = {"units": 3, "return_sequences": return_sequences}
    ref = keras.layers.Bidirectional(keras.layers.LSTM(**kwargs), merge_mode=merge_mode)
    layer = Bidirectional(LSTM(**kwargs), merge_mode=merge_mode)
    run_pair(keras, ref, layer, sequences())
    assert [w.shape for w in layer.weights] == [tuple(w.shape) for w in ref.weights]
    assert layer.count_params() == ref.count_params()
    assert layer.forward_layer._last_call_used_fused_kernel
    assert layer.backward_layer._last_call_used_fused_kernel


@pytest.mark.parity
@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_HOLES])
def test_bidirectional_masks_and_states_match_keras(rnn, mask):
    keras = keras_or_skip()
    kwargs = {"units": 3, "return_sequences": True, "return_state": True}
    ref = keras.layers.Bidirectional(getattr(keras.layers, rnn)(**kwargs))
    layer = Bidirectional(_OURS[rnn](**kwargs))
    ours, _ = run_pair(keras, ref, layer, sequences(), mask=mask)
    n_states = 4 if rnn == "LSTM" else 2
    assert len(ours[0]) == 1 + n_states
    assert layer.backward_layer.zero_output_for_mask  # Keras forces it with return_sequences
    assert layer.forward_layer._last_call_used_fused_kernel is (mask is RIGHT_PADDED)


@pytest.mark.parity
def test_bidirectional_initial_state_matches_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(3)
    states = [rng.standard_normal((3, 2)).astype("float32") for _ in range(4)]
    ref = keras.layers.Bidirectional(keras.layers.LSTM(2, return_state=True), merge_mode="sum")
    layer = Bidirectional(LSTM(2, return_state=True), merge_mode="sum")
    run_pair(keras, ref, layer, sequences(), initial_state=states)


@pytest.mark.parity
def test_bidirectional_backward_layer_matches_keras():
    keras = keras_or_skip()
    ref = keras.layers.Bidirectional(
        keras.layers.LSTM(3, return_sequences=True),
        backward_layer=keras.layers.GRU(3, return_sequences=True, go_backwards=True),
    )
    layer = Bidirectional(
        LSTM(3, return_sequences=True),
        backward_layer=GRU(3, return_sequences=True, go_backwards=True),
    )
    run_pair(keras, ref, layer, sequences())
    assert [w.shape for w in layer.weights] == [tuple(w.shape) for w in ref.weights]


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"layer": {"class": "GRU", "units": 3}},
        {"layer": {"class": "LSTM", "units": 2, "return_sequences": True}, "merge_mode": "ave"},
    ],
)
def test_bidirectional_check_layer(kwargs):
    keras = keras_or_skip()
    spec = dict(kwargs["layer"])
    name = spec.pop("class")
    rest = {k: v for k, v in kwargs.items() if k != "layer"}

    class OurBidirectional(Bidirectional):  # check_layer passes keyword arguments only
        def __init__(self, layer=None, **config):
            super().__init__(layer or _OURS[name](**spec), **config)

    class TheirBidirectional(keras.layers.Bidirectional):
        def __init__(self, layer=None, **config):
            super().__init__(layer or getattr(keras.layers, name)(**spec), **config)

    keras.layers.OurBidirectional = TheirBidirectional
    try:
        # (configs are compared in test_bidirectional_config_matches_keras: the inner
        # layers' auto names follow each library's session counters)
        check_layer(
            OurBidirectional, rest, (2, 4, 3), keras_cls_name="OurBidirectional",
            compare_config=False,
        )  # fmt: skip
    finally:
        del keras.layers.OurBidirectional


@pytest.mark.parity
def test_bidirectional_config_matches_keras():
    keras = keras_or_skip()
    ref = keras.layers.Bidirectional(keras.layers.GRU(3, name="enc"), merge_mode="mul")
    layer = Bidirectional(GRU(3, name="enc"), merge_mode="mul")
    run_pair(keras, ref, layer, sequences())
    mine = {k: v for k, v in layer.get_config().items() if k != "name"}
    theirs = {k: v for k, v in ref.get_config().items() if k != "name"}
    assert _plain(mine) == _plain(theirs)
    copy = Bidirectional.from_config(layer.get_config())
    copy.set_weights(layer.get_weights())
    x = torch.as_tensor(sequences())
    torch.testing.assert_close(copy(x), layer(x))


@pytest.mark.parity
def test_bidirectional_stateful_matches_keras():
    keras = keras_or_skip()
    ref = keras.layers.Bidirectional(keras.layers.SimpleRNN(2, stateful=True))
    layer = Bidirectional(SimpleRNN(2, stateful=True))
    run_pair(keras, ref, layer, sequences(), calls=2)
    layer.reset_states()
    assert all(torch.count_nonzero(s) == 0 for s in layer.states)


def test_bidirectional_names_and_weights_order():
    layer = Bidirectional(LSTM(2, name="enc"), weights=None)
    layer.build((2, 4, 3))
    assert layer.forward_layer.name == "forward_enc"
    assert layer.backward_layer.name == "backward_enc"
    assert layer.backward_layer.go_backwards
    assert [w.shape for w in layer.weights] == [(3, 8), (2, 8), (8,)] * 2
    assert layer.weights[0] is layer.forward_layer.cell.kernel
    assert layer.weights[3] is layer.backward_layer.cell.kernel


def test_bidirectional_rejects_bad_arguments():
    with pytest.raises(ValueError, match="Invalid merge mode"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="different `go_backwards`"):
        Bidirectional(LSTM(2), backward_layer=LSTM(2))
    with pytest.raises(ValueError, match="Layer` instance"):
        Bidirectional(torch.nn.Linear(2, 2))


def test_bidirectional_symbolic_shapes():
    from kerastorch.layers.core.input_layer import Input

    out = Bidirectional(GRU(3, return_sequences=True, return_state=True))(Input((5, 4)))
    assert [t.shape for t in out] == [(None, 5, 6), (None, 3), (None, 3)]
    out = Bidirectional(LSTM(3), merge_mode=None)(Input((5, 4)))
    assert [t.shape for t in out] == [(None, 3), (None, 3)]


def _plain(x):
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x
