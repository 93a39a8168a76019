import numpy as np
import pytest
import torch

from kerastorch import metrics
from tests.metrics.metric_checks import (
    check_metric_parity,
    labels,
    one_hot,
    probs,
    rng,
    uniform,
    weights,
)
from tests.oracle import assert_close, keras_or_skip


def _binary_batches(shape, weighted, seed=0):
    r = rng(seed)
    batches = []
    for _ in range(3):
        y_true = labels(r, 2, *shape).astype("float32")
        y_pred = uniform(r, *shape)
        kw = {"sample_weight": weights(r, shape[0])} if weighted else {}
        batches.append(((y_true, y_pred), kw))
    return batches


@pytest.mark.parity
@pytest.mark.parametrize("shape", [(8,), (8, 1), (8, 3)])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_binary_accuracy_matches_keras(shape, weighted, threshold):
    batches = _binary_batches(shape, weighted)
    check_metric_parity("BinaryAccuracy", {"threshold": threshold}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_accuracy_matches_keras_with_rank_mismatch(weighted):
    r = rng(1)
    batches = [
        ((labels(r, 2, 6), uniform(r, 6, 1)), {"sample_weight": weights(r, 6)} if weighted else {})
        for _ in range(3)
    ]
    check_metric_parity("BinaryAccuracy", {}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
def test_accuracy_matches_keras(weighted):
    r = rng(2)
    batches = [
        (
            (labels(r, 3, 10, 1), labels(r, 3, 10, 1)),
            {"sample_weight": weights(r, 10)} if weighted else {},
        )
        for _ in range(3)
    ]
    check_metric_parity("Accuracy", {}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("shape", [(7, 5), (4, 3, 5)])
@pytest.mark.parametrize("weighted", [False, True])
def test_categorical_accuracy_matches_keras(shape, weighted):
    r = rng(3)
    batches = []
    for _ in range(3):
        y_true = one_hot(labels(r, shape[-1], *shape[:-1]), shape[-1])
        sw = {"sample_weight": weights(r, *shape[:-1])} if weighted else {}
        batches.append(((y_true, probs(r, *shape)), sw))
    check_metric_parity("CategoricalAccuracy", {}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("label_shape", [(9,), (9, 1)])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_categorical_accuracy_matches_keras(label_shape, weighted):
    r = rng(4)
    batches = []
    for _ in range(3):
        sw = {"sample_weight": weights(r, 9)} if weighted else {}
        batches.append(((labels(r, 4, *label_shape), probs(r, 9, 4)), sw))
    check_metric_parity("SparseCategoricalAccuracy", {}, batches)


@pytest.mark.parity
def test_sparse_categorical_accuracy_matches_keras_on_sequences():
    r = rng(5)
    batches = [((labels(r, 4, 3, 6), probs(r, 3, 6, 4)), {"sample_weight": weights(r, 3, 6)})]
    batches.append(((labels(r, 4, 3, 6), probs(r, 3, 6, 4)), {}))
    check_metric_parity("SparseCategoricalAccuracy", {}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("k", [1, 2, 5])
@pytest.mark.parametrize("weighted", [False, True])
def test_top_k_categorical_accuracy_matches_keras(k, weighted):
    r = rng(6)
    batches = []
    for _ in range(3):
        sw = {"sample_weight": weights(r, 12)} if weighted else {}
        batches.append(((one_hot(labels(r, 6, 12), 6), probs(r, 12, 6)), sw))
    check_metric_parity("TopKCategoricalAccuracy", {"k": k}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("label_shape", [(12,), (12, 1)])
def test_sparse_top_k_categorical_accuracy_matches_keras(k, label_shape):
    r = rng(7)
    batches = []
    for _ in range(3):
        batches.append(
            ((labels(r, 6, *label_shape), probs(r, 12, 6)), {"sample_weight": weights(r, 12)})
        )
    check_metric_parity("SparseTopKCategoricalAccuracy", {"k": k}, batches)


@pytest.mark.parity
def test_sparse_top_k_categorical_accuracy_matches_keras_from_sorted_ids():
    r = rng(8)
    sorted_ids = np.stack([r.permutation(10)[:4] for _ in range(8)]).astype("int64")
    batches = [((labels(r, 10, 8), sorted_ids), {}), ((labels(r, 10, 8), sorted_ids), {})]
    check_metric_parity("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True}, batches)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("fn", "kwargs"),
    [
        ("binary_accuracy", {}),
        ("binary_accuracy", {"threshold": 0.7}),
        ("categorical_accuracy", {}),
        ("sparse_categorical_accuracy", {}),
        ("top_k_categorical_accuracy", {"k": 2}),
        ("sparse_top_k_categorical_accuracy", {"k": 2}),
    ],
)
def test_accuracy_functions_match_keras(fn, kwargs):
    keras = keras_or_skip()
    r = rng(9)
    y_pred = probs(r, 10, 4)
    sparse = labels(r, 4, 10)
    y_true = {
        "binary_accuracy": labels(r, 2, 10, 4).astype("float32"),
        "categorical_accuracy": one_hot(sparse, 4),
        "top_k_categorical_accuracy": one_hot(sparse, 4),
    }.get(fn, sparse)
    ours = getattr(metrics, fn)(torch.from_numpy(y_true), torch.from_numpy(y_pred), **kwargs)
    assert ours.dtype == torch.float32
    assert_close(ours, getattr(keras.metrics, fn)(y_true, y_pred, **kwargs))


def test_categorical_accuracy_counts_ties_as_the_first_maximum():
    m = metrics.CategoricalAccuracy()
    m.update_state([[0, 1, 0], [1, 0, 0]], [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]])
    assert float(m.result()) == 0.5


def _sparse_cases():
    """(labels, predictions): integer labels in and out of range, several float dtypes."""
    r = rng(10)
    cases = []
    for dtype in (torch.float32, torch.float16, torch.bfloat16, torch.float64):
        for label_dtype in (torch.int64, torch.int32, torch.uint8):
            y_pred = torch.from_numpy(probs(r, 7, 5)).to(dtype)
            y_true = torch.tensor([0, 1, 2, 3, 4, 5, 255]).to(label_dtype)
            cases.append((y_true, y_pred))
            cases.append((y_true[:, None], y_pred))
    # More classes than float16 holds exactly: 2049 rounds to 2048 in Keras's float compare.
    y_pred = torch.zeros(3, 2050, dtype=torch.float16)
    y_pred[:, 2048] = 1.0
    cases.append((torch.tensor([2049, 2048, 7]), y_pred))
    y_pred = torch.zeros(2, 300, dtype=torch.bfloat16)
    y_pred[:, 258] = 1.0
    cases.append((torch.tensor([257, 258], dtype=torch.int32), y_pred))
    return cases


@pytest.mark.parity
def test_sparse_categorical_accuracy_with_integer_labels_matches_keras_exactly():
    keras = keras_or_skip()
    for y_true, y_pred in _sparse_cases():
        ours = metrics.sparse_categorical_accuracy(y_true, y_pred)
        theirs = keras.metrics.sparse_categorical_accuracy(y_true, y_pred)
        assert ours.dtype == torch.float32
        assert torch.equal(ours, torch.as_tensor(theirs)), (y_true, y_pred.dtype)


def test_sparse_categorical_accuracy_integer_and_float_labels_agree():
    # Integer labels skip Keras's casts where exact; float labels take them: same numbers.
    for y_true, y_pred in _sparse_cases():
        as_ints = metrics.sparse_categorical_accuracy(y_true, y_pred)
        as_floats = metrics.sparse_categorical_accuracy(y_true.to(y_pred.dtype), y_pred)
        assert torch.equal(as_ints, as_floats), (y_true, y_pred.dtype)
    y_pred = torch.zeros(3, 2050, dtype=torch.float16)
    y_pred[:, 2048] = 1.0
    rounded = metrics.sparse_categorical_accuracy(torch.tensor([2049, 2048, 7]), y_pred)
    assert rounded.tolist() == [1.0, 1.0, 0.0]  # 2049 -> 2048 in float16, as in Keras


def test_sparse_categorical_accuracy_metric_state_is_the_same_for_int_and_float_labels():
    r = rng(11)
    ints, floats = metrics.SparseCategoricalAccuracy(), metrics.SparseCategoricalAccuracy()
    for _ in range(3):
        y_true, y_pred = torch.from_numpy(labels(r, 4, 9)), torch.from_numpy(probs(r, 9, 4))
        ints.update_state(y_true, y_pred)
        floats.update_state(y_true.float(), y_pred)
    assert torch.equal(ints.total.tensor, floats.total.tensor)
    assert torch.equal(ints.count.tensor, floats.count.tensor)
