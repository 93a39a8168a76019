"""Oracle tests for `kerastorch/ops/numpy/sorting.py`."""

import numpy as np
import pytest

import kerastorch
from kerastorch import ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


def ints(r, *shape, dtype="int32"):
    return r.integers(0, 4, size=shape).astype(dtype)


CASES = [
    ("sort", lambda r: (f32(r, 3, 4),), {}),
    ("sort", lambda r: (ints(r, 3, 4),), {"axis": 0}),
    ("sort", lambda r: (f32(r, 2, 3),), {"axis": None}),
    ("sort", lambda r: (f32(r, 5) > 0,), {}),
    ("argsort", lambda r: (ints(r, 3, 6),), {}),
    ("argsort", lambda r: (ints(r, 6, 2, dtype="int64"),), {"axis": 0}),
    ("argsort", lambda r: (f32(r, 2, 3),), {"axis": None}),
    ("argsort", lambda r: (f32(r, 7) > 0,), {}),
    ("searchsorted", lambda r: (np.array([1.0, 2.0, 4.0], "float32"), f32(r, 2, 3) * 3), {}),
    ("searchsorted", lambda r: (np.array([0, 1, 1, 3], "int32"), ints(r, 5)), {"side": "right"}),
    ("unique", lambda r: (ints(r, 8),), {}),
    ("unique", lambda r: (ints(r, 8),), {"return_inverse": True, "return_counts": True}),
    ("unique", lambda r: (ints(r, 6, 2),), {"axis": 0, "return_counts": True}),
    ("unique", lambda r: (ints(r, 8),), {"size": 6, "fill_value": -1, "return_counts": True}),
    ("unique", lambda r: (ints(r, 8),), {"size": 2, "return_index": True}),
    ("unique", lambda r: (f32(r, 5),), {"return_index": True, "return_inverse": True}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_sorting_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


# Keras's symbolic unique says int32 for index/inverse/counts; its eager result (and ours)
# is int64.
SYMBOLIC = [c for c in CASES if c[0] != "unique" or not c[2]]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_sorting_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("kth", "axis"), [(2, -1), (0, 0), (5, None)])
def test_argpartition_partitions_like_keras(kth, axis):
    keras = keras_or_skip()
    x = np.random.default_rng(0).integers(-9, 9, size=(3, 6)).astype("int32")
    ours = ops.argpartition(x, kth, axis=axis)
    theirs = keras.ops.argpartition(x, kth, axis=axis)
    assert (ours.dtype, tuple(ours.shape)) == (theirs.dtype, tuple(theirs.shape))
    flat_axis = -1 if axis is None else axis
    values = np.take_along_axis(x.reshape(-1) if axis is None else x, ours.numpy(), flat_axis)
    expected = np.partition(x, kth, axis=axis)
    np.testing.assert_array_equal(
        np.take(values, kth, flat_axis), np.take(expected, kth, flat_axis)
    )
    assert np.all(np.take(values, range(kth), flat_axis) <= np.take(values, [kth], flat_axis))


def test_argsort_is_stable():
    x = np.array([2, 1, 2, 1, 2, 1, 0, 2] * 40, "int32")
    np.testing.assert_array_equal(ops.argsort(x).numpy(), np.argsort(x, kind="stable"))


def test_unique_of_a_matrix_matches_numpy():
    # Keras on torch fails on return_index for a 2-D input.
    x = np.array([[3, 1, 3], [0, 1, 2]], "int32")
    values, index, inverse = ops.unique(x, return_index=True, return_inverse=True)
    expected = np.unique(x, return_index=True, return_inverse=True)
    for ours, theirs in zip((values, index, inverse), expected, strict=True):
        np.testing.assert_array_equal(ours.numpy().reshape(-1), theirs.reshape(-1))


def test_unique_on_keras_tensors_has_unknown_size():
    values, counts = ops.unique(kerastorch.KerasTensor((5,), "int32"), return_counts=True)
    assert (values.shape, counts.shape, values.dtype) == ((None,), (None,), "int32")
    assert ops.unique(kerastorch.KerasTensor((5,)), size=3).shape == (3,)


def test_bad_inputs_name_the_op():
    with pytest.raises(ValueError, match="searchsorted: `sorted_sequence` must be 1-D"):
        ops.searchsorted(np.ones((2, 2)), np.ones(2))
    with pytest.raises(ValueError, match="searchsorted: `side`"):
        ops.searchsorted(np.ones(2), np.ones(2), side="middle")
    with pytest.raises(ValueError, match="argpartition: `kth` 9"):
        ops.argpartition(np.ones(3), 9)
