import pytest
import torch

from kerastorch import metrics
from kerastorch.metrics.lookup import (
    ALL_OBJECTS_DICT,
    get_accuracy_metric,
    is_binary_or_sparse_categorical,
    resolve_metric,
)
from tests.metrics.metric_checks import plain
from tests.oracle import keras_or_skip


@pytest.mark.parity
def test_lookup_table_matches_keras():
    keras = keras_or_skip()
    from keras.src.metrics import ALL_OBJECTS_DICT as KERAS_DICT

    expected = {name: cls.__name__ for name, cls in KERAS_DICT.items()}
    ours = {name: cls.__name__ for name, cls in ALL_OBJECTS_DICT.items() if name != "acc"}
    assert ours == expected
    assert keras.metrics.get("mse").name == "mean_squared_error"


@pytest.mark.parity
@pytest.mark.parametrize(
    "identifier",
    [
        "mse", "MAE", "mape", "msle", "bce", "accuracy", "binary_accuracy", "categorical_accuracy",
        "sparse_categorical_accuracy", "top_k_categorical_accuracy", "auc", "AUC", "precision",
        "recall", "categorical_crossentropy", "kl_divergence", "log_cosh_error", "r2_score",
        "f1_score", "true_positives",
    ],
)  # fmt: skip
def test_get_returns_the_keras_metric_for_a_name(identifier):
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)
    ours, ref = metrics.get(identifier), keras.metrics.get(identifier)
    assert type(ours).__name__ == type(ref).__name__
    assert plain(ours.get_config()) == plain(ref.get_config())


def test_get_accepts_configs_classes_instances_and_functions():
    auc = metrics.get({"class_name": "AUC", "config": {"num_thresholds": 7, "curve": "PR"}})
    assert (type(auc), auc.num_thresholds, auc.curve) == (metrics.AUC, 7, "PR")
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    m = metrics.Mean()
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.get(None) is None
    assert isinstance(metrics.get("acc"), metrics.Accuracy)  # tf.keras 2 alias


def test_get_rejects_unknown_names():
    with pytest.raises(ValueError, match="Could not interpret metric identifier: accuracyy"):
        metrics.get("accuracyy")


@pytest.mark.parity
@pytest.mark.parametrize(
    "metric",
    [
        lambda m: m.AUC(num_thresholds=9, multi_label=True, label_weights=[1.0, 2.0]),
        lambda m: m.Precision(thresholds=[0.2, 0.7], class_id=1),
        lambda m: m.MeanIoU(num_classes=4, ignore_class=0),
        lambda m: m.SparseTopKCategoricalAccuracy(k=3),
        lambda m: m.F1Score(average="macro"),
    ],
)
def test_serialize_matches_keras(metric):
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)
    ours, ref = metric(metrics), metric(keras.metrics)
    config = metrics.serialize(ours)
    assert plain(config) == plain(keras.metrics.serialize(ref))
    # Both directions: Keras reads our serialization, we read Keras's.
    assert plain(keras.metrics.deserialize(config).get_config()) == plain(ref.get_config())
    restored = metrics.deserialize(keras.metrics.serialize(ref))
    assert plain(restored.get_config()) == plain(ours.get_config())


@pytest.mark.parity
def test_serialize_functions_and_wrappers_match_keras():
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)
    assert metrics.serialize(metrics.mean_squared_error) == keras.metrics.serialize(
        keras.metrics.mean_squared_error
    )
    config = metrics.serialize(metrics.MeanMetricWrapper(metrics.hinge, name="h"))
    assert config == keras.metrics.serialize(
        keras.metrics.MeanMetricWrapper(keras.metrics.hinge, name="h")
    )
    wrapper = metrics.deserialize(config)
    assert isinstance(wrapper, metrics.MeanMetricWrapper)
    assert wrapper.name == "h"
    assert wrapper._fn.__name__ == "hinge"  # found by name among the built-in families
    y_true, y_pred = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.3, -0.4]])
    assert float(wrapper(y_true, y_pred)) == pytest.approx(float(metrics.hinge(y_true, y_pred)))


def test_deserialize_uses_custom_objects():
    class Double(metrics.Mean):
        pass

    config = metrics.serialize(Double(name="d"))
    assert config["registered_name"] == "Double"
    restored = metrics.deserialize(config, custom_objects={"Double": Double})
    assert isinstance(restored, Double)
    assert restored.name == "d"
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(config)  # unknown without `custom_objects`, as in Keras


# -- compile-time resolution of "accuracy" ----------------------------------------------------


@pytest.mark.parity
@pytest.mark.parametrize(
    ("y_true_shape", "y_pred_shape"),
    [
        ((None, 1), (None, 1)),
        ((None,), (None, 1)),
        ((None,), (None, 10)),
        ((None, 1), (None, 10)),
        ((None, 10), (None, 10)),
        ((None, 5, 1), (None, 5, 1)),
        ((None, 5), (None, 5, 8)),
        ((None, 5, 8), (None, 5, 8)),
        ((None, 3), (None, 1)),
        ((None, 4), (None, 4)),
    ],
)
@pytest.mark.parametrize("identifier", ["accuracy", "acc", "ACC"])
def test_accuracy_resolution_matches_keras_compile(y_true_shape, y_pred_shape, identifier):
    keras_or_skip()
    from keras.src.backend.common.keras_tensor import KerasTensor
    from keras.src.trainers.compile_utils import get_metric

    ref = get_metric(identifier, KerasTensor(y_true_shape), KerasTensor(y_pred_shape))
    ours = resolve_metric(identifier, y_true_shape, y_pred_shape)
    assert type(ours).__name__ == type(ref).__name__
    assert ours.name == ref.name == identifier


@pytest.mark.parity
@pytest.mark.parametrize(
    "identifier",
    ["mse", "auc", "binary_accuracy", "MeanAbsoluteError", {"class_name": "Recall", "config": {}}],
)
def test_metric_resolution_matches_keras_compile_for_other_identifiers(identifier):
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)
    from keras.src.backend.common.keras_tensor import KerasTensor
    from keras.src.trainers.compile_utils import get_metric

    ref = get_metric(identifier, KerasTensor((None, 3)), KerasTensor((None, 3)))
    ours = resolve_metric(identifier, (None, 3), (None, 3))
    assert (type(ours).__name__, ours.name) == (type(ref).__name__, ref.name)


@pytest.mark.parity
def test_metric_resolution_wraps_functions_like_keras_compile():
    keras_or_skip()
    from keras.src.backend.common.keras_tensor import KerasTensor
    from keras.src.trainers.compile_utils import get_metric

    def my_metric(y_true, y_pred):
        return torch.abs(y_true - y_pred)

    ref = get_metric(my_metric, KerasTensor((None, 2)), KerasTensor((None, 2)))
    ours = resolve_metric(my_metric, (None, 2), (None, 2))
    assert isinstance(ours, metrics.MeanMetricWrapper)
    assert ours.name == ref.name == "my_metric"
    assert float(ours(torch.tensor([[1.0, 2.0]]), torch.tensor([[0.0, 0.0]]))) == 1.5


def test_get_accuracy_metric_rule():
    assert isinstance(get_accuracy_metric((None, 1), (None, 1)), metrics.BinaryAccuracy)
    assert isinstance(get_accuracy_metric((None,), (None, 3)), metrics.SparseCategoricalAccuracy)
    assert isinstance(get_accuracy_metric((None, 3), (None, 3)), metrics.CategoricalAccuracy)
    assert get_accuracy_metric((None, 3), (None, 3), name="acc").name == "acc"
    assert is_binary_or_sparse_categorical((None, 1), (None, 4)) == (False, True)


def test_resolve_metric_rejects_none():
    with pytest.raises(ValueError, match="Expected metric, received `None`"):
        resolve_metric(None, (None, 1), (None, 1))
