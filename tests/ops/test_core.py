"""`ops` core group (casts, shapes, slices, scatters, ...) against the Keras oracle."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.ops.oracle_compare import assert_same, assert_same_spec
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


CASES = [
    ("cast", lambda r: (f32(r, 2, 3), "int32"), {}),
    ("cast", lambda r: (np.array([0, 2], "int32"), "bool"), {}),
    ("saturate_cast", lambda r: (np.array([-1.5, 3.0, 300.0], "float32"), "uint8"), {}),
    ("saturate_cast", lambda r: (np.array([-70000, 5, 70000], "int32"), "int16"), {}),
    ("saturate_cast", lambda r: (np.array([1e10, -1e10], "float64"), "float16"), {}),
    ("slice", lambda r: (f32(r, 3, 4), (1, 0), (2, 3)), {}),
    ("slice", lambda r: (f32(r, 3, 4), torch.tensor([1, 1]), (2, 2)), {}),
    ("slice_update", lambda r: (f32(r, 3, 4), (1, 2), np.ones((2, 2), "float32")), {}),
    (
        "slice_update",
        lambda r: (f32(r, 3, 4), torch.tensor([0, 1]), np.ones((1, 2), "float32")),
        {},
    ),
    ("scatter", lambda r: (np.array([[0, 1], [2, 3], [0, 1]]), f32(r, 3), (3, 4)), {}),
    ("scatter", lambda r: (np.array([[1], [1]]), f32(r, 2, 4), (3, 4)), {}),
    ("scatter_update", lambda r: (f32(r, 3, 4), np.array([[0, 1], [2, 3]]), f32(r, 2)), {}),
    ("scatter_update", lambda r: (f32(r, 3, 4), np.array([[1]]), f32(r, 1, 4)), {}),
    (
        "scatter_update",
        lambda r: (f32(r, 3), np.array([[1], [1]]), f32(r, 2)),
        {"reduction": "add"},
    ),
    (
        "scatter_update",
        lambda r: (f32(r, 3), np.array([[1], [1]]), f32(r, 2)),
        {"reduction": "max"},
    ),
    (
        "scatter_update",
        lambda r: (f32(r, 3), np.array([[0], [2]]), f32(r, 2)),
        {"reduction": "min"},
    ),
    (
        "scatter_update",
        lambda r: (f32(r, 2, 3), np.array([[1]]), f32(r, 1, 3)),
        {"reduction": "mul"},
    ),
    ("stop_gradient", lambda r: (torch.ones(2),), {}),
    ("unstack", lambda r: (torch.ones(2, 3),), {"axis": 1}),
    ("unstack", lambda r: (torch.arange(6).reshape(2, 3),), {"num": 2}),
    ("convert_to_tensor", lambda r: ([1, 2],), {}),
    ("convert_to_tensor", lambda r: (1.5,), {"dtype": "float16"}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_core_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    assert_same(getattr(ops, name)(*args, **kwargs), getattr(keras.ops, name)(*args, **kwargs))


@pytest.mark.parity
def test_shape_dtype_is_tensor_and_numpy_match_keras():
    keras = keras_or_skip()
    for value in (np.zeros((2, 3), "int16"), torch.ones(4, dtype=torch.bfloat16)):
        assert ops.shape(value) == keras.ops.shape(value)
        assert ops.dtype(value) == keras.ops.dtype(value)
        assert ops.is_tensor(value) == keras.ops.is_tensor(value)
    np.testing.assert_array_equal(ops.convert_to_numpy(torch.ones(2)), np.ones(2, "float32"))
    assert (ops.shape([1.0, 2.0]), ops.dtype([1.0, 2.0])) == ((2,), "float32")
    spec = kerastorch.KerasTensor((None, 3), "int8")
    assert (ops.shape(spec), ops.dtype(spec)) == ((None, 3), "int8")


SYMBOLIC = [
    ("cast", [((None, 3), "float32")], {"dtype": "int32"}),
    ("saturate_cast", [((None, 3), "float32")], {"dtype": "uint8"}),
    ("slice", [((4, 5), "float32")], {"start_indices": (1, 1), "shape": (2, 3)}),
    ("scatter", [((3, 2), "int32"), ((3,), "float32")], {"shape": (4, 4)}),
    ("stop_gradient", [((None, 3), "float32")], {}),
    ("unstack", [((2, 3), "float32")], {"axis": 0}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_core_op_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    ours = getattr(ops, name)(*(kerastorch.KerasTensor(*s) for s in specs), **kwargs)
    theirs = getattr(keras.ops, name)(*(keras.KerasTensor(*s) for s in specs), **kwargs)
    assert_same_spec(ours, theirs)


@pytest.mark.parity
def test_core_ops_in_a_saved_model_load_in_keras(tmp_path):
    keras = keras_or_skip()
    inputs = kerastorch.Input((4,))
    outputs = ops.saturate_cast(ops.stop_gradient(inputs) * 100.0, "uint8")
    model = kerastorch.Model(inputs, ops.cast(outputs, "float32"))
    path = str(tmp_path / "core.keras")
    model.save(path)
    x = np.array([[-1.0, 0.5, 1.0, 9.0]], "float32")
    expected = model(torch.as_tensor(x))
    assert_same(kerastorch.saving.load_model(path)(torch.as_tensor(x)), expected)
    assert_same(keras.saving.load_model(path)(x), expected)


@pytest.mark.parity
def test_slice_update_symbolic_matches_keras():
    keras = keras_or_skip()
    ours = ops.slice_update(kerastorch.KerasTensor((4, 5)), (0, 1), kerastorch.KerasTensor((2, 2)))
    theirs = keras.ops.slice_update(keras.KerasTensor((4, 5)), (0, 1), keras.KerasTensor((2, 2)))
    assert_same_spec(ours, theirs)


def test_saturate_cast_clamps_float64_to_int32():
    # Keras on torch returns [-2**31, -2**31] here (its clip overflows); we clamp.
    out = ops.saturate_cast(np.array([1e10, -1e10]), "int32")
    assert out.tolist() == [2**31 - 1, -(2**31)]
    assert out.dtype == torch.int32


def test_stop_gradient_cuts_the_graph():
    x = torch.ones(2, requires_grad=True)
    assert not ops.stop_gradient(x * 2).requires_grad


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ops.slice(np.ones((2, 2)), (0,), (1, 1)), "slice: `start_indices`"),
        (lambda: ops.slice_update(np.ones((2, 2)), (0, 0), np.ones(2)), "slice_update: "),
        (lambda: ops.scatter(np.ones((1, 3), "int32"), np.ones(1), (2, 2)), "scatter: `indices`"),
        (lambda: ops.scatter_update(np.ones(2), [[0]], [1.0], reduction="x"), "scatter_update: "),
        (lambda: ops.unstack(np.ones((2, 3)), num=3), "unstack: `num`"),
    ],
)
def test_core_bad_inputs_name_the_op(call, match):
    with pytest.raises(ValueError, match=match):
        call()
