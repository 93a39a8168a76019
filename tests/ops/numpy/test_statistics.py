"""Oracle tests for `kerastorch/ops/numpy/statistics.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic, check_unknown_batch
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


def nans(r, *shape):
    x = r.normal(size=shape).astype("float32")
    x[r.random(size=shape) < 0.3] = np.nan
    x[0] = np.nan  # an all-NaN slice along the last axes
    return x


def ints(r, *shape, dtype="int32", high=5):
    return r.integers(0, high, size=shape).astype(dtype)


CASES = [
    ("quantile", lambda r: (f32(r, 3, 4), 0.3), {}),
    (
        "quantile",
        lambda r: (f32(r, 3, 4, 2), np.array([0.1, 0.5], "float32")),
        {"axis": (0, 2), "keepdims": True},
    ),
    ("quantile", lambda r: (ints(r, 3, 5), 0.4), {"axis": -1, "method": "lower"}),
    ("quantile", lambda r: (f32(r, 6), 0.35), {"method": "higher"}),
    ("quantile", lambda r: (f32(r, 2, 6), 0.35), {"axis": 1, "method": "midpoint"}),
    ("quantile", lambda r: (f32(r, 2, 6), 0.35), {"axis": 1, "method": "nearest"}),
    ("percentile", lambda r: (f32(r, 3, 4), 40), {"axis": 0}),
    ("percentile", lambda r: (ints(r, 8), np.array([10.0, 90.0], "float32")), {}),
    ("nanquantile", lambda r: (nans(r, 3, 4), 0.5), {"axis": 1}),
    ("nanpercentile", lambda r: (nans(r, 3, 4), 25), {"axis": 1, "keepdims": True}),
    ("median", lambda r: (f32(r, 3, 4),), {}),
    ("median", lambda r: (ints(r, 4, 4),), {"axis": 0, "keepdims": True}),
    ("nanmedian", lambda r: (nans(r, 3, 4),), {"axis": -1}),
    ("ptp", lambda r: (f32(r, 3, 4),), {}),
    ("ptp", lambda r: (ints(r, 3, 4),), {"axis": 1, "keepdims": True}),
    ("average", lambda r: (f32(r, 3, 4),), {}),
    ("average", lambda r: (ints(r, 3, 4),), {"axis": 0}),
    (
        "average",
        lambda r: (f32(r, 3, 4),),
        {"axis": 1, "weights": np.arange(1, 5, dtype="float32")},
    ),
    ("bincount", lambda r: (ints(r, 10),), {}),
    ("bincount", lambda r: (ints(r, 6),), {"minlength": 8}),
    ("bincount", lambda r: (ints(r, 6), f32(r, 6)), {}),
    ("bincount", lambda r: (ints(r, 2, 5),), {"minlength": 6}),
    ("corrcoef", lambda r: (f32(r, 3, 5),), {}),
    ("corrcoef", lambda r: (ints(r, 2, 6, high=9),), {}),
    ("histogram", lambda r: (f32(r, 20),), {}),
    ("histogram", lambda r: (f32(r, 20),), {"bins": 4, "range": (-1.0, 1.0)}),
    ("nanargmax", lambda r: (nans(r, 3, 4),), {"axis": 1}),
    ("nanargmax", lambda r: (f32(r, 3, 4),), {}),
    ("nanargmin", lambda r: (nans(r, 3, 4),), {"axis": -1, "keepdims": True}),
    ("nanargmin", lambda r: (ints(r, 3, 4),), {"axis": 0}),
    ("nanmax", lambda r: (nans(r, 3, 4),), {"axis": 1}),
    ("nanmax", lambda r: (ints(r, 3, 4),), {"axis": (0, 1)}),
    ("nanmin", lambda r: (nans(r, 3, 4),), {"axis": -1, "keepdims": True}),
    ("nanmin", lambda r: (nans(r, 3, 4),), {}),
    ("nansum", lambda r: (nans(r, 3, 4),), {"axis": 1}),
    ("nansum", lambda r: (ints(r, 3, 4, dtype="int8"),), {}),
    ("nansum", lambda r: (f32(r, 3, 4) > 0,), {"axis": 0, "keepdims": True}),
    ("nanprod", lambda r: (nans(r, 3, 4),), {"axis": 1}),
    ("nanprod", lambda r: (ints(r, 3, 4, dtype="int16"),), {"axis": (0, 1)}),
    ("nanmean", lambda r: (nans(r, 3, 4),), {"axis": 0}),
    ("nanmean", lambda r: (ints(r, 3, 4),), {"keepdims": True}),
    ("nanvar", lambda r: (nans(r, 3, 4),), {"axis": 0}),
    ("nanvar", lambda r: (ints(r, 3, 4),), {}),
    ("nanstd", lambda r: (nans(r, 3, 4),), {"axis": (0, 1), "keepdims": True}),
    ("nancumsum", lambda r: (nans(r, 3, 4),), {"axis": 1}),
    ("nancumsum", lambda r: (ints(r, 3, 4, dtype="int8"),), {}),
    ("nancumprod", lambda r: (nans(r, 3, 4),), {"axis": -1}),
    ("nancumprod", lambda r: (ints(r, 3, 4),), {"axis": 0}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_statistics_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs, atol=1e-4)


# Keras's symbolic corrcoef gives x's shape instead of (rows, rows); its symbolic bincount
# takes no symbolic weights.
SYMBOLIC = [c for i, c in enumerate(CASES) if c[0] != "corrcoef" and i != 20]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_statistics_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_symbolic_corrcoef_and_cumsum_dtype():
    assert ops.corrcoef(kerastorch.KerasTensor((3, 5))).shape == (3, 3)
    x = np.array([1.0, np.nan, 2.0], "float32")
    assert str(ops.nancumsum(x, dtype="float64").dtype) == "torch.float64"


def test_bad_inputs_name_the_op():
    with pytest.raises(ValueError, match="quantile: `method` must be one of"):
        ops.quantile(np.ones(3), 0.5, method="cubic")
    with pytest.raises(ValueError, match="bincount: kerastorch has no sparse tensors"):
        ops.bincount(np.array([1, 2]), sparse=True)
    with pytest.raises(ValueError, match="average: `weights`"):
        ops.average(np.ones((2, 3)), weights=np.ones(3))
    with pytest.raises(ValueError, match="histogram: `x` must be 1-D"):
        ops.histogram(np.ones((2, 2)))


UNKNOWN = [
    ("quantile", [(None, 4)], (0.5,), {"axis": 1}),
    ("median", [(None, 4, 2)], (), {"axis": (1, 2), "keepdims": True}),
    ("nanmean", [(None, 4)], (), {"axis": 0}),
    ("nanargmax", [(None, 4)], (), {"axis": -1}),
    ("nancumsum", [(None, 4)], (), {"axis": 1}),
    ("ptp", [(None, 4)], (), {"axis": 1}),
]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "shapes", "extra", "kwargs"), UNKNOWN, ids=[u[0] for u in UNKNOWN]
)
def test_statistics_unknown_batch_matches_keras(name, shapes, extra, kwargs):
    keras = keras_or_skip()
    check_unknown_batch(keras, name, shapes, extra, kwargs)


def _bf16(r, *shape):
    return torch.tensor(r.normal(size=shape), dtype=torch.bfloat16)


def _f16(r, *shape):
    return r.normal(size=shape).astype("float16")


# Half precision across the groups (bfloat16 as torch tensors: NumPy has none).
HALF = [
    ("quantile", lambda r: (_bf16(r, 3, 4), 0.3), {"axis": 0}),
    ("median", lambda r: (_f16(r, 3, 4),), {}),
    ("nanvar", lambda r: (_bf16(r, 3, 4),), {}),
    ("nansum", lambda r: (_bf16(r, 3, 4),), {"axis": 0}),
    ("average", lambda r: (_f16(r, 3, 4),), {"axis": 1}),
    ("matmul", lambda r: (_f16(r, 3, 4), _f16(r, 4, 2)), {}),
    ("dot", lambda r: (_bf16(r, 3, 4), _bf16(r, 4)), {}),
    ("einsum", lambda r: ("ij,kj->ik", _f16(r, 3, 4), _f16(r, 2, 4)), {}),
    ("trace", lambda r: (_bf16(r, 3, 3),), {}),
    ("sort", lambda r: (_bf16(r, 3, 4),), {}),
    ("argsort", lambda r: (_f16(r, 3, 4),), {}),
    ("pad", lambda r: (_bf16(r, 3, 4), ((1, 1), (2, 2))), {"mode": "reflect"}),
    ("take", lambda r: (_bf16(r, 3, 4), np.array([0, 2])), {"axis": 1}),
    ("concatenate", lambda r: ([_f16(r, 2, 2), _bf16(r, 2, 2)],), {}),
    ("eye", lambda r: (3,), {"dtype": "bfloat16"}),
    ("linspace", lambda r: (0, 1, 5), {"dtype": "float16"}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), HALF, ids=[h[0] for h in HALF])
def test_half_precision_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs, atol=2e-2)
