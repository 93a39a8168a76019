import numpy as np
import pytest
import torch

from kerastorch import activations
from kerastorch.layers.core.activation import Activation
from kerastorch.layers.core.input_layer import Input
from kerastorch.models import Model, Sequential
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("activation", "input_shape"),
    [
        ("relu", (2, 5)),
        ("tanh", (2, 3, 4)),
        ("softmax", (2, 5)),
        ("sigmoid", (3, 2)),
        ("gelu", (2, 4)),
        ("linear", (2, 4)),
        (None, (2, 4)),
    ],
)
def test_activation_matches_keras(activation, input_shape):
    keras_or_skip()
    check_layer(
        Activation,
        {"activation": activation},
        input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=0,
    )


def test_activation_accepts_a_callable():
    layer = Activation(activations.relu)
    np.testing.assert_allclose(layer(torch.tensor([-1.0, 1.0])).numpy(), [0.0, 1.0])
    assert layer.get_config()["activation"] == "relu"


def test_activation_in_sequential_and_functional_models():
    seq = Sequential([Input((3,)), Activation("relu")])
    x = torch.tensor([[-1.0, 0.0, 2.0]])
    np.testing.assert_allclose(seq(x).numpy(), [[0.0, 0.0, 2.0]])
    inputs = Input((3,))
    model = Model(inputs, Activation("tanh")(inputs))
    np.testing.assert_allclose(model(x).numpy(), np.tanh(x.numpy()), rtol=1e-6)


def test_activation_rejects_unknown_names():
    with pytest.raises(ValueError, match="nope"):
        Activation("nope")
