import pytest

from kerastorch import metrics
from tests.metrics.metric_checks import check_metric_parity, labels, probs, rng, uniform, weights


def _batches(weighted, seed):
    r = rng(seed)
    batches = []
    for _ in range(3):
        kw = {"sample_weight": weights(r, 10)} if weighted else {}
        batches.append(((labels(r, 2, 10, 4).astype("float32"), uniform(r, 10, 4)), kw))
    return batches


@pytest.mark.parity
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("threshold", [None, 0.4])
@pytest.mark.parametrize("weighted", [False, True])
def test_f1_score_matches_keras(average, threshold, weighted):
    kwargs = {"average": average, "threshold": threshold}
    check_metric_parity("F1Score", kwargs, _batches(weighted, 80), atol=1e-6, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_fbeta_score_matches_keras(average, beta):
    kwargs = {"average": average, "beta": beta, "threshold": 0.5}
    check_metric_parity("FBetaScore", kwargs, _batches(True, 81), atol=1e-6, rtol=1e-5)


@pytest.mark.parity
def test_f1_score_matches_keras_on_one_hot_labels_and_all_zero_rows():
    r = rng(82)
    y_pred = probs(r, 8, 3)
    y_pred[0] = 0.0  # an all-zero row predicts no class
    y_true = labels(r, 3, 8)
    y_true = (y_true[:, None] == [0, 1, 2]).astype("float32")
    check_metric_parity("F1Score", {"average": "macro"}, [((y_true, y_pred), {})])


def test_fbeta_score_rejects_bad_arguments():
    with pytest.raises(ValueError, match="FBetaScore: invalid `average`"):
        metrics.FBetaScore(average="samples")
    with pytest.raises(ValueError, match=r"It should be a Python float\. Received: beta=2"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="should be > 0"):
        metrics.FBetaScore(beta=-1.0)
    with pytest.raises(ValueError, match="0 < threshold <= 1"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="F1Score expects 2D inputs"):
        metrics.F1Score().update_state([1.0, 0.0], [0.3, 0.6])
