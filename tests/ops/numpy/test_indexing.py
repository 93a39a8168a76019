"""Oracle tests for `kerastorch/ops/numpy/indexing.py`."""

import numpy as np
import pytest

import kerastorch
from kerastorch import ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic, check_unknown_batch
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


def ints(r, *shape, high=3, dtype="int32"):
    return r.integers(0, high, size=shape).astype(dtype)


CASES = [
    ("where", lambda r: (f32(r, 2, 3) > 0, f32(r, 2, 3), f32(r, 3)), {}),
    ("where", lambda r: (f32(r, 2, 1) > 0, ints(r, 2, 3), 2.5), {}),
    ("where", lambda r: (f32(r, 3) > 0, ints(r, 3, dtype="int8"), ints(r, 3, dtype="int16")), {}),
    ("select", lambda r: ([f32(r, 4) > 0, f32(r, 4) > 0.5], [f32(r, 4), f32(r, 4)]), {}),
    ("select", lambda r: ([f32(r, 2, 2) > 0], [ints(r, 2, 2)]), {"default": 9}),
    ("take", lambda r: (f32(r, 3, 4), np.array([[0, 2], [1, 11]])), {}),
    ("take", lambda r: (ints(r, 3, 4), np.array([2, -1, 0], "int32")), {"axis": 1}),
    ("take", lambda r: (f32(r, 3, 4), np.array([[2, 0]])), {"axis": 0}),
    ("take", lambda r: (f32(r, 2, 3, 4), np.array([1, -2])), {"axis": -1}),
    ("take_along_axis", lambda r: (f32(r, 3, 4), ints(r, 3, 2, high=4)), {"axis": 1}),
    ("take_along_axis", lambda r: (ints(r, 3, 4, high=9), ints(r, 1, 4)), {"axis": 0}),
    ("take_along_axis", lambda r: (f32(r, 2, 3), np.array([5, 0, 2])), {}),
    ("digitize", lambda r: (f32(r, 2, 5), np.array([-1.0, 0.0, 1.0], "float32")), {}),
    ("digitize", lambda r: (ints(r, 6, high=10), np.array([2, 5, 8], "int32")), {}),
    ("unravel_index", lambda r: (np.array([1, 5, 4], "int32"), (2, 3)), {}),
    ("unravel_index", lambda r: (np.array([[7, 0]]), (2, 2, 3)), {}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_indexing_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


# Keras's symbolic unravel_index keeps an int64 input dtype (its eager result is int32).
SYMBOLIC = CASES[:-1]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=IDS[:-1])
def test_indexing_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["nonzero", "where"])
@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
def test_nonzero_matches_keras(name, dtype):
    keras = keras_or_skip()
    x = (np.random.default_rng(0).normal(size=(3, 4)) > 0).astype(dtype)
    check_eager(keras, name, (x,), {})


def test_negative_flat_indices_match_numpy():
    # Keras on torch counts a negative index of the flattened tensor from x.shape[0].
    x = np.arange(12.0, dtype="float32").reshape(3, 4)
    np.testing.assert_array_equal(ops.take(x, np.array([-1, 2])).numpy(), np.take(x, [-1, 2]))
    got = ops.take_along_axis(x, np.array([-1, 0]))
    np.testing.assert_array_equal(got.numpy(), np.take_along_axis(x.ravel(), np.array([-1, 0]), 0))


def test_data_dependent_sizes_are_unknown_on_keras_tensors():
    x = kerastorch.Input((4,))
    rows = ops.nonzero(x)
    assert (rows.shape, rows.dtype) == ((2, None), "int32")
    found = ops.where(x > 0)
    assert (found.shape, found.dtype) == ((2, None), "int64")
    model = kerastorch.Model(x, [rows, found])
    nz, wh = model(np.array([[0.0, 1.0, 0.0, 2.0]], "float32"))
    assert nz.tolist() == [[0, 0], [1, 3]]
    assert wh.tolist() == [[0, 0], [1, 3]]


def test_bad_inputs_name_the_op():
    with pytest.raises(ValueError, match="where: `x1` and `x2` must both be None or both be given"):
        ops.where(np.array([True]), 1)
    with pytest.raises(ValueError, match="select: `condlist` and `choicelist`"):
        ops.select([np.array([True])], [])
    with pytest.raises(ValueError, match="digitize: `bins` must be 1-D"):
        ops.digitize(np.ones(3), np.ones((2, 2)))


@pytest.mark.parity
def test_indexing_unknown_batch_matches_keras():
    keras = keras_or_skip()
    check_unknown_batch(keras, "take", [(None, 5)], (np.array([[0, 2]]),), {"axis": 1})
    check_unknown_batch(keras, "where", [(None, 5), (None, 5), (5,)], (), {})
    check_unknown_batch(keras, "digitize", [(None, 3)], (np.array([0.0, 1.0]),), {})
