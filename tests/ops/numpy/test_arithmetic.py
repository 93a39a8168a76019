"""`ops.numpy` arithmetic against the Keras oracle: values, shapes and dtypes."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.ops.numpy.parity import assert_eager_matches, assert_symbolic_matches
from tests.oracle import keras_or_skip


def f32(r, shape=(2, 3)):
    return r.normal(size=shape).astype("float32")


def pos(r, shape=(2, 3)):
    return r.uniform(0.5, 2.0, shape).astype("float32")


def ints(r, dtype="int32", low=-5, high=6, shape=(2, 3)):
    return r.integers(low, high, shape).astype(dtype)


def bools(r, shape=(2, 3)):
    return r.random(shape) > 0.5


def with_zeros(r):
    x = f32(r)
    x[0, 1] = x[1, 2] = 0.0
    return x


def special(r):
    x = f32(r)
    x[0, 0], x[0, 1], x[1, 0] = np.nan, np.inf, -np.inf
    return x


def cplx(r):
    return (f32(r) + 1j * f32(r)).astype("complex64")


CASES = [
    ("add", lambda r: (f32(r), f32(r, (3,))), {}),
    ("add", lambda r: (ints(r), f32(r).astype("float16")), {}),
    ("add", lambda r: (ints(r, "int8"), 2), {}),
    ("add", lambda r: (3, ints(r, "int8")), {}),
    ("add", lambda r: (ints(r, "uint8", 0), ints(r, "int8")), {}),
    ("add", lambda r: (bools(r), bools(r)), {}),
    ("add", lambda r: (ints(r), 1.5), {}),
    ("add", lambda r: (torch.ones(2, 3, dtype=torch.bfloat16), f32(r)), {}),
    ("subtract", lambda r: (f32(r), f32(r)), {}),
    ("subtract", lambda r: (bools(r), ints(r)), {}),
    ("subtract", lambda r: (ints(r, "int8"), 3), {}),
    ("multiply", lambda r: (ints(r), f32(r).astype("float16")), {}),
    ("multiply", lambda r: (bools(r), f32(r)), {}),
    ("divide", lambda r: (ints(r), ints(r, low=1)), {}),
    ("divide", lambda r: (ints(r, "int8"), 2), {}),
    ("divide", lambda r: (f32(r).astype("float16"), 2.5), {}),
    ("true_divide", lambda r: (f32(r), pos(r)), {}),
    ("true_divide", lambda r: (ints(r, "uint8", 0), 4), {}),
    ("divide_no_nan", lambda r: (f32(r), with_zeros(r)), {}),
    ("divide_no_nan", lambda r: (ints(r), ints(r, low=0, high=2)), {}),
    ("floor_divide", lambda r: (ints(r), ints(r, low=1)), {}),
    ("floor_divide", lambda r: (f32(r), 0.7), {}),
    ("floor_divide", lambda r: (ints(r, "int8"), 2), {}),
    ("mod", lambda r: (ints(r), ints(r, low=1)), {}),
    ("mod", lambda r: (f32(r), 1.5), {}),
    ("fmod", lambda r: (ints(r), ints(r, low=1)), {}),
    ("fmod", lambda r: (f32(r), 0.6), {}),
    ("power", lambda r: (pos(r), f32(r)), {}),
    ("power", lambda r: (ints(r), 2), {}),
    ("power", lambda r: (ints(r, "int8"), ints(r, "int16", 0, 3)), {}),
    ("maximum", lambda r: (f32(r), f32(r).astype("float16")), {}),
    ("maximum", lambda r: (ints(r, "int8"), 2), {}),
    ("minimum", lambda r: (ints(r), 0.5), {}),
    ("minimum", lambda r: (ints(r, "uint8", 0), ints(r, "int8")), {}),
    ("fmax", lambda r: (special(r), f32(r)), {}),
    ("fmin", lambda r: (special(r), f32(r)), {}),
    ("heaviside", lambda r: (with_zeros(r), 0.5), {}),
    ("heaviside", lambda r: (ints(r), ints(r)), {}),
    ("hypot", lambda r: (f32(r), f32(r)), {}),
    ("hypot", lambda r: (ints(r, "int8"), ints(r, "int8")), {}),
    ("gcd", lambda r: (ints(r, low=1, high=30), ints(r, low=1, high=30)), {}),
    ("lcm", lambda r: (ints(r, "int16", 1, 12), ints(r, "int16", 1, 12)), {}),
    ("ldexp", lambda r: (f32(r), ints(r)), {}),
    ("nextafter", lambda r: (f32(r), f32(r)), {}),
    ("absolute", lambda r: (ints(r, "int8"),), {}),
    ("absolute", lambda r: (bools(r),), {}),
    ("abs", lambda r: (f32(r),), {}),
    ("fabs", lambda r: (ints(r),), {}),
    ("negative", lambda r: (f32(r),), {}),
    ("negative", lambda r: (ints(r, "int8"),), {}),
    ("sign", lambda r: (f32(r),), {}),
    ("sign", lambda r: (ints(r),), {}),
    ("signbit", lambda r: (f32(r),), {}),
    ("reciprocal", lambda r: (pos(r),), {}),
    ("reciprocal", lambda r: (ints(r, low=1),), {}),
    ("square", lambda r: (bools(r),), {}),
    ("square", lambda r: (ints(r, "int8"),), {}),
    ("sqrt", lambda r: (pos(r),), {}),
    ("sqrt", lambda r: (ints(r, low=0),), {}),
    ("sqrt", lambda r: (pos(r).astype("float16"),), {}),
    ("cbrt", lambda r: (f32(r),), {}),
    ("cbrt", lambda r: (ints(r),), {}),
    ("clip", lambda r: (f32(r), -0.5, 0.5), {}),
    ("clip", lambda r: (ints(r, "int8"), 0, 3), {}),
    ("clip", lambda r: (ints(r, "int8"), 0.5, 2.5), {}),
    ("clip", lambda r: (bools(r), 0, 1), {}),
    ("clip", lambda r: (ints(r, "uint8", 0), 1, 3), {}),
    ("clip", lambda r: (f32(r).astype("float16"), -0.5, 0.5), {}),
    ("round", lambda r: (f32(r) * 10,), {}),
    ("round", lambda r: (f32(r) * 10,), {"decimals": 1}),
    ("round", lambda r: (ints(r, low=-99, high=99),), {"decimals": -1}),
    ("ceil", lambda r: (f32(r),), {}),
    ("ceil", lambda r: (ints(r),), {}),
    ("ceil", lambda r: (f32(r).astype("float16"),), {}),
    ("floor", lambda r: (f32(r),), {}),
    ("floor", lambda r: (bools(r),), {}),
    ("trunc", lambda r: (f32(r) * 3,), {}),
    ("trunc", lambda r: (ints(r, "int8"),), {}),
    ("nan_to_num", lambda r: (special(r),), {}),
    ("nan_to_num", lambda r: (special(r),), {"nan": 1.0, "posinf": 9.0, "neginf": -9.0}),
    ("nan_to_num", lambda r: (ints(r),), {}),
    ("conjugate", lambda r: (cplx(r),), {}),
    ("conj", lambda r: (f32(r),), {}),
    ("real", lambda r: (cplx(r),), {}),
    ("imag", lambda r: (cplx(r),), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_arithmetic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    assert_eager_matches(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [
    ("add", (((None, 3), "int32"), ((3,), "float16")), {}),
    ("add", (((None, 3), "int8"), 2), {}),
    ("subtract", (((None, 1, 3), "float32"), ((4, 1), "float32")), {}),
    ("multiply", (((None, 3), "uint8"), ((None, 3), "int8")), {}),
    ("divide", (((None, 3), "int32"), ((None, 3), "int32")), {}),
    ("true_divide", (((None, 3), "float32"), 2), {}),
    ("divide_no_nan", (((None, 3), "int32"), ((None, 3), "float16")), {}),
    ("floor_divide", (((None, 3), "int8"), 2), {}),
    ("mod", (((None, 3), "float32"), 2.0), {}),
    ("power", (((None, 3), "float16"), 2), {}),
    ("maximum", (((None, 3), "int8"), ((None, 3), "int16")), {}),
    ("minimum", (((None, 3), "bool"), ((None, 3), "int32")), {}),
    ("hypot", (((None, 3), "int8"), ((None, 3), "int8")), {}),
    ("absolute", (((None, 3), "int8"),), {}),
    ("fabs", (((None, 3), "int32"),), {}),
    ("sqrt", (((None, 3), "int32"),), {}),
    ("square", (((None, 3), "bool"),), {}),
    ("sign", (((None, 3), "float32"),), {}),
    ("negative", (((None, 3), "int8"),), {}),
    ("clip", (((None, 3), "float32"), 0.0, 1.0), {}),
    ("clip", (((None, 3), "bool"), 0, 1), {}),
    ("round", (((None, 3), "float32"),), {"decimals": 2}),
    ("ceil", (((None, 3), "int32"),), {}),
    ("floor", (((None, 3), "float16"),), {}),
    ("trunc", (((None, 3), "float32"),), {}),
    ("nan_to_num", (((None, 3), "float32"),), {"nan": 1.0}),
    ("signbit", (((None, 3), "float32"),), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_arithmetic_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    assert_symbolic_matches(keras, name, specs, kwargs)


def test_arithmetic_on_agreeing_tensors_returns_torch_results():
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    assert torch.equal(ops.add(x, x), x + x)
    assert ops.multiply(x, 2.0).dtype == torch.float32
    variable = kerastorch.Variable(np.ones((2, 3), "float32"))
    assert torch.equal(ops.subtract(variable, x), 1 - x)


def test_symbolic_ops_record_keras_class_names():
    x = kerastorch.Input((3,))
    assert type(ops.abs(x)._keras_history.layer).__name__ == "Absolute"
    assert type(ops.conj(x)._keras_history.layer).__name__ == "Conjugate"
    clip = ops.clip(x, 0.0, 1.0)._keras_history.layer
    assert type(clip).__name__ == "Clip"
    assert clip.get_config() == {"name": clip.name, "x_min": 0.0, "x_max": 1.0}


def test_arithmetic_bad_inputs_name_the_op():
    with pytest.raises(TypeError, match=r"ldexp.*x2"):
        ops.ldexp(np.ones(2, "float32"), np.ones(2, "float32"))
    with pytest.raises(TypeError, match=r"imag.*complex"):
        ops.imag(np.ones(2, "float32"))
    with pytest.raises(TypeError, match=r"fabs.*complex"):
        ops.fabs(np.ones(2, "complex64"))
