import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.permute import Permute
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("dims", "input_shape", "output_shape"),
    [
        ((2, 1), (2, 3, 4), (2, 4, 3)),
        ((1, 2), (2, 3, 4), (2, 3, 4)),
        ((3, 1, 2), (2, 3, 4, 5), (2, 5, 3, 4)),
        ([2, 3, 1], (2, 3, 4, 5), (2, 4, 5, 3)),
    ],
)
def test_permute_matches_keras(dims, input_shape, output_shape):
    keras_or_skip()
    check_layer(Permute, {"dims": dims}, input_shape, expected_output_shape=output_shape)


def test_permute_is_a_view():
    x = torch.randn(2, 3, 4)
    out = Permute((2, 1))(x)
    assert out.data_ptr() == x.data_ptr()
    assert torch.equal(out, x.transpose(1, 2))


def test_permute_symbolic_keeps_unknown_dims_and_dtype():
    out = Permute((2, 1))(Input((None, 4), dtype="int32"))
    assert out.shape == (None, 4, None)
    assert out.dtype == "int32"


def test_permute_rejects_bad_dims():
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        Permute((0, 1))


def test_permute_rejects_inputs_of_another_rank():
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        Permute((2, 1))(torch.zeros(2, 3, 4, 5))
