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


def two_outputs(as_dict=True):
    inputs = kerastorch.Input((4,))
    a = kerastorch.layers.Dense(1, name="a")(inputs)
    b = kerastorch.layers.Dense(1, name="b")(inputs)
    model = kerastorch.Model(inputs, {"a": a, "b": b} if as_dict else [a, b])
    model.compile(optimizer="sgd", loss={"a": "mse", "b": "mse"} if as_dict else ["mse", "mse"])
    return model


@pytest.mark.parametrize("as_dict", [True, False])
def test_check_batch_dict_targets_missing_an_output_fail_before_the_first_step(as_dict):
    message = assert_fails_before_first_step(
        two_outputs(as_dict), "missing targets", X, {"a": np.zeros((16, 1))}
    )
    assert "['b']" in message


def test_check_batch_dict_targets_may_omit_an_output_without_a_loss():
    model = two_outputs()
    model.compile(optimizer="sgd", loss={"a": "mse"})
    assert model.fit(X, {"a": np.zeros((16, 1))}, verbose=0).history["loss"][0] >= 0


def binary(loss="binary_crossentropy"):
    model = kerastorch.Sequential(
        [kerastorch.Input((4,)), kerastorch.layers.Dense(1, activation="sigmoid", name="p")]
    )
    model.compile(optimizer="sgd", loss=loss)
    return model


@pytest.mark.parametrize("bad", [2.0, -1.0])
@pytest.mark.parametrize("loss", ["binary_crossentropy", "BinaryCrossentropy", "bce_object"])
def test_check_data_binary_labels_outside_0_1_fail_before_the_first_step(loss, bad):
    loss = kerastorch.losses.BinaryCrossentropy() if loss == "bce_object" else loss
    labels = np.zeros((16, 1))
    labels[-1] = bad  # the last sample: outside the first batch, found on the whole array
    message = assert_fails_before_first_step(binary(loss), "between 0 and 1", X, labels)
    named = message.lower().replace("_", "")
    assert "'p'" in message
    assert "binarycrossentropy" in named
    assert f"{bad:g}" in message


def test_check_data_soft_binary_labels_pass():
    assert binary().fit(X, np.full((16, 1), 0.3), verbose=0).history["loss"][0] > 0


def test_check_data_fractional_sparse_labels_fail_before_the_first_step():
    model = classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    labels = LABELS.astype("float32")
    labels[-1] = 1.5
    message = assert_fails_before_first_step(model, "integer class indices", X, labels)
    assert "1.5" in message
    assert "sparse_categorical_crossentropy" in message


@pytest.mark.parametrize("bad", [10, -1])
def test_check_data_sparse_labels_out_of_range_name_the_loss_and_range(bad):
    model = classifier()
    model.compile(optimizer="sgd", loss=kerastorch.losses.SparseCategoricalCrossentropy())
    labels = LABELS.copy()
    labels[-1] = bad
    message = assert_fails_before_first_step(model, r"range \[0, 10\)", X, labels)
    assert "sparse_categorical_crossentropy" in message
    assert f"{bad}" in message


def test_check_data_sparse_labels_equal_to_ignore_class_pass():
    model = classifier()
    model.compile(
        optimizer="sgd", loss=kerastorch.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    )
    labels = LABELS.copy()
    labels[:3] = -1
    assert np.isfinite(model.fit(X, labels, verbose=0).history["loss"][0])


def test_check_data_class_weight_naming_a_missing_class_fails_before_the_first_step():
    model = classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    message = assert_fails_before_first_step(
        model, "`class_weight` names classes", X, LABELS, class_weight={0: 1.0, 12: 2.0}
    )
    assert "[12]" in message
    assert "0 to 9" in message


def test_check_data_class_weight_on_a_binary_output_knows_classes_0_and_1():
    model = binary()
    labels = (LABELS % 2)[:, None]
    assert model.fit(X, labels, class_weight={0: 1.0, 1: 3.0}, verbose=0).history["loss"]
    with pytest.raises(ValueError, match=r"classes \[2\]"):
        binary().fit(X, labels, class_weight={2: 1.0}, verbose=0)


def embedder():
    model = kerastorch.Sequential(
        [
            kerastorch.Input((3,), dtype="int32"),
            kerastorch.layers.Embedding(5, 2, name="words"),
            kerastorch.layers.Flatten(),
            kerastorch.layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    return model


def indices(bad):
    x = np.random.default_rng(3).integers(0, 5, size=(16, 3))
    x[-1, 2] = bad  # outside the first batch
    return x


@pytest.mark.parametrize("bad", [5, -1])
def test_check_data_embedding_index_out_of_range_fails_before_the_first_step(bad):
    message = assert_fails_before_first_step(
        embedder(), "input_dim=5", indices(bad), np.zeros((16, 1)), batch_size=4
    )
    assert "'words'" in message
    assert f"index {bad}" in message


@pytest.mark.parametrize("method", ["evaluate", "predict"])
def test_check_data_embedding_index_out_of_range_in_evaluate_and_predict(method):
    args = (indices(7),) if method == "predict" else (indices(7), np.zeros((16, 1)))
    with pytest.raises(ValueError, match=r"'words'.*input_dim=5.*index 7"):
        getattr(embedder(), method)(*args, batch_size=4, verbose=0)


def test_check_data_validation_data_is_checked_before_training():
    good = indices(0)
    message = assert_fails_before_first_step(
        embedder(), "input_dim=5", good, np.zeros((16, 1)),
        validation_data=(indices(9), np.zeros((16, 1))),
    )  # fmt: skip
    assert "index 9" in message


def test_check_batch_checks_a_generator_s_first_batch_values():
    def batches():
        while True:
            yield X, np.full((16, 1), 3.0)

    message = assert_fails_before_first_step(binary(), "between 0 and 1", batches())
    assert "'p'" in message
