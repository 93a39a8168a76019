"""`ops.numpy` exponentials and logarithms against the Keras oracle."""

import numpy as np
import pytest

from tests.ops.numpy.parity import assert_eager_matches, assert_symbolic_matches
from tests.oracle import keras_or_skip


def f32(r, shape=(2, 3)):
    return r.normal(size=shape).astype("float32")


def pos(r):
    return r.uniform(0.2, 3.0, (2, 3)).astype("float32")


def ints(r, dtype="int32"):
    return r.integers(1, 5, (2, 3)).astype(dtype)


CASES = [
    ("exp", lambda r: (f32(r),), {}),
    ("exp", lambda r: (ints(r),), {}),
    ("exp", lambda r: (f32(r).astype("float16"),), {}),
    ("exp2", lambda r: (ints(r, "int8"),), {}),
    ("expm1", lambda r: (f32(r) * 1e-3,), {}),
    ("log", lambda r: (pos(r),), {}),
    ("log", lambda r: (ints(r, "uint8"),), {}),
    ("log2", lambda r: (pos(r),), {}),
    ("log10", lambda r: (ints(r),), {}),
    ("log1p", lambda r: (pos(r) * 1e-3,), {}),
    ("logaddexp", lambda r: (f32(r), f32(r)), {}),
    ("logaddexp", lambda r: (ints(r), 1.5), {}),
    ("logaddexp", lambda r: (f32(r).astype("float16"), f32(r).astype("float16")), {}),
    ("logaddexp2", lambda r: (f32(r), f32(r, (3,))), {}),
    ("i0", lambda r: (f32(r),), {}),
    ("i0", lambda r: (ints(r),), {}),
    ("i0", lambda r: (ints(r, "int64"),), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_exponential_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    assert_eager_matches(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [
    ("exp", (((None, 3), "int32"),), {}),
    ("log1p", (((None, 3), "float16"),), {}),
    ("logaddexp", (((None, 3), "float32"), ((None, 3), "int8")), {}),
    ("i0", (((None, 3), "float32"),), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_exponential_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    assert_symbolic_matches(keras, name, specs, kwargs)
