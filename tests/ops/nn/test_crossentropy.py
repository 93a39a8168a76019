"""Oracle tests for `kerastorch/ops/nn/crossentropy.py`."""

import numpy as np
import pytest
import torch

from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def probs(r, shape, axis=-1):
    p = r.uniform(0.01, 1.0, size=shape).astype(F32)
    return p / p.sum(axis=axis, keepdims=True)


def binary(r):
    return r.integers(0, 2, size=(3, 4)).astype(F32), r.uniform(0, 1, size=(3, 4)).astype(F32)


def onehot(r, shape=(3, 5)):
    return np.eye(shape[-1], dtype=F32)[r.integers(0, shape[-1], size=shape[:-1])]


CASES = [
    ("binary_crossentropy", binary, {}),
    (
        "binary_crossentropy",
        lambda r: (binary(r)[0], r.normal(size=(3, 4)).astype(F32)),
        {"from_logits": True},
    ),
    ("binary_crossentropy", lambda r: (np.array([1.0, 0.0], F32), np.array([0.0, 1.0], F32)), {}),
    ("categorical_crossentropy", lambda r: (onehot(r), probs(r, (3, 5))), {}),
    (
        "categorical_crossentropy",
        lambda r: (onehot(r), r.normal(size=(3, 5)).astype(F32)),
        {"from_logits": True},
    ),
    (
        "categorical_crossentropy",
        lambda r: (onehot(r, (2, 3, 4)), r.uniform(size=(2, 3, 4)).astype(F32)),
        {},
    ),
    (
        "categorical_crossentropy",
        lambda r: (np.moveaxis(onehot(r, (2, 4, 3)), -1, 1), r.normal(size=(2, 3, 4)).astype(F32)),
        {"from_logits": True, "axis": 1},
    ),
    (
        "sparse_categorical_crossentropy",
        lambda r: (r.integers(0, 5, size=(3,)).astype("int32"), probs(r, (3, 5))),
        {},
    ),
    (
        "sparse_categorical_crossentropy",
        lambda r: (r.integers(0, 5, size=(3, 1)), r.normal(size=(3, 5)).astype(F32)),
        {"from_logits": True},
    ),
    (
        "sparse_categorical_crossentropy",
        lambda r: (
            r.integers(0, 4, size=(2, 3)).astype("int32"),
            r.uniform(size=(2, 3, 4)).astype(F32),
        ),
        {},
    ),
    (
        "sparse_categorical_crossentropy",
        lambda r: (
            r.integers(0, 3, size=(2, 4)).astype("int32"),
            r.normal(size=(2, 3, 4)).astype(F32),
        ),
        {"from_logits": True, "axis": 1},
    ),
    (
        "sparse_categorical_crossentropy",
        lambda r: (np.array(2, "int32"), r.normal(size=(4,)).astype(F32)),
        {"from_logits": True},
    ),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_crossentropy_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [
    c for c in CASES if c[2].get("axis", -1) == -1 and c[1](np.random.default_rng(0))[1].ndim > 1
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_crossentropy_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs, unknown=(0, 1))


def test_crossentropy_shape_errors_name_the_op():
    with pytest.raises(ValueError, match="binary_crossentropy: arguments `target` and `output`"):
        nn.binary_crossentropy(torch.ones(2), torch.ones(3))
    with pytest.raises(ValueError, match=r"categorical_crossentropy: .*same shape"):
        nn.categorical_crossentropy(torch.ones(2, 3), torch.ones(2, 4))
    with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy: .*same shape"):
        nn.sparse_categorical_crossentropy(torch.ones(3, dtype=torch.int64), torch.ones(2, 4))
