import pytest
import torch

from kerastorch import metrics
from tests.metrics.metric_checks import check_metric_parity, rng, uniform, weights
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Mean", "Sum"])
@pytest.mark.parametrize(
    ("value_shape", "weight_shape"),
    [
        ((6,), None),
        ((6,), (6,)),
        ((6, 3), None),
        ((6, 3), (6,)),
        ((6, 3), (6, 1)),
        ((6, 3), (6, 3)),
        ((6, 3, 2), (6, 3)),
        ((6, 1), (6,)),
        ((), None),
        ((6,), ()),
    ],
)
def test_reduction_metrics_match_keras(name, value_shape, weight_shape):
    r = rng(10)
    batches = []
    for _ in range(3):
        kw = {} if weight_shape is None else {"sample_weight": weights(r, *weight_shape)}
        batches.append(((uniform(r, *value_shape),), kw))
    check_metric_parity(name, {}, batches)


@pytest.mark.parity
def test_mean_metric_wrapper_matches_keras_with_kwargs_and_weights():
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)
    ours = metrics.MeanMetricWrapper(metrics.binary_accuracy, threshold=0.3)
    ref = keras.metrics.MeanMetricWrapper(keras.metrics.binary_accuracy, threshold=0.3)
    r = rng(11)
    for _ in range(3):
        y_true, y_pred, sw = uniform(r, 5, 2).round(), uniform(r, 5, 2), weights(r, 5)
        ours.update_state(torch.from_numpy(y_true), torch.from_numpy(y_pred), sample_weight=sw)
        ref.update_state(y_true, y_pred, sample_weight=sw)
        assert_close(ours.result(), ref.result(), atol=1e-6)
    config = ours.get_config()
    assert config == ref.get_config()
    restored = metrics.MeanMetricWrapper.from_config(config)
    assert restored._fn is metrics.binary_accuracy
    assert restored._fn_kwargs == {"threshold": 0.3}


def test_mean_metric_wrapper_wraps_a_user_function():
    m = metrics.MeanMetricWrapper(lambda y_true, y_pred: torch.abs(y_true - y_pred), name="l1")
    m.update_state(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]))
    m.update_state(torch.tensor([3.0]), torch.tensor([0.0]))
    assert m.name == "l1"
    assert float(m.result()) == 2.0


def test_mean_metric_wrapper_builds_no_autograd_graph():
    y_pred = torch.tensor([[0.2, 0.8]], requires_grad=True)
    m = metrics.MeanSquaredError()
    m.update_state(torch.tensor([[0.0, 1.0]]), y_pred)
    assert not m.result().requires_grad
    assert not m.total.tensor.requires_grad


def test_mean_applies_a_keras_mask_to_weighted_values():
    values = torch.tensor([[1.0, 3.0], [5.0, 7.0]])
    values._keras_mask = torch.tensor([[True, False], [True, True]])
    m = metrics.Mean()
    m.update_state(values, sample_weight=torch.tensor([[1.0, 1.0], [1.0, 1.0]]))
    # Masked entry weighs 0: (1 + 5 + 7) / 3 entries, averaged per sample as Keras does.
    assert_close(m.result(), torch.tensor((0.5 + 6.0) / 1.5))


def test_mean_result_is_zero_before_any_update():
    m = metrics.Mean()
    assert float(m.result()) == 0.0
    assert float(metrics.Sum().result()) == 0.0


def test_sum_result_does_not_alias_the_state():
    m = metrics.Sum()
    first = m([1.0, 2.0])
    m.update_state([10.0])
    assert float(first) == 3.0
    assert float(m.result()) == 13.0


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
def test_mean_metric_wrapper_applies_the_prediction_mask_like_keras(weighted):
    keras = keras_or_skip()
    r = rng(12)
    y_true, y_pred = uniform(r, 4, 5, 2), uniform(r, 4, 5, 2)
    mask = r.uniform(size=(4, 5)) > 0.3
    sw = weights(r, 4, 5) if weighted else None
    ours, ref = metrics.MeanSquaredError(), keras.metrics.MeanSquaredError()
    ours_pred, ref_pred = torch.from_numpy(y_pred), torch.from_numpy(y_pred.copy())
    ours_pred._keras_mask = torch.from_numpy(mask)
    ref_pred._keras_mask = torch.from_numpy(mask)  # where Keras's torch backend keeps masks
    ours.update_state(torch.from_numpy(y_true), ours_pred, sample_weight=sw)
    ref.update_state(y_true, ref_pred, sample_weight=sw)
    assert_close(ours.result(), ref.result(), atol=1e-6)
    assert_close(ours.count.numpy(), ref.count.numpy())


def test_mean_metric_wrapper_ignores_the_logits_kept_by_softmax():
    # Metrics see probabilities only (as Keras's torch backend): the logits that softmax
    # tags its output with (for the losses) must not change a metric's value.
    from kerastorch import activations

    logits = torch.tensor([[40.0, -40.0, 0.0], [0.0, 1.0, 2.0]])
    y_true = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    tagged = metrics.CategoricalCrossentropy()
    plain_probs = metrics.CategoricalCrossentropy()
    tagged.update_state(y_true, activations.softmax(logits))
    plain_probs.update_state(y_true, torch.softmax(logits, -1))
    assert torch.equal(tagged.total.tensor, plain_probs.total.tensor)
