import numpy as np

import kerastorch as kt


def _fit(callbacks, epochs=2):
    model = kt.Sequential([kt.Input((2,)), kt.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((10, 2), "float32")
    model.fit(
        x,
        x[:, :1],
        batch_size=4,
        validation_split=0.25,
        epochs=epochs,
        verbose=0,
        callbacks=callbacks,
    )
    return model


def test_lambda_callback_calls_each_given_function_with_keras_arguments():
    calls = []
    callback = kt.callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append(("train_begin",)),
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch, sorted(logs))),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, sorted(logs))),
        on_train_end=lambda logs: calls.append(("train_end", sorted(logs))),
        on_test_begin=lambda logs: calls.append(("test_begin",)),  # any hook, by keyword
    )
    _fit([callback])
    epoch = [("epoch_begin", 0)] + [("batch_end", b, ["loss"]) for b in range(2)]
    epoch += [("test_begin",), ("epoch_end", 0, ["loss", "val_loss"])]
    second = [(c[0], 1, *c[2:]) if c[0].startswith("epoch") else c for c in epoch]
    assert calls == [("train_begin",), *epoch, *second, ("train_end", ["loss", "val_loss"])]


def test_lambda_callback_on_batch_end_alias_and_other_batch_hooks():
    seen = []
    callback = kt.callbacks.LambdaCallback(
        on_batch_end=lambda batch, logs: seen.append(("train", batch)),
        on_test_batch_end=lambda batch, logs: seen.append(("test", batch)),
    )
    _fit([callback], epochs=1)
    assert seen == [("train", 0), ("train", 1), ("test", 0)]


def test_lambda_callback_epoch_only_never_reads_batch_logs():
    reads = []
    model = _fit(
        [kt.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: reads.append(epoch))]
    )
    callback = kt.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: None)
    callback.on_train_batch_end(0, object())  # the logs object is passed through untouched
    assert reads == [0, 1]
    assert model.stop_training is False
