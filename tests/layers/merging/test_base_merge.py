"""Element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum) and `Merge`."""

import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.merging import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    maximum,
    minimum,
    multiply,
    subtract,
)
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

ELEMENTWISE = [Add, Average, Maximum, Minimum, Multiply, Subtract]
FUNCTIONS = {
    Add: add,
    Average: average,
    Maximum: maximum,
    Minimum: minimum,
    Multiply: multiply,
    Subtract: subtract,
}


@pytest.mark.parity
@pytest.mark.parametrize("cls", ELEMENTWISE)
@pytest.mark.parametrize(
    ("input_shapes", "output_shape"),
    [
        ([(2, 3), (2, 3)], (2, 3)),
        ([(2, 3, 4), (2, 3, 4)], (2, 3, 4)),
        ([(2, 3, 4), (2, 1, 4)], (2, 3, 4)),  # size-1 axes broadcast
        ([(2, 4), (2, 3, 4)], (2, 3, 4)),  # lower rank: axes inserted after the batch
    ],
)
def test_elementwise_merge_matches_keras(cls, input_shapes, output_shape):
    keras_or_skip()
    check_layer(
        cls,
        {},
        input_shapes,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize("cls", [Add, Average, Maximum, Minimum, Multiply])
def test_elementwise_merge_of_three_inputs_matches_keras(cls):
    keras_or_skip()
    check_layer(cls, {}, [(2, 3), (2, 3), (2, 3)], expected_output_shape=(2, 3))


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_merge_function_forms_build_the_layer(cls):
    a, b = Input((3,)), Input((3,))
    out = FUNCTIONS[cls]([a, b], name="merged")
    assert out.shape == (None, 3)
    assert out._keras_history.layer.name == "merged"
    assert isinstance(out._keras_history.layer, cls)
    x, y = torch.randn(2, 3), torch.randn(2, 3)
    assert torch.equal(FUNCTIONS[cls]([x, y]), cls()([x, y]))


def test_merge_values():
    x, y = torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])
    assert torch.equal(add([x, y]), torch.tensor([[4.0, 7.0]]))
    assert torch.equal(subtract([x, y]), torch.tensor([[-2.0, 3.0]]))
    assert torch.equal(multiply([x, y]), torch.tensor([[3.0, 10.0]]))
    assert torch.equal(average([x, y]), torch.tensor([[2.0, 3.5]]))
    assert torch.equal(maximum([x, y]), torch.tensor([[3.0, 5.0]]))
    assert torch.equal(minimum([x, y]), torch.tensor([[1.0, 2.0]]))


def test_merge_in_functional_model_with_gradients():
    a, b = Input((4,)), Input((4,))
    dense = Dense(2)
    model = Model([a, b], add([dense(a), Dense(2)(b)]))
    assert model.output_shape == (None, 2)
    out = model([torch.randn(3, 4), torch.randn(3, 4)])
    out.sum().backward()
    assert dense.kernel.tensor.grad is not None


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_merge_rejects_incompatible_shapes_at_graph_construction(cls):
    with pytest.raises(
        ValueError, match=r"Inputs have incompatible shapes. Received shapes \(4,\) and \(5,\)"
    ):
        cls()([Input((4,)), Input((5,))])


def test_merge_rejects_different_batch_sizes():
    a, b = Input(batch_shape=(2, 3)), Input(batch_shape=(4, 3))
    with pytest.raises(ValueError, match="Cannot merge tensors with different batch sizes"):
        Add()([a, b])


def test_merge_rejects_a_single_tensor():
    with pytest.raises(ValueError, match="A merge layer should be called on a list of inputs"):
        Add()(Input((3,)))


def test_subtract_requires_exactly_two_inputs():
    with pytest.raises(ValueError, match="A `Subtract` layer should be called on exactly 2 inputs"):
        Subtract()([Input((3,)), Input((3,)), Input((3,))])


# -- masks --------------------------------------------------------------------------------------
def _masked_inputs(library, arrays, masks):
    tensors = []
    for array, mask in zip(arrays, masks, strict=True):
        t = torch.from_numpy(array) if library == "torch" else library.ops.convert_to_tensor(array)
        if mask is not None:
            t._keras_mask = torch.from_numpy(mask)
        tensors.append(t)
    return tensors


@pytest.mark.parity
@pytest.mark.parametrize("cls", ELEMENTWISE)
@pytest.mark.parametrize("masked", [(True, True), (True, False), (False, True)])
def test_merge_masks_match_keras(cls, masked):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 5, 3)).astype("float32") for _ in range(2)]
    masks = [(rng.random((2, 5)) > 0.4) if m else None for m in masked]
    expected = getattr(keras.layers, cls.__name__)()(_masked_inputs(keras, arrays, masks))
    actual = cls()(_masked_inputs("torch", arrays, masks))
    assert_close(actual, expected, atol=1e-6)
    expected_mask = getattr(expected, "_keras_mask", None)
    actual_mask = getattr(actual, "_keras_mask", None)
    if expected_mask is None:
        assert actual_mask is None
    else:
        assert torch.equal(actual_mask.cpu(), expected_mask.cpu())


def test_merge_mask_is_the_union_of_input_masks():
    a, b = torch.ones(1, 3, 2), torch.ones(1, 3, 2)
    a._keras_mask = torch.tensor([[True, False, False]])
    b._keras_mask = torch.tensor([[False, True, False]])
    assert Add()([a, b])._keras_mask.tolist() == [[True, True, False]]


@pytest.mark.parametrize("cls", ELEMENTWISE)
def test_merge_eager_numpy_inputs_and_masks_match_keras(cls):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    x1, x2 = rng.random((2, 4, 5)), rng.random((2, 4, 5))
    m1, m2 = np.ones((2, 4), dtype=bool), rng.random((2, 4)) > 0.5
    ours, theirs = cls(), getattr(keras.layers, cls.__name__)()
    assert_close(ours([x1, x2]), theirs([x1, x2]))
    assert_close(FUNCTIONS[cls]([x1, x2]), getattr(keras.layers, cls.__name__.lower())([x1, x2]))
    assert ours.compute_mask([x1, x2], [None, None]) is None
    assert_close(ours.compute_mask([x1, x2], [m1, m2]), theirs.compute_mask([x1, x2], [m1, m2]))
