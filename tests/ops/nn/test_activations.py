"""Oracle tests for `kerastorch/ops/nn/activations.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def x23(r, dtype=F32):
    return (r.normal(scale=2.0, size=(2, 3)).astype(dtype),)


ELEMENTWISE = [
    "celu",
    "elu",
    "gelu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "log_sigmoid",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "squareplus",
    "swish",
    "tanh_shrink",
]
CASES = [(name, x23, {}) for name in ELEMENTWISE] + [
    ("relu", lambda r: x23(r, "float64"), {}),
    ("sigmoid", lambda r: x23(r, "float16"), {}),
    ("relu", lambda r: ([-1.0, 2.0],), {}),
    ("gelu", x23, {"approximate": False}),
    ("leaky_relu", x23, {"negative_slope": 0.01}),
    ("elu", x23, {"alpha": 0.5}),
    ("celu", x23, {"alpha": 2.0}),
    ("soft_shrink", x23, {"threshold": 1.0}),
    ("hard_shrink", x23, {"threshold": 1.5}),
    ("squareplus", x23, {"b": 1}),
    ("threshold", lambda r: (*x23(r), 0.5, -3.0), {}),
    ("glu", lambda r: (r.normal(size=(2, 4)).astype(F32),), {}),
    ("glu", lambda r: (r.normal(size=(4, 3)).astype(F32),), {"axis": 0}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_activation_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    atol = 1e-3 if getattr(args[0], "dtype", None) == np.float16 else 1e-5
    check_eager(keras, name, args, kwargs, atol=atol)


SYMBOLIC = [c for c in CASES if isinstance(c[1](np.random.default_rng(0))[0], np.ndarray)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_activation_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    # glu over an unknown axis cannot be traced (its placeholder sizes are odd): batch known.
    unknown = () if name == "glu" and kwargs.get("axis") == 0 else (0,)
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs, unknown=unknown)


def test_aliases_are_the_same_ops():
    assert nn.swish is nn.silu
    assert nn.hard_swish is nn.hard_silu


def test_activation_records_keras_class_and_config():
    y = nn.leaky_relu(kerastorch.Input((3,)), negative_slope=0.1)
    layer = y._keras_history.layer
    assert type(layer).__name__ == "LeakyRelu"
    assert layer.get_config() == {"name": layer.name, "negative_slope": 0.1}


def test_glu_odd_axis_names_op_and_axis():
    with pytest.raises(ValueError, match=r"glu.*axis"):
        nn.glu(torch.ones(2, 3))
