import pytest

from tests.metrics.metric_checks import check_metric_parity, rng, weights


@pytest.mark.parity
@pytest.mark.parametrize("name", ["PearsonCorrelation", "ConcordanceCorrelation"])
@pytest.mark.parametrize("axis", [-1, 0])
@pytest.mark.parametrize("weighted", [False, True])
def test_correlation_metrics_match_keras(name, axis, weighted):
    r = rng(110)
    batches = []
    for _ in range(3):
        y_true = r.normal(size=(6, 5)).astype("float32")
        y_pred = (y_true + r.normal(size=(6, 5))).astype("float32")
        kw = {"sample_weight": weights(r, 6 if axis == -1 else 5)} if weighted else {}
        batches.append(((y_true, y_pred), kw))
    check_metric_parity(name, {"axis": axis}, batches, atol=1e-5, rtol=1e-5)
