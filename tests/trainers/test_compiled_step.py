"""`jit_compile=True`: the whole training step in one graph, the same numbers as eager, no
graph break and no recompilation across epochs; host-deciding optimizers stay eager."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch._dynamo.utils

import kerastorch
from kerastorch.trainers.compiled_step import compiled_steps
from tests.oracle import assert_close
from tests.trainers.fit_checks import WEIGHTS, Y_REG, Y_SPARSE, X, mlp, regressor


@pytest.fixture(autouse=True)
def _fresh_dynamo():
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    yield
    torch._dynamo.reset()


def _fit_pair(build: Any, compile_kwargs: Any, epochs: int = 2, **fit_kwargs: Any) -> list:
    """The same model (same initial weights) fitted eagerly and with `jit_compile=True`."""
    models, histories = [], []
    weights = None
    for jit in (False, True):
        model = build(kerastorch)
        if weights is None:
            weights = model.get_weights()
        model.set_weights(weights)
        model.compile(**compile_kwargs(), jit_compile=jit)
        kwargs = {"batch_size": 8, "epochs": epochs, "shuffle": False, "verbose": 0}
        histories.append(model.fit(X, **{**kwargs, **fit_kwargs}))
        models.append(model)
    return [*models, *histories]


def _graphs() -> tuple[int, int]:
    counters = torch._dynamo.utils.counters
    return sum(counters["graph_break"].values()), counters["stats"]["unique_graphs"]


def test_whole_step_matches_eager_in_one_graph_without_recompiling():
    eager, jit, eager_history, jit_history = _fit_pair(
        regressor, lambda: {"optimizer": "adam", "loss": "mse"}, y=Y_REG
    )
    assert compiled_steps(jit).trains_whole_step
    assert_close(jit.get_weights(), eager.get_weights(), atol=1e-5)
    assert_close(jit_history.history["loss"], eager_history.history["loss"], atol=1e-5)
    assert int(jit.optimizer.iterations) == int(eager.optimizer.iterations) == 8
    # 30 samples in batches of 8: one graph for the full batches, one for the last (6).
    assert _graphs() == (0, 2)
    jit.fit(X, Y_REG, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert _graphs() == (0, 2)  # no recompilation in later epochs
    assert int(jit.optimizer.iterations) == 16


def test_whole_step_with_metrics_sample_weights_clipping_ema_and_schedule():
    def compile_kwargs() -> dict[str, Any]:
        schedule = kerastorch.optimizers.schedules.ExponentialDecay(0.05, 2, 0.5)
        optimizer = kerastorch.optimizers.RMSprop(
            schedule, momentum=0.5, global_clipnorm=1.0, use_ema=True, ema_overwrite_frequency=3
        )
        return {
            "optimizer": optimizer,
            "loss": "sparse_categorical_crossentropy",
            "metrics": ["accuracy"],
        }

    eager, jit, eager_history, jit_history = _fit_pair(
        mlp, compile_kwargs, y=Y_SPARSE, sample_weight=WEIGHTS
    )
    assert compiled_steps(jit).trains_whole_step
    assert _graphs()[0] == 0
    assert_close(jit.get_weights(), eager.get_weights(), atol=1e-5)
    for key in ("loss", "accuracy"):
        assert_close(jit_history.history[key], eager_history.history[key], atol=1e-5)


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda: kerastorch.optimizers.SGD(0.05, gradient_accumulation_steps=2),
        lambda: kerastorch.optimizers.LossScaleOptimizer(kerastorch.optimizers.SGD(0.05)),
    ],
    ids=["gradient_accumulation", "loss_scale"],
)
def test_host_deciding_optimizers_train_eagerly_after_a_compiled_forward(make_optimizer):
    eager, jit, _, _ = _fit_pair(
        regressor, lambda: {"optimizer": make_optimizer(), "loss": "mse"}, epochs=1, y=Y_REG
    )
    assert not compiled_steps(jit).trains_whole_step
    assert_close(jit.get_weights(), eager.get_weights(), atol=1e-5)
    assert int(jit.optimizer.iterations) == int(eager.optimizer.iterations)


def test_learning_rate_set_by_a_callback_takes_effect_without_recompiling():
    def schedule(epoch: int, lr: float) -> float:
        return 0.1 if epoch == 0 else 0.0

    callback = kerastorch.callbacks.LearningRateScheduler(schedule)
    _, jit, _, _ = _fit_pair(
        regressor, lambda: {"optimizer": "sgd", "loss": "mse"}, epochs=1, y=Y_REG
    )
    jit.fit(X, Y_REG, batch_size=10, epochs=1, verbose=0, callbacks=[callback])
    graphs = _graphs()
    before = jit.get_weights()
    jit.fit(X, Y_REG, batch_size=10, epochs=2, initial_epoch=1, verbose=0, callbacks=[callback])
    assert float(jit.optimizer.learning_rate) == 0.0
    for new, old in zip(jit.get_weights(), before, strict=True):
        np.testing.assert_array_equal(new, old)  # learning rate 0: the weights stay
    assert _graphs() == graphs


def _convnet(K):
    return K.Sequential(
        [
            K.Input((5,)),
            K.layers.Reshape((5, 1)),
            K.layers.Conv1D(3, 2, activation="relu"),
            K.layers.Flatten(),
            K.layers.Dense(2),
        ]
    )


def _lstm(K):
    return K.Sequential(
        [K.Input((5,)), K.layers.Reshape((5, 1)), K.layers.LSTM(4), K.layers.Dense(2)]
    )


def test_convolution_on_cpu_keeps_the_forward_eager_and_compiles_the_update():
    eager, jit, eager_history, jit_history = _fit_pair(
        _convnet, lambda: {"optimizer": "adam", "loss": "mse"}, y=Y_REG
    )
    steps = compiled_steps(jit)
    assert steps.trains_whole_step
    assert steps.forward_is_eager
    assert_close(jit.get_weights(), eager.get_weights(), atol=1e-5)
    assert_close(jit_history.history["loss"], eager_history.history["loss"], atol=1e-5)
    assert int(jit.optimizer.iterations) == 8
    # the update's graph: the same for the last, smaller batch (it sees gradients only)
    assert _graphs() == (0, 1)


def test_lstm_on_cpu_keeps_the_fused_kernel_eager_and_compiles_the_update():
    eager, jit, eager_history, jit_history = _fit_pair(
        _lstm, lambda: {"optimizer": "adam", "loss": "mse"}, y=Y_REG, batch_size=10
    )
    steps = compiled_steps(jit)
    assert steps.trains_whole_step
    assert steps.forward_is_eager
    assert_close(jit.get_weights(), eager.get_weights(), atol=1e-5)
    assert_close(jit_history.history["loss"], eager_history.history["loss"], atol=1e-5)
    assert _graphs() == (0, 1)
