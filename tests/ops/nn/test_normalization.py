"""Oracle tests for `kerastorch/ops/nn/normalization.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def x(shape, dtype=F32):
    return lambda r: (r.normal(loc=1.0, size=shape).astype(dtype),)


def vec(r, n):
    return r.uniform(0.5, 2.0, size=(n,)).astype(F32)


CASES = [
    ("moments", x((2, 3, 4)), {"axes": [0]}),
    ("moments", x((2, 3, 4)), {"axes": [0, 2], "keepdims": True}),
    ("moments", x((2, 3, 4)), {"axes": -1}),
    ("moments", x((2, 3), "float16"), {"axes": [0, 1]}),
    ("moments", x((5,)), {"axes": [0]}),
    ("batch_normalization", lambda r: (*x((2, 3, 4))(r), vec(r, 4), vec(r, 4), -1), {}),
    (
        "batch_normalization",
        lambda r: (*x((2, 3, 4))(r), vec(r, 3), vec(r, 3), 1, vec(r, 3), vec(r, 3)),
        {"epsilon": 0.1},
    ),
    (
        "batch_normalization",
        lambda r: (*x((2, 3))(r), vec(r, 3), vec(r, 3), 1),
        {"scale": np.full((3,), 2.0, F32)},
    ),
    ("layer_normalization", x((2, 3, 4)), {}),
    ("layer_normalization", lambda r: (*x((2, 3, 4))(r), vec(r, 4), vec(r, 4)), {}),
    (
        "layer_normalization",
        lambda r: (*x((2, 3, 4))(r), r.normal(size=(3, 4)).astype(F32)),
        {"axis": (1, 2), "epsilon": 1e-2},
    ),
    ("layer_normalization", x((2, 3, 4), "float16"), {}),
    ("layer_normalization", x((2, 3, 4)), {"axis": (0, 2)}),
    ("rms_normalization", x((2, 3, 4)), {}),
    ("rms_normalization", lambda r: (*x((2, 3, 4))(r), vec(r, 4)), {"epsilon": 1e-3}),
    ("rms_normalization", x((2, 3, 4)), {"axis": (1, 2)}),
    ("rms_normalization", x((2, 3, 4), "float16"), {}),
    ("rms_normalization", x((2, 3, 4)), {"axis": (0, 2)}),
    ("normalize", x((2, 3)), {}),
    ("normalize", x((2, 3)), {"axis": 0, "order": 1}),
    ("normalize", x((2, 3, 4)), {"axis": (1, 2)}),
    ("normalize", x((2, 3)), {"order": 3, "epsilon": 1e-3}),
    ("normalize", lambda r: (np.zeros((2, 3), F32),), {}),
    ("normalize", lambda r: (np.arange(6, dtype="int32").reshape(2, 3),), {"order": 1}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_normalization_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    check_eager(keras, name, args, kwargs, atol=1e-3 if args[0].dtype == np.float16 else 1e-5)


SYMBOLIC = [c for c in CASES if c[0] != "normalize"]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_normalization_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    axes = kwargs.get("axes", kwargs.get("axis"))
    reduces_batch = axes is not None and 0 in np.atleast_1d(axes)
    check_symbolic(keras, name, args, kwargs, unknown=() if reduces_batch else (0,))


@pytest.mark.parity
def test_normalize_symbolic_shape_matches_keras():
    # Keras's symbolic `normalize` always reports float32; ours reports the real dtype.
    keras = keras_or_skip()
    check_symbolic(keras, "normalize", x((2, 3))(np.random.default_rng(0)), {"axis": -1})
    y = nn.normalize(kerastorch.KerasTensor((None, 3), "float64"))
    assert (y.shape, y.dtype) == ((None, 3), "float64")


def test_layer_normalization_over_inner_axis_normalizes_that_axis():
    # Keras's torch path hands a non-trailing axis to F.layer_norm (wrong axis): ours is exact.
    r = np.random.default_rng(1)
    data = r.normal(size=(2, 3, 4)).astype(F32)
    ours = nn.layer_normalization(data, axis=1, epsilon=0.0).numpy()
    mean, std = data.mean(axis=1, keepdims=True), data.std(axis=1, keepdims=True)
    np.testing.assert_allclose(ours, (data - mean) / std, atol=1e-5)
    ours = nn.rms_normalization(data, axis=1, epsilon=0.0).numpy()
    np.testing.assert_allclose(ours, data / np.sqrt((data**2).mean(1, keepdims=True)), atol=1e-5)


def test_layer_normalization_rms_scaling_warns_like_keras():
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        out = nn.layer_normalization(torch.tensor([[1.0, 3.0]]), rms_scaling=True, epsilon=0.0)
    np.testing.assert_allclose(out.numpy(), [[1.0, 3.0]], atol=1e-6)


def test_normalization_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match="normalize: `order` must be an int >= 1"):
        nn.normalize(torch.ones(3), order=0)
    with pytest.raises(ValueError, match="batch_normalization: `variance` must be a vector"):
        nn.batch_normalization(torch.ones(2, 3), torch.ones(3), torch.ones(2), axis=1)
    with pytest.raises(NotImplementedError, match="moments: `synchronized=True`"):
        nn.moments(torch.ones(3), [0], synchronized=True)
