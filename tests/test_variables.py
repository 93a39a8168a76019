"""`kerastorch.Variable` as Keras's public constructor, ported from Keras's own
`keras/src/backend/common/variables_test.py` (public API only, torch tensors), plus the
Keras-layout view that layer weights use."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import initializers
from kerastorch.common.layouts import transpose
from kerastorch.variables import Variable
from tests.oracle import assert_close, keras_or_skip


def test_variable_is_public_and_layer_weights_stay_views():
    layer = kerastorch.layers.Dense(2)
    layer.build((None, 3))
    assert isinstance(layer.kernel, kerastorch.Variable)
    assert isinstance(kerastorch.Variable(np.ones(2)), kerastorch.Variable)
    assert layer.kernel.shape == (3, 2)


@pytest.mark.parametrize(
    ("initializer", "dtype"),
    [
        (np.ones((2, 2), dtype=np.int32), "int32"),
        (torch.ones((2, 2), dtype=torch.int32), "int32"),
        ([[1, 1], [1, 1]], "int32"),
        ([[1.0, 1.0], [1.0, 1.0]], "float32"),
        (np.ones((2, 2)), "float64"),
    ],
)
def test_variable_initialization_with_values(initializer, dtype):
    v = kerastorch.Variable(initializer=initializer, trainable=False)
    np.testing.assert_allclose(v.numpy(), np.ones((2, 2)))
    assert v.dtype == dtype
    assert not v.trainable


def test_variable_initialization_dtypes_match_keras():
    keras = keras_or_skip()
    for value in (np.ones(2, dtype="int64"), [1, 2], [1.5], 1.0, 3, True, np.float32(2)):
        assert kerastorch.Variable(value).dtype == keras.Variable(value, trainable=False).dtype


@pytest.mark.parametrize(
    ("initializer", "shape"),
    [
        (lambda *a, **kw: 1.0, ()),
        (lambda *a, **kw: [1.0], (1,)),
        (lambda *a, **kw: np.ones((1,)), (1,)),
        (lambda *a, **kw: torch.ones((1,)), (1,)),
    ],
)
def test_variable_initialization_with_lambda_expression(initializer, shape):
    v = kerastorch.Variable(initializer=initializer, shape=shape, dtype="float32")
    np.testing.assert_allclose(v.numpy(), np.ones(shape))
    assert v.dtype == "float32"


def test_variable_initialization_with_strings_and_initializers():
    v = kerastorch.Variable(initializer="ones", shape=(2, 2))
    np.testing.assert_allclose(v.numpy(), np.ones((2, 2)))
    assert v.dtype == "float32"
    assert v.trainable
    assert v.value.requires_grad
    v = kerastorch.Variable(initializers.Ones(), shape=[2, 3], dtype="int32", trainable=False)
    assert v.shape == (2, 3)
    assert v.dtype == "int32"


def test_variable_initialization_errors():
    with pytest.raises(ValueError, match="When creating a Variable from an initializer, the `sha"):
        kerastorch.Variable(initializer=initializers.RandomNormal())
    with pytest.raises(ValueError, match="When creating a Variable from an initializer"):
        kerastorch.Variable(initializer=lambda: np.ones((2, 2)))
    with pytest.raises(ValueError, match="must be fully-defined"):
        kerastorch.Variable("ones", shape=(2, None))
    with pytest.raises(ValueError, match="Cannot convert '3' to a shape"):
        kerastorch.Variable("ones", shape=3)
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        kerastorch.Variable("nonexistent", shape=(2,))
    with pytest.raises(ValueError, match="`initializer` must be an array-like"):
        kerastorch.Variable(None)
    # Keras silently ignores a `shape` that contradicts the value; we refuse it.
    with pytest.raises(ValueError, match=r"initial value has shape \(3,\), but `shape=\(4,\)`"):
        kerastorch.Variable(np.ones(3), shape=(4,))


def test_variable_name_validation_and_path():
    with pytest.raises(ValueError, match="Argument `name` must be a string and cannot contain"):
        kerastorch.Variable(np.ones(2), name="a/b")
    with pytest.raises(ValueError, match="Argument `name` must be a string"):
        kerastorch.Variable(np.ones(2), name=3)
    v = kerastorch.Variable(initializer=np.ones((2, 2)), name="test_var")
    assert v.name == v.path == "test_var"
    assert kerastorch.Variable(np.ones(2)).name.startswith("variable")


def test_variable_aggregation_and_synchronization():
    v = kerastorch.Variable(np.ones(2))
    assert (v.aggregation, v.synchronization, v.autocast) == ("none", "auto", True)
    v = kerastorch.Variable(np.ones(2), aggregation="sum", synchronization=None, autocast=False)
    assert (v.aggregation, v.synchronization, v.autocast) == ("sum", "none", False)
    with pytest.raises(ValueError, match="Invalid value for argument `aggregation`"):
        kerastorch.Variable(np.ones(2), aggregation="x")
    with pytest.raises(ValueError, match="Invalid value for argument `synchronization`"):
        kerastorch.Variable(np.ones(2), synchronization="x")


def test_variable_trainable_setter():
    v = kerastorch.Variable(initializer=initializers.RandomNormal(), shape=(2, 2))
    assert v.trainable
    assert v.value.requires_grad
    v.trainable = False
    assert not v.trainable
    assert not v.value.requires_grad
    v.trainable = True
    assert v.value.requires_grad
    ints = kerastorch.Variable([1, 2], trainable=True)  # Keras's torch backend crashes here
    assert ints.trainable
    assert not ints.value.requires_grad


def test_variable_constraint_and_regularizer_setters():
    v = kerastorch.Variable(initializer="ones", shape=(2,))

    def half(w):
        return w * 0.5

    for attribute in ("constraint", "regularizer"):
        assert getattr(v, attribute) is None
        setattr(v, attribute, half)
        assert getattr(v, attribute) is half
        setattr(v, attribute, None)
        assert getattr(v, attribute) is None
        with pytest.raises(ValueError, match=f"Invalid value for attribute `{attribute}`"):
            setattr(v, attribute, "not callable")


def test_variable_overwrite_with_gradient_setter():
    v = kerastorch.Variable(initializer=initializers.RandomNormal(), shape=(2, 2))
    assert v.overwrite_with_gradient is False
    v.overwrite_with_gradient = True
    assert v.overwrite_with_gradient is True
    with pytest.raises(TypeError, match=r"must be a boolean\."):
        v.overwrite_with_gradient = "true"


def test_variable_numpy_value_and_assign():
    v = kerastorch.Variable(initializer=np.array([1.0, 2.0, 3.0]))
    assert isinstance(v.numpy(), np.ndarray)
    np.testing.assert_allclose(v.value.detach(), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(np.asarray(v.assign(np.array([4.0, 5.0, 6.0]))), [4, 5, 6])
    np.testing.assert_allclose(np.asarray(v.assign_add(np.array([1.0, 1.0, 1.0]))), [5, 6, 7])
    np.testing.assert_allclose(np.asarray(v.assign_sub(np.array([1.0, 1.0, 1.0]))), [4, 5, 6])
    np.testing.assert_allclose(v.numpy(), [4.0, 5.0, 6.0])
    np.testing.assert_allclose(v.__array__(), [4.0, 5.0, 6.0])
    assert v.__array__("int32").dtype == np.int32
    with pytest.raises(ValueError, match="Cannot assign a value of shape"):
        v.assign(np.ones(4))


def test_variable_dtype_shape_ndim_repr_getitem():
    v = kerastorch.Variable(np.array([1.0, 2.0, 3.0], dtype=np.float32), name="test_var")
    assert (v.dtype, v.shape, v.ndim) == ("float32", (3,), 1)
    assert repr(v) == "<Variable path=test_var, shape=(3,), dtype=float32, value=[1. 2. 3.]>"
    assert v[0] == 1
    assert len(v) == 3
    m = kerastorch.Variable(initializer=np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert (m.shape, m.ndim) == ((2, 2), 2)
    np.testing.assert_allclose(m.T.detach(), [[1.0, 3.0], [2.0, 4.0]])
    assert float(torch.sum(m).detach()) == 10.0


def test_variable_scalar_conversions():
    assert int(kerastorch.Variable(np.array(-1.1))) == -1
    assert float(kerastorch.Variable(np.array(-1.1))) == pytest.approx(-1.1)
    v = kerastorch.Variable(initializer=np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"A Keras Variable cannot be used as a boolean\."):
        bool(v)
    with pytest.raises(TypeError, match=r"Only scalar arrays can be converted to Python scalars\."):
        int(v)
    with pytest.raises(TypeError, match=r"Only scalar arrays can be converted to Python scalars\."):
        float(v)


A = np.array([1.0, 2.0, 3.0])
B = np.array([-4.0, 5.0, 6.0])
M1 = np.array([[1.0, 2.0], [3.0, 4.0]])
M2 = np.array([[5.0, 6.0], [7.0, 8.0]])
T = np.array([True, False])
TT = np.array([True, True])


@pytest.mark.parametrize(
    ("op", "x", "y", "expected"),
    [
        ("__add__", A, B, A + B),
        ("__radd__", A, B, B + A),
        ("__sub__", A, B, A - B),
        ("__rsub__", A, B, B - A),
        ("__mul__", A, B, A * B),
        ("__rmul__", A, B, B * A),
        ("__truediv__", A, B, A / B),
        ("__rtruediv__", A, B, B / A),
        ("__floordiv__", A, B, A // B),
        ("__rfloordiv__", A, B, B // A),
        ("__mod__", A, B, np.mod(A, B)),
        ("__rmod__", A, A, np.zeros(3)),
        ("__pow__", A, B, A**B),
        ("__rpow__", A, A, A**A),
        ("__matmul__", M1, M2, M1 @ M2),
        ("__rmatmul__", M1, M2, M2 @ M1),
        ("__and__", T, TT, T & TT),
        ("__rand__", T, TT, T & TT),
        ("__or__", T, TT, T | TT),
        ("__ror__", T, TT, T | TT),
        ("__xor__", T, TT, T ^ TT),
        ("__rxor__", T, TT, T ^ TT),
        ("__eq__", A, A, [True] * 3),
        ("__ne__", A, A, [False] * 3),
        ("__lt__", A, A, [False] * 3),
        ("__le__", A, A, [True] * 3),
        ("__gt__", A, A, [False] * 3),
        ("__ge__", A, A, [True] * 3),
    ],
)
def test_variable_operators(op, x, y, expected):
    v1 = kerastorch.Variable(initializer=x, trainable=False)
    v2 = kerastorch.Variable(initializer=y, trainable=False)
    for other in (v2, y):  # another Variable, or a NumPy array
        result = getattr(v1, op)(other)
        assert isinstance(result, torch.Tensor)
        np.testing.assert_allclose(result.detach().numpy(), expected, rtol=1e-6)


def test_variable_unary_operators():
    v = kerastorch.Variable(initializer=np.array([-1.0, 2.0]), trainable=False)
    np.testing.assert_allclose(-v, [1.0, -2.0])
    np.testing.assert_allclose(abs(v), [1.0, 2.0])
    np.testing.assert_allclose(+v, [-1.0, 2.0])
    b = kerastorch.Variable(initializer=np.array([True, False]), dtype="bool", trainable=False)
    np.testing.assert_array_equal(~b, [False, True])
    r = kerastorch.Variable(initializer=np.array([1.1, 2.2, 3.3]))
    np.testing.assert_allclose(round(r).detach(), [1.0, 2.0, 3.0])
    p = kerastorch.Variable(initializer=np.array([1.0, 2.0, 3.0]))
    q = kerastorch.Variable(initializer=np.array([4.0, 5.0, 6.0]))
    np.testing.assert_allclose((p**q).detach(), [1.0, 32.0, 729.0])
    np.testing.assert_allclose((q**p).detach(), [4.0, 25.0, 216.0])


_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "float16", "bfloat16", "float32"]


@pytest.mark.parametrize("op", ["__add__", "__mul__", "__eq__", "__lt__", "__and__", "__or__"])
def test_variable_operator_result_dtypes_match_keras(op):
    keras = keras_or_skip()
    for d1, d2 in itertools.combinations(_DTYPES, 2):
        ours = getattr(kerastorch.Variable("ones", shape=(1,), dtype=d1, trainable=False), op)(
            kerastorch.Variable("ones", shape=(1,), dtype=d2, trainable=False)
        )
        theirs = getattr(keras.Variable("ones", shape=(1,), dtype=d1, trainable=False), op)(
            keras.Variable("ones", shape=(1,), dtype=d2, trainable=False)
        )
        assert str(ours.dtype) == str(theirs.dtype), (op, d1, d2)


def test_variable_stays_hashable_and_copyable():
    v = kerastorch.Variable(np.ones(3), name="v")
    assert {v: 1}[v] == 1
    clone = copy.deepcopy(v)
    assert isinstance(clone, kerastorch.Variable)
    assert clone is not v
    clone.assign(np.zeros(3))
    np.testing.assert_allclose(v.numpy(), np.ones(3))


def test_variable_trains_with_an_optimizer():
    v = kerastorch.Variable(np.array([1.0, 2.0], dtype="float32"))
    opt = kerastorch.optimizers.SGD(learning_rate=0.5)
    opt.apply_gradients([(np.array([1.0, 1.0], dtype="float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.5, 1.5])
    loss = (v * v).sum()
    loss.backward()
    np.testing.assert_allclose(v.grad.numpy(), [1.0, 3.0])


def test_variable_view_constructor_unchanged():
    lin = torch.nn.Linear(3, 2)
    kernel = Variable(lin, "weight", "kernel", to_keras=transpose, from_keras=transpose)
    assert type(kernel) is Variable
    assert kernel.shape == (3, 2)
    assert kernel.tensor is lin.weight
    kernel.assign(np.ones((3, 2)))
    np.testing.assert_allclose(lin.weight.detach().numpy(), np.ones((2, 3)))


@pytest.mark.parity
def test_set_weights_takes_keras_bfloat16_arrays():
    keras = keras_or_skip()
    theirs = keras.layers.Dense(3, dtype="bfloat16")
    theirs.build((None, 4))
    weights = theirs.get_weights()
    assert weights[0].dtype.name == "bfloat16"  # ml_dtypes' NumPy type
    ours = kerastorch.layers.Dense(3, dtype="bfloat16")
    ours.build((None, 4))
    ours.set_weights(weights)
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    assert_close(ours(torch.tensor(x)).float(), theirs(x).float(), atol=0)
