import pytest
import torch

from kerastorch import metrics
from tests.metrics.metric_checks import check_metric_parity, labels, rng, uniform, weights

THRESHOLDS = [None, 0.3, [0.2, 0.5, 0.9], [0.0, 0.25, 0.5, 0.75, 1.0]]  # last: evenly spaced


def _batches(shape, weight_shape, seed):
    r = rng(seed)
    batches = []
    for _ in range(3):
        kw = {} if weight_shape is None else {"sample_weight": weights(r, *weight_shape)}
        batches.append(((labels(r, 2, *shape), uniform(r, *shape)), kw))
    # Predictions exactly on thresholds and at 0 and 1 (the strict `>` and the bucket edges).
    y_pred = r.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=shape).astype("float32")
    batches.append(((labels(r, 2, *shape), y_pred), {}))
    return batches


@pytest.mark.parity
@pytest.mark.parametrize(
    "name", ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"]
)
@pytest.mark.parametrize("thresholds", THRESHOLDS)
@pytest.mark.parametrize(
    ("shape", "weight_shape"), [((10,), None), ((10, 3), (10,)), ((10, 3), (10, 3))]
)
def test_confusion_counts_match_keras(name, thresholds, shape, weight_shape):
    batches = _batches(shape, weight_shape, seed=50)
    check_metric_parity(name, {"thresholds": thresholds}, batches, atol=1e-5, rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Precision", "Recall"])
@pytest.mark.parametrize("thresholds", THRESHOLDS)
@pytest.mark.parametrize("weight_shape", [None, (10,), (10, 4)])
def test_precision_recall_match_keras(name, thresholds, weight_shape):
    batches = _batches((10, 4), weight_shape, seed=51)
    check_metric_parity(name, {"thresholds": thresholds}, batches)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Precision", "Recall"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"top_k": 1},
        {"top_k": 2},
        {"class_id": 2},
        {"top_k": 2, "class_id": 1},
        {"top_k": 2, "thresholds": [0.3, 0.6]},
        {"class_id": 0, "thresholds": [0.0, 0.5, 1.0]},
    ],
)
def test_precision_recall_match_keras_with_top_k_and_class_id(name, kwargs):
    batches = _batches((12, 5), (12,), seed=52)
    check_metric_parity(name, kwargs, batches)


def test_precision_rejects_thresholds_outside_0_1():
    with pytest.raises(
        ValueError, match=r"Threshold values must be in \[0, 1\]. Received: \[1.5\]"
    ):
        metrics.Precision(thresholds=[0.5, 1.5])


def test_precision_class_id_needs_2d_predictions():
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D array"):
        metrics.Recall(class_id=1).update_state([0, 1], [0.3, 0.8])


def test_precision_result_is_one_value_per_threshold():
    m = metrics.Precision(thresholds=[0.1, 0.5, 0.9])
    m.update_state(torch.tensor([0, 1, 1]), torch.tensor([0.3, 0.6, 0.95]))
    assert m.result().tolist() == pytest.approx([2 / 3, 1.0, 1.0])
    assert metrics.TruePositives(thresholds=[0.1, 0.5]).result().shape == (2,)
