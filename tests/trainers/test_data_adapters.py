"""Every kind of data `fit` accepts gives the numbers Keras gives for the same batches."""

import warnings

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

import kerastorch
from kerastorch.common.py_dataset import PyDataset
from kerastorch.trainers.data_adapters import (
    ArrayAdapter,
    DataLoaderAdapter,
    GeneratorAdapter,
    get_data_adapter,
    is_array_data,
    split_arrays,
)
from tests.oracle import keras_or_skip
from tests.trainers.fit_checks import assert_same_history, twins

RNG = np.random.default_rng(7)
X = RNG.normal(size=(24, 3)).astype("float32")
Y = RNG.normal(size=(24, 1)).astype("float32")


def dense(K):
    return K.Sequential([K.Input((3,)), K.layers.Dense(4, activation="tanh"), K.layers.Dense(1)])


def keras_reference_history(epochs=2):
    """Keras's History for NumPy data in batches of 8 (the batches every source yields)."""
    reference, ours = twins(dense)
    reference.compile(optimizer="adam", loss="mse", metrics=["mae"])
    ours.compile(optimizer="adam", loss="mse", metrics=["mae"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = reference.fit(X, Y, batch_size=8, epochs=epochs, shuffle=False, verbose=0)
    return history, ours


class Batches(PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.epochs_ended = 0

    def __len__(self):
        return 3

    def __getitem__(self, index):
        return X[index * 8 : (index + 1) * 8], Y[index * 8 : (index + 1) * 8]

    def on_epoch_end(self):
        self.epochs_ended += 1


def endless_batches():
    while True:
        for start in range(0, 24, 8):
            yield X[start : start + 8], Y[start : start + 8]


SOURCES = {
    "torch_tensors": lambda: {"x": torch.from_numpy(X), "y": torch.from_numpy(Y), "batch_size": 8},
    "tensor_dataset": lambda: {"x": TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)),
                               "batch_size": 8},
    "data_loader": lambda: {"x": DataLoader(TensorDataset(torch.from_numpy(X),
                                                          torch.from_numpy(Y)), batch_size=8)},
    "generator": lambda: {"x": endless_batches(), "steps_per_epoch": 3},
    "py_dataset": lambda: {"x": Batches()},
}  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_data_source_trains_like_keras_on_numpy(source):
    expected, ours = keras_reference_history()
    actual = ours.fit(**SOURCES[source](), epochs=2, shuffle=False, verbose=0)
    assert actual.history.keys() == expected.history.keys()
    for key, values in expected.history.items():
        np.testing.assert_allclose(actual.history[key], values, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_py_dataset_on_epoch_end_is_called_like_keras():
    keras = keras_or_skip()

    class KerasBatches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.epochs_ended = 0

        __len__, __getitem__ = Batches.__len__, Batches.__getitem__
        on_epoch_end = Batches.on_epoch_end

    reference, ours = twins(dense)
    reference.compile(optimizer="sgd", loss="mse")
    ours.compile(optimizer="sgd", loss="mse")
    theirs, mine = KerasBatches(), Batches()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = reference.fit(theirs, epochs=3, shuffle=False, verbose=0)
    actual = ours.fit(mine, epochs=3, shuffle=False, verbose=0)
    assert_same_history(expected, actual)
    assert mine.epochs_ended == theirs.epochs_ended == 4  # Keras: once after peeking, + 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = reference.evaluate(theirs, verbose=0)
    assert ours.evaluate(mine, verbose=0) == pytest.approx(expected, rel=1e-5)
    assert mine.epochs_ended == theirs.epochs_ended


@pytest.mark.parity
def test_dict_inputs_by_name_train_like_keras():
    def two_inputs(K):
        a, b = K.Input((3,), name="a"), K.Input((2,), name="b")
        return K.Model({"a": a, "b": b}, K.layers.Dense(1)(K.layers.concatenate([a, b])))

    reference, ours = twins(two_inputs)
    data = {"a": X, "b": X[:, :2] * 2}
    for model in (reference, ours):
        model.compile(optimizer="sgd", loss="mse")
    expected = reference.fit(data, Y, batch_size=5, epochs=2, shuffle=False, verbose=0)
    actual = ours.fit(data, Y, batch_size=5, epochs=2, shuffle=False, verbose=0)
    assert_same_history(expected, actual)


def test_validation_split_refuses_datasets_and_generators():
    model = dense(kerastorch)
    model.compile(loss="mse")
    dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))
    for data in (dataset, DataLoader(dataset), endless_batches(), Batches()):
        with pytest.raises(ValueError, match="`validation_split` is only supported for tensors"):
            model.fit(data, validation_split=0.2, verbose=0, steps_per_epoch=1)


def test_datasets_refuse_separate_targets_and_class_weights():
    dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(dataset, Y)
    with pytest.raises(ValueError, match="`class_weight` is only supported with array data"):
        get_data_adapter(dataset, class_weight={0: 1.0})


def test_mismatched_sample_counts_raise_the_keras_cardinality_error():
    model = dense(kerastorch)
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="Data cardinality is ambiguous") as info:
        model.fit(X, Y[:20], verbose=0)
    assert "'x' sizes: 24" in str(info.value)
    assert "'y' sizes: 20" in str(info.value)


def test_array_adapter_batches_are_slices_in_order_without_shuffle():
    adapter = ArrayAdapter(X, Y, batch_size=10, shuffle=False, device=torch.device("cpu"))
    batches = list(adapter.batches())
    assert [tuple(b[0].shape) for b in batches] == [(10, 3), (10, 3), (4, 3)]
    np.testing.assert_array_equal(batches[2][1].numpy(), Y[20:])
    assert batches[0][2] is None


def test_array_adapter_shuffle_permutes_whole_samples():
    adapter = ArrayAdapter(X, np.arange(24), batch_size=24, shuffle=True,
                           device=torch.device("cpu"))  # fmt: skip
    x, y, _ = next(iter(adapter.batches()))
    assert sorted(y.tolist()) == list(range(24))
    np.testing.assert_array_equal(x.numpy(), X[y.numpy()])


def test_array_adapter_float64_becomes_float32_and_class_weights_become_sample_weights():
    adapter = ArrayAdapter(X.astype("float64"), np.array([0, 1, 2, 1]).repeat(6), batch_size=24,
                           class_weight={1: 3.0, 2: 0.5}, device=torch.device("cpu"))  # fmt: skip
    x, _, weights = adapter.first_batch()
    assert x.dtype == torch.float32
    assert weights.tolist() == [1.0] * 6 + [3.0] * 6 + [0.5] * 6 + [3.0] * 6


def test_array_adapter_refuses_strings():
    with pytest.raises(TypeError, match="Arrays of strings or objects cannot be fed"):
        ArrayAdapter(np.array(["a", "b"]), device=torch.device("cpu"))


def test_split_arrays_takes_the_last_fraction():
    (x, _y, w), (vx, vy, vw) = split_arrays((X, Y, None), 0.25)
    assert x.shape[0] == 18
    assert vx.shape[0] == 6
    assert w is None
    assert vw is None
    np.testing.assert_array_equal(vy.numpy(), Y[18:])
    with pytest.raises(ValueError, match="`validation_split` must be a float between 0 and 1"):
        split_arrays((X, Y, None), 1.5)


def test_generator_adapter_yields_the_batches_and_refuses_an_empty_generator():
    adapter = GeneratorAdapter(iter([(X[:4], Y[:4]), (X[4:8], Y[4:8])]))
    assert [tuple(b[0].shape) for b in adapter.batches()] == [(4, 3), (4, 3)]
    with pytest.raises(ValueError, match="yields no batches"):
        GeneratorAdapter(iter([]))


def test_data_loader_adapter_counts_batches():
    adapter = DataLoaderAdapter(TensorDataset(torch.from_numpy(X)), batch_size=5, shuffle=False)
    assert adapter.num_batches == 5
    x, y, w = adapter.first_batch()
    assert tuple(x.shape) == (5, 3)
    assert y is None
    assert w is None


def test_is_array_data_and_unknown_types():
    assert is_array_data([X, {"b": Y}])
    assert not is_array_data([1, 2])
    with pytest.raises(ValueError, match="Unrecognized data type"):
        get_data_adapter("not data")


def test_array_adapter_refuses_zero_samples():
    with pytest.raises(ValueError, match=r"at least one sample.*0 samples"):
        ArrayAdapter(np.zeros((0, 4)), np.zeros((0, 1)), batch_size=4)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_array_adapter_zero_samples_fail_in_fit_evaluate_predict(method):
    model = kerastorch.Sequential([kerastorch.Input((4,)), kerastorch.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    args = (np.zeros((0, 4)),) if method == "predict" else (np.zeros((0, 4)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match="0 samples"):
        getattr(model, method)(*args, verbose=0)


@pytest.mark.parametrize("key", ["cat", -1, 1.5])
def test_array_adapter_class_weight_keys_must_be_class_indices(key):
    with pytest.raises(ValueError, match="`class_weight` keys must be class indices"):
        ArrayAdapter(np.zeros((4, 2)), np.array([0, 1, 0, 1]), class_weight={key: 2.0})


def test_array_adapter_take_host_data_gives_the_arrays_once():
    adapter = ArrayAdapter(np.ones((6, 2)), np.arange(6), batch_size=4, shuffle=False)
    x, y, _ = adapter.take_host_data()
    assert x.device.type == "cpu"
    assert y.tolist() == list(range(6))
    assert adapter._host_data is None


@pytest.mark.parametrize("shuffle", [False, True, "batch"])
def test_array_adapter_flat_batches_equal_the_structure_walk(shuffle):
    """One tensor per `x`/`y`/`sample_weight` is sliced directly; a structure goes through
    the tree: the batches are the same."""
    weights = np.linspace(0.5, 2.0, 24).astype("float32")
    flat = ArrayAdapter(X, Y, weights, batch_size=10, shuffle=shuffle, device=torch.device("cpu"))
    nested = ArrayAdapter({"a": X}, [Y], {"w": weights}, batch_size=10, shuffle=shuffle,
                          device=torch.device("cpu"))  # fmt: skip
    assert flat._flat
    assert not nested._flat
    selections = list(flat.selections())
    for selection in selections:
        (x, y, w), (nx, (ny,), nw) = flat.take(selection), nested.take(selection)
        assert torch.equal(x, nx["a"])
        assert torch.equal(y, ny)
        assert torch.equal(w, nw["w"])
    assert sum(len(flat.take(s)[0]) for s in selections) == len(X)
    no_targets = ArrayAdapter(X, batch_size=10, shuffle=False, device=torch.device("cpu"))
    assert no_targets.take(slice(0, 4))[1:] == (None, None)
