"""Oracle tests for `kerastorch/ops/nn/signal.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"
CASES = [
    (
        "psnr",
        lambda r: (
            r.uniform(size=(2, 4, 4, 3)).astype(F32),
            r.uniform(size=(2, 4, 4, 3)).astype(F32),
            1.0,
        ),
        {},
    ),
    ("psnr", lambda r: (r.uniform(0, 255, size=(8,)), r.uniform(0, 255, size=(8,)), 255), {}),
    (
        "polar",
        lambda r: (r.uniform(size=(2, 3)).astype(F32), r.uniform(-3, 3, size=(2, 3)).astype(F32)),
        {},
    ),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_signal_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parity
def test_signal_ops_symbolic_shapes_match_keras():
    keras = keras_or_skip()
    check_symbolic(keras, "psnr", CASES[0][1](np.random.default_rng(0)), {}, unknown=(0, 1))
    # Keras's symbolic polar reports float32; the eager result (ours, symbolic too) is complex64.
    check_symbolic(
        keras, "polar", CASES[2][1](np.random.default_rng(0)), {}, unknown=(0, 1), check_dtype=False
    )
    y = nn.polar(kerastorch.KerasTensor((None, 3)), kerastorch.KerasTensor((None, 3)))
    assert y.dtype == "complex64"


def test_psnr_shape_mismatch_names_the_op():
    with pytest.raises(ValueError, match="psnr: `x1` and `x2` must have the same shape"):
        nn.psnr(torch.ones(2), torch.ones(3), 1.0)
