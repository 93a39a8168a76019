import pytest
import torch

import kerastorch as kt
from kerastorch.graph.keras_tensor import KerasTensor, any_symbolic
from kerastorch.graph.operation import Operation
from kerastorch.layers import Dense, Input
from kerastorch.models import Model
from tests.oracle import assert_close, keras_or_skip


def test_keras_tensor_has_shape_dtype_and_history():
    x = Input((3, None), dtype="int32")
    assert x.shape == (None, 3, None)
    assert x.ndim == 3
    assert x.dtype == "int32"
    assert x._keras_history.layer.name == "input_layer"
    assert "KerasTensor shape=(None, 3, None)" in repr(x)


@pytest.mark.parametrize(
    ("expression", "class_name", "expected"),
    [
        (lambda x: x + 1, "Add", 3.0),
        (lambda x: 1 - x, "Subtract", -1.0),
        (lambda x: x * x, "Multiply", 4.0),
        (lambda x: x / 4, "TrueDivide", 0.5),
        (lambda x: x**3, "Power", 8.0),
        (lambda x: -x, "Negative", -2.0),
        (lambda x: abs(-x), "Absolute", 2.0),
        (lambda x: x[:, :1], "GetItem", 2.0),
        (lambda x: (x > 1) & (x < 3), "LogicalAnd", 1.0),
    ],
)
def test_keras_tensor_operators_record_operations(expression, class_name, expected):
    x = Input((2,))
    y = expression(x)
    layer = y._keras_history.layer
    assert isinstance(layer, Operation)
    assert type(layer).__name__ == class_name
    model = Model(x, y)
    assert_close(model(torch.full((1, 2), 2.0)).float(), torch.full(y.shape[1:], expected)[None])


def test_keras_tensor_operation_names_count_like_keras():
    x = Input((2,))
    a, b = x + 1, x + 2
    assert (a._keras_history.layer.name, b._keras_history.layer.name) == ("add", "add_1")


def test_keras_tensor_matmul_shape():
    x = Input((2, 3))
    w = Input((3, 4))
    assert (x @ w).shape == (None, 2, 4)


def test_keras_tensor_refuses_python_truth_and_iteration():
    x = Input((2,))
    with pytest.raises(TypeError, match="no truth value"):
        bool(x)
    with pytest.raises(TypeError, match="cannot be iterated"):
        list(x)
    with pytest.raises(ValueError, match="holds no data"):
        x.numpy()


def test_any_symbolic_finds_nested_keras_tensors():
    x = Input((2,))
    assert any_symbolic(([1, {"a": x}],))
    assert not any_symbolic((torch.ones(1),), {"k": 2})


def test_output_spec_traced_on_meta_device_reports_none_dims():
    x = Input((None, 5))
    y = Dense(3)(x)
    assert y.shape == (None, None, 3)
    z = KerasTensor((None, 5))
    assert Dense(2).compute_output_spec(z).shape == (None, 2)


def test_output_spec_tracing_leaves_weights_on_cpu_untouched():
    layer = Dense(3)
    layer(Input((4,)))
    assert layer.linear.weight.device.type == "cpu"
    assert torch.isfinite(layer.linear.weight).all()


def test_keras_tensor_is_public_and_prints_as_keras():
    keras = keras_or_skip()
    assert kt.KerasTensor is KerasTensor
    results = []
    for K in (keras, kt):
        K.backend.clear_session()
        first, second = K.Input((28, 28)), K.Input((3,), dtype="int32")
        named = K.Input((2,), name="pixels")
        results.append([repr(first), repr(second), repr(named), repr(K.KerasTensor((None, 4)))])
    assert results[1] == results[0]
    assert results[1][0] == (
        "<KerasTensor shape=(None, 28, 28), dtype=float32, sparse=False, ragged=False, "
        "name=keras_tensor>"
    )


def test_keras_tensor_ragged_is_refused():
    with pytest.raises(ValueError, match="ragged=True"):
        KerasTensor((None, 3), ragged=True)
