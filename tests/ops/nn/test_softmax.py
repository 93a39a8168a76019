"""Oracle tests for `kerastorch/ops/nn/softmax.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def x234(r, dtype=F32):
    return (r.normal(scale=2.0, size=(2, 3, 4)).astype(dtype),)


CASES = [
    (name, make, kwargs)
    for name in ("softmax", "log_softmax")
    for make, kwargs in (
        (x234, {}),
        (x234, {"axis": 1}),
        (x234, {"axis": (0, 2)}),
        (x234, {"axis": None}),
        (lambda r: x234(r, "float16"), {}),
        (lambda r: x234(r, "float64"), {"axis": 0}),
    )
] + [
    ("sparsemax", x234, {}),
    ("sparsemax", x234, {"axis": 1}),
    ("sparsemax", lambda r: (np.array([[0.5, 0.4, -1.0], [3.0, 0.1, 0.0]], F32),), {}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_softmax_family_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    check_eager(keras, name, args, kwargs, atol=1e-3 if args[0].dtype == np.float16 else 1e-5)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_softmax_family_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_softmax_over_size_one_axis_warns_like_keras():
    with pytest.warns(UserWarning, match=r"axis -1 .* has size 1"):
        nn.softmax(torch.ones(2, 1))


def test_softmax_records_keras_class():
    y = nn.softmax(kerastorch.Input((3, 4)), axis=1)
    assert type(y._keras_history.layer).__name__ == "Softmax"
    assert (y.shape, y.dtype) == ((None, 3, 4), "float32")
