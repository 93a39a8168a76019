import numpy as np
import pytest

from kerastorch import metrics
from tests.metrics.metric_checks import check_metric_parity, labels, one_hot, probs, rng


def _sparse_batches(num_classes, shape, seed, weighted=False, out_of_range=False):
    r = rng(seed)
    batches = []
    for _ in range(3):
        y_true, y_pred = labels(r, num_classes, *shape), labels(r, num_classes, *shape)
        if out_of_range:
            y_true.flat[:3] = [-1, num_classes, num_classes + 2]
        kw = {"sample_weight": r.integers(0, 3, size=shape)} if weighted else {}
        batches.append(((y_true, y_pred), kw))
    return batches


@pytest.mark.parity
@pytest.mark.parametrize("shape", [(20,), (4, 5), (2, 3, 4)])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_class", [None, 0])
def test_mean_iou_matches_keras(shape, weighted, ignore_class):
    batches = _sparse_batches(3, shape, seed=90, weighted=weighted)
    check_metric_parity("MeanIoU", {"num_classes": 3, "ignore_class": ignore_class}, batches)


@pytest.mark.parity
def test_mean_iou_matches_keras_with_out_of_range_labels():
    batches = _sparse_batches(4, (12,), seed=91, out_of_range=True)
    check_metric_parity("MeanIoU", {"num_classes": 4}, batches)


@pytest.mark.parity
def test_mean_iou_matches_keras_with_float_dtype_and_weights():
    r = rng(92)
    y_true, y_pred = labels(r, 3, 10), labels(r, 3, 10)
    sw = r.uniform(size=10).astype("float32")
    check_metric_parity(
        "MeanIoU",
        {"num_classes": 3, "dtype": "float32"},
        [((y_true, y_pred), {"sample_weight": sw})],
    )


@pytest.mark.parity
@pytest.mark.parametrize("target_class_ids", [[0], [1, 2], [2, 0, 1]])
def test_iou_matches_keras(target_class_ids):
    batches = _sparse_batches(3, (15,), seed=93, weighted=True)
    kwargs = {"num_classes": 3, "target_class_ids": target_class_ids}
    check_metric_parity("IoU", kwargs, batches)


@pytest.mark.parity
def test_iou_matches_keras_with_dense_inputs():
    r = rng(94)
    batches = [((probs(r, 6, 3), probs(r, 6, 3)), {}) for _ in range(2)]
    kwargs = {"num_classes": 3, "target_class_ids": [0, 2], "sparse_y_true": False}
    kwargs["sparse_y_pred"] = False
    check_metric_parity("IoU", kwargs, batches)


@pytest.mark.parity
@pytest.mark.parametrize("target_class_ids", [(0, 1), [1], [0]])
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_binary_iou_matches_keras(target_class_ids, threshold):
    r = rng(95)
    batches = []
    for _ in range(3):
        y_true = labels(r, 2, 12).astype("float32")
        y_pred = r.uniform(size=12).astype("float32")
        batches.append(((y_true, y_pred), {"sample_weight": r.integers(0, 3, size=12)}))
    kwargs = {"target_class_ids": target_class_ids, "threshold": threshold}
    check_metric_parity("BinaryIoU", kwargs, batches)


@pytest.mark.parity
@pytest.mark.parametrize("ignore_class", [None, 1])
def test_one_hot_iou_metrics_match_keras(ignore_class):
    r = rng(96)
    batches = [((one_hot(labels(r, 3, 8), 3), probs(r, 8, 3)), {}) for _ in range(3)]
    check_metric_parity(
        "OneHotIoU",
        {"num_classes": 3, "target_class_ids": [0, 2], "ignore_class": ignore_class},
        batches,
    )
    check_metric_parity("OneHotMeanIoU", {"num_classes": 3, "ignore_class": ignore_class}, batches)


def test_iou_float_weights_on_an_integer_matrix_warn_like_keras():
    m = metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="You are passing weight as `float`, but dtype is `int`"):
        m.update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 1.0], dtype="float32"))


def test_iou_rejects_target_class_ids_out_of_range():
    with pytest.raises(
        ValueError, match=r"IoU: target class id 3 is out of range, which is \[0, 3\)"
    ):
        metrics.IoU(num_classes=3, target_class_ids=[0, 3])


def test_mean_iou_state_is_an_integer_confusion_matrix():
    m = metrics.MeanIoU(num_classes=3)
    m.update_state([0, 1, 2, 2], [0, 2, 2, 2])
    assert m.total_cm.dtype == "int32"
    assert m.total_cm.numpy().tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
