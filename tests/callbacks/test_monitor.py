import numpy as np
import pytest

import kerastorch as kt
from kerastorch.callbacks.monitor import MonitorCallback, check_mode, is_better, resolve_mode
from tests.oracle import keras_or_skip


def _fit(keras, metrics):
    """A tiny classifier (with "accuracy") or regressor, compiled and fitted one epoch."""
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    if metrics and "accuracy" in metrics:
        layer, loss, y = (
            keras.layers.Dense(2, activation="softmax"),
            "sparse_categorical_crossentropy",
            np.array([0, 1] * 4),
        )
    else:
        layer, loss, y = keras.layers.Dense(1), "mse", x[:, :1]
    model = keras.Sequential([keras.Input((3,)), layer])
    model.compile(optimizer="sgd", loss=loss, metrics=metrics)
    model.fit(x, y, epochs=1, verbose=0)
    return model


def _fitted_model(metrics):
    return _fit(kt, metrics)


def test_check_mode_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="EarlyStopping mode 'bogus' is unknown, fallback to auto"):
        callback = kt.callbacks.EarlyStopping(mode="bogus")
    assert callback.mode == "auto"
    assert check_mode("X", "max") == "max"


@pytest.mark.parity
@pytest.mark.parametrize("cls", ["EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau"])
def test_check_mode_warning_text_matches_keras(cls, tmp_path):
    keras = keras_or_skip()
    args = (str(tmp_path / "m.keras"),) if cls == "ModelCheckpoint" else ()
    with pytest.warns(UserWarning, match="mode 'bogus' is unknown") as ours:
        getattr(kt.callbacks, cls)(*args, mode="bogus")
    with pytest.warns(UserWarning, match="mode 'bogus' is unknown") as theirs:
        getattr(keras.callbacks, cls)(*args, mode="bogus")
    assert str(ours[0].message) == str(theirs[0].message)
    assert ours[0].filename == __file__  # the warning points at the user's line


@pytest.mark.parametrize(
    ("monitor", "metrics", "expected"),
    [
        ("loss", None, "min"),
        ("val_loss", None, "min"),
        ("accuracy", ["accuracy"], "max"),
        ("val_accuracy", ["accuracy"], "max"),
        ("val_mae", ["mae"], "min"),
    ],
)
def test_resolve_mode_auto_infers_the_direction_from_the_compiled_metrics(
    monitor, metrics, expected
):
    assert resolve_mode(monitor, "auto", _fitted_model(metrics)) == expected
    assert resolve_mode(monitor, "max" if expected == "min" else "min") != expected


@pytest.mark.parity
@pytest.mark.parametrize(("monitor", "metrics"), [("val_accuracy", ["accuracy"]), ("mae", ["mae"])])
def test_resolve_mode_agrees_with_keras(monitor, metrics):
    keras = keras_or_skip()
    ref = _fit(keras, metrics)
    callback = keras.callbacks.EarlyStopping(monitor=monitor)
    callback.set_model(ref)
    callback._set_monitor_op()
    expected = "max" if callback.monitor_op is keras.ops.greater else "min"
    assert resolve_mode(monitor, "auto", _fitted_model(metrics)) == expected


def test_resolve_mode_unknown_name_raises_keras_error():
    with pytest.raises(ValueError, match="monitor=val_f00, but Keras isn't able to automatically"):
        resolve_mode("val_f00", "auto", _fitted_model(["accuracy"]), owner="EarlyStopping")


@pytest.mark.parity
def test_is_better_compares_in_float32_like_keras_ops():
    keras = keras_or_skip()
    rng = np.random.default_rng(1)
    pairs = [(0.3 - 1e-9, 0.3), (0.3 + 1e-9, 0.3), (0.5, 0.6), (0.6, 0.5), (1.0, 1.0)]
    pairs += [tuple(v) for v in rng.normal(size=(20, 2)).round(7)]
    for current, reference in pairs:
        for delta in (0.0, 0.01, 1e-9):
            less = bool(keras.ops.less(current + delta, reference))
            greater = bool(keras.ops.greater(current - delta, reference))
            assert is_better(current, reference, "min", delta) == less
            assert is_better(current, reference, "max", delta) == greater
    assert is_better(1.0, None, "min")


def test_monitor_callback_resolves_lazily_from_its_model():
    callback = MonitorCallback(monitor="val_accuracy", min_delta=-0.1)
    assert callback.monitor_op is None
    assert callback.min_delta == 0.1
    callback.set_model(_fitted_model(["accuracy"]))
    assert callback._is_improvement(0.9, 0.7)
    assert not callback._is_improvement(0.75, 0.7)
    assert callback.monitor_op is np.greater
