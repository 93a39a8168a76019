import numpy as np
import pytest
import torch

from kerastorch.layers.recurrent.gru import GRU, GRUCell
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
        ({"units": 3, "return_sequences": True, "go_backwards": True}, True),
        ({"units": 3, "return_state": True, "reset_after": False}, False),
        ({"units": 3, "return_sequences": True, "reset_after": False, "use_bias": False}, False),
        ({"units": 3, "use_bias": False}, True),
        ({"units": 3, "activation": "relu", "bias_initializer": "ones"}, False),
        ({"units": 3, "return_sequences": True, "unroll": True}, False),
    ],
)
def test_gru_matches_keras(kwargs, fused):
    result = check_layer(GRU, kwargs, (2, 5, 3))
    assert result.layer._last_call_used_fused_kernel is fused


@pytest.mark.parity
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_EMPTY_ROW, WITH_HOLES])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_masks_match_keras(mask, go_backwards, reset_after):
    keras = keras_or_skip()
    kwargs = {"units": 3, "return_sequences": True, "return_state": True}
    kwargs.update(go_backwards=go_backwards, reset_after=reset_after)
    layer = GRU(**kwargs)
    run_pair(keras, keras.layers.GRU(**kwargs), layer, sequences(), mask=mask)
    assert layer._last_call_used_fused_kernel is (reset_after and mask is not WITH_HOLES)


@pytest.mark.parity
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_initial_state_matches_keras(reset_after):
    keras = keras_or_skip()
    state = np.random.default_rng(1).standard_normal((3, 4)).astype("float32")
    kwargs = {"units": 4, "return_state": True, "reset_after": reset_after}
    run_pair(keras, keras.layers.GRU(**kwargs), GRU(**kwargs), sequences(), initial_state=[state])


@pytest.mark.parity
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_stateful_carries_states_like_keras(reset_after):
    keras = keras_or_skip()
    kwargs = {"units": 3, "stateful": True, "return_sequences": True, "reset_after": reset_after}
    ref, layer = keras.layers.GRU(**kwargs), GRU(**kwargs)
    ours, _ = run_pair(keras, ref, layer, sequences(), calls=2)
    assert not torch.allclose(ours[0], ours[1])
    ref.reset_state()
    layer.reset_state()
    run_pair(keras, ref, layer, sequences(), calls=1)


def test_gru_reorders_gates_between_keras_and_torch():
    layer = GRU(2)
    layer.build((1, 3, 4))
    kernel = np.arange(4 * 6, dtype="float32").reshape(4, 6)  # Keras: z | r | h blocks
    recurrent = np.arange(2 * 6, dtype="float32").reshape(2, 6)
    bias = np.arange(12, dtype="float32").reshape(2, 6)
    layer.set_weights([kernel, recurrent, bias])
    cell = layer.cell
    z, r, h = np.split(kernel, 3, axis=1)
    np.testing.assert_array_equal(cell.weight_ih.detach().numpy(), np.concatenate([r, z, h], 1).T)
    np.testing.assert_array_equal(cell.bias_ih_hh.detach().numpy()[:, :2], bias[:, 2:4])
    for got, want in zip(layer.get_weights(), [kernel, recurrent, bias], strict=True):
        np.testing.assert_array_equal(got, want)
    assert layer.count_params() == 4 * 6 + 2 * 6 + 12


def test_gru_reset_after_bias_is_two_rows_and_maps_to_torchs_two_biases():
    layer = GRU(3)
    x = torch.as_tensor(sequences())
    layer(x)
    cell = layer.cell
    reference = torch.nn.GRU(4, 3, batch_first=True)
    with torch.no_grad():
        reference.weight_ih_l0.copy_(cell.weight_ih)
        reference.weight_hh_l0.copy_(cell.weight_hh)
        reference.bias_ih_l0.copy_(torch.randn(9))
        reference.bias_hh_l0.copy_(torch.randn(9))
        cell.bias_ih_hh.copy_(torch.stack([reference.bias_ih_l0, reference.bias_hh_l0]))
    expected, _ = reference(x)
    torch.testing.assert_close(layer(x), expected[:, -1])


def test_gru_recurrent_dropout_runs_the_step_loop():
    layer = GRU(3, dropout=0.2, recurrent_dropout=0.2, return_sequences=True)
    out = layer(torch.as_tensor(sequences()), training=True)
    assert out.shape == (3, 5, 3)
    assert not layer._last_call_used_fused_kernel


@pytest.mark.parity
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_cell_call_matches_keras(reset_after):
    keras = keras_or_skip()
    rng = np.random.default_rng(2)
    x, h = (rng.standard_normal(s).astype("float32") for s in [(2, 5), (2, 3)])
    ref = keras.layers.GRUCell(3, reset_after=reset_after, bias_initializer="random_normal")
    cell = GRUCell(3, reset_after=reset_after)
    ref.build((2, 5))
    cell.build((2, 5))
    cell.set_weights(ref.get_weights())
    expected = ref(keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(h))
    output = cell(torch.as_tensor(x), torch.as_tensor(h))
    assert_close(list(output), list(expected))
    assert [w.name for w in cell.weights] == [w.name for w in ref.weights]
