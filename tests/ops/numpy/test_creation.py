"""Oracle tests for `kerastorch/ops/numpy/creation.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import config, ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic, has_arrays
from tests.oracle import keras_or_skip

F32 = "float32"
CASES = [
    ("arange", lambda r: (5,), {}),
    ("arange", lambda r: (1, 7, 2), {}),
    ("arange", lambda r: (0.5, 3.0), {}),
    ("arange", lambda r: (0, 6, 1.5), {}),
    ("arange", lambda r: (4,), {"dtype": "float64"}),
    ("array", lambda r: ([1, 2, 3],), {}),
    ("array", lambda r: ([[1.5, 2.0]],), {}),
    ("array", lambda r: (r.normal(size=(2, 3)),), {"dtype": "float16"}),
    ("bartlett", lambda r: (6,), {}),
    ("blackman", lambda r: (5,), {}),
    ("hamming", lambda r: (7,), {}),
    ("hanning", lambda r: (4,), {}),
    ("kaiser", lambda r: (6, 3.5), {}),
    ("empty", lambda r: ((2, 3),), {}),
    ("empty", lambda r: ((4,),), {"dtype": "int32"}),
    ("zeros", lambda r: ((2, 3),), {}),
    ("zeros", lambda r: (3,), {"dtype": "int64"}),
    ("ones", lambda r: ((2,),), {}),
    ("ones", lambda r: ((1, 2),), {"dtype": "bool"}),
    ("full", lambda r: ((2, 3), 7), {}),
    ("full", lambda r: ((2,), 1.5), {}),
    ("full", lambda r: ((2, 3), np.arange(3, dtype="float32")), {}),
    ("full", lambda r: ((2,), 2), {"dtype": "float16"}),
    ("empty_like", lambda r: (r.normal(size=(2, 3)).astype(F32),), {}),
    ("zeros_like", lambda r: (np.arange(6, dtype="int64").reshape(2, 3),), {}),
    ("zeros_like", lambda r: (r.normal(size=(2,)).astype(F32),), {"dtype": "int32"}),
    ("ones_like", lambda r: (np.array([True, False]),), {}),
    ("ones_like", lambda r: (r.normal(size=(3, 1)).astype(F32),), {"dtype": "float64"}),
    ("full_like", lambda r: (np.zeros((2, 2), "int32"), 3), {}),
    ("full_like", lambda r: (np.zeros((2, 2), "int32"), 3.7), {}),
    ("full_like", lambda r: (np.zeros((2, 3), F32), np.arange(3, dtype=F32)), {}),
    ("full_like", lambda r: (np.zeros((2,), F32), 1), {"dtype": "int8"}),
    ("eye", lambda r: (3,), {}),
    ("eye", lambda r: (2, 4), {"k": 1}),
    ("eye", lambda r: (4, 3), {"k": -2, "dtype": "int32"}),
    ("identity", lambda r: (3,), {}),
    ("identity", lambda r: (2,), {"dtype": "bool"}),
    ("tri", lambda r: (3,), {}),
    ("tri", lambda r: (2, 4), {"k": 1, "dtype": "int32"}),
    ("tri", lambda r: (4, 2), {"k": -1}),
    ("vander", lambda r: (np.array([1, 2, 3], "int32"),), {}),
    ("vander", lambda r: (r.normal(size=(4,)).astype(F32),), {"N": 3, "increasing": True}),
    ("linspace", lambda r: (0, 10, 5), {}),
    ("linspace", lambda r: (0.0, 1.0, 4), {"endpoint": False}),
    ("linspace", lambda r: (2, 3, 5), {"retstep": True}),
    ("linspace", lambda r: (np.array([0.0, 1.0], F32), np.array([2.0, 5.0], F32), 3), {}),
    ("linspace", lambda r: (0, 1, 5), {"dtype": "float64"}),
    ("logspace", lambda r: (0, 3, 4), {}),
    ("logspace", lambda r: (1.0, 2.0, 5), {"base": 2, "endpoint": False}),
    ("geomspace", lambda r: (1, 1000, 4), {}),
    ("geomspace", lambda r: (2.0, 32.0, 5), {"endpoint": False}),
    ("geomspace", lambda r: (-1.0, -100.0, 3), {}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_creation_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    if name in ("empty", "empty_like"):  # values are undefined: compare dtype and shape
        ours, theirs = (
            getattr(ops, name)(*args, **kwargs),
            getattr(keras.ops, name)(*args, **kwargs),
        )
        assert (ours.dtype, tuple(ours.shape)) == (theirs.dtype, tuple(theirs.shape))
        return
    check_eager(keras, name, args, kwargs)


SYMBOLIC = [c for c in CASES if has_arrays(c[1](np.random.default_rng(0)))]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_creation_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_like_ops_record_nodes_with_keras_config():
    x = kerastorch.Input((3,), dtype="int32")
    y = ops.full_like(x, 2.5, dtype="float32")
    assert (y.shape, y.dtype) == ((None, 3), "float32")
    layer = y._keras_history.layer
    assert type(layer).__name__ == "FullLike"
    assert layer.get_config() == {"name": layer.name, "dtype": "float32"}


def test_creation_places_tensors_on_default_device():
    device = config.default_device()
    for tensor in (ops.arange(3), ops.ones((2,)), ops.eye(2), ops.linspace(0, 1, 3)):
        assert tensor.device.type == torch.device(device).type


def test_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match=r"linspace.*axis"):
        ops.linspace(0, 1, 3, axis=1)
    with pytest.raises(ValueError, match=r"vander.*1-D"):
        ops.vander(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"hamming.*window length"):
        ops.hamming(-1)
