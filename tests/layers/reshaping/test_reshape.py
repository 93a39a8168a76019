import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.reshape import Reshape
from kerastorch.models import Sequential
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("target_shape", "input_shape", "output_shape"),
    [
        ((12,), (2, 3, 4), (2, 12)),
        ((-1, 2), (2, 3, 4), (2, 6, 2)),
        ((4, -1), (2, 12), (2, 4, 3)),
        ([2, 3, 2], (2, 12), (2, 2, 3, 2)),
        ((6, 1, -1), (2, 3, 4), (2, 6, 1, 2)),
    ],
)
def test_reshape_matches_keras(target_shape, input_shape, output_shape):
    keras_or_skip()
    check_layer(
        Reshape,
        {"target_shape": target_shape},
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("target_shape", "input_shape"),
    [((-1,), (None, 3)), ((-1, 3), (None, 6)), ((3, 2), (6,)), ((1, -1), (4, 5))],
)
def test_reshape_symbolic_shapes_match_keras(target_shape, input_shape):
    keras = keras_or_skip()
    expected = keras.layers.Reshape(target_shape)(keras.Input(input_shape)).shape
    assert Reshape(target_shape)(Input(input_shape)).shape == expected


def test_reshape_keeps_int_dtype_symbolically():
    assert Reshape((2, 2))(Input((4,), dtype="int32")).dtype == "int32"


@pytest.mark.parametrize(
    ("target_shape", "match"),
    [
        ((-1, -1), "at most one unknown dimension"),
        ((-2, 3), "must be a non-negative integer, or `-1`"),
    ],
)
def test_reshape_rejects_bad_target_shapes(target_shape, match):
    with pytest.raises(ValueError, match=match):
        Reshape(target_shape)


def test_reshape_size_mismatch_errors_eagerly_and_symbolically():
    with pytest.raises(ValueError, match="total size of the tensor must be unchanged"):
        Reshape((5,))(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="cannot by divided"):
        Reshape((-1, 5))(torch.zeros(2, 12))
    with pytest.raises(ValueError, match="total size of the tensor must be unchanged"):
        Reshape((5,))(Input((3, 4)))


def test_reshape_in_sequential():
    model = Sequential([Input((6,)), Reshape((3, 2))])
    assert model.output_shape == (None, 3, 2)
    x = torch.arange(12.0).reshape(2, 6)
    assert torch.equal(model(x), x.reshape(2, 3, 2))
