import pickle

import numpy as np
import pytest
import torch

from kerastorch.layers.recurrent.lstm import LSTM, LSTMCell
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
        ({"units": 3, "return_state": True}, True),
        ({"units": 3, "return_sequences": True, "return_state": True, "unroll": True}, False),
        ({"units": 3, "activation": "relu", "return_sequences": True}, False),
        ({"units": 3, "recurrent_activation": "hard_sigmoid"}, False),
        ({"units": 5, "use_bias": False}, True),
        ({"units": 3, "unit_forget_bias": False, "use_cudnn": False}, False),
        ({"units": 3, "kernel_regularizer": "l2", "bias_constraint": "non_neg"}, True),
    ],
)
def test_lstm_matches_keras(kwargs, fused):
    result = check_layer(LSTM, kwargs, (2, 5, 3))
    assert result.layer._last_call_used_fused_kernel is fused


@pytest.mark.parity
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_EMPTY_ROW, WITH_HOLES])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_lstm_masks_match_keras(mask, go_backwards, return_sequences):
    keras = keras_or_skip()
    kwargs = {"units": 3, "return_sequences": return_sequences, "return_state": True}
    kwargs["go_backwards"] = go_backwards
    layer = LSTM(**kwargs)
    run_pair(keras, keras.layers.LSTM(**kwargs), layer, sequences(), mask=mask)
    assert layer._last_call_used_fused_kernel is (mask is not WITH_HOLES)


@pytest.mark.parity
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_EMPTY_ROW])
def test_lstm_zero_output_for_mask_matches_keras(mask):
    keras = keras_or_skip()
    kwargs = {"units": 3, "return_sequences": True, "zero_output_for_mask": True}
    layer = LSTM(**kwargs)
    run_pair(keras, keras.layers.LSTM(**kwargs), layer, sequences(), mask=mask)
    assert layer._last_call_used_fused_kernel


@pytest.mark.parity
def test_lstm_mask_attribute_is_read_like_keras():
    keras = keras_or_skip()
    x = sequences()
    ref = keras.layers.LSTM(3, return_sequences=True)
    expected = ref(keras.ops.convert_to_tensor(x), mask=keras.ops.convert_to_tensor(RIGHT_PADDED))
    layer = LSTM(3, return_sequences=True)
    layer.build(x.shape)
    layer.set_weights(ref.get_weights())
    inputs = torch.as_tensor(x)
    inputs._keras_mask = torch.as_tensor(RIGHT_PADDED)
    output = layer(inputs)
    assert_close(output, expected)
    assert torch.equal(output._keras_mask, torch.as_tensor(RIGHT_PADDED))


@pytest.mark.parity
@pytest.mark.parametrize("go_backwards", [False, True])
def test_lstm_initial_state_matches_keras(go_backwards):
    keras = keras_or_skip()
    rng = np.random.default_rng(1)
    states = [rng.standard_normal((3, 4)).astype("float32") for _ in range(2)]
    kwargs = {"units": 4, "return_state": True, "go_backwards": go_backwards}
    layer = LSTM(**kwargs)
    run_pair(keras, keras.layers.LSTM(**kwargs), layer, sequences(), initial_state=states)
    assert layer._last_call_used_fused_kernel


@pytest.mark.parity
@pytest.mark.parametrize("unroll", [False, True])
def test_lstm_stateful_carries_states_like_keras(unroll):
    keras = keras_or_skip()
    kwargs = {"units": 3, "stateful": True, "unroll": unroll}
    ref, layer = keras.layers.LSTM(**kwargs), LSTM(**kwargs)
    ours, _ = run_pair(keras, ref, layer, sequences(), calls=2)
    assert not torch.allclose(ours[0], ours[1])  # the second call starts from the states
    layer.reset_states()
    ref.reset_states()
    run_pair(keras, ref, layer, sequences(), calls=1)
    assert all(torch.count_nonzero(s) > 0 for s in layer.states)


def test_lstm_stateful_refuses_another_batch_size():
    layer = LSTM(2, stateful=True)
    layer(torch.ones(3, 4, 2))
    with pytest.raises(ValueError, match="Expected batch size: 3"):
        layer(torch.ones(2, 4, 2))


def test_lstm_stores_torch_layout_with_a_zero_buffer_for_the_second_bias():
    layer = LSTM(4)
    layer(torch.ones(2, 3, 5))
    cell = layer.cell
    assert tuple(cell.weight_ih.shape) == (16, 5)
    assert tuple(cell.weight_hh.shape) == (16, 4)
    torch.testing.assert_close(cell.kernel.value, cell.weight_ih.T)
    assert "bias_hh" in dict(cell.named_buffers())
    assert "bias_hh" not in dict(cell.named_parameters())
    assert torch.count_nonzero(cell.bias_hh) == 0
    assert layer.count_params() == 4 * (4 * (5 + 4) + 4)
    assert sum(p.numel() for p in layer.parameters()) == layer.count_params()
    # unit_forget_bias: ones on the forget gate, zeros elsewhere
    np.testing.assert_array_equal(cell.bias.numpy(), np.r_[np.zeros(4), np.ones(4), np.zeros(8)])


def test_lstm_orthogonal_recurrent_kernel_in_keras_layout():
    layer = LSTM(3)
    layer.build((2, 4, 5))
    rk = layer.cell.recurrent_kernel.numpy()  # (3, 12): orthogonal rows
    np.testing.assert_allclose(rk @ rk.T, np.eye(3), atol=1e-5)


def test_lstm_dropout_applies_one_input_mask_to_every_step_on_the_fused_path():
    x = torch.as_tensor(sequences())
    layer = LSTM(3, dropout=0.5, return_sequences=True)
    expected = layer(x)  # builds; inference ignores dropout
    mask = torch.tensor([[2.0, 0.0, 2.0, 0.0], [0.0, 2.0, 2.0, 2.0], [2.0, 2.0, 0.0, 0.0]])
    layer.cell._make_masks = lambda like, rate, count: mask
    output = layer(x, training=True)
    assert layer._last_call_used_fused_kernel
    layer.cell._make_masks = lambda like, rate, count: torch.ones_like(like)
    torch.testing.assert_close(output, layer(x * mask[:, None, :], training=True))
    assert not torch.allclose(output, expected)


def test_lstm_dropout_masks_are_scaled_bernoulli():
    layer = LSTM(3, dropout=0.25)
    masks = layer.cell._make_masks(torch.ones(200, 50), 0.25, 1)
    assert set(torch.unique(masks).tolist()) <= {0.0, float(np.float32(1 / 0.75))}
    assert 0.65 < (masks > 0).float().mean().item() < 0.85


def test_lstm_recurrent_dropout_runs_the_step_loop_with_a_mask_per_gate():
    layer = LSTM(3, dropout=0.3, recurrent_dropout=0.3)
    x = torch.as_tensor(sequences())
    out = layer(x, training=True)
    assert out.shape == (3, 3)
    assert not layer._last_call_used_fused_kernel
    torch.testing.assert_close(layer(x, training=False), layer(x))
    assert layer.cell._dropout_mask is None  # masks live for one call only


def test_lstm_use_cudnn_true_refuses_a_mask_with_holes():
    layer = LSTM(3, use_cudnn=True)
    with pytest.raises(ValueError, match="use_cudnn=True was specified"):
        layer(torch.as_tensor(sequences()), mask=torch.as_tensor(WITH_HOLES))


def test_lstm_rejects_bad_arguments():
    with pytest.raises(ValueError, match="expected a positive integer, got 0"):
        LSTM(0)
    with pytest.raises(ValueError, match="use_cudnn"):
        LSTM(2, use_cudnn="yes")


def test_lstm_fused_and_step_loop_agree_with_gradients():
    x = torch.as_tensor(sequences())
    fused, loop = LSTM(4, return_sequences=True), LSTM(4, return_sequences=True, unroll=True)
    fused.build(x.shape)
    loop.build(x.shape)
    loop.set_weights(fused.get_weights())
    out_fused, out_loop = fused(x), loop(x)
    torch.testing.assert_close(out_fused, out_loop, atol=1e-5, rtol=1e-5)
    out_fused.square().sum().backward()
    out_loop.square().sum().backward()
    for a, b in zip(fused.trainable_weights, loop.trainable_weights, strict=True):
        torch.testing.assert_close(a.tensor.grad, b.tensor.grad, atol=1e-5, rtol=1e-4)
    assert fused.cell.bias_hh.grad is None


@pytest.mark.parity
def test_lstm_regularization_losses_match_keras():
    keras = keras_or_skip()
    kwargs = {"units": 3, "kernel_regularizer": "l2", "recurrent_regularizer": "l1"}
    kwargs["bias_regularizer"] = "l2"
    ref, layer = keras.layers.LSTM(**kwargs), LSTM(**kwargs)
    run_pair(keras, ref, layer, sequences())
    assert len(layer.losses) == 3
    assert_close(sum(layer.losses), sum(ref.losses))


def test_lstm_constraint_applies_in_keras_layout():
    layer = LSTM(3, kernel_constraint="non_neg")
    layer.build((2, 4, 3))
    layer.cell.kernel.apply_constraint()
    assert (layer.cell.weight_ih >= 0).all()


def test_lstm_pickles():
    layer = LSTM(3, return_sequences=True)
    x = torch.as_tensor(sequences())
    expected = layer(x)
    copy = pickle.loads(pickle.dumps(layer))
    torch.testing.assert_close(copy(x), expected)


@pytest.mark.parity
def test_lstm_cell_call_matches_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(2)
    x, h, c = (rng.standard_normal(s).astype("float32") for s in [(2, 5), (2, 3), (2, 3)])
    ref, cell = keras.layers.LSTMCell(3), LSTMCell(3)
    ref.build((2, 5))
    cell.build((2, 5))
    cell.set_weights(ref.get_weights())
    expected = ref(keras.ops.convert_to_tensor(x), [keras.ops.convert_to_tensor(s) for s in (h, c)])
    output = cell(torch.as_tensor(x), [torch.as_tensor(h), torch.as_tensor(c)])
    assert_close([output[0], *output[1]], [expected[0], *expected[1]])
    mine = {k: v for k, v in cell.get_config().items() if k != "name"}
    assert mine == {k: v for k, v in ref.get_config().items() if k != "name"}
