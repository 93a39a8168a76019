import pytest
import torch

from kerastorch.layers.core.identity import Identity
from kerastorch.layers.core.input_layer import Input
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("input_shape", "dtype"), [((2, 3), "float32"), ((2, 3, 4), "float32"), ((4, 2), "int32")]
)
def test_identity_matches_keras(input_shape, dtype):
    keras_or_skip()
    check_layer(
        Identity,
        {},
        input_shape,
        expected_output_shape=input_shape,
        expected_output_dtype=dtype,
        input_dtype=dtype,
        run_backward=False,
    )


def test_identity_returns_its_inputs_and_masks():
    x = torch.ones(2, 3)
    x._keras_mask = torch.tensor([True, False])
    out = Identity()(x)
    assert out is x
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_identity_keeps_symbolic_dtype():
    assert Identity()(Input((3,), dtype="int64")).dtype == "int64"
