"""`ops.numpy` reductions and scans against the Keras oracle."""

import numpy as np
import pytest

from kerastorch import ops
from tests.ops.numpy.parity import assert_eager_matches, assert_symbolic_matches
from tests.oracle import keras_or_skip


def f32(r, shape=(2, 3, 4)):
    return r.normal(size=shape).astype("float32")


def ints(r, dtype="int32", shape=(2, 3, 4)):
    return r.integers(-3, 4, shape).astype(dtype)


def bools(r, shape=(2, 3, 4)):
    return r.random(shape) > 0.5


CASES = [
    ("sum", lambda r: (f32(r),), {}),
    ("sum", lambda r: (f32(r),), {"axis": (0, 2)}),
    ("sum", lambda r: (ints(r, "int8"),), {"axis": -1, "keepdims": True}),
    ("sum", lambda r: (bools(r),), {"axis": 1}),
    ("sum", lambda r: (ints(r, "uint8") % 5,), {}),
    ("sum", lambda r: (f32(r).astype("float16"),), {"axis": 0}),
    ("prod", lambda r: (ints(r, "int8"),), {"axis": (0, 1)}),
    ("prod", lambda r: (f32(r),), {"axis": -1, "keepdims": True}),
    ("prod", lambda r: (bools(r),), {}),
    ("prod", lambda r: (ints(r),), {"axis": 2, "dtype": "float32"}),
    ("mean", lambda r: (f32(r),), {}),
    ("mean", lambda r: (ints(r),), {"axis": -1, "keepdims": True}),
    ("mean", lambda r: (bools(r),), {"axis": (0, 1)}),
    ("mean", lambda r: (f32(r).astype("float16"),), {"axis": 1}),
    ("mean", lambda r: (ints(r, "uint8"),), {"axis": ()}),
    ("std", lambda r: (f32(r),), {}),
    ("std", lambda r: (ints(r),), {"axis": 1, "keepdims": True}),
    ("std", lambda r: (f32(r),), {"axis": (0, 2)}),
    ("var", lambda r: (f32(r),), {"axis": -1}),
    ("var", lambda r: (ints(r, "int8"),), {"axis": (1, 2), "keepdims": True}),
    ("var", lambda r: (f32(r),), {"axis": ()}),
    ("max", lambda r: (f32(r),), {"axis": 1}),
    ("max", lambda r: (ints(r),), {"axis": (0, 2), "initial": 2}),
    ("max", lambda r: (ints(r, "uint8"),), {"axis": -1, "keepdims": True}),
    ("max", lambda r: (np.zeros((2, 0), "float32"),), {"initial": 3.0}),
    ("min", lambda r: (f32(r),), {"axis": 0, "initial": -0.5}),
    ("min", lambda r: (bools(r),), {"axis": 2}),
    ("amax", lambda r: (f32(r),), {"axis": (1, 2)}),
    ("amax", lambda r: (ints(r, "int8"),), {"axis": 0, "keepdims": True}),
    ("amin", lambda r: (f32(r),), {"axis": -1}),
    ("amin", lambda r: (f32(r),), {}),
    ("argmax", lambda r: (f32(r),), {}),
    ("argmax", lambda r: (f32(r),), {"axis": -1}),
    ("argmax", lambda r: (bools(r),), {"axis": 1, "keepdims": True}),
    ("argmax", lambda r: (f32(r),), {"keepdims": True}),
    ("argmin", lambda r: (ints(r),), {"axis": 0}),
    ("argmin", lambda r: (ints(r, "uint8"),), {}),
    ("count_nonzero", lambda r: (ints(r),), {}),
    ("count_nonzero", lambda r: (ints(r, shape=(3, 4)),), {"axis": 0}),
    ("count_nonzero", lambda r: (bools(r),), {"axis": (1, 2)}),
    ("cumsum", lambda r: (f32(r),), {}),
    ("cumsum", lambda r: (ints(r, "int8"),), {"axis": 1}),
    ("cumsum", lambda r: (bools(r),), {"axis": -1}),
    ("cumsum", lambda r: (ints(r),), {"axis": 0, "dtype": "float32"}),
    ("cumprod", lambda r: (ints(r, "int16"),), {"axis": 2}),
    ("cumprod", lambda r: (f32(r),), {}),
    ("cumprod", lambda r: (bools(r),), {"axis": 0}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_reduction_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    assert_eager_matches(keras, name, make(np.random.default_rng(0)), kwargs)


# Keras on torch drops `keepdims` when `axis=None` for these ops (its own symbolic shapes
# keep it, as NumPy does); kerastorch keeps it everywhere.
KEEPDIMS_DROPPED = ["sum", "prod", "max", "min", "amax", "amin"]


@pytest.mark.parametrize("name", KEEPDIMS_DROPPED)
def test_keepdims_with_axis_none_keeps_every_axis_as_numpy(name):
    x = np.arange(1, 7, dtype="float32").reshape(2, 3)
    out = getattr(ops, name)(x, keepdims=True)
    assert tuple(out.shape) == (1, 1)
    np.testing.assert_allclose(out.numpy(), getattr(np, name)(x, keepdims=True))


SYMBOLIC = [
    ("sum", (((None, 3, 4), "float32"),), {"axis": (1, 2)}),
    ("sum", (((None, 3), "int8"),), {"axis": -1, "keepdims": True}),
    ("sum", (((None, 3), "float32"),), {"keepdims": True}),
    ("prod", (((None, 3), "int16"),), {"axis": 1}),
    ("mean", (((None, 3, 4), "int32"),), {"axis": -1}),
    ("mean", (((None, 3), "float16"),), {"axis": 0, "keepdims": True}),
    ("std", (((None, 3), "float32"),), {"axis": 1}),
    ("var", (((None, 3), "int32"),), {"axis": 0}),
    ("max", (((None, 3, 4), "float32"),), {"axis": (0, 2), "keepdims": True}),
    ("min", (((None, 3), "int32"),), {"axis": 1, "initial": 0}),
    ("amax", (((None, 3), "float32"),), {"axis": -1}),
    ("amin", (((None, 3), "uint8"),), {"axis": 1}),
    ("argmax", (((None, 3), "float32"),), {"axis": -1}),
    ("argmin", (((None, 3), "float32"),), {"axis": 1, "keepdims": True}),
    ("count_nonzero", (((None, 3), "int32"),), {"axis": 1}),
    ("cumsum", (((None, 3), "int8"),), {"axis": 1}),
    ("cumprod", (((None, 3), "float32"),), {"axis": -1}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_reduction_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    assert_symbolic_matches(keras, name, specs, kwargs)


def test_reduction_bad_inputs_name_the_op_and_argument():
    x = np.ones((2, 3), "float32")
    with pytest.raises(ValueError, match=r"sum: `axis` 2 is out of bounds.*rank 2"):
        ops.sum(x, axis=2)
    with pytest.raises(ValueError, match=r"mean: `axis` -3 is out of bounds"):
        ops.mean(x, axis=(0, -3))
    with pytest.raises(TypeError, match="argmax: `axis` must be an int or None"):
        ops.argmax(x, axis=(0, 1))
    with pytest.raises(ValueError, match="cumsum: `axis` 5 is out of bounds"):
        ops.cumsum(x, axis=5)
    with pytest.raises(ValueError, match="max: cannot compute the max of an empty tensor"):
        ops.max(np.ones((0, 3), "float32"))
