"""`config.set_max_epochs` / `set_max_steps_per_epoch` cap fit, evaluate and predict, as Keras."""

import numpy as np
import pytest

import kerastorch as keras


@pytest.fixture
def model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    yield model
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)


class _Count(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = {"train": 0, "test": 0, "predict": 0}

    def on_train_batch_end(self, batch, logs=None):
        self.batches["train"] += 1

    def on_test_batch_end(self, batch, logs=None):
        self.batches["test"] += 1

    def on_predict_batch_end(self, batch, logs=None):
        self.batches["predict"] += 1


def test_max_epochs_and_steps_cap_fit(model):
    x, y = np.ones((40, 2), "float32"), np.ones((40, 1), "float32")
    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(3)
    count = _Count()
    with pytest.warns(UserWarning, match="Limiting"):
        history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[count])
    assert len(history.history["loss"]) == 2
    assert count.batches["train"] == 6


def test_max_steps_caps_evaluate_and_predict(model):
    x = np.ones((40, 2), "float32")
    keras.config.set_max_steps_per_epoch(2)
    count = _Count()
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 2"):
        model.evaluate(x, np.ones((40, 1)), batch_size=4, verbose=0, callbacks=[count])
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 2"):
        predictions = model.predict(x, batch_size=4, verbose=0, callbacks=[count])
    assert count.batches == {"train": 0, "test": 2, "predict": 2}
    assert predictions.shape == (8, 1)


def test_no_cap_by_default(model):
    history = model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=4, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
