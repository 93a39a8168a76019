import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.repeat_vector import RepeatVector
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(("n", "input_shape"), [(1, (2, 3)), (3, (2, 5)), (4, (1, 2))])
def test_repeat_vector_matches_keras(n, input_shape):
    keras_or_skip()
    check_layer(
        RepeatVector,
        {"n": n},
        input_shape,
        expected_output_shape=(input_shape[0], n, input_shape[1]),
    )


def test_repeat_vector_repeats_along_axis_one():
    x = torch.tensor([[1.0, 2.0]])
    assert torch.equal(RepeatVector(2)(x), torch.tensor([[[1.0, 2.0], [1.0, 2.0]]]))


def test_repeat_vector_symbolic_shape():
    assert RepeatVector(3)(Input((32,))).shape == (None, 3, 32)


def test_repeat_vector_rejects_bad_n_and_inputs():
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        RepeatVector(2.0)
    with pytest.raises(ValueError, match="Received: n=0"):
        RepeatVector(0)
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        RepeatVector(2)(torch.zeros(2, 3, 4))
