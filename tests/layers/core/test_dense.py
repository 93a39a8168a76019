import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers.core.dense import Dense
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parametrize(
    ("init_kwargs", "input_shape", "output_shape"),
    [
        ({"units": 4}, (2, 3), (2, 4)),
        ({"units": 4, "activation": "relu"}, (2, 5, 3), (2, 5, 4)),
        ({"units": 2, "use_bias": False, "activation": "softmax"}, (3, 2, 4, 6), (3, 2, 4, 2)),
        ({"units": 3, "kernel_initializer": "ones", "bias_initializer": "ones"}, (2, 3), (2, 3)),
        ({"units": 3, "kernel_regularizer": "l2", "bias_regularizer": "l1"}, (2, 3), (2, 3)),
        ({"units": 3, "kernel_constraint": "max_norm", "activation": "tanh"}, (2, 3), (2, 3)),
    ],
)
def test_dense_matches_keras(init_kwargs, input_shape, output_shape):
    weights = 1 if init_kwargs.get("use_bias") is False else 2
    check_layer(
        Dense,
        init_kwargs,
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=weights,
    )


def test_dense_get_weights_returns_keras_layout():
    layer = Dense(5)
    layer.build((None, 3))
    kernel, bias = layer.get_weights()
    assert kernel.shape == (3, 5)
    assert bias.shape == (5,)
    assert tuple(layer.linear.weight.shape) == (5, 3)
    np.testing.assert_array_equal(kernel, layer.linear.weight.detach().numpy().T)
    assert list(layer.state_dict()) == ["linear.weight", "linear.bias"]


def test_dense_kernel_view_grad_is_keras_layout():
    layer = Dense(2)
    layer(torch.ones(4, 3)).sum().backward()
    assert tuple(layer.kernel.value.grad.shape) == (3, 2)
    assert tuple(layer.kernel.grad.shape) == (3, 2)


@pytest.mark.parametrize("units", [0, -1, 2.5, "4"])
def test_dense_rejects_bad_units(units):
    with pytest.raises(ValueError, match="expected a positive integer"):
        Dense(units)


def test_dense_wrong_input_size_names_layer_and_shapes():
    layer = Dense(2, name="head")
    layer(torch.ones(1, 3))
    with pytest.raises(ValueError, match=r"Layer 'head' \(Dense\).*axis -1.*value 3.*\(1, 4\)"):
        layer(torch.ones(1, 4))


def test_dense_unknown_kwarg_suggests_close_match():
    with pytest.raises(TypeError, match="'activaton' \\(did you mean 'activation'\\?\\)"):
        Dense(2, activaton="relu")


def test_dense_input_dim_kwarg_declares_input_shape():
    model = kt.Sequential([Dense(3, input_dim=4)])
    assert model.built
    assert model.output_shape == (None, 3)


@pytest.mark.parity
def test_dense_activity_regularizer_loss_matches_keras():
    keras = keras_or_skip()
    ref = keras.layers.Dense(3, activity_regularizer="l2", kernel_regularizer="l1")
    ours = Dense(3, activity_regularizer="l2", kernel_regularizer="l1")
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    ref(x)
    ours.build((None, 5))
    ours.set_weights(ref.get_weights())
    ref(x)
    ours(torch.from_numpy(x))
    assert len(ours.losses) == len(ref.losses) == 2
    values = sorted(float(v.detach()) for v in ours.losses)
    assert_close(values, sorted(float(v.detach()) for v in ref.losses))


@pytest.mark.parity
def test_dense_integer_inputs_are_promoted_like_keras():
    keras = keras_or_skip()
    ref, ours = keras.layers.Dense(3), Dense(3)
    x = np.arange(8, dtype="int64").reshape(2, 4)
    expected = ref(x)
    ours.build((None, 4))
    ours.set_weights(ref.get_weights())
    out = ours(torch.from_numpy(x))
    assert out.dtype == torch.float32
    assert_close(out, expected)
