import pytest

from kerastorch import metrics
from tests.metrics.metric_checks import check_metric_parity, labels, rng, uniform, weights

CASES = [
    ("SensitivityAtSpecificity", "specificity"),
    ("SpecificityAtSensitivity", "sensitivity"),
    ("PrecisionAtRecall", "recall"),
    ("RecallAtPrecision", "precision"),
]


def _batches(shape, weighted, seed):
    r = rng(seed)
    batches = []
    for _ in range(3):
        kw = {"sample_weight": weights(r, shape[0])} if weighted else {}
        y_true = labels(r, 2, *shape)
        y_pred = (0.6 * y_true + 0.7 * uniform(r, *shape)).clip(0, 1).astype("float32")
        batches.append(((y_true, y_pred), kw))
    return batches


@pytest.mark.parity
@pytest.mark.parametrize(("name", "argument"), CASES)
@pytest.mark.parametrize("value", [0.5, 0.8])
@pytest.mark.parametrize("num_thresholds", [200, 7, 1])
@pytest.mark.parametrize("weighted", [False, True])
def test_rate_at_rate_metrics_match_keras(name, argument, value, num_thresholds, weighted):
    batches = _batches((16,), weighted, seed=60)
    kwargs = {argument: value, "num_thresholds": num_thresholds}
    check_metric_parity(name, kwargs, batches, atol=1e-6, rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "argument"), CASES)
def test_rate_at_rate_metrics_match_keras_with_class_id(name, argument):
    batches = _batches((16, 3), weighted=True, seed=61)
    check_metric_parity(name, {argument: 0.6, "class_id": 1}, batches)


@pytest.mark.parametrize(("name", "argument"), CASES)
def test_rate_at_rate_metrics_reject_values_outside_0_1(name, argument):
    with pytest.raises(ValueError, match=f"argument `{argument}` must be in the range"):
        getattr(metrics, name)(1.5)


def test_rate_at_rate_metrics_reject_zero_thresholds():
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 0"):
        metrics.PrecisionAtRecall(0.5, num_thresholds=0)
