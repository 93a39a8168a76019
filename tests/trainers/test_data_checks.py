"""Bad data fails before the first step, naming the input or output, the loss and shapes."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.trainers.data_checks import check_batch

X = np.random.default_rng(8).normal(size=(16, 4)).astype("float32")
LABELS = np.random.default_rng(9).integers(0, 10, size=(16,))


def classifier():
    model = kerastorch.Sequential(
        [kerastorch.Input((4,)), kerastorch.layers.Dense(10, activation="softmax", name="probs")]
    )
    return model


class CountSteps(kerastorch.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.steps = 0

    def on_train_batch_begin(self, batch, logs=None):
        self.steps += 1


def assert_fails_before_first_step(model, match, *args, **kwargs):
    before = [w.copy() for w in model.get_weights()]
    counter = CountSteps()
    with pytest.raises(ValueError, match=match) as info:
        model.fit(*args, verbose=0, callbacks=[counter], **kwargs)
    assert counter.steps == 0
    for old, new in zip(before, model.get_weights(), strict=False):
        np.testing.assert_array_equal(old, new)
    return str(info.value)


def test_wrong_input_shape_fails_before_the_first_step():
    model = classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    message = assert_fails_before_first_step(model, "incompatible", np.zeros((16, 5)), LABELS)
    assert "(None, 4)" in message
    assert "(16, 5)" in message


def test_labels_one_hot_encoded_twice_fail_before_the_first_step():
    model = classifier()
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    twice = np.eye(10)[np.eye(10)[LABELS].astype(int)]  # (16, 10, 10)
    message = assert_fails_before_first_step(model, "one-hot encoded twice", X, twice)
    for part in ("'probs'", "categorical_crossentropy", "(16, 10, 10)", "(None, 10)"):
        assert part in message


def test_one_hot_labels_with_a_sparse_loss_fail_before_the_first_step():
    model = classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    message = assert_fails_before_first_step(model, "integer class indices", X, np.eye(10)[LABELS])
    assert "sparse_categorical_crossentropy" in message
    assert "(16, 10)" in message


@pytest.mark.parametrize(
    ("loss", "labels"),
    [
        ("sparse_categorical_crossentropy", LABELS),
        ("sparse_categorical_crossentropy", LABELS[:, None]),
        ("categorical_crossentropy", np.eye(10)[LABELS]),
        ("mse", np.zeros((16, 10))),
    ],
)
def test_labels_that_fit_pass_the_check(loss, labels):
    model = classifier()
    model.compile(optimizer="sgd", loss=loss)
    check_batch(model, torch.from_numpy(X), torch.from_numpy(np.asarray(labels)))
    assert model.fit(X, labels, epochs=1, verbose=0).history["loss"][0] > 0


def test_binary_labels_without_the_last_axis_pass_the_check():
    model = kerastorch.Sequential([kerastorch.Input((4,)), kerastorch.layers.Dense(1)])
    model.compile(loss="binary_crossentropy")
    check_batch(model, torch.from_numpy(X), torch.zeros(16))


def test_wrong_number_of_inputs_is_reported():
    a, b = kerastorch.Input((4,)), kerastorch.Input((2,))
    model = kerastorch.Model(
        [a, b], kerastorch.layers.Dense(1)(kerastorch.layers.concatenate([a, b]))
    )
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="input"):
        model.fit(X, np.zeros((16, 1)), verbose=0)
