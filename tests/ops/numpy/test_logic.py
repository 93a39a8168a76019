"""`ops.numpy` comparisons, predicates and logic against the Keras oracle."""

import numpy as np
import pytest

from kerastorch import ops
from tests.ops.numpy.parity import assert_eager_matches, assert_symbolic_matches
from tests.oracle import keras_or_skip


def f32(r, shape=(2, 3)):
    return r.normal(size=shape).astype("float32")


def ints(r, dtype="int32", shape=(2, 3)):
    return r.integers(-2, 3, shape).astype(dtype)


def bools(r, shape=(2, 3)):
    return r.random(shape) > 0.5


def special(r):
    x = f32(r)
    x[0, 0], x[0, 1], x[1, 0] = np.nan, np.inf, -np.inf
    return x


def near(r):
    x = f32(r)
    return x, x + np.array([0, 1e-7, 1e-3], "float32")


CASES = [
    ("equal", lambda r: (ints(r), ints(r)), {}),
    ("equal", lambda r: (ints(r, "int8"), 1), {}),
    ("not_equal", lambda r: (ints(r), ints(r, "float32", (3,))), {}),
    ("greater", lambda r: (f32(r), 0.0), {}),
    ("greater", lambda r: (ints(r, "uint8") % 3, ints(r, "int8")), {}),
    ("greater_equal", lambda r: (ints(r), f32(r).astype("float16")), {}),
    ("less", lambda r: (f32(r), f32(r)), {}),
    ("less_equal", lambda r: (bools(r), bools(r)), {}),
    ("isclose", lambda r: near(r), {}),
    ("isclose", lambda r: near(r), {"rtol": 0.0, "atol": 1e-2}),
    ("isclose", lambda r: (special(r), special(r)), {"equal_nan": True}),
    ("isclose", lambda r: (ints(r), ints(r)), {}),
    ("allclose", lambda r: near(r), {}),
    ("allclose", lambda r: near(r), {"atol": 1e-2}),
    ("isin", lambda r: (ints(r), np.array([0, 2], "int32")), {}),
    ("isin", lambda r: (ints(r), np.array([0, 2], "int32")), {"invert": True}),
    ("isin", lambda r: (bools(r), np.array([True])), {}),
    ("isfinite", lambda r: (special(r),), {}),
    ("isfinite", lambda r: (ints(r),), {}),
    ("isinf", lambda r: (special(r),), {}),
    ("isnan", lambda r: (special(r),), {}),
    ("isneginf", lambda r: (special(r),), {}),
    ("isposinf", lambda r: (special(r),), {}),
    ("isreal", lambda r: (f32(r),), {}),
    ("isreal", lambda r: ((f32(r) + 1j * (ints(r) > 0)).astype("complex64"),), {}),
    ("logical_and", lambda r: (bools(r), ints(r)), {}),
    ("logical_or", lambda r: (f32(r), bools(r)), {}),
    ("logical_xor", lambda r: (bools(r), bools(r, (3,))), {}),
    ("logical_not", lambda r: (ints(r),), {}),
    ("all", lambda r: (bools(r),), {}),
    ("all", lambda r: (bools(r, (2, 3, 4)),), {"axis": (0, 2)}),
    ("all", lambda r: (ints(r, "uint8"),), {"axis": -1, "keepdims": True}),
    ("all", lambda r: (f32(r),), {"keepdims": True}),
    ("any", lambda r: (bools(r, (2, 3, 4)),), {"axis": (-1, 0), "keepdims": True}),
    ("any", lambda r: (ints(r),), {"axis": 0}),
    ("any", lambda r: (bools(r),), {"axis": ()}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_logic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    assert_eager_matches(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [
    ("equal", (((None, 3), "int32"), ((3,), "float32")), {}),
    ("greater", (((None, 3), "float32"), 0.5), {}),
    ("less_equal", (((None, 1), "int8"), ((4,), "int8")), {}),
    ("logical_and", (((None, 3), "bool"), ((None, 3), "bool")), {}),
    ("logical_not", (((None, 3), "float32"),), {}),
    ("isclose", (((None, 3), "float32"), ((None, 3), "float32")), {"atol": 0.1}),
    ("isin", (((None, 3), "int32"), ((4,), "int32")), {}),
    ("isnan", (((None, 3), "float16"),), {}),
    ("all", (((None, 3, 4), "bool"),), {"axis": (1, 2)}),
    ("any", (((None, 3, 4), "bool"),), {"axis": -1, "keepdims": True}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_logic_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    assert_symbolic_matches(keras, name, specs, kwargs)


def test_logic_bad_axes_name_the_op():
    x = np.ones((2, 3), bool)
    with pytest.raises(ValueError, match=r"all: `axis` 2 is out of bounds.*rank 2"):
        ops.all(x, axis=2)
    with pytest.raises(ValueError, match="any: `axis` has repeated axes"):
        ops.any(x, axis=(0, -2))
    with pytest.raises(TypeError, match="all: `axis` must be an int"):
        ops.all(x, axis=1.0)
