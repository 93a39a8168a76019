"""What `fit`/`evaluate`/`predict` print, compared with Keras's output modulo timings."""

import re

import numpy as np
import pytest

import kerastorch
from tests.oracle import keras_or_skip
from tests.trainers.fit_checks import twins

RNG = np.random.default_rng(1)
X = RNG.normal(size=(40, 4)).astype("float32")
Y = RNG.integers(0, 2, size=(40, 1)).astype("float32")

_TIMINGS = [
    (re.compile(r"\x08+"), ""),  # how much is erased depends on the previous line's timing
    (re.compile(r"\d+(ms|us|s)/step"), "T/step"),
    (re.compile(r"\x1b\[1m[\d:]+s?\x1b\[0m"), "\x1b[1mETA\x1b[0m"),
    (re.compile(r" - \d+s - "), " - Ts - "),
    (re.compile(r" +\n"), "\n"),  # padding after a line that was longer
]


def final_lines(text):
    """Each printed line as last drawn (what a terminal shows), with timings normalised."""
    lines = [line.split("\r")[-1] for line in text.split("\n")]
    normalised = []
    for line in lines:
        for pattern, replacement in _TIMINGS:
            line = pattern.sub(replacement, line + "\n")
        normalised.append(line.rstrip("\n").rstrip(" "))
    return normalised


def classifier(K):
    return K.Sequential([K.Input((4,)), K.layers.Dense(1, activation="sigmoid")])


def run_verbose(model, verbose):
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, batch_size=8, epochs=2, verbose=verbose, validation_split=0.25,
              shuffle=False)  # fmt: skip
    model.evaluate(X, Y, batch_size=16, verbose=verbose)
    model.predict(X, batch_size=16, verbose=verbose)


@pytest.mark.parity
@pytest.mark.parametrize("verbose", [1, 2, "auto"])
def test_progress_output_matches_keras_modulo_timings(verbose, capsys):
    reference, ours = twins(classifier)
    run_verbose(reference, verbose)
    expected = capsys.readouterr().out
    run_verbose(ours, verbose)
    actual = capsys.readouterr().out
    assert final_lines(actual) == final_lines(expected)
    assert "Epoch 1/2" in actual
    assert "val_accuracy: " in actual


def test_progress_verbose_1_final_line_has_keras_format(capsys):
    model = classifier(kerastorch)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, batch_size=8, epochs=1, verbose=1, validation_data=(X, Y))
    lines = final_lines(capsys.readouterr().out)
    assert lines[0].startswith("\x1b[1m5/5\x1b[0m \x1b[32m" + "━" * 20)
    assert re.search(
        r"T/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - "
        r"val_loss: \d\.\d{4}$",
        lines[0],
    )
    assert "Epoch" not in lines[0]  # a single epoch has no header, as in Keras


def test_progress_verbose_2_prints_one_line_per_epoch(capsys):
    model = classifier(kerastorch)
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    model.fit(X, Y, batch_size=8, epochs=3, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0::2] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert all(re.fullmatch(r"5/5 - \d+s - \d+(ms|us|s)/step - loss: \d\.\d{4}", line)
               for line in lines[1::2])  # fmt: skip


def test_progress_verbose_0_prints_nothing(capsys):
    model = classifier(kerastorch)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    run_verbose(model, 0)
    assert capsys.readouterr().out == ""


def test_progress_for_a_generator_of_unknown_length(capsys):
    model = classifier(kerastorch)
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    batches = ((X[i : i + 10], Y[i : i + 10]) for i in range(0, 40, 10))
    model.fit(batches, epochs=1, verbose=1)
    lines = final_lines(capsys.readouterr().out)
    assert lines[0].startswith("\x1b[1m4/4\x1b[0m")
    assert "Unknown" not in lines[0]


def every_draw(text):
    """Every line the bar drew (in-epoch redraws included), with timings normalised."""
    draws = [draw for line in text.split("\n") for draw in line.split("\r")]
    return [line for line in final_lines("\n".join(draws)) if line.strip()]


def _draw_at_every_step(monkeypatch, progbar_class):
    """Make a `Progbar` class redraw at every update (no 0.05 s throttling)."""
    original = progbar_class.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.interval = 0.0

    monkeypatch.setattr(progbar_class, "__init__", init)


def _synchronous(K):
    """A callback with batch hooks: Keras then draws in order (no asynchronous dispatch)."""

    class Synchronous(K.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

        def on_test_batch_end(self, batch, logs=None):
            pass

    return Synchronous()


@pytest.mark.parity
def test_progress_in_epoch_lines_show_running_means_as_keras(monkeypatch, capsys):
    keras = keras_or_skip()
    reference, ours = twins(classifier)
    _draw_at_every_step(monkeypatch, pytest.importorskip("keras.src.utils.progbar").Progbar)
    _draw_at_every_step(monkeypatch, kerastorch.common.progbar.Progbar)
    outputs = []
    for K, model in ((keras, reference), (kerastorch, ours)):
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        callbacks = [_synchronous(K)]
        model.fit(X, Y, batch_size=8, epochs=2, verbose=1, shuffle=False, callbacks=callbacks)
        model.evaluate(X, Y, batch_size=8, verbose=1, callbacks=callbacks)
        outputs.append(every_draw(capsys.readouterr().out))
    expected, actual = outputs
    assert actual == expected
    # Nothing is averaged again: the last step's line shows the epoch's values.
    last_step, epoch_line = actual[5], actual[6]
    assert last_step.startswith("\x1b[1m5/5\x1b[0m")
    assert epoch_line.startswith("\x1b[1m5/5\x1b[0m")
    assert last_step.split("T/step")[1] == epoch_line.split("T/step")[1]
