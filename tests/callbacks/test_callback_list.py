"""Hook order, `stop_training` and batch-hook dispatch, compared with Keras's."""

import numpy as np
import pytest

import kerastorch
from kerastorch.callbacks import Callback, CallbackList, History, ProgbarLogger
from tests.oracle import keras_or_skip
from tests.trainers.fit_checks import twins

X = np.random.default_rng(2).normal(size=(12, 3)).astype("float32")
Y = np.random.default_rng(3).normal(size=(12, 1)).astype("float32")

_HOOKS = [
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_test_begin",
    "on_test_end", "on_predict_begin", "on_predict_end", "on_train_batch_begin",
    "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end",
]  # fmt: skip


def recorder(base, stop=None):
    """A callback recording `(hook, index, logs, logs by keyword)`; `stop=(hook, epoch, batch)`.

    `logs` is recorded as its sorted keys when it is a dict, else as its `repr` (`None`).
    """

    class Recorder(base):
        def __init__(self):
            super().__init__()
            self.calls = []
            self.epochs_begun = -1

    def make(hook):
        def method(self, *args, **kwargs):
            index = args[0] if args and isinstance(args[0], int) else None
            logs = kwargs["logs"] if "logs" in kwargs else args[-1] if args else "missing"
            if hook == "on_epoch_begin":
                self.epochs_begun += 1
            described = sorted(logs) if isinstance(logs, dict) else repr(logs)
            self.calls.append((hook, index, described, "logs" in kwargs))
            if stop and hook == stop[0] and self.epochs_begun == stop[1] and index == stop[2]:
                self.model.stop_training = True

        return method

    for hook in _HOOKS:
        setattr(Recorder, hook, make(hook))
    return Recorder()


def record_run(K, model, stop=None):
    callback = recorder(K.callbacks.Callback, stop)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(X, Y, batch_size=4, epochs=3, validation_data=(X[:8], Y[:8]),
                        verbose=0, callbacks=[callback])  # fmt: skip
    model.evaluate(X, Y, batch_size=8, verbose=0, callbacks=[callback])
    model.predict(X, batch_size=8, verbose=0, callbacks=[callback])
    return callback.calls, history


def dense(K):
    return K.Sequential([K.Input((3,)), K.layers.Dense(1)])


@pytest.mark.parity
@pytest.mark.parametrize(
    "stop",
    [None, ("on_train_batch_end", 0, 1), ("on_epoch_end", 1, 1), ("on_train_batch_end", 2, 2)],
)
def test_callback_hooks_order_logs_and_stop_training_match_keras(stop):
    keras = keras_or_skip()
    reference, ours = twins(dense)
    expected, expected_history = record_run(keras, reference, stop)
    actual, actual_history = record_run(kerastorch, ours, stop)
    assert actual == expected
    assert actual_history.epoch == expected_history.epoch
    assert sorted(actual_history.history) == sorted(expected_history.history)


def test_stop_training_in_a_batch_hook_ends_the_epoch_after_that_batch():
    model = dense(kerastorch)
    callback = recorder(Callback, ("on_train_batch_end", 0, 1))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(X, Y, batch_size=4, epochs=3, verbose=0, callbacks=[callback])
    batches = [call[1] for call in callback.calls if call[0] == "on_train_batch_end"]
    assert batches == [0, 1]
    assert history.epoch == [0]


def test_callback_list_adds_history_and_progbar_once():
    callbacks = CallbackList([Callback()], add_history=True, add_progbar=True)
    assert [type(c) for c in callbacks.callbacks] == [ProgbarLogger, Callback, History]
    given = History()
    callbacks = CallbackList([given], add_history=True)
    assert callbacks.callbacks == [given]


def test_callback_list_sets_model_and_params_on_every_callback():
    model = dense(kerastorch)
    first, second = Callback(), Callback()
    CallbackList([first, second], model=model, epochs=2, steps=5, verbose=0)
    assert first.model is model
    assert second.model is model
    assert second.params == {"epochs": 2, "steps": 5, "verbose": 0}


def test_callback_list_refuses_non_callbacks():
    with pytest.raises(TypeError, match=r"Expected `keras\.callbacks\.Callback` instances"):
        CallbackList([object()])


def test_callback_list_dispatches_batch_hooks_only_to_listeners():
    calls = []

    class OnBatch(Callback):
        def on_batch_end(self, batch, logs=None):
            calls.append(batch)

    callbacks = CallbackList([Callback(), OnBatch()])
    assert callbacks.needs_batch_logs("on_train_batch_end")
    assert not callbacks.needs_batch_logs("on_test_batch_end")
    callbacks.on_train_batch_end(3, {})
    callbacks.on_test_batch_end(4, {})
    assert calls == [3]  # `on_batch_end` is the alias of `on_train_batch_end`
    late = OnBatch()
    callbacks.append(late)
    callbacks.on_train_batch_end(5, {})
    assert calls == [3, 5, 5]


def test_batch_logs_are_read_lazily_and_flat():
    seen = []

    class ReadLogs(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(dict(logs))

    model = dense(kerastorch)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(X, Y, batch_size=6, epochs=1, verbose=0, callbacks=[ReadLogs()])
    assert [sorted(logs) for logs in seen] == [["loss", "mae"], ["loss", "mae"]]
    assert all(isinstance(value, float) for logs in seen for value in logs.values())


def guide_callback(K):
    """The "Writing your own callbacks" guide's `CustomCallback`: `logs.keys()` at every hook."""

    class CustomCallback(K.callbacks.Callback):
        pass

    def make(hook):
        def method(self, *args, logs=None):
            if args and not isinstance(args[-1], int):  # `on_train_begin(logs)`, ...
                logs = args[-1]
            print(f"{hook}; got log keys: {list(logs.keys())}")

        return method

    for hook in _HOOKS:
        setattr(CustomCallback, hook, make(hook))
    return CustomCallback()


@pytest.mark.parity
def test_callback_hooks_guide_custom_callback_reads_logs_keys_as_in_keras(capsys):
    keras = keras_or_skip()
    outputs = []
    for K, model in zip((keras, kerastorch), twins(dense), strict=True):
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        callbacks = [guide_callback(K)]
        model.fit(X, Y, batch_size=6, epochs=2, verbose=0, validation_split=0.5,
                  callbacks=callbacks)  # fmt: skip
        model.evaluate(X, Y, batch_size=6, verbose=0, callbacks=callbacks)
        model.predict(X, batch_size=6, verbose=0, callbacks=callbacks)
        outputs.append(capsys.readouterr().out)
    assert "on_train_begin; got log keys: []" in outputs[1]
    assert outputs[1] == outputs[0]


def test_batch_hook_is_none_where_no_callback_listens():
    class OnTestBatch(Callback):
        def on_test_batch_end(self, batch, logs=None):
            pass

    class Listening(CallbackList):  # a subclass overriding a hook is always called
        def on_predict_batch_begin(self, batch, logs=None):
            pass

    callbacks = CallbackList([Callback(), OnTestBatch()])
    assert callbacks.batch_hook("on_train_batch_end") is None
    assert callbacks.batch_hook("on_test_batch_end") == callbacks.on_test_batch_end
    assert Listening([]).batch_hook("on_predict_batch_begin") is not None
    assert Listening([]).batch_hook("on_predict_batch_end") is None


def test_fit_evaluate_predict_skip_the_batch_hooks_no_callback_listens(monkeypatch):
    called = []
    for hook in ("on_train_batch_begin", "on_test_batch_end", "on_predict_batch_end"):
        original = getattr(CallbackList, hook)

        def spy(self, batch, logs=None, hook=hook, original=original):
            called.append((hook, batch))
            original(self, batch, logs)

        monkeypatch.setattr(CallbackList, hook, spy)
    model = kerastorch.Sequential([kerastorch.Input((2,)), kerastorch.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, batch_size=2, verbose=0)
    model.evaluate(x, y, batch_size=2, verbose=0)
    model.predict(x, batch_size=2, verbose=0)
    assert called == []  # nobody listens (verbose=0: no progress bar)

    class Listener(Callback):
        def on_train_batch_begin(self, batch, logs=None):
            called.append(("train", batch))

        def on_test_batch_end(self, batch, logs=None):
            called.append(("test", batch, sorted(logs)))

        def on_predict_batch_end(self, batch, logs=None):
            called.append(("predict", batch, tuple(logs["outputs"].shape)))

    model.fit(x, y, batch_size=2, verbose=0, callbacks=[Listener()])
    model.evaluate(x, y, batch_size=2, verbose=0, callbacks=[Listener()])
    model.predict(x, batch_size=2, verbose=0, callbacks=[Listener()])
    assert called == [
        ("on_train_batch_begin", 0),
        ("train", 0),
        ("on_train_batch_begin", 1),
        ("train", 1),
        ("on_test_batch_end", 0),
        ("test", 0, ["loss"]),
        ("on_test_batch_end", 1),
        ("test", 1, ["loss"]),
        ("on_predict_batch_end", 0),
        ("predict", 0, (2, 1)),
        ("on_predict_batch_end", 1),
        ("predict", 1, (2, 1)),
    ]  # fmt: skip (the spy records before the listener runs)
