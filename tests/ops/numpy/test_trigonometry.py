"""`ops.numpy` trigonometric and hyperbolic functions against the Keras oracle."""

import numpy as np
import pytest
import torch

from tests.ops.numpy.parity import assert_eager_matches, assert_symbolic_matches
from tests.oracle import keras_or_skip


def f32(r, shape=(2, 3)):
    return r.normal(size=shape).astype("float32")


def unit(r):
    return r.uniform(-0.9, 0.9, (2, 3)).astype("float32")


def ints(r, dtype="int32"):
    return r.integers(-3, 4, (2, 3)).astype(dtype)


CASES = [
    ("sin", lambda r: (f32(r),), {}),
    ("sin", lambda r: (ints(r),), {}),
    ("cos", lambda r: (f32(r).astype("float16"),), {}),
    ("cos", lambda r: (ints(r, "int8"),), {}),
    ("tan", lambda r: (unit(r),), {}),
    ("arcsin", lambda r: (unit(r),), {}),
    ("arccos", lambda r: (unit(r),), {}),
    ("arctan", lambda r: (f32(r),), {}),
    ("arctan", lambda r: (ints(r, "uint8") % 5,), {}),
    ("sinh", lambda r: (f32(r),), {}),
    ("cosh", lambda r: (f32(r),), {}),
    ("tanh", lambda r: (f32(r),), {}),
    ("tanh", lambda r: (torch.linspace(-2, 2, 6, dtype=torch.bfloat16),), {}),
    ("arcsinh", lambda r: (f32(r),), {}),
    ("arccosh", lambda r: (1.0 + np.abs(f32(r)),), {}),
    ("arctanh", lambda r: (unit(r),), {}),
    ("sinc", lambda r: (f32(r),), {}),
    ("angle", lambda r: (f32(r),), {}),
    ("angle", lambda r: ((f32(r) + 1j * f32(r)).astype("complex64"),), {}),
    ("deg2rad", lambda r: (f32(r) * 90,), {}),
    ("deg2rad", lambda r: (ints(r, "int64") * 30,), {}),
    ("rad2deg", lambda r: (f32(r),), {}),
    ("rad2deg", lambda r: (ints(r),), {}),
    ("arctan2", lambda r: (f32(r), f32(r)), {}),
    ("arctan2", lambda r: (ints(r), ints(r)), {}),
    ("arctan2", lambda r: (f32(r).astype("float16"), 2.0), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_trigonometry_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    assert_eager_matches(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [
    ("sin", (((None, 3), "int32"),), {}),
    ("cos", (((None, 3), "float16"),), {}),
    ("arctanh", (((2, None), "float32"),), {}),
    ("sinc", (((None, 3), "bool"),), {}),
    ("deg2rad", (((None, 3), "int8"),), {}),
    ("arctan2", (((None, 3), "int32"), ((3,), "float32")), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_trigonometry_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    assert_symbolic_matches(keras, name, specs, kwargs)
