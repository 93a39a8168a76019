import numpy as np
import pytest
import torch

from kerastorch.layers.activations.prelu import PReLU
from kerastorch.models import Sequential
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "input_shape"),
    [
        ({}, (2, 5)),
        ({"alpha_initializer": "ones"}, (2, 3, 4)),
        ({"shared_axes": [1, 2]}, (2, 3, 4, 5)),
        ({"shared_axes": 1}, (2, 3, 4)),
        ({"alpha_initializer": "random_normal", "alpha_regularizer": "l2"}, (2, 4)),
        ({"alpha_constraint": "non_neg"}, (2, 4)),
    ],
)
def test_prelu_matches_keras(kwargs, input_shape):
    keras_or_skip()
    result = check_layer(
        PReLU,
        kwargs,
        input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
    )
    assert result.keras_layer.alpha.shape == result.layer.alpha.shape


def test_prelu_alpha_has_keras_layout_with_shared_axes():
    layer = PReLU(shared_axes=[1, 2])
    layer.build((None, 4, 4, 3))
    assert layer.alpha.shape == (1, 1, 3)
    assert [w.name for w in layer.weights] == ["alpha"]
    assert layer.count_params() == 3


def test_prelu_learns_its_slope():
    layer = PReLU(alpha_initializer="zeros")
    x = torch.tensor([[-2.0, 3.0]])
    layer(x).sum().backward()
    grad = layer.alpha.tensor.grad
    np.testing.assert_allclose(grad.numpy(), [-2.0, 0.0])


def test_prelu_regularizer_feeds_losses():
    layer = PReLU(alpha_initializer="ones", alpha_regularizer="l2")
    layer(torch.ones(2, 4))
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0].detach()), 0.01 * 4, rtol=1e-6)


def test_prelu_input_spec_rejects_other_sizes_on_unshared_axes():
    layer = PReLU(shared_axes=[1])
    layer(torch.ones(2, 3, 4))
    layer(torch.ones(2, 7, 4))  # shared axis: any size
    with pytest.raises(ValueError, match="expected axis 2 of input shape to have value 4"):
        layer(torch.ones(2, 3, 5))


def test_prelu_in_sequential_with_tf_keras_input_shape():
    model = Sequential([PReLU(input_shape=(3,))])
    assert model.output_shape == (None, 3)
    assert model.count_params() == 3
