"""The steps: `compute_loss`, custom `train_step`s, metrics, jit_compile and autocast."""

import inspect

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import mixed_precision
from tests.oracle import assert_close, keras_or_skip
from tests.trainers.fit_checks import (
    Y_REG,
    Y_SPARSE,
    X,
    assert_same_history,
    fit_twins,
    mlp,
    regressor,
)


# -- Keras 3's custom train_step (the "Customizing fit() with PyTorch" guide) ---------------
def custom_model(K):
    class CustomModel(K.Model):
        def __init__(self):
            super().__init__()
            self.hidden = K.layers.Dense(5, activation="relu")
            self.out = K.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = list(self.trainable_weights)
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            return self._update(loss, y, y_pred)

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            return self._update(self.compute_loss(y=y, y_pred=y_pred), y, y_pred)

        def _update(self, loss, y, y_pred):
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = CustomModel()
    model(X[:2, :4] if K is not kerastorch else torch.from_numpy(X[:2, :4]))
    return model


@pytest.mark.parity
def test_custom_train_step_in_the_keras3_torch_style_matches_keras():
    y = Y_REG[:, :1]
    reference, ours, expected, actual = fit_twins(
        custom_model,
        lambda K: {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]},
        {"x": X[:, :4], "y": y},
        batch_size=8,
        epochs=2,
        validation_split=0.25,
    )
    assert sorted(actual.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert_same_history(expected, actual)
    assert [m.name for m in ours.metrics] == [m.name for m in reference.metrics]
    assert_close(ours.evaluate(X[:, :4], y, verbose=0), reference.evaluate(X[:, :4], y, verbose=0))


@pytest.mark.parity
@pytest.mark.parametrize(
    "method", ["compute_loss", "compute_metrics", "train_step", "test_step", "predict_step"]
)
def test_overridable_step_methods_have_keras_signatures(method):
    keras = keras_or_skip()
    expected = inspect.signature(getattr(keras.Model, method))
    actual = inspect.signature(getattr(kerastorch.Model, method))
    assert list(actual.parameters) == list(expected.parameters)
    defaults = [p.default for p in expected.parameters.values()]
    assert [p.default for p in actual.parameters.values()] == defaults


def test_custom_train_step_with_own_metrics_and_no_compiled_loss():
    class Tracked(kerastorch.Model):
        def __init__(self):
            super().__init__()
            self.dense = kerastorch.layers.Dense(1)
            self.loss_tracker = kerastorch.metrics.Mean(name="loss")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            loss = ((self(x, training=True) - y) ** 2).mean()
            loss.backward()
            self.optimizer.apply([v.value.grad for v in self.trainable_weights],
                                 self.trainable_weights)  # fmt: skip
            self.loss_tracker.update_state(loss.detach())
            return {"loss": self.loss_tracker.result()}

    model = Tracked()
    model.compile(optimizer=kerastorch.optimizers.SGD(0.1))
    history = model.fit(X, Y_REG[:, :1], epochs=3, batch_size=10, verbose=0)
    assert list(history.history) == ["loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.loss_tracker in model.metrics


def test_metric_state_is_not_in_the_state_dict():
    model = regressor(kerastorch)
    keys = set(model.state_dict())
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, Y_REG, epochs=1, verbose=0)
    assert set(model.state_dict()) == keys


@pytest.mark.parity
def test_fit_regularization_loss_is_included_like_keras():
    _reference, _ours, expected, actual = fit_twins(
        lambda K: mlp(K, regularizer=True),
        lambda K: {"optimizer": "sgd", "loss": "sparse_categorical_crossentropy"},
        {"x": X, "y": Y_SPARSE},
        epochs=2,
    )
    assert_same_history(expected, actual)
    # The loss is the crossentropy plus the weight penalties, which are not zero.
    penalty = sum(float(v.detach()) for v in _ours.losses)
    probabilities = torch.from_numpy(_ours.predict(X, verbose=0))
    crossentropy = kerastorch.losses.sparse_categorical_crossentropy(
        torch.from_numpy(Y_SPARSE), probabilities
    ).mean()
    assert penalty > 0
    assert _ours.evaluate(X, Y_SPARSE, verbose=0) == pytest.approx(
        float(crossentropy) + penalty, rel=1e-5
    )


def test_jit_compile_trains_and_matches_eager():
    histories = []
    for jit in (False, True):
        torch.manual_seed(0)
        model = regressor(kerastorch)
        model.compile(optimizer="adam", loss="mse", jit_compile=jit)
        histories.append(model.fit(X, Y_REG, batch_size=10, epochs=2, shuffle=False, verbose=0))
    assert_close(histories[1].history["loss"], histories[0].history["loss"], atol=1e-5)


def test_mixed_bfloat16_runs_under_autocast_with_float32_weights():
    seen = []
    mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = regressor(kerastorch)
        model.compile(optimizer="adam", loss="mse")
        model.layers[0].register_forward_hook(
            lambda module, args, output: seen.append(output.dtype)
        )
        history = model.fit(X, Y_REG, batch_size=10, epochs=2, verbose=0)
    finally:
        mixed_precision.set_global_policy(None)
    assert torch.bfloat16 in seen
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict(X[:3], verbose=0).dtype == np.float32


def test_fit_adds_python_number_add_loss_to_the_loss():
    class WithConstantLoss(kerastorch.Model):
        def __init__(self):
            super().__init__()
            self.dense = kerastorch.layers.Dense(1, kernel_initializer="zeros")

        def call(self, x):
            self.add_loss(0.5)
            return self.dense(x)

    model = WithConstantLoss()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((8, 2)), np.zeros((8, 1)), epochs=2, verbose=0)
    assert history.history["loss"] == pytest.approx([0.5, 0.5])


def test_compiled_flag_and_metrics_of_a_loaded_model_with_a_custom_compile(tmp_path):
    @kerastorch.saving.register_keras_serializable(package="trainer_steps_test")
    class CustomCompile(kerastorch.Sequential):
        def compile(self, **kwargs):  # not run by loading: Keras warns and skips it
            super().compile(**kwargs)

    model = CustomCompile([kerastorch.Input((3,)), kerastorch.layers.Dense(1)])
    assert model.compiled is False
    model.compile(optimizer="sgd", loss="mse")
    assert model.compiled is True
    model.save(tmp_path / "m.keras")
    with pytest.warns(UserWarning, match="`compile\\(\\)` was not called"):
        loaded = kerastorch.saving.load_model(tmp_path / "m.keras")
    assert loaded.metrics == []
    assert loaded.predict(np.ones((2, 3)), verbose=0).shape == (2, 1)
