"""`CompileLoss` / `CompileMetrics`: per-output alignment, Keras's names, loss weighting."""

import numpy as np
import pytest
import torch

from kerastorch.trainers.compile_utils import (
    CompileLoss,
    CompileMetrics,
    align_to_outputs,
    flatten_outputs,
    flatten_targets,
    resolve_loss,
)
from tests.oracle import assert_close, keras_or_skip
from tests.trainers.fit_checks import assert_same_history, fit_twins

Y1 = torch.tensor([[0.0], [1.0], [1.0]])
P1 = torch.tensor([[0.2], [0.7], [0.4]])
Y2 = torch.tensor([[1.0, 2.0], [0.0, 1.0], [3.0, 1.0]])
P2 = torch.tensor([[1.5, 2.0], [0.5, 0.0], [2.0, 2.0]])


def test_align_to_outputs_accepts_one_a_list_or_a_dict():
    assert align_to_outputs("mse", ["a", "b"], "loss") == ["mse", "mse"]
    assert align_to_outputs(["mse", None], ["a", "b"], "loss") == ["mse", None]
    assert align_to_outputs({"b": "mae"}, ["a", "b"], "loss") == [None, "mae"]
    with pytest.raises(ValueError, match="Expected keys \\['a', 'b'\\] in loss dict"):
        align_to_outputs({"c": "mae"}, ["a", "b"], "loss")
    with pytest.raises(ValueError, match="one entry per model output"):
        align_to_outputs(["mse"], ["a", "b"], "loss")


def test_flatten_helpers_follow_output_names():
    assert flatten_outputs({"b": 2, "a": 1}) == [1, 2]
    assert flatten_targets({"b": Y2, "a": Y1}, ["a", "b"]) == [Y1, Y2]
    assert flatten_targets([Y1], ["a"]) == [Y1]
    assert flatten_targets(None, ["a", "b"]) == [None, None]
    assert flatten_targets(Y1, ["a", "b"], "sample weights") == [Y1, Y1]
    with pytest.raises(ValueError, match="2 outputs \\['a', 'b'\\], but 3 targets"):
        flatten_targets([Y1, Y1, Y1], ["a", "b"])


@pytest.mark.parametrize(
    ("y_true", "y_pred", "expected"),
    [
        ((4, 1), (4, 1), "binary_crossentropy"),
        ((4,), (4, 5), "sparse_categorical_crossentropy"),
        ((4, 1), (4, 5), "sparse_categorical_crossentropy"),
        ((4, 5), (4, 5), "categorical_crossentropy"),
    ],
)
def test_resolve_loss_picks_the_crossentropy_by_shape(y_true, y_pred, expected):
    loss = resolve_loss("crossentropy", torch.zeros(y_true), torch.zeros(y_pred))
    assert loss.name == expected


@pytest.mark.parity
def test_compile_loss_weights_outputs_and_tracks_each_like_keras():
    keras = keras_or_skip()
    ours = CompileLoss(["binary_crossentropy", "mse"], [0.3, 2.0], ["a", "b"])
    total = ours([Y1, Y2], [P1, P2], [None, None])
    bce = keras.losses.binary_crossentropy(Y1, P1).mean()
    mse = keras.losses.mean_squared_error(Y2, P2).mean()
    assert_close(total, 0.3 * bce + 2.0 * mse)
    assert [m.name for m in ours.metrics] == ["a_loss", "b_loss"]
    assert_close(ours.metrics[0].result(), bce)


def test_compile_loss_tracks_nothing_with_a_single_loss():
    ours = CompileLoss([None, "mse"], None, ["a", "b"])
    ours([Y1, Y2], [P1, P2], [None, None])
    assert ours.metrics == []


def test_compile_metrics_names_prefix_outputs_and_mark_weighted_duplicates():
    metrics = CompileMetrics({"a": ["accuracy"], "b": "mae"}, {"b": ["mae"]}, ["a", "b"])
    metrics.update_state({"a": Y1, "b": Y2}, [P1, P2], sample_weight=torch.ones(3))
    result = metrics.result()
    assert list(result) == ["a_accuracy", "b_mae", "weighted_b_mae"]
    assert float(result["a_accuracy"]) == pytest.approx(2 / 3)
    assert float(result["b_mae"]) == pytest.approx((Y2 - P2).abs().mean().item())
    metrics.reset_state()
    assert float(metrics.result()["b_mae"]) == 0.0
    assert metrics.name == "compile_metrics"
    assert len(metrics.variables) >= 6


def test_compile_metrics_single_output_keeps_names():
    metrics = CompileMetrics(["mae", "mse"], None, ["dense"])
    metrics.update_state(Y2, P2)
    assert list(metrics.result()) == ["mae", "mse"]


def _single_output(K):
    inputs = K.Input((3,))
    return K.Model([inputs], [K.layers.Dense(1, activation="sigmoid", name="out")(inputs)])


def _two_outputs(K):
    inputs = K.Input((3,))
    a = K.layers.Dense(1, name="output_a")(inputs)
    return K.Model(inputs, [a, K.layers.Dense(1, activation="sigmoid", name="output_b")(inputs)])


@pytest.mark.parametrize(
    ("build", "kwargs", "outputs"),
    [
        (_single_output, {"loss": ["binary_crossentropy"], "metrics": [["accuracy"]]}, 1),
        (_single_output, {"loss": [["binary_crossentropy"]], "metrics": [["accuracy", "mse"]]}, 1),
        (_single_output, {"loss": ("binary_crossentropy",), "weighted_metrics": [["mae"]]}, 1),
        (
            _two_outputs,
            {
                "loss": ["mean_squared_error", ["binary_crossentropy"]],
                "metrics": ["mean_squared_error", ["mean_squared_error", "accuracy"]],
                "loss_weights": [0.1, 2],
            },
            2,
        ),
    ],
)
def test_compile_one_element_loss_and_metric_lists_work_as_in_keras(build, kwargs, outputs):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = (rng.uniform(size=(16, 1)) > 0.5).astype("float32")
    data = {"x": x, "y": [y] * outputs, "batch_size": 8, "epochs": 2}
    _, _, expected, actual = fit_twins(build, lambda K: {"optimizer": "sgd", **kwargs}, data)
    assert_same_history(expected, actual, atol=1e-4)
