import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.merging.dot import Dot, dot
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "input_shapes", "output_shape"),
    [
        ({"axes": 1}, [(2, 4), (2, 4)], (2, 1)),
        ({"axes": -1}, [(2, 3, 4), (2, 5, 4)], (2, 3, 5)),
        ({"axes": (2, 2)}, [(2, 3, 4), (2, 5, 4)], (2, 3, 5)),
        ({"axes": [1, 2]}, [(2, 4, 3), (2, 5, 4)], (2, 3, 5)),
        ({"axes": (1, 1)}, [(2, 4), (2, 4, 3)], (2, 3)),
        ({"axes": (2, 1)}, [(2, 3, 4), (2, 4)], (2, 3)),
        ({"axes": 2, "normalize": True}, [(2, 3, 4), (2, 5, 4)], (2, 3, 5)),
        ({"axes": (1, 2), "normalize": True}, [(2, 4, 3, 2), (2, 5, 4)], (2, 3, 2, 5)),
    ],
)
def test_dot_matches_keras(kwargs, input_shapes, output_shape):
    keras_or_skip()
    check_layer(
        Dot,
        kwargs,
        input_shapes,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
    )


def test_dot_normalize_gives_cosine_similarity():
    x, y = torch.tensor([[3.0, 4.0]]), torch.tensor([[4.0, 3.0]])
    np.testing.assert_allclose(Dot(axes=1, normalize=True)([x, y]).numpy(), [[24 / 25]], rtol=1e-6)


def test_dot_function_form_in_a_model():
    a, b = Input((5, 3)), Input((4, 3))
    out = dot([a, b], axes=2)
    assert out.shape == (None, 5, 4)
    model = Model([a, b], out)
    x, y = torch.randn(2, 5, 3), torch.randn(2, 4, 3)
    torch.testing.assert_close(model([x, y]), x @ y.transpose(1, 2))


@pytest.mark.parity
def test_dot_mismatch_error_matches_keras_message():
    keras = keras_or_skip()
    with pytest.raises(ValueError) as ref:
        keras.layers.Dot(axes=1)([keras.Input((3,)), keras.Input((4,))])
    with pytest.raises(ValueError) as ours:
        Dot(axes=1)([Input((3,)), Input((4,))])
    assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize(
    ("axes", "error", "match"),
    [
        ("a", TypeError, "should be a list or an int"),
        ((1, 2, 3), ValueError, "should contain two elements"),
        ((1, 2.0), ValueError, "list elements should be integers"),
    ],
)
def test_dot_rejects_bad_axes(axes, error, match):
    with pytest.raises(error, match=match):
        Dot(axes=axes)


def test_dot_requires_two_inputs():
    with pytest.raises(ValueError, match="should be called on a list of 2 inputs"):
        Dot(axes=1)([Input((3,)), Input((3,)), Input((3,))])


def test_dot_drops_masks():
    x, y = torch.ones(2, 3, 4), torch.ones(2, 3, 4)
    x._keras_mask = torch.ones(2, 3, dtype=torch.bool)
    y._keras_mask = torch.ones(2, 3, dtype=torch.bool)
    assert not hasattr(Dot(axes=2)([x, y]), "_keras_mask")
