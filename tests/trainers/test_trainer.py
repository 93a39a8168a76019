"""`fit`/`evaluate`/`predict` against real Keras: same model, same weights, same numbers."""

import numpy as np
import pytest
import torch

import kerastorch
from tests.oracle import assert_close
from tests.trainers.fit_checks import (
    RNG,
    WEIGHTS,
    Y_REG,
    Y_SPARSE,
    X,
    as_torch,
    assert_same_history,
    assert_same_weights,
    fit_twins,
    mlp,
    regressor,
    twins,
)

OPTIMIZERS = {
    "sgd_momentum": lambda K: K.optimizers.SGD(0.1, momentum=0.9),
    "adam": lambda K: K.optimizers.Adam(0.01),
    "rmsprop": lambda K: K.optimizers.RMSprop(0.01),
}
FIT_CASES = {
    "validation_split": {"validation_split": 0.2, "batch_size": 8, "epochs": 3},
    "validation_data": {
        "validation_data": (X[:9], Y_SPARSE[:9], WEIGHTS[:9]),
        "batch_size": 7,
        "epochs": 2,
    },
    "validation_freq": {"validation_split": 0.3, "validation_freq": 2, "epochs": 4},
    "initial_epoch": {"initial_epoch": 1, "epochs": 3, "batch_size": 16},
    "steps_per_epoch": {"steps_per_epoch": 3, "batch_size": 5, "epochs": 3},
    "sample_weight": {"sample_weight": WEIGHTS, "batch_size": 11, "epochs": 2},
    "class_weight": {"class_weight": {0: 0.5, 1: 2.0, 2: 1.5}, "batch_size": 9, "epochs": 2},
}


@pytest.mark.parity
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("case", sorted(FIT_CASES))
def test_fit_history_matches_keras(optimizer, case):
    def compile_kwargs(K):
        return {
            "optimizer": OPTIMIZERS[optimizer](K),
            "loss": "sparse_categorical_crossentropy",
            "metrics": ["accuracy"],
            "weighted_metrics": ["accuracy"] if case == "sample_weight" else None,
        }

    reference, ours, expected, actual = fit_twins(
        lambda K: mlp(K, regularizer=True),
        compile_kwargs,
        {"x": X, "y": Y_SPARSE},
        **FIT_CASES[case],
    )
    assert_same_history(expected, actual)
    assert_same_weights(reference, ours)


@pytest.mark.parity
def test_fit_with_torch_tensors_matches_numpy_fit():
    reference, ours = twins(regressor)
    for model in (reference, ours):
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    expected = reference.fit(X, Y_REG, batch_size=8, epochs=2, shuffle=False, verbose=0)
    actual = ours.fit(
        torch.from_numpy(X), torch.from_numpy(Y_REG), batch_size=8, epochs=2,
        shuffle=False, verbose=0,
    )  # fmt: skip
    assert_same_history(expected, actual)


@pytest.mark.parity
@pytest.mark.parametrize("return_dict", [False, True])
def test_evaluate_matches_keras_list_order_and_dict(return_dict):
    reference, ours = twins(regressor)
    for model in (reference, ours):
        model.compile(loss="mse", metrics=["mse", "mae"], weighted_metrics=["mae"])
    kwargs = {"sample_weight": WEIGHTS, "batch_size": 7, "verbose": 0, "return_dict": return_dict}
    expected = reference.evaluate(X, Y_REG, **kwargs)
    actual = ours.evaluate(X, Y_REG, **kwargs)
    if return_dict:
        assert list(actual) == sorted(expected)
        assert_close([actual[k] for k in sorted(expected)], [expected[k] for k in sorted(expected)])
    else:
        # Keras lists `weighted_mae` twice here (a quirk of its name lookup); we list it once.
        assert_close(actual, expected[:3] + expected[4:])


@pytest.mark.parity
def test_evaluate_of_loss_only_model_returns_a_float_like_keras():
    reference, ours = twins(regressor)
    for model in (reference, ours):
        model.compile(loss="mse")
    expected = reference.evaluate(X, Y_REG, verbose=0)
    actual = ours.evaluate(X, Y_REG, verbose=0)
    assert isinstance(actual, float)
    assert_close(actual, expected)


@pytest.mark.parity
@pytest.mark.parametrize("batch_size", [None, 7])
def test_predict_matches_keras_and_returns_numpy(batch_size):
    reference, ours = twins(mlp)
    expected = reference.predict(X, batch_size=batch_size, verbose=0)
    actual = ours.predict(X, batch_size=batch_size, verbose=0)
    assert isinstance(actual, np.ndarray)
    assert actual.shape == expected.shape == (30, 3)
    assert_close(actual, expected)


@pytest.mark.parity
def test_on_batch_methods_match_keras():
    reference, ours = twins(regressor)
    for model in (reference, ours):
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    for _ in range(2):
        expected = reference.train_on_batch(X[:10], Y_REG[:10], sample_weight=WEIGHTS[:10])
        actual = ours.train_on_batch(X[:10], Y_REG[:10], sample_weight=WEIGHTS[:10])
        assert_close(actual, expected)
    assert_close(
        ours.test_on_batch(X[10:], Y_REG[10:], return_dict=True)["mae"],
        reference.test_on_batch(X[10:], Y_REG[10:], return_dict=True)["mae"],
    )
    assert_close(
        ours.test_on_batch(X[10:], Y_REG[10:]), reference.test_on_batch(X[10:], Y_REG[10:])
    )
    assert isinstance(ours.predict_on_batch(X[:4]), np.ndarray)
    assert_close(ours.predict_on_batch(X[:4]), reference.predict_on_batch(X[:4]))
    assert_same_weights(reference, ours)


# -- multi-input / multi-output ------------------------------------------------------------
A = RNG.normal(size=(24, 4)).astype("float32")
B = RNG.normal(size=(24, 3)).astype("float32")
Y1 = RNG.integers(0, 3, size=(24,))
Y2 = RNG.normal(size=(24, 1)).astype("float32")


def two_heads(K):
    a, b = K.Input((4,), name="a"), K.Input((3,), name="b")
    hidden = K.layers.Dense(6, activation="tanh")(K.layers.concatenate([a, b]))
    out1 = K.layers.Dense(3, activation="softmax", name="out1")(hidden)
    out2 = K.layers.Dense(1, name="out2")(hidden)
    return K.Model([a, b], [out1, out2])


MULTI_CASES = {
    "lists": {
        "loss": ["sparse_categorical_crossentropy", "mse"],
        "metrics": [["accuracy"], ["mae"]],
        "loss_weights": [1.0, 0.5],
    },
    "dicts": {
        "loss": {"out1": "sparse_categorical_crossentropy", "out2": "mse"},
        "metrics": {"out1": "accuracy", "out2": ["mae", "mse"]},
        "loss_weights": {"out1": 2.0, "out2": 1.0},
    },
    "one_loss_for_one_output": {
        "loss": [None, "mse"],
        "metrics": {"out2": ["mae"]},
    },
}


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(MULTI_CASES))
@pytest.mark.parametrize("y_as", ["list", "dict"])
def test_fit_multi_output_matches_keras_names_and_numbers(case, y_as):
    y = [Y1, Y2] if y_as == "list" else {"out1": Y1, "out2": Y2}
    reference, ours, expected, actual = fit_twins(
        two_heads,
        lambda K: {"optimizer": "adam", **MULTI_CASES[case]},
        {"x": [A, B], "y": y},
        batch_size=5,
        epochs=2,
        validation_split=0.25,
    )
    assert_same_history(expected, actual)
    assert ours.metrics_names == reference.metrics_names
    assert_close(ours.evaluate([A, B], y, verbose=0), reference.evaluate([A, B], y, verbose=0))
    assert_close(ours.predict([A, B], verbose=0), reference.predict([A, B], verbose=0))


@pytest.mark.parity
def test_fit_single_loss_string_applies_to_every_output_like_keras():
    _reference, _ours, expected, actual = fit_twins(
        two_heads,
        lambda K: {"optimizer": "sgd", "loss": "mse"},
        {"x": {"a": A, "b": B}, "y": [np.eye(3)[Y1].astype("float32"), Y2]},
        batch_size=8,
        epochs=2,
    )
    assert sorted(actual.history) == ["loss", "out1_loss", "out2_loss"]
    assert_same_history(expected, actual)


def test_predict_keeps_the_output_structure_of_a_dict_model():
    a = kerastorch.Input((4,), name="a")
    model = kerastorch.Model(
        a, {"p": kerastorch.layers.Dense(2)(a), "q": kerastorch.layers.Dense(1)(a)}
    )
    outputs = model.predict(A, batch_size=10, verbose=0)
    assert sorted(outputs) == ["p", "q"]
    assert outputs["p"].shape == (24, 2)
    assert outputs["q"].shape == (24, 1)
    assert isinstance(outputs["q"], np.ndarray)


# -- "accuracy" resolution -----------------------------------------------------------------
ACCURACY_CASES = {
    "binary": (1, "sigmoid", "binary_crossentropy", RNG.integers(0, 2, (30, 1)).astype("float32")),
    "sparse": (3, "softmax", "sparse_categorical_crossentropy", Y_SPARSE),
    "categorical": (3, "softmax", "categorical_crossentropy", np.eye(3)[Y_SPARSE]),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(ACCURACY_CASES))
@pytest.mark.parametrize("alias", ["accuracy", "acc"])
def test_accuracy_alias_resolves_like_keras_in_fit(case, alias):
    units, activation, loss, y = ACCURACY_CASES[case]

    def build(K):
        return K.Sequential([K.Input((5,)), K.layers.Dense(units, activation=activation)])

    reference, ours, expected, actual = fit_twins(
        build,
        lambda K: {"optimizer": "sgd", "loss": loss, "metrics": [alias]},
        {"x": X, "y": y},
        epochs=2,
        batch_size=8,
    )
    assert_same_history(expected, actual)
    accuracy = ours.metrics[1].metrics[0]
    assert type(accuracy).__name__ == type(reference.metrics[1].metrics[0]).__name__


# -- tf.keras idioms -----------------------------------------------------------------------
def test_fit_unknown_keyword_suggests_the_close_name():
    model = regressor(kerastorch)
    model.compile(loss="mse")
    with pytest.raises(TypeError, match="did you mean 'epochs'\\?"):
        model.fit(X, Y_REG, epoch=10)
    with pytest.raises(TypeError, match="did you mean 'optimizer'\\?"):
        model.compile(optimiser="sgd", loss="mse")


def test_optimizer_lr_keyword_is_honoured_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match="lr"):
        optimizer = kerastorch.optimizers.Adam(lr=0.01)
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(0.01)


def test_generator_methods_work_with_a_deprecation_warning():
    model = regressor(kerastorch)
    model.compile(optimizer="sgd", loss="mse")

    def batches():
        while True:
            for start in range(0, 30, 10):
                yield X[start : start + 10], Y_REG[start : start + 10]

    with pytest.warns(DeprecationWarning, match="fit_generator"):
        history = model.fit_generator(batches(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    with pytest.warns(DeprecationWarning, match="evaluate_generator"):
        loss = model.evaluate_generator(batches(), steps=3, verbose=0)
    assert loss == pytest.approx(model.evaluate(X, Y_REG, batch_size=10, verbose=0), rel=1e-5)
    with pytest.warns(DeprecationWarning, match="predict_generator"):
        outputs = model.predict_generator((x for x in (X[:10], X[10:])), verbose=0)
    assert_close(outputs, model.predict(X, verbose=0))


# -- errors before the first step -----------------------------------------------------------
def test_fit_without_compile_and_without_loss_fail_like_keras():
    model = regressor(kerastorch)
    with pytest.raises(ValueError, match="must call `compile\\(\\)`"):
        model.fit(X, Y_REG, verbose=0)
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(X, Y_REG, verbose=0)


def test_targets_dict_with_unknown_output_name_fails():
    model = two_heads(kerastorch)
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="unknown keys: \\['out3'\\]"):
        model.fit([A, B], {"out1": Y2, "out3": Y2}, verbose=0)


def test_as_torch_helper_keeps_structure():
    converted = as_torch({"a": [A, B]})
    assert isinstance(converted["a"], list)
    assert converted["a"][1].shape == (24, 3)


def guide_custom_step_model(K):
    """The "Customizing what happens in fit() with PyTorch" guide's model, as written there."""

    class CustomModel(K.Model):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = K.Input(shape=(5,))
    return CustomModel(inputs, K.layers.Dense(2)(inputs))


@pytest.mark.parity
@pytest.mark.parametrize("verbose", [0, 1])
def test_fit_custom_step_returning_nested_compile_metrics_matches_keras(verbose, capsys):
    reference, ours, expected, actual = fit_twins(
        guide_custom_step_model,
        lambda K: {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]},
        {"x": X, "y": Y_REG},
        batch_size=8, epochs=2, validation_split=0.2, verbose=verbose,
    )  # fmt: skip
    assert list(actual.history) == list(expected.history)  # Keras's order of the flat keys
    assert_same_history(expected, actual)
    assert "loss: " in capsys.readouterr().out or verbose == 0
    result = ours.evaluate(X, Y_REG, verbose=verbose, return_dict=True)
    reference_result = reference.evaluate(X, Y_REG, verbose=verbose, return_dict=True)
    assert list(result) == list(reference_result)
    assert_close(list(result.values()), list(reference_result.values()))
