import numpy as np
import pytest
import torch

from kerastorch.layers.activations.leaky_relu import LeakyReLU
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.0}, {"negative_slope": 0.01}])
def test_leaky_relu_matches_keras(kwargs):
    keras_or_skip()
    check_layer(LeakyReLU, kwargs, (2, 3, 4), expected_output_shape=(2, 3, 4))


def test_leaky_relu_default_slope_is_keras3s():
    out = LeakyReLU()(torch.tensor([-10.0, 4.0]))
    np.testing.assert_allclose(out.numpy(), [-3.0, 4.0])
    assert LeakyReLU().get_config()["negative_slope"] == 0.3


def test_leaky_relu_accepts_tf_keras_alpha_with_a_warning():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1
    np.testing.assert_allclose(layer(torch.tensor([-10.0])).numpy(), [-1.0])


@pytest.mark.parity
def test_leaky_relu_alpha_matches_keras():
    keras = keras_or_skip()
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        ref = keras.layers.LeakyReLU(alpha=0.2)
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        ours = LeakyReLU(alpha=0.2)
    assert ours.get_config()["negative_slope"] == ref.get_config()["negative_slope"]


def test_leaky_relu_rejects_negative_slope():
    with pytest.raises(ValueError, match="Received: negative_slope=-1"):
        LeakyReLU(negative_slope=-1)
