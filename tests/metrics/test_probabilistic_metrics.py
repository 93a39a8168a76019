import pytest

from tests.metrics.metric_checks import (
    check_metric_parity,
    labels,
    one_hot,
    probs,
    rng,
    uniform,
    weights,
)


@pytest.mark.parity
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0, 0.1])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_crossentropy_matches_keras(from_logits, label_smoothing, weighted):
    r = rng(30)
    batches = []
    for _ in range(3):
        y_pred = r.normal(size=(8, 3)).astype("float32") if from_logits else uniform(r, 8, 3)
        kw = {"sample_weight": weights(r, 8)} if weighted else {}
        batches.append(((labels(r, 2, 8, 3).astype("float32"), y_pred), kw))
    kwargs = {"from_logits": from_logits, "label_smoothing": label_smoothing}
    check_metric_parity("BinaryCrossentropy", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
def test_binary_crossentropy_matches_keras_on_saturated_probabilities():
    y_true = labels(rng(31), 2, 6, 1).astype("float32")
    y_pred = y_true[::-1].copy()  # confidently wrong: clipped at epsilon
    check_metric_parity("BinaryCrossentropy", {}, [((y_true, y_pred), {})], atol=1e-4, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0, 0.2])
@pytest.mark.parametrize("weighted", [False, True])
def test_categorical_crossentropy_matches_keras(from_logits, label_smoothing, weighted):
    r = rng(32)
    batches = []
    for _ in range(3):
        y_pred = r.normal(size=(8, 4)).astype("float32") if from_logits else probs(r, 8, 4)
        kw = {"sample_weight": weights(r, 8)} if weighted else {}
        batches.append(((one_hot(labels(r, 4, 8), 4), y_pred), kw))
    kwargs = {"from_logits": from_logits, "label_smoothing": label_smoothing}
    check_metric_parity("CategoricalCrossentropy", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_shape", [(8,), (8, 1)])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_categorical_crossentropy_matches_keras(from_logits, label_shape, weighted):
    r = rng(33)
    batches = []
    for _ in range(3):
        y_pred = r.normal(size=(8, 5)).astype("float32") if from_logits else probs(r, 8, 5)
        kw = {"sample_weight": weights(r, 8)} if weighted else {}
        batches.append(((labels(r, 5, *label_shape), y_pred), kw))
    kwargs = {"from_logits": from_logits}
    check_metric_parity("SparseCategoricalCrossentropy", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_categorical_crossentropy_matches_keras_with_ignore_class(weighted):
    r = rng(34)
    batches = []
    for _ in range(3):
        kw = {"sample_weight": weights(r, 4, 6)} if weighted else {}
        batches.append(((labels(r, 3, 4, 6), probs(r, 4, 6, 3)), kw))
    kwargs = {"ignore_class": 0, "from_logits": False}
    check_metric_parity("SparseCategoricalCrossentropy", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
def test_sparse_categorical_crossentropy_matches_keras_with_class_axis_first():
    r = rng(35)
    batches = [((labels(r, 3, 4, 6), probs(r, 4, 6, 3).transpose(0, 2, 1).copy()), {})]
    kwargs = {"axis": 1}
    check_metric_parity("SparseCategoricalCrossentropy", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["KLDivergence", "Poisson"])
@pytest.mark.parametrize("weighted", [False, True])
def test_kl_divergence_and_poisson_match_keras(name, weighted):
    r = rng(36)
    batches = []
    for _ in range(3):
        kw = {"sample_weight": weights(r, 7)} if weighted else {}
        batches.append(((probs(r, 7, 4), probs(r, 7, 4)), kw))
    check_metric_parity(name, {}, batches, atol=1e-5, rtol=1e-5)
