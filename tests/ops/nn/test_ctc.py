"""Oracle tests for `kerastorch/ops/nn/ctc.py`."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def loss_args(r, blank=0, dtype=F32):
    labels = r.integers(1, 4, size=(3, 4)).astype("int32")
    if blank:
        labels = labels - 1  # classes 0..2, blank 4
    return (
        labels,
        r.normal(size=(3, 8, 5)).astype(dtype),
        np.array([4, 2, 3], "int32"),
        np.array([8, 6, 7], "int32"),
    )


def logits(r, batch=3, time=6, classes=4):
    lengths = np.array([time, time - 2, time - 1], "int32")[:batch]
    return r.normal(scale=2.0, size=(batch, time, classes)).astype(F32), lengths


CASES = [
    ("ctc_loss", loss_args, {}),
    ("ctc_loss", lambda r: loss_args(r, blank=4), {"mask_index": 4}),
    ("ctc_loss", lambda r: loss_args(r, dtype="float64"), {}),
    ("ctc_decode", logits, {}),
    ("ctc_decode", logits, {"merge_repeated": False}),
    ("ctc_decode", logits, {"mask_index": None}),
    ("ctc_decode", logits, {"strategy": "beam_search", "beam_width": 3, "top_paths": 2}),
    ("ctc_decode", logits, {"strategy": "beam_search", "beam_width": 5, "mask_index": 2}),
    (
        "ctc_decode",
        lambda r: logits(r, batch=2, time=5, classes=6),
        {"strategy": "beam_search", "beam_width": 8, "top_paths": 3},
    ),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_ctc_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs, atol=1e-4)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_ctc_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    unknown = (0, 1, 2, 3) if name == "ctc_loss" else (0, 1)
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs, unknown=unknown)


def test_ctc_decode_symbolic_unknown_time_and_records_keras_class():
    paths, scores = nn.ctc_decode(
        kerastorch.KerasTensor((None, None, 4)),
        kerastorch.KerasTensor((None,), "int32"),
        strategy="beam_search",
        top_paths=2,
    )
    assert (paths.shape, paths.dtype) == ((2, None, None), "int32")
    assert (scores.shape, scores.dtype) == ((None, 2), "float32")
    assert type(paths._keras_history.layer).__name__ == "CTCDecode"


def test_ctc_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match="ctc_decode: invalid `strategy` 'best'"):
        nn.ctc_decode(torch.zeros(1, 2, 3), torch.tensor([2]), strategy="best")
    with pytest.raises(ValueError, match="ctc_loss: `target_length` and `output`"):
        nn.ctc_loss(
            torch.ones(2, 3, dtype=torch.int32),
            torch.zeros(2, 4, 5),
            torch.ones(3, dtype=torch.int32),
            torch.ones(2, dtype=torch.int32),
        )
