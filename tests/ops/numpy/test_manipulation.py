"""Oracle tests for `kerastorch/ops/numpy/manipulation.py`."""

import numpy as np
import pytest

import kerastorch
from kerastorch import ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic, has_arrays
from tests.oracle import keras_or_skip, to_numpy


def f32(*shape):
    return lambda r: (r.normal(size=shape).astype("float32"),)


def i32(*shape):
    return lambda r: (r.integers(-5, 5, size=shape).astype("int32"),)


def with_args(make, *extra):
    return lambda r: (*make(r), *extra)


CASES = [
    ("reshape", with_args(f32(2, 3, 4), (6, -1)), {}),
    ("reshape", with_args(i32(6), 6), {}),
    ("reshape", with_args(f32(2, 3), (3, 1, 2)), {}),
    ("transpose", i32(2, 3, 4), {"axes": (1, 0, 2)}),
    ("transpose", f32(3, 2), {}),
    ("swapaxes", with_args(f32(2, 3, 4), 0, -1), {}),
    ("moveaxis", with_args(f32(2, 3, 4), 0, -1), {}),
    ("moveaxis", with_args(i32(2, 3, 4), (0, 1), (2, 0)), {}),
    ("expand_dims", with_args(f32(2, 3), 1), {}),
    ("expand_dims", with_args(i32(2, 3), (0, -1)), {}),
    ("squeeze", f32(1, 3, 1), {}),
    ("squeeze", i32(1, 3, 1), {"axis": -1}),
    ("squeeze", f32(1, 3, 1), {"axis": (0, 2)}),
    ("ravel", f32(2, 3), {}),
    ("broadcast_to", with_args(f32(3), (2, 3)), {}),
    ("broadcast_to", with_args(i32(2, 1), (4, 2, 3)), {}),
    ("copy", i32(2, 3), {}),
    ("flip", f32(2, 3), {}),
    ("flip", i32(2, 3, 2), {"axis": (0, -1)}),
    ("fliplr", f32(2, 3), {}),
    ("flipud", i32(3, 2), {}),
    ("rot90", f32(2, 3), {}),
    ("rot90", i32(2, 3, 4), {"k": 3, "axes": (1, 2)}),
    ("rot90", f32(2, 3), {"k": -1}),
    ("roll", with_args(f32(2, 3), 2), {}),
    ("roll", with_args(i32(2, 3), -1), {"axis": 1}),
    ("roll", with_args(f32(2, 3), (1, 2)), {"axis": (0, 1)}),
    ("tile", with_args(f32(2, 3), 2), {}),
    ("tile", with_args(i32(2, 3), (2, 1, 2)), {}),
    ("repeat", with_args(f32(2, 3), 2), {}),
    ("repeat", with_args(i32(2, 3), 2), {"axis": 1}),
    ("repeat", lambda r: (r.normal(size=(2, 3)).astype("float32"), np.array([1, 2])), {"axis": 0}),
    ("repeat", lambda r: (r.normal(size=(3,)).astype("float32"), np.array([0, 1, 2])), {}),
    ("diag", f32(3), {}),
    ("diag", i32(3, 4), {"k": 1}),
    ("diag", f32(3), {"k": -1}),
    ("diagflat", i32(2, 2), {}),
    ("diagflat", f32(3), {"k": 1}),
    ("diagonal", f32(3, 4), {}),
    ("diagonal", i32(2, 3, 4), {"offset": 1, "axis1": 1, "axis2": 2}),
    ("diff", f32(2, 5), {}),
    ("diff", i32(4, 3), {"n": 2, "axis": 0}),
    ("tril", f32(3, 4), {}),
    ("tril", i32(2, 3, 3), {"k": -1}),
    ("triu", f32(3, 4), {"k": 1}),
    ("triu", lambda r: (r.normal(size=(3, 3)) > 0,), {}),
    ("view", f32(2, 4), {"dtype": "int32"}),
    ("view", i32(2, 4), {"dtype": "float16"}),
    ("ndim", f32(2, 3, 1), {}),
    ("size", f32(2, 3), {}),
    ("size", i32(4), {}),
    ("pad", with_args(f32(2, 3), ((1, 2), (0, 1))), {}),
    ("pad", with_args(i32(2, 3), ((1, 2), (0, 3))), {"constant_values": 7}),
    ("pad", with_args(f32(2, 3), ((1, 2), (2, 1))), {"constant_values": 1.5}),
    ("pad", with_args(f32(2, 3), ((1, 1), (2, 2))), {"mode": "reflect"}),
    ("pad", with_args(i32(4), (2, 3)), {"mode": "reflect"}),
    ("pad", with_args(f32(2, 3, 4), ((0, 0), (2, 1), (1, 2))), {"mode": "circular"}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]

# NumPy's answers for the pad modes where Keras on torch differs from NumPy ("symmetric" is
# torch's "replicate" there) or has no implementation (edge, wrap, maximum, ...).
NUMPY_PAD = [
    ("constant", 1),
    ("constant", ((1, 2),)),
    ("symmetric", ((1, 2), (2, 3))),
    ("symmetric", ((4, 5), (0, 1))),
    ("reflect", ((3, 4), (1, 5))),
    ("edge", ((1, 2), (2, 0))),
    ("wrap", ((2, 3), (4, 1))),
    ("maximum", ((1, 1), (2, 0))),
    ("minimum", ((0, 2), (1, 1))),
    ("mean", ((1, 0), (1, 2))),
    ("median", ((2, 1), (1, 1))),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_manipulation_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


# Keras's symbolic `repeat` takes no tensor `repeats`, its symbolic `ndim` is a float
# KerasTensor and its symbolic `size` int32 (its eager `size` is int64, as ours).
SYMBOLIC = [
    c
    for c in CASES
    if has_arrays(c[1](np.random.default_rng(0))) and c[0] not in ("repeat", "ndim", "size")
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_manipulation_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parametrize(
    ("mode", "widths"), NUMPY_PAD, ids=[f"{m}-{i}" for i, (m, _) in enumerate(NUMPY_PAD)]
)
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_pad_modes_match_numpy(mode, widths, dtype):
    x = np.random.default_rng(1).integers(-9, 9, size=(3, 4)).astype(dtype)
    ours = ops.pad(x, widths, mode=mode)
    expected = np.pad(x, widths, mode=mode)
    assert str(ours.dtype) == f"torch.{dtype}"
    np.testing.assert_array_equal(ours.numpy(), expected)


@pytest.mark.parity
def test_ndim_and_repeat_on_keras_tensors():
    x = kerastorch.KerasTensor((None, 2, 3))
    assert ops.ndim(x) == 3
    assert ops.repeat(x, [1, 2], axis=1).shape == (None, 3, 3)
    assert ops.repeat(x, 2).shape == (None,)
    assert ops.size(x).dtype == "int64"
    y = np.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(ops.transpose(y).numpy(), np.transpose(y))


@pytest.mark.parity
def test_symbolic_unknown_batch_matches_keras():
    keras = keras_or_skip()
    calls = [
        ("reshape", ((-1, 3),), {}),
        ("transpose", (), {"axes": (0, 2, 1)}),
        ("pad", (((0, 0), (1, 2), (3, 0)),), {}),
        ("expand_dims", (1,), {}),
        ("repeat", (2,), {"axis": 1}),
        ("tile", ((1, 2, 1),), {}),
        ("flip", (), {"axis": 1}),
    ]
    for name, args, kwargs in calls:
        ours = getattr(ops, name)(kerastorch.KerasTensor((None, 2, 3)), *args, **kwargs)
        theirs = getattr(keras.ops, name)(keras.KerasTensor((None, 2, 3)), *args, **kwargs)
        assert (ours.shape, ours.dtype) == (theirs.shape, theirs.dtype), name


def test_bad_arguments_name_the_op():
    x = np.ones((2, 3), "float32")
    with pytest.raises(ValueError, match="pad: `mode` must be one of"):
        ops.pad(x, 1, mode="bogus")
    with pytest.raises(ValueError, match="pad: `constant_values`"):
        ops.pad(x, 1, mode="reflect", constant_values=1)
    with pytest.raises(ValueError, match="pad: `pad_width` must have the same length"):
        ops.pad(x, ((1, 1), (1, 1), (1, 1)))
    with pytest.raises(ValueError, match="squeeze: cannot squeeze axis 1 of size 3"):
        ops.squeeze(x, axis=1)
    with pytest.raises(ValueError, match="rot90: `axes`"):
        ops.rot90(x, axes=(1, 1))
    with pytest.raises(ValueError, match="expand_dims: axis 5"):
        ops.expand_dims(x, 5)


@pytest.mark.parity
def test_pad_and_flip_model_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    a = kerastorch.Input((2, 3))
    y = ops.pad(ops.flip(a, axis=-1), ((0, 0), (1, 0), (0, 2)), constant_values=5.0)
    model = kerastorch.Model(a, ops.tril(y))
    path = str(tmp_path / "pad.keras")
    model.save(path)
    x = np.random.default_rng(0).normal(size=(2, 2, 3)).astype("float32")
    for loaded in (kerastorch.saving.load_model(path), keras.saving.load_model(path)):
        np.testing.assert_allclose(to_numpy(loaded(x)), to_numpy(model(x)), rtol=1e-6)
