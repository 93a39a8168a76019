import numpy as np
import pytest
import torch

from kerastorch.layers.activations.elu import ELU
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.5}, {"alpha": 2.0}])
def test_elu_matches_keras(kwargs):
    keras_or_skip()
    check_layer(ELU, kwargs, (2, 6), expected_output_shape=(2, 6))


def test_elu_values_and_config_round_trip():
    layer = ELU(alpha=2.0)
    out = layer(torch.tensor([-1.0, 1.0]))
    np.testing.assert_allclose(out.numpy(), [2.0 * (np.exp(-1.0) - 1.0), 1.0], rtol=1e-6)
    assert ELU.from_config(layer.get_config()).alpha == 2.0
