"""`to_categorical` and `normalize` against Keras's own."""

import numpy as np
import pytest
import torch

from kerastorch.utils import normalize, to_categorical
from tests.oracle import assert_close, keras_or_skip, to_numpy

CATEGORICAL = [
    ("list", [0, 2, 1], 3),
    ("infer_classes", [1, 3], None),
    ("trailing_one", np.array([[1], [0]]), 2),
    ("matrix", np.array([[0, 1], [2, 0]]), 4),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "x", "num"), CATEGORICAL, ids=[c[0] for c in CATEGORICAL])
def test_to_categorical_matches_keras(name, x, num):
    keras = keras_or_skip()
    ours, theirs = to_categorical(x, num), keras.utils.to_categorical(x, num)
    assert isinstance(ours, np.ndarray)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parity
def test_to_categorical_of_a_tensor_is_a_float_tensor():
    keras = keras_or_skip()
    ours = to_categorical(torch.tensor([[0], [2], [1]]), 3)
    theirs = keras.utils.to_categorical(torch.tensor([[0], [2], [1]]), 3)
    assert isinstance(ours, torch.Tensor)
    assert ours.dtype == torch.float32
    np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))
    assert to_categorical(torch.tensor([1, 0])).shape == (2, 2)


def test_to_categorical_rejects_out_of_range_labels():
    with pytest.raises(ValueError, match=r"to_categorical: class labels must be in \[0, 2\)"):
        to_categorical([0, 2], 2)


NORMALIZE = [
    ("numpy_l2", np.array([[3.0, 4.0], [0.0, 0.0]]), {}),
    ("numpy_l1", np.arange(6, dtype="float32").reshape(2, 3), {"order": 1}),
    ("numpy_axis_last", np.arange(24.0).reshape(2, 3, 4), {"axis": 2}),
    ("list", [[1.0, 2.0], [2.0, 2.0]], {}),
    ("tensor_l1", torch.tensor([[1.0, -3.0], [0.0, 0.0]]), {"order": 1}),
    ("tensor_axis0", torch.tensor([[1.0, 2.0], [3.0, 4.0]]), {"axis": 0}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "x", "kwargs"), NORMALIZE, ids=[c[0] for c in NORMALIZE])
def test_normalize_matches_keras(name, x, kwargs):
    keras = keras_or_skip()
    ours, theirs = normalize(x, **kwargs), keras.utils.normalize(x, **kwargs)
    assert type(ours) is type(theirs)
    assert str(ours.dtype) == str(theirs.dtype)
    assert_close(ours, theirs, atol=1e-6)


def test_normalize_numpy_along_the_first_axis():
    # Keras 3.15 expands the norms on the last axis for `axis=0` (a bug); here on axis 0.
    x = np.array([[3.0, 0.0], [4.0, 1.0]])
    np.testing.assert_allclose(normalize(x, axis=0), [[0.6, 0.0], [0.8, 1.0]])
