"""`update_state` runs every training step: it must never wait for the device.

Every way a tensor value reaches Python (`.item()`, `bool(t)`, `float(t)`, `int(t)`,
`operator.index(t)`, `.tolist()`, `.numpy()`) is counted while metrics update 20 times.
"""

import pytest
import torch

from kerastorch import metrics

SYNCING_METHODS = ("item", "__bool__", "__float__", "__int__", "__index__", "tolist", "numpy")


@pytest.fixture
def host_syncs(monkeypatch):
    calls = []
    for name in SYNCING_METHODS:
        original = getattr(torch.Tensor, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, counted)
    return calls


def _batch(step):
    g = torch.Generator().manual_seed(step)
    y_pred = torch.softmax(torch.randn(16, 5, generator=g), dim=-1)
    y_sparse = torch.randint(0, 5, (16,), generator=g)
    y_onehot = torch.nn.functional.one_hot(y_sparse, 5).float()
    weights = torch.rand(16, generator=g)
    return y_onehot, y_sparse, y_pred, weights


def _updates(steps=20):
    batches = [_batch(step) for step in range(steps)]  # made before counting starts
    yield "Mean", metrics.Mean(), [((p.sum(-1),), {"sample_weight": w}) for _, _, p, w in batches]
    for name, metric in [
        ("CategoricalAccuracy", metrics.CategoricalAccuracy()),
        ("AUC", metrics.AUC()),
        ("AUC multi-label", metrics.AUC(multi_label=True, thresholds=[0.1, 0.5, 0.7])),
        ("Precision", metrics.Precision()),
        ("Precision top-k", metrics.Precision(top_k=2, class_id=1)),
        ("Recall thresholds", metrics.Recall(thresholds=[0.1, 0.3, 0.8])),
        ("SensitivityAtSpecificity", metrics.SensitivityAtSpecificity(0.5)),
        ("F1Score", metrics.F1Score(average="macro")),
        ("TopKCategoricalAccuracy", metrics.TopKCategoricalAccuracy(k=2)),
        ("BinaryAccuracy", metrics.BinaryAccuracy()),
        ("Hinge", metrics.Hinge()),
        ("CategoricalCrossentropy", metrics.CategoricalCrossentropy()),
        ("R2Score", metrics.R2Score()),
    ]:
        yield name, metric, [((t, p), {"sample_weight": w}) for t, _, p, w in batches]
    for name, metric in [
        ("SparseCategoricalAccuracy", metrics.SparseCategoricalAccuracy()),
        ("SparseCategoricalCrossentropy", metrics.SparseCategoricalCrossentropy(ignore_class=0)),
        ("MeanIoU", metrics.MeanIoU(num_classes=5)),
    ]:
        yield (
            name,
            metric,
            [((s, p.argmax(-1) if name == "MeanIoU" else p), {}) for _, s, p, _ in batches],
        )


def test_update_state_makes_no_host_sync(host_syncs):
    counts = {}
    for name, metric, steps in _updates():
        before = len(host_syncs)
        for args, kwargs in steps:
            metric.update_state(*args, **kwargs)
        counts[name] = len(host_syncs) - before
    assert counts == dict.fromkeys(counts, 0), [c for c in host_syncs]
    assert len(counts) == 17


def test_host_sync_counter_sees_syncs(host_syncs):
    # The counter works: reading a result is a sync, and it is counted.
    m = metrics.Mean()
    m.update_state(torch.tensor([1.0, 2.0]))
    assert float(m.result()) == 1.5
    assert host_syncs == ["__float__"]
