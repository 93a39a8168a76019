"""Oracle tests for `kerastorch/ops/numpy/linear.py`."""

import numpy as np
import pytest

import kerastorch
from kerastorch import ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic, check_unknown_batch, compare
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


def ints(r, *shape, dtype="int32"):
    return r.integers(-4, 4, size=shape).astype(dtype)


CASES = [
    ("matmul", lambda r: (f32(r, 2, 3), f32(r, 3, 4)), {}),
    ("matmul", lambda r: (f32(r, 5, 2, 3), f32(r, 3)), {}),
    ("matmul", lambda r: (ints(r, 2, 3), ints(r, 3, 2)), {}),
    ("matmul", lambda r: (ints(r, 2, 3, dtype="int8"), ints(r, 3, 2, dtype="int8")), {}),
    ("matmul", lambda r: (ints(r, 2, 3), f32(r, 3, 2)), {}),
    ("dot", lambda r: (f32(r, 2, 3), f32(r, 3)), {}),
    ("dot", lambda r: (ints(r, 3), ints(r, 3)), {}),
    ("dot", lambda r: (f32(r, 2, 3), np.float32(2.0)), {}),
    ("inner", lambda r: (f32(r, 2, 3), f32(r, 4, 3)), {}),
    ("inner", lambda r: (ints(r, 3), ints(r, 3, dtype="int16")), {}),
    ("vdot", lambda r: (f32(r, 6), ints(r, 6)), {}),
    ("outer", lambda r: (f32(r, 3), ints(r, 2, 2)), {}),
    ("kron", lambda r: (f32(r, 2, 2), f32(r, 2, 3)), {}),
    ("kron", lambda r: (ints(r, 2), ints(r, 3)), {}),
    ("tensordot", lambda r: (f32(r, 2, 3, 4), f32(r, 3, 4, 5)), {}),
    ("tensordot", lambda r: (f32(r, 2, 3), f32(r, 3, 2)), {"axes": 1}),
    ("tensordot", lambda r: (ints(r, 2, 3), ints(r, 2, 4)), {"axes": (0, 0)}),
    ("tensordot", lambda r: (f32(r, 2, 3, 4), f32(r, 4, 3)), {"axes": ([1, 2], [1, 0])}),
    ("cross", lambda r: (f32(r, 4, 3), f32(r, 4, 3)), {"axis": -1}),
    ("cross", lambda r: (ints(r, 3, 2), ints(r, 3, 2)), {"axis": 0}),
    ("einsum", lambda r: ("ij,jk->ik", f32(r, 2, 3), f32(r, 3, 4)), {}),
    ("einsum", lambda r: ("bij->bji", ints(r, 2, 3, 4)), {}),
    ("einsum", lambda r: ("i,i", ints(r, 3, dtype="int8"), ints(r, 3, dtype="int8")), {}),
    ("einsum", lambda r: ("...i,...i->...", f32(r, 2, 3), f32(r, 2, 3)), {}),
    ("trace", lambda r: (f32(r, 3, 4),), {}),
    ("trace", lambda r: (ints(r, 2, 3, 3, dtype="int8"),), {"offset": 1, "axis1": 1, "axis2": 2}),
    ("correlate", lambda r: (f32(r, 5), f32(r, 3)), {}),
    ("correlate", lambda r: (f32(r, 5), f32(r, 3)), {"mode": "same"}),
    ("correlate", lambda r: (ints(r, 4), ints(r, 2)), {"mode": "full"}),
    ("slogdet", lambda r: (f32(r, 3, 3),), {}),
    ("slogdet", lambda r: (f32(r, 2, 2, 2),), {}),
    ("trapezoid", lambda r: (f32(r, 2, 5),), {}),
    ("trapezoid", lambda r: (f32(r, 5, 2), np.linspace(0, 1, 5).astype("float32")), {"axis": 0}),
    ("trapezoid", lambda r: (ints(r, 4),), {"dx": 0.5}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_linear_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs, atol=1e-4)


# Keras's symbolic tensordot rejects int axes pairs; its symbolic slogdet drops batch axes.
SYMBOLIC = [c for i, c in enumerate(CASES) if i not in (16, 30)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_linear_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parity
def test_vectorize_matches_keras():
    keras = keras_or_skip()
    x = np.arange(4, dtype="float32")
    ours = ops.vectorize(lambda a, b: a * b + 1)(x, np.float32(2.0))
    theirs = keras.ops.vectorize(lambda a, b: a * b + 1)(x, np.float32(2.0))
    compare(ours, theirs)
    r = np.random.default_rng(0)
    m, v = f32(r, 4, 1, 2, 3), f32(r, 5, 3)
    for signature, fn, args in [
        ("(m,n),(n)->(m)", lambda a, b: a @ b, (m, v)),
        ("(n)->()", lambda a: a.max(), (m,)),
        ("(n),()->(n)", lambda a, s: a * s, (v, np.float32(3.0))),
    ]:
        ours = ops.vectorize(fn, signature=signature)(*args)
        theirs = keras.ops.vectorize(fn, signature=signature)(*args)
        compare(ours, theirs)


def test_numpy_forms_keras_on_torch_rejects():
    r = np.random.default_rng(0)
    a, b = f32(r, 2, 3), f32(r, 2, 3)
    np.testing.assert_allclose(ops.vdot(a, b).numpy(), np.vdot(a, b), rtol=1e-5)
    np.testing.assert_allclose(ops.cross(f32(r, 3), f32(r, 3)).numpy().shape, (3,))
    sign, logdet = ops.slogdet(kerastorch.KerasTensor((4, 2, 2)))
    assert sign.shape == logdet.shape == (4,)


def test_bad_inputs_name_the_op():
    with pytest.raises(ValueError, match="correlate: `mode`"):
        ops.correlate(np.ones(3), np.ones(2), mode="bogus")
    with pytest.raises(ValueError, match="cross: both vectors must have 3 components"):
        ops.cross(np.ones((2, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        ops.vectorize(np.sum, signature="(n)->")
    with pytest.raises(ValueError, match="core dimension 'n' has inconsistent sizes 3 and 2"):
        ops.vectorize(lambda a, b: a @ b, signature="(n),(n)->()")(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="names 2 outputs; the function returned 1"):
        ops.vectorize(lambda a: a.sum(), signature="(n)->(),()")(np.ones((2, 3)))


UNKNOWN = [
    ("matmul", [(None, 2, 3), (3, 4)], (), {}),
    ("einsum", [(None, 2, 3), (None, 3)], (), {}),
    ("tensordot", [(None, 3, 4), (4, 5)], (), {"axes": 1}),
    ("outer", [(None,), (3,)], (), {}),
    ("trace", [(None, 3, 3)], (), {"axis1": 1, "axis2": 2}),
]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "shapes", "extra", "kwargs"), UNKNOWN, ids=[u[0] for u in UNKNOWN]
)
def test_linear_unknown_batch_matches_keras(name, shapes, extra, kwargs):
    keras = keras_or_skip()
    if name == "einsum":
        a = kerastorch.KerasTensor(shapes[0])
        b = kerastorch.KerasTensor(shapes[1])
        theirs = keras.ops.einsum(
            "bij,bj->bi", keras.KerasTensor(shapes[0]), keras.KerasTensor(shapes[1])
        )
        ours = ops.einsum("bij,bj->bi", a, b)
        assert (ours.shape, ours.dtype) == (theirs.shape, theirs.dtype)
        return
    check_unknown_batch(keras, name, shapes, extra, kwargs)
