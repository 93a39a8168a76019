import numpy as np
import pytest
import torch

from kerastorch.layers.activations.softmax import Softmax
from kerastorch.layers.core.input_layer import Input
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "input_shape"),
    [
        ({}, (2, 5)),
        ({"axis": 1}, (2, 3, 4)),
        ({"axis": [1, 2]}, (2, 3, 4)),
        ({"axis": (-1,)}, (2, 3)),
    ],
)
def test_softmax_matches_keras(kwargs, input_shape):
    keras_or_skip()
    check_layer(Softmax, kwargs, input_shape, expected_output_shape=input_shape)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("mask_shape", "mask_dtype"),
    [((2, 3, 4), "bool"), ((2, 1, 4), "bool"), ((4,), "bool"), ((2, 3, 4), "float32")],
)
def test_softmax_mask_matches_keras(mask_shape, mask_dtype):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    mask = (rng.random(mask_shape) > 0.3).astype(mask_dtype)
    expected = keras.layers.Softmax()(x, mask=keras.ops.convert_to_tensor(mask))
    actual = Softmax()(torch.from_numpy(x), mask=torch.from_numpy(mask))
    assert_close(actual, expected, atol=1e-6)
    assert (
        float(actual[torch.from_numpy(mask).bool().expand(2, 3, 4).logical_not()].abs().sum()) == 0
    )


def test_softmax_uses_the_inputs_keras_mask():
    x = torch.zeros(1, 4)
    x._keras_mask = torch.tensor([[True, True, False, False]])
    out = Softmax()(x)
    np.testing.assert_allclose(out.numpy(), [[0.5, 0.5, 0.0, 0.0]])
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_softmax_mask_in_functional_model():
    x, m = Input((3,)), Input((3,), dtype="bool")
    model = Model([x, m], Softmax()(x, mask=m))
    assert model.output_shape == (None, 3)
    out = model([torch.zeros(2, 3), torch.tensor([[True, False, True], [True, True, True]])])
    np.testing.assert_allclose(out.numpy(), [[0.5, 0, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


def test_softmax_rejects_masks_that_do_not_broadcast():
    with pytest.raises(ValueError, match="must not have more dimensions"):
        Softmax()(torch.zeros(2, 3), mask=torch.ones(1, 2, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match="Each mask dimension must be 1 or match"):
        Softmax()(torch.zeros(2, 3), mask=torch.ones(2, 2, dtype=torch.bool))
