"""Oracle tests for `kerastorch/ops/nn/pooling.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def image(shape):
    return lambda r: (r.normal(size=shape).astype(F32),)


# (input shape, pool_size, strides, padding, data_format)
POOL_SETTINGS = [
    ((2, 7, 3), 2, None, "valid", "channels_last"),
    ((2, 7, 3), 3, 2, "same", "channels_last"),
    ((2, 3, 8), 2, 2, "same", "channels_first"),
    ((2, 6, 7, 3), (2, 3), (1, 2), "valid", "channels_last"),
    ((2, 6, 7, 3), 2, 1, "same", "channels_last"),
    ((2, 6, 7, 3), 3, 1, "same", "channels_last"),
    ((2, 3, 7, 5), (3, 2), 2, "same", "channels_first"),
    ((1, 5, 4, 6, 2), 2, None, "valid", "channels_last"),
    ((1, 2, 5, 4, 6), 2, 2, "same", "channels_first"),
]
CASES = [
    (
        name,
        image(shape),
        {"pool_size": pool, "strides": strides, "padding": padding, "data_format": data_format},
    )
    for name in ("max_pool", "average_pool")
    for shape, pool, strides, padding, data_format in POOL_SETTINGS
] + [
    ("adaptive_max_pool", image((2, 8, 8, 3)), {"output_size": (2, 3)}),
    ("adaptive_max_pool", image((2, 3, 9)), {"output_size": 4, "data_format": "channels_first"}),
    ("adaptive_average_pool", image((2, 7, 8, 3)), {"output_size": (3, 2)}),
    (
        "adaptive_average_pool",
        image((1, 2, 4, 5, 6)),
        {"output_size": (2, 2, 3), "data_format": "channels_first"},
    ),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_pooling_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


SYMBOLIC = [c for c in CASES if not c[0].startswith("adaptive")]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_pooling_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parametrize(
    ("shape", "output_size", "data_format", "expected"),
    [
        ((None, 8, 8, 3), (2, 3), "channels_last", (None, 2, 3, 3)),
        ((None, 3, 9), 4, "channels_first", (None, 3, 4)),
        ((None, 2, 4, 5, 6), 2, "channels_first", (None, 2, 2, 2, 2)),
    ],
)
def test_adaptive_pooling_symbolic_shapes(shape, output_size, data_format, expected):
    # Keras's own symbolic shape is wrong here (it keeps an input spatial dim for
    # channels_last and fails on an int `output_size`), so the expected shapes are written out.
    for op in (nn.adaptive_max_pool, nn.adaptive_average_pool):
        y = op(kerastorch.KerasTensor(shape), output_size, data_format=data_format)
        assert (y.shape, y.dtype) == (expected, "float32")


def test_pooling_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match=r"max_pool: .*`data_format`"):
        nn.max_pool(torch.ones(1, 4, 4, 1), 2, data_format="NHWC")
    with pytest.raises(ValueError, match="average_pool: the `pool_size` argument"):
        nn.average_pool(torch.ones(1, 4, 4, 1), (2, 2, 2))
    with pytest.raises(ValueError, match="adaptive_max_pool: `inputs` must have rank"):
        nn.adaptive_max_pool(torch.ones(4, 4), 2)
