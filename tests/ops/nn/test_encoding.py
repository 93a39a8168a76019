"""Oracle tests for `kerastorch/ops/nn/encoding.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

LABELS = np.array([[0, 3, -1], [2, 1, 1]], "int32")
CASES = [
    ("one_hot", lambda r: (LABELS, 4), {}),
    ("one_hot", lambda r: (LABELS, 4), {"axis": 0}),
    ("one_hot", lambda r: (LABELS, 4), {"axis": 1, "dtype": "int32"}),
    ("one_hot", lambda r: (np.array([1, 0], "int64"), 3), {"dtype": "bool"}),
    ("one_hot", lambda r: (LABELS.astype("float32"), 5), {"dtype": "float64"}),
    ("multi_hot", lambda r: (LABELS, 4), {}),
    ("multi_hot", lambda r: (np.array([0, 2, 2], "int32"), 4), {}),
    ("multi_hot", lambda r: (LABELS, 5), {"dtype": "int32"}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_encoding_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES[:5], ids=IDS[:5])
def test_one_hot_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_multi_hot_symbolic_has_the_eager_dtype():
    # Keras's symbolic multi_hot reports the labels' dtype (int32); its eager result is
    # float32 (the `dtype` argument), which is what ours reports.
    y = nn.multi_hot(kerastorch.Input((3,), dtype="int32"), num_classes=4)
    assert (y.shape, y.dtype) == ((None, 4), "float32")


def test_encoding_records_keras_classes_and_standard_dtype():
    y = nn.one_hot(kerastorch.Input((3,), dtype="int32"), 4)
    layer = y._keras_history.layer
    assert (type(layer).__name__, layer.name.startswith("one_hot")) == ("OneHot", True)
    assert layer.get_config()["dtype"] == "float32"
    z = nn.multi_hot(kerastorch.Input((3,), dtype="int32"), num_tokens=4)
    assert type(z._keras_history.layer).__name__ == "MultiHot"


def test_multi_hot_accepts_num_tokens():
    out = nn.multi_hot(torch.tensor([0, 2]), num_tokens=3)
    assert out.tolist() == [1.0, 0.0, 1.0]


def test_encoding_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match="one_hot: `sparse=True`"):
        nn.one_hot(torch.tensor([1]), 3, sparse=True)
    with pytest.raises(ValueError, match="one_hot: `axis`"):
        nn.one_hot(torch.tensor([1]), 3, axis=4)
    with pytest.raises(ValueError, match="multi_hot: argument `num_classes`"):
        nn.multi_hot(torch.tensor([1]))
