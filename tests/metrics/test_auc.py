import numpy as np
import pytest

from kerastorch import metrics
from tests.metrics.metric_checks import check_metric_parity, labels, rng, uniform, weights


def _batches(shape, weighted, seed, logits=False, n=3):
    r = rng(seed)
    batches = []
    for _ in range(n):
        y_true = labels(r, 2, *shape)
        y_pred = (0.5 * y_true + 0.8 * uniform(r, *shape)).clip(0, 1).astype("float32")
        if logits:
            y_pred = (4 * y_pred - 2).astype("float32")
        kw = {"sample_weight": weights(r, shape[0])} if weighted else {}
        batches.append(((y_true, y_pred), kw))
    return batches


@pytest.mark.parity
@pytest.mark.parametrize("curve", ["ROC", "PR", "PRGAIN"])
@pytest.mark.parametrize("summation_method", ["interpolation", "minoring", "majoring"])
@pytest.mark.parametrize("weighted", [False, True])
def test_auc_matches_keras(curve, summation_method, weighted):
    batches = _batches((20,), weighted, seed=70)
    kwargs = {"curve": curve, "summation_method": summation_method}
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("num_thresholds", [2, 3, 50])
@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_auc_matches_keras_with_num_thresholds(num_thresholds, curve):
    batches = _batches((20, 2), True, seed=71)
    kwargs = {"num_thresholds": num_thresholds, "curve": curve}
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("thresholds", [[0.7, 0.2, 0.4], [0.25, 0.5, 0.75]])  # uneven, even
@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_auc_matches_keras_with_explicit_thresholds(thresholds, curve):
    batches = _batches((20,), True, seed=72)
    kwargs = {"thresholds": thresholds, "curve": curve}
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("num_labels", [None, 3])
@pytest.mark.parametrize("label_weights", [None, [0.2, 1.0, 3.0]])
@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("weighted", [False, True])
def test_auc_matches_keras_multi_label(num_labels, label_weights, curve, weighted):
    batches = _batches((12, 3), weighted, seed=73)
    kwargs = {
        "multi_label": True,
        "num_labels": num_labels,
        "label_weights": label_weights,
        "curve": curve,
    }
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("multi_label", [False, True])
def test_auc_matches_keras_multi_label_with_uneven_thresholds(multi_label):
    batches = _batches((12, 3), True, seed=74)
    kwargs = {"multi_label": multi_label, "thresholds": [0.1, 0.45, 0.6]}
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
def test_auc_matches_keras_with_label_weights_on_flattened_data():
    batches = _batches((12, 3), True, seed=75)
    kwargs = {"label_weights": [0.5, 1.0, 2.0], "curve": "PR"}
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_auc_matches_keras_from_logits(curve):
    batches = _batches((16, 2), True, seed=76, logits=True)
    kwargs = {"from_logits": True, "curve": curve, "num_thresholds": 31}
    check_metric_parity("AUC", kwargs, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
def test_auc_matches_keras_on_edge_predictions():
    y_pred = np.array([0.0, 1.0, 0.5, 0.0, 1.0, 0.25], dtype="float32")
    y_true = np.array([0, 1, 1, 1, 0, 0])
    check_metric_parity("AUC", {"num_thresholds": 5}, [((y_true, y_pred), {})], atol=1e-5)


def test_auc_close_to_the_exact_roc_auc():
    # 200 thresholds approximate the rank-based AUC well on separated scores.
    r = rng(77)
    y_true = labels(r, 2, 400)
    y_pred = np.clip(0.3 * y_true + 0.7 * uniform(r, 400), 0, 1).astype("float32")
    pos, neg = y_pred[y_true == 1], y_pred[y_true == 0]
    exact = (pos[:, None] > neg[None, :]).mean()
    assert float(metrics.AUC()(y_true, y_pred)) == pytest.approx(exact, abs=5e-3)


def test_auc_rejects_bad_arguments():
    with pytest.raises(ValueError, match='AUC: invalid AUC curve value: "ROCK"'):
        metrics.AUC(curve="ROCK")
    with pytest.raises(ValueError, match="summation method"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="`num_labels` is needed only when `multi_label` is True"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


def test_auc_multi_label_builds_its_state_on_first_update():
    m = metrics.AUC(multi_label=True)
    assert m.variables == []
    m.reset_state()  # no state yet: nothing to do
    m.update_state(np.zeros((4, 5)), np.ones((4, 5), dtype="float32"))
    assert [v.shape for v in m.variables] == [(200, 5)] * 4
