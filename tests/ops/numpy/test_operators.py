"""Python operators on KerasTensors record Keras's ops; `get_item`; `.keras` files with ops."""

import re

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from kerastorch.common import registry
from kerastorch.ops.numpy.operators import GetItem, get_item
from tests.oracle import assert_close, keras_or_skip

EXPRESSIONS = [
    ("x + 1", lambda x, y: x + 1),
    ("1 + x", lambda x, y: 1 + x),
    ("x - y", lambda x, y: x - y),
    ("2 - x", lambda x, y: 2 - x),
    ("x * y", lambda x, y: x * y),
    ("3 * x", lambda x, y: 3 * x),
    ("x / 2", lambda x, y: x / 2),
    ("2 / x", lambda x, y: 2 / x),
    ("x // y", lambda x, y: x // y),
    ("5 // x", lambda x, y: 5 // x),
    ("x % 2", lambda x, y: x % 2),
    ("7 % x", lambda x, y: 7 % x),
    ("x ** 2", lambda x, y: x**2),
    ("2 ** x", lambda x, y: 2**x),
    ("-x", lambda x, y: -x),
    ("abs(x)", lambda x, y: abs(x)),
    ("x < y", lambda x, y: x < y),
    ("x <= 1", lambda x, y: x <= 1),
    ("x > y", lambda x, y: x > y),
    ("x >= 0", lambda x, y: x >= 0),
    ("x != y", lambda x, y: x != y),
    ("(x > 0) & (y > 0)", lambda x, y: (x > 0) & (y > 0)),
    ("(x > 0) | (y > 0)", lambda x, y: (x > 0) | (y > 0)),
    ("(x > 0) ^ (y > 0)", lambda x, y: (x > 0) ^ (y > 0)),
    ("~(x > 0)", lambda x, y: ~(x > 0)),
    ("round(x, 1)", lambda x, y: round(x, 1)),
    ("x[:, 0]", lambda x, y: x[:, 0]),
    ("x[..., None, 1:]", lambda x, y: x[..., None, 1:]),
    ("x @ w", lambda x, y: x @ type(x)((3, 4))),
]


@pytest.mark.parity
@pytest.mark.parametrize(("text", "expression"), EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
def test_operator_records_the_keras_operation(text, expression):
    keras = keras_or_skip()
    ours = expression(kerastorch.KerasTensor((None, 3)), kerastorch.KerasTensor((None, 3)))
    theirs = expression(keras.KerasTensor((None, 3)), keras.KerasTensor((None, 3)))
    assert (ours.shape, ours.dtype) == (theirs.shape, theirs.dtype)
    operation, reference = ours._keras_history.layer, theirs._keras_history.operation
    assert type(operation).__name__ == type(reference).__name__
    assert re.sub(r"_\d+$", "", operation.name) == re.sub(r"_\d+$", "", reference.name)


def test_operators_compute_in_a_functional_model():
    x, y = kerastorch.Input((3,)), kerastorch.Input((3,))
    out = [x / 2, 2 - x, x // y, x % 2, x**2, -x, abs(x), (x > 0) & (y > 0), ~(x > 0), x[:, 0]]
    model = kerastorch.Model([x, y], out)
    a = torch.tensor([[1.0, -2.0, 3.0]])
    b = torch.tensor([[2.0, 2.0, -1.0]])
    got = model([a, b])
    expected = [a / 2, 2 - a, a // b, a % 2, a**2, -a, a.abs(), (a > 0) & (b > 0), a <= 0, a[:, 0]]
    for g, e in zip(got, expected, strict=True):
        assert torch.equal(g, e)


def test_get_item_eager_and_symbolic():
    x = torch.arange(24).reshape(2, 3, 4)
    assert torch.equal(get_item(x, (slice(None), 0)), x[:, 0])
    assert torch.equal(get_item(x, [1, 2]), x[1, 2])  # a list key is a tuple of indices
    last = ops.get_item(np.arange(6).reshape(2, 3), (Ellipsis, -1))
    assert last.tolist() == [2, 5]
    y = get_item(kerastorch.Input((3, 4)), (slice(None), None, 1))
    assert y.shape == (None, 1, 4)
    assert isinstance(y._keras_history.layer, GetItem)


def test_get_item_and_ops_are_registered_for_keras_files():
    assert registry.builtin_object("keras.src.ops.numpy", "GetItem") is GetItem
    assert registry.builtin_object("keras.src.ops.numpy", "Add") is ops.add.operation_class
    assert registry.builtin_object("keras.src.ops.numpy", "Absolute") is ops.abs.operation_class


def _model(library):
    x = library.Input((4,))
    centered = library.ops.subtract(x, library.ops.mean(x, axis=-1, keepdims=True))
    scaled = library.ops.clip(library.ops.add(centered * 2, 1), -1.5, 1.5)
    out = scaled[:, 1:] + library.ops.sum(x)
    return library.Model(x, [out, library.ops.argmax(x, axis=-1), library.ops.isclose(x, 0.5)])


@pytest.mark.parity
def test_functional_model_with_ops_round_trips_through_keras_files(tmp_path):
    keras = keras_or_skip()
    model = _model(kerastorch)
    data = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    expected = model(torch.from_numpy(data))
    path = tmp_path / "ops.keras"
    model.save(path)
    ours = kerastorch.saving.load_model(path)
    theirs = keras.saving.load_model(path)
    for e, o, t in zip(expected, ours(torch.from_numpy(data)), theirs(data), strict=True):
        assert str(o.dtype) == str(e.dtype) == str(t.dtype)
        assert_close(o, e)
        assert_close(o, t)
    # And a file written by Keras loads here with the same outputs.
    keras_path = tmp_path / "keras_ops.keras"
    _model(keras).save(keras_path)
    reloaded = kerastorch.saving.load_model(keras_path)
    theirs = keras.saving.load_model(keras_path)
    for o, t in zip(reloaded(torch.from_numpy(data)), theirs(data), strict=True):
        assert_close(o, t)
