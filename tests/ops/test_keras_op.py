"""`@keras_op`: one function, eager and symbolic; the recorded operation's config and calls."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.ops.keras_op import OP_CLASSES, keras_op
from tests.oracle import keras_or_skip


@keras_op("numpy", tensors=("operands",), class_name="DemoEinsum")
def _demo_einsum(subscripts, *operands):
    return torch.einsum(subscripts, *operands)


def test_eager_call_is_the_plain_function():
    a = torch.ones(2, 3)
    assert _demo_einsum("ij->i", a).tolist() == [3.0, 3.0]


def test_symbolic_varargs_call_records_the_config_and_replays():
    a, b = KerasTensor((None, 3)), KerasTensor((3, 4))
    y = _demo_einsum("ij,jk->ik", a, b)
    operation = y._keras_history.layer
    assert y.shape == (None, 4)
    assert operation.get_config() == {"name": operation.name, "subscripts": "ij,jk->ik"}
    assert OP_CLASSES["DemoEinsum"] is type(operation)
    replay = type(operation).from_config(operation.get_config())
    assert replay(torch.ones(2, 3), torch.ones(3, 4)).tolist() == [[3.0] * 4] * 2


def test_keyword_arguments_override_the_config():
    operation = kerastorch.ops.isclose.operation_class(rtol=1e-5, atol=1e-8, equal_nan=False)
    a = torch.tensor([1.0, 2.0])
    assert operation.call(a, a + 0.05, atol=0.1).tolist() == [True, True]
    assert operation.call(a, a + 0.05).tolist() == [False, False]


@pytest.mark.parity
def test_a_keras_file_with_op_layers_loads(tmp_path):
    keras = keras_or_skip()
    x = keras.Input((3,))
    y = keras.ops.cast(keras.ops.isclose(x, keras.ops.square(x)), "float32")
    model = keras.Model(x, keras.ops.concatenate([y, keras.ops.exp(x)], axis=-1))
    path = str(tmp_path / "ops.keras")
    model.save(path)
    ours = kerastorch.saving.load_model(path)
    data = np.array([[0.0, 1.0, 2.0]], "float32")
    np.testing.assert_allclose(ours.predict(data, verbose=0), model.predict(data, verbose=0))
