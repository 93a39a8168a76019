import warnings

import pytest

from tests.metrics.metric_checks import check_metric_parity, rng, weights
from tests.oracle import keras_or_skip


def _regression_batches(shape, weight_shape, seed, positive=False):
    r = rng(seed)
    batches = []
    for _ in range(3):
        y_true = r.normal(size=shape).astype("float32")
        y_pred = r.normal(size=shape).astype("float32")
        if positive:
            y_true, y_pred = abs(y_true), abs(y_pred)
        kw = {} if weight_shape is None else {"sample_weight": weights(r, *weight_shape)}
        batches.append(((y_true, y_pred), kw))
    return batches


SHAPES = [((8,), None), ((8, 3), None), ((8, 3), (8,)), ((8, 3), (8, 1)), ((4, 5, 3), (4, 5))]


@pytest.mark.parity
@pytest.mark.parametrize(
    "name",
    [
        "MeanSquaredError",
        "RootMeanSquaredError",
        "MeanAbsoluteError",
        "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError",
        "LogCoshError",
    ],
)
@pytest.mark.parametrize(("shape", "weight_shape"), SHAPES)
def test_regression_metrics_match_keras(name, shape, weight_shape):
    positive = name == "MeanSquaredLogarithmicError"
    batches = _regression_batches(shape, weight_shape, seed=20, positive=positive)
    check_metric_parity(name, {}, batches, atol=1e-5, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize(("shape", "weight_shape"), SHAPES[1:])
def test_cosine_similarity_matches_keras(shape, weight_shape):
    batches = _regression_batches(shape, weight_shape, seed=21)
    check_metric_parity("CosineSimilarity", {}, batches, extra_config={"axis": -1})


@pytest.mark.parity
def test_cosine_similarity_matches_keras_on_another_axis():
    batches = _regression_batches((4, 5, 3), None, seed=22)
    check_metric_parity("CosineSimilarity", {"axis": 1}, batches, extra_config={"axis": 1})


@pytest.mark.parity
@pytest.mark.parametrize(
    "class_aggregation", ["uniform_average", "variance_weighted_average", None]
)
@pytest.mark.parametrize("weight_shape", [None, (10,), (10, 3)])
def test_r2_score_matches_keras(class_aggregation, weight_shape):
    batches = _regression_batches((10, 3), weight_shape, seed=23)
    check_metric_parity(
        "R2Score", {"class_aggregation": class_aggregation}, batches, atol=1e-5, rtol=1e-5
    )


@pytest.mark.parity
def test_r2_score_matches_keras_with_one_output_and_adjustment():
    batches = _regression_batches((10, 1), (10,), seed=24)
    check_metric_parity("R2Score", {"num_regressors": 2}, batches, atol=1e-5, rtol=1e-5)


def test_r2_score_rejects_1d_inputs():
    from kerastorch import metrics

    with pytest.raises(ValueError, match=r"R2Score expects 2D inputs .* y_pred.shape=\(4,\)"):
        metrics.R2Score().update_state([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0])


@pytest.mark.parity
def test_r2_score_adjustment_warns_like_keras_with_too_few_samples():
    keras = keras_or_skip()
    from kerastorch import metrics

    ours, ref = metrics.R2Score(num_regressors=5), keras.metrics.R2Score(num_regressors=5)
    y_true, y_pred = [[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]]
    ours.update_state(y_true, y_pred)
    ref.update_state(y_true, y_pred)
    with pytest.warns(UserWarning, match="More independent predictors than datapoints"):
        value = float(ours.result())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = float(ref.result())
    assert value == pytest.approx(expected, abs=1e-6)
