import pytest

from tests.metrics.metric_checks import check_metric_parity, labels, one_hot, rng, weights


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Hinge", "SquaredHinge"])
@pytest.mark.parametrize("label_values", ["binary", "signed"])
@pytest.mark.parametrize("weighted", [False, True])
def test_hinge_metrics_match_keras(name, label_values, weighted):
    r = rng(40)
    batches = []
    for _ in range(3):
        y_true = labels(r, 2, 6, 3).astype("float32")
        if label_values == "signed":
            y_true = 2 * y_true - 1
        kw = {"sample_weight": weights(r, 6)} if weighted else {}
        batches.append(((y_true, r.normal(size=(6, 3)).astype("float32")), kw))
    check_metric_parity(name, {}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
def test_categorical_hinge_matches_keras(weighted):
    r = rng(41)
    batches = []
    for _ in range(3):
        kw = {"sample_weight": weights(r, 6)} if weighted else {}
        y_true = one_hot(labels(r, 4, 6), 4)
        batches.append(((y_true, r.normal(size=(6, 4)).astype("float32")), kw))
    check_metric_parity("CategoricalHinge", {}, batches)
