"""`ops.numpy` bitwise ops against the Keras oracle."""

import numpy as np
import pytest

from tests.ops.numpy.parity import assert_eager_matches, assert_symbolic_matches
from tests.oracle import keras_or_skip


def ints(r, dtype="int32", low=-8, high=9):
    return r.integers(low, high, (2, 3)).astype(dtype)


def bools(r):
    return r.random((2, 3)) > 0.5


CASES = [
    ("bitwise_and", lambda r: (ints(r), ints(r)), {}),
    ("bitwise_and", lambda r: (ints(r, "uint8", 0), 6), {}),
    ("bitwise_or", lambda r: (ints(r, "int8"), ints(r, "int16")), {}),
    ("bitwise_or", lambda r: (bools(r), bools(r)), {}),
    ("bitwise_xor", lambda r: (ints(r), 5), {}),
    ("bitwise_invert", lambda r: (ints(r, "int8"),), {}),
    ("bitwise_invert", lambda r: (bools(r),), {}),
    ("bitwise_not", lambda r: (ints(r, "uint8", 0),), {}),
    ("bitwise_left_shift", lambda r: (ints(r), 2), {}),
    ("bitwise_left_shift", lambda r: (ints(r), ints(r, low=0, high=4)), {}),
    ("left_shift", lambda r: (ints(r, "int8", 0, 8), 3), {}),
    ("bitwise_right_shift", lambda r: (ints(r), 1), {}),
    ("right_shift", lambda r: (ints(r, "int16"), ints(r, "int16", 0, 3)), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_bitwise_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    assert_eager_matches(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [
    ("bitwise_and", (((None, 3), "int32"), ((None, 3), "int32")), {}),
    ("bitwise_xor", (((None, 3), "uint8"), ((None, 3), "int8")), {}),
    ("bitwise_not", (((None, 3), "int8"),), {}),
    ("left_shift", (((None, 3), "int32"), 2), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_bitwise_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    assert_symbolic_matches(keras, name, specs, kwargs)
