import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers.core.einsum_dense import EinsumDense
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

CASES = [  # (equation, output_shape, bias_axes, input_shape, expected output shape)
    ("ab,bc->ac", 4, "c", (2, 3), (2, 4)),
    ("abc,cd->abd", (3, 5), "d", (2, 3, 4), (2, 3, 5)),
    ("abc,cde->abde", (3, 4, 5), "de", (2, 3, 6), (2, 3, 4, 5)),
    ("...b,bc->...c", 5, None, (2, 3, 4), (2, 3, 5)),
    ("ab...,bc->ac...", 5, "c", (2, 4, 3), (2, 5, 3)),
    ("btd,dnh->btnh", (3, 2, 4), "nh", (2, 3, 6), (2, 3, 2, 4)),
    ("abc,bcd->ad", 7, "d", (2, 3, 4), (2, 7)),
]


@pytest.mark.parametrize(
    ("equation", "output_shape", "bias_axes", "input_shape", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_einsum_dense_matches_keras(equation, output_shape, bias_axes, input_shape, expected):
    check_layer(
        EinsumDense,
        {"equation": equation, "output_shape": output_shape, "bias_axes": bias_axes},
        input_shape,
        expected_output_shape=expected,
        expected_num_trainable_weights=1 if bias_axes is None else 2,
    )


def test_einsum_dense_activation_and_regularizers_match_keras():
    init = {
        "equation": "abc,cd->abd",
        "output_shape": (4, 3),
        "bias_axes": "d",
        "activation": "relu",
        "kernel_regularizer": "l2",
        "kernel_initializer": "he_normal",
    }
    check_layer(EinsumDense, init, (2, 4, 5), expected_output_shape=(2, 4, 3))


def test_dense_equations_run_as_one_matmul():
    layers = [EinsumDense(eq, 4) for eq in ("ab,bc->ac", "...b,bc->...c", "abc,bcd->ad")]
    for layer, shape in zip(layers, [(2, 3), (2, 5, 3), (2, 3, 4)], strict=True):
        layer.build(shape)
    assert [layer._matmul for layer in layers] == [True, True, False]


@pytest.mark.parity
def test_einsum_dense_kernel_initializer_uses_the_equations_fans():
    keras_or_skip()
    layer = EinsumDense("abc,cde->abde", (3, 4, 50), kernel_initializer="glorot_uniform")
    layer.build((None, 3, 40))
    limit = np.sqrt(6 / (40 + 4 * 50))  # fan_in = 40, fan_out = 4 * 50
    assert np.abs(layer.kernel.numpy()).max() <= limit
    assert layer.get_config()["kernel_initializer"]["config"]["input_axes"] is None


@pytest.mark.parametrize(
    ("equation", "bias_axes", "message"),
    [
        ("ab->ac", None, "Invalid einsum equation"),
        ("ab,bc->ad", None, "Dimension 'd' was specified in the output"),
        ("ab,bc->ac", "x", "Bias dimension 'x' was requested"),
        ("ab,bd->ac", None, "Dimension 'c' was specified in the output"),
    ],
)
def test_einsum_dense_bad_equations_raise(equation, bias_axes, message):
    with pytest.raises(ValueError, match=message):
        EinsumDense(equation, 3, bias_axes=bias_axes).build((None, 4))


@pytest.mark.parity
def test_einsum_dense_in_a_saved_model_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    model = kt.Sequential([kt.Input((3, 4)), EinsumDense("abc,cd->abd", (3, 5), bias_axes="d")])
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    path = str(tmp_path / "einsum.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert_close(model(torch.from_numpy(x)), loaded(x))
