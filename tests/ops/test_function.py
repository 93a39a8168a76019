"""`kerastorch.Function`: a graph of ops/layers between KerasTensors, re-run on tensors."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.oracle import assert_close, keras_or_skip


def _graph(lib):
    a = lib.KerasTensor((None, 2, 3))
    b = lib.KerasTensor((None, 2, 3))
    s = a + b
    out = {"sig": lib.ops.sigmoid(s), "sum": lib.ops.sum(s * a, axis=-1)}
    return lib.Function(inputs=[a, b], outputs=out, name="fn")


@pytest.mark.parity
def test_function_matches_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    values = [rng.normal(size=(4, 2, 3)).astype("float32") for _ in range(2)]
    ours = _graph(kerastorch)(values)
    theirs = _graph(keras)(values)
    assert sorted(ours) == sorted(theirs)
    for key in ours:
        assert tuple(ours[key].shape) == tuple(theirs[key].shape)
        assert_close(ours[key], theirs[key])


def test_function_with_layers_and_symbolic_call():
    x = kerastorch.Input((3,))
    dense = kerastorch.layers.Dense(2)
    y = ops.relu(dense(x))
    fn = kerastorch.Function(x, [y, x])
    assert [type(op).__name__ for op in fn.operations] == ["Dense", "Relu"]
    value = torch.ones(5, 3)
    out, same = fn(value)
    assert torch.equal(same, value)
    assert torch.allclose(out, torch.relu(dense(value)))
    symbolic = fn(kerastorch.KerasTensor((7, 3)))
    assert symbolic[0].shape == (7, 2)
    assert fn.inputs == [x]
    assert fn.outputs == [y, x]
    assert list(fn.parameters()) == []  # stateless: the layers are not submodules


def test_function_bad_arguments():
    a, b = kerastorch.KerasTensor((2,)), kerastorch.KerasTensor((2,))
    fn = kerastorch.Function([a, b], a * b)
    with pytest.raises(ValueError, match="invalid input structure"):
        fn((np.ones(2), np.ones(2)))
    with pytest.raises(ValueError, match="cannot be empty"):
        kerastorch.Function([], a)
    with pytest.raises(ValueError, match="not connected to `inputs`"):
        kerastorch.Function([a], a * b)
    with pytest.raises(ValueError, match="must be a KerasTensor"):
        kerastorch.Function([a], [a, 3])
