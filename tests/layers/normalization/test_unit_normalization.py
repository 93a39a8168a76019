"""UnitNormalization: Keras parity for one and several axes."""

import numpy as np
import pytest
import torch

from kerastorch.layers.normalization import UnitNormalization
from tests.layer_checks import check_layer


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"), [({}, (2, 5)), ({"axis": 1}, (2, 3, 4)), ({"axis": [1, 2]}, (2, 3, 4))]
)
def test_unit_normalization_matches_keras(kwargs, shape):
    result = check_layer(UnitNormalization, kwargs, shape, expected_output_shape=shape)
    axis = kwargs.get("axis", -1)
    norms = np.sqrt((result.output.numpy() ** 2).sum(axis=tuple(np.atleast_1d(axis))))
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)


def test_unit_normalization_zero_vector_stays_zero_and_has_no_weights():
    layer = UnitNormalization()
    assert layer.built
    assert layer.count_params() == 0
    out = layer(torch.zeros(1, 3))
    assert torch.equal(out, torch.zeros(1, 3))


def test_unit_normalization_rejects_bad_axis():
    with pytest.raises(TypeError, match="expected an int or a list/tuple of ints"):
        UnitNormalization(axis=None)
