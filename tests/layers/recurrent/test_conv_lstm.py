import numpy as np
import pytest
import torch

from kerastorch.layers.recurrent import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from tests.layer_checks import check_layer
from tests.layers.recurrent.rnn_oracle import WITH_HOLES, run_pair, sequences
from tests.oracle import assert_close, keras_or_skip

CASES = [  # (class, init kwargs, input shape, expected output shape)
    (ConvLSTM2D, {"filters": 3, "kernel_size": 3, "padding": "same", "return_sequences": True},
     (2, 3, 5, 5, 2), (2, 3, 5, 5, 3)),
    (ConvLSTM1D, {"filters": 2, "kernel_size": 3, "strides": 2, "return_state": True},
     (2, 4, 9, 2), [(2, 4, 2)] * 3),
    (ConvLSTM3D, {"filters": 2, "kernel_size": 2, "padding": "same", "go_backwards": True,
                  "data_format": "channels_first", "return_sequences": True},
     (1, 3, 2, 4, 3, 4), (1, 3, 2, 4, 3, 4)),
    (ConvLSTM2D, {"filters": 2, "kernel_size": (2, 3), "dilation_rate": 2, "use_bias": False,
                  "unit_forget_bias": False, "activation": "relu"},
     (2, 3, 6, 7, 1), (2, 4, 3, 2)),
    (ConvLSTM1D, {"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same",
                  "recurrent_activation": "hard_sigmoid", "data_format": "channels_first"},
     (2, 3, 2, 8), (2, 2, 3)),
]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(("cls", "kwargs", "shape", "out_shape"), CASES)
def test_conv_lstm_matches_keras(cls, kwargs, shape, out_shape):
    keras_or_skip()
    weights = 2 if kwargs.get("use_bias") is False else 3
    check_layer(
        cls, kwargs, shape, expected_output_shape=out_shape,
        expected_num_trainable_weights=weights, expected_num_non_trainable_weights=0,
        atol=1e-5, rtol=1e-4,
    )  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_conv_lstm_masks_match_keras(go_backwards, zero_output_for_mask):
    keras = keras_or_skip()
    kwargs = {"filters": 2, "kernel_size": 3, "padding": "same", "return_sequences": True,
              "return_state": True, "go_backwards": go_backwards,
              "zero_output_for_mask": zero_output_for_mask}  # fmt: skip
    x = sequences((3, 5, 4, 2))
    run_pair(keras, keras.layers.ConvLSTM1D(**kwargs), ConvLSTM1D(**kwargs), x, mask=WITH_HOLES)


@pytest.mark.parity
def test_conv_lstm_stateful_and_initial_state_match_keras():
    keras = keras_or_skip()
    kwargs = {"filters": 2, "kernel_size": 3, "padding": "same", "stateful": True}
    x = sequences((2, 3, 4, 4, 1))
    ours, _ = run_pair(keras, keras.layers.ConvLSTM2D(**kwargs), ConvLSTM2D(**kwargs), x, calls=2)
    assert not torch.allclose(ours[0], ours[1])  # the second call started from the states
    init = [np.random.default_rng(1).standard_normal((2, 4, 4, 2)).astype("float32")] * 2
    kwargs = {"filters": 2, "kernel_size": 3, "padding": "same"}
    run_pair(keras, keras.layers.ConvLSTM2D(**kwargs), ConvLSTM2D(**kwargs), x, initial_state=init)


def test_conv_lstm_dropout_masks_are_per_gate_and_shared_by_steps():
    layer = ConvLSTM2D(2, 3, padding="same", dropout=0.5, recurrent_dropout=0.5,
                       return_sequences=True)  # fmt: skip
    x = torch.randn(2, 3, 4, 4, 1)
    inference = layer(x)
    torch.testing.assert_close(layer(x), inference)  # no dropout at inference
    torch.manual_seed(0)
    trained = layer(x, training=True)
    assert trained.shape == inference.shape
    assert not torch.allclose(trained, inference)
    masks = layer.cell._make_masks(x[:, 0], 0.5)
    assert len(masks) == 4
    assert set(masks[0].unique().tolist()) <= {0.0, 2.0}
    assert layer.cell._dropout_mask is None  # reset after the call


@pytest.mark.parity
def test_conv_lstm_dropout_shapes_match_keras():
    keras_or_skip()
    check_layer(
        ConvLSTM2D,
        {"filters": 2, "kernel_size": 3, "dropout": 0.3, "recurrent_dropout": 0.2, "seed": 3},
        (2, 3, 5, 5, 1), expected_output_shape=(2, 3, 3, 2), training=True, deterministic=False,
    )  # fmt: skip


@pytest.mark.parity
def test_conv_lstm_keras_file_both_ways(tmp_path):
    keras = keras_or_skip()
    import kerastorch as kt

    x = sequences((2, 3, 5, 5, 2))
    ours = kt.Sequential([kt.Input((3, 5, 5, 2)), ConvLSTM2D(3, 3, return_sequences=True)])
    ours.save(tmp_path / "ours.keras")
    theirs = keras.saving.load_model(tmp_path / "ours.keras")
    assert_close(ours(torch.as_tensor(x)), theirs(x), atol=1e-5)

    ref = keras.Sequential([keras.Input((3, 5, 5, 2)), keras.layers.ConvLSTM2D(2, 2, strides=2)])
    ref.save(tmp_path / "theirs.keras")
    loaded = kt.saving.load_model(tmp_path / "theirs.keras")
    assert_close(loaded(torch.as_tensor(x)), ref(x), atol=1e-5)


def test_conv_lstm_errors():
    with pytest.raises(ValueError, match="not compatible with `dilation_rate > 1`"):
        ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="padding"):
        ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="static input shapes for the spatial dimension"):
        ConvLSTM2D(2, 3).build((None, 3, None, 5, 1))
    with pytest.raises(ValueError, match="expected ndim=5"):
        ConvLSTM2D(2, 3)(torch.ones(2, 3, 5, 1))


@pytest.mark.parity
def test_conv_lstm_in_bidirectional_matches_keras():
    keras = keras_or_skip()
    from kerastorch.layers.recurrent import Bidirectional

    kwargs = {"filters": 2, "kernel_size": 3, "padding": "same", "return_sequences": True}
    x = sequences((2, 3, 4, 4, 1))
    run_pair(
        keras,
        keras.layers.Bidirectional(keras.layers.ConvLSTM2D(**kwargs)),
        Bidirectional(ConvLSTM2D(**kwargs)),
        x,
    )
