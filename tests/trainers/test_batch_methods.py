"""`predict_on_batch` (and `predict`) call the model directly when `predict_step` is the
default one and no mixed precision is set: same outputs as through `predict_step`."""

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.trainers import batch_methods, trainer_steps

X = np.random.default_rng(0).normal(size=(10, 3)).astype("float32")


def _models():
    """The same weights twice: the second overrides `predict_step` (the general path)."""

    class Stepped(kt.Model):
        def predict_step(self, data):
            calls.append(1)
            return super().predict_step(data)

    calls: list[int] = []
    inputs = kt.Input((3,))
    outputs = kt.layers.Dense(2, activation="relu")(kt.layers.Dense(4)(inputs))
    direct = kt.Model(inputs, outputs)
    stepped = Stepped(inputs, outputs)  # shares the layers
    return direct, stepped, calls


def test_predict_and_predict_on_batch_call_the_model_directly_with_the_same_outputs(monkeypatch):
    direct, stepped, calls = _models()
    unpacked = []
    unpack = trainer_steps.unpack_batch  # what `predict_step` (and the set-up) unpack with

    def spy(batch):
        unpacked.append(1)
        return unpack(batch)

    monkeypatch.setattr(trainer_steps, "unpack_batch", spy)
    ours = direct.predict(X, batch_size=4, verbose=0)
    assert unpacked == [1]  # the set-up's first batch only: no `predict_step`
    theirs = stepped.predict(X, batch_size=4, verbose=0)
    assert calls == [1, 1, 1]  # the override runs per batch
    np.testing.assert_array_equal(ours, theirs)
    unpacked.clear()
    single = direct.predict_on_batch(X[:1])
    assert unpacked == []
    assert single.dtype == np.float32
    assert single.shape == (1, 2)
    np.testing.assert_array_equal(single, stepped.predict_on_batch(X[:1]))
    assert calls == [1, 1, 1, 1]
    np.testing.assert_array_equal(direct.predict_on_batch(torch.as_tensor(X[:2])), ours[:2])


def test_predict_on_batch_structures_and_mixed_precision_take_predict_step():
    a, b = kt.Input((3,), name="a"), kt.Input((3,), name="b")
    model = kt.Model({"a": a, "b": b}, [kt.layers.Add()([a, b]), a])
    added, same = model.predict_on_batch({"a": X[:2], "b": X[:2]})
    np.testing.assert_allclose(added, 2 * X[:2])
    np.testing.assert_array_equal(same, X[:2])
    dense = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    reference = dense.predict_on_batch(X[:2])
    kt.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        # The model keeps its float32 layers; the step autocasts: bfloat16 comes back as
        # float32 (as `predict` returns it).
        half = dense.predict_on_batch(X[:2])
    finally:
        kt.mixed_precision.set_global_policy(None)
    assert half.dtype == np.float32
    np.testing.assert_allclose(half, reference, atol=0.05)


@pytest.mark.parametrize("method", ["predict", "predict_on_batch"])
def test_direct_prediction_runs_in_inference_mode(method):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dropout(0.5), kt.layers.Dense(2)])
    model.train()
    first = getattr(model, method)(X, **({"verbose": 0} if method == "predict" else {}))
    second = getattr(model, method)(X, **({"verbose": 0} if method == "predict" else {}))
    np.testing.assert_array_equal(first, second)  # no dropout
    assert not model.training


def _spy_prepare(monkeypatch, model):
    """Count the model's `_prepare_device` calls (the general set-up before a prediction)."""
    calls = []
    prepare = model._prepare_device

    def spy(*args, **kwargs):
        calls.append(1)
        return prepare(*args, **kwargs)

    monkeypatch.setattr(model, "_prepare_device", spy)
    return calls


def test_predict_on_batch_prepares_the_device_only_when_something_changed(monkeypatch):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    calls = _spy_prepare(monkeypatch, model)
    reference = model.predict_on_batch(X[:1])
    assert calls == [1]  # the first call: no step plan yet
    np.testing.assert_array_equal(model.predict_on_batch(X[:1]), reference)
    assert calls == [1]  # nothing changed: skipped
    kt.mixed_precision.set_global_policy("mixed_bfloat16")  # a new autocast dtype
    try:
        model.predict_on_batch(X[:1])
    finally:
        kt.mixed_precision.set_global_policy(None)
    assert calls == [1, 1]
    model.predict_on_batch(X[:1])  # back to no autocast
    assert calls == [1, 1, 1]
    monkeypatch.setenv("KERASTORCH_DEVICE", "cpu:0")  # another device than the plan's
    model.predict_on_batch(X[:1])
    assert len(calls) == 4
    assert model._step_plan.device == torch.device("cpu:0")
    monkeypatch.delenv("KERASTORCH_DEVICE")
    kt.backend.set_device("cpu")
    try:
        model.predict_on_batch(X[:1])
        assert len(calls) == 5
        assert model._step_plan.device == torch.device("cpu")
    finally:
        kt.backend.set_device(None)
    # Weights found elsewhere than the default device (e.g. after `model.to(...)`).
    monkeypatch.setattr(batch_methods, "_same_device", lambda current, device: False)
    model.predict_on_batch(X[:1])
    assert len(calls) == 6
    monkeypatch.undo()
    calls = _spy_prepare(monkeypatch, model)
    np.testing.assert_array_equal(model.predict_on_batch(X[:1]), reference)
    assert calls == []


def test_predict_on_batch_array_fast_path_converts_as_the_general_path():
    direct, stepped, _ = _models()
    arrays = [
        X[:2],  # float32, C order: handed to torch as is
        X[:2].astype("float64"),  # cast to floatx
        np.asfortranarray(X[:2]),  # made contiguous
        X[:4:2],  # a strided view
    ]
    for array in arrays:
        ours = direct.predict_on_batch(array)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, stepped.predict_on_batch(array), rtol=1e-6)
    model = kt.Sequential([kt.Input((2,), dtype="int32"), kt.layers.Identity()])
    ints = np.arange(4, dtype="int32").reshape(2, 2)
    assert model.predict_on_batch(ints).dtype == np.int32
    with pytest.raises(TypeError, match="strings"):
        model.predict_on_batch(np.array([["a", "b"]]))


class _Failing(kt.Model):
    def call(self, x):
        raise RuntimeError("failing call")


def test_predict_on_batch_restores_the_grad_mode():
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    assert torch.is_grad_enabled()
    with torch.no_grad():
        model.predict_on_batch(X[:1])
        assert not torch.is_grad_enabled()
    failing = _Failing()
    failing.add_weight(shape=(1,))  # a weight, for the device set-up
    failing.built = True
    with pytest.raises(RuntimeError, match="failing call"):
        failing.predict_on_batch(X[:1])
    assert torch.is_grad_enabled()
    # Outputs made under no_grad: later training of the same model still works.
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(X[:2], np.ones((2, 2), "float32"))


def test_same_device():
    cpu = torch.device("cpu")
    assert batch_methods._same_device(cpu, cpu)
    assert not batch_methods._same_device(cpu, torch.device("meta"))
    assert not batch_methods._same_device(cpu, torch.device("cpu:0"))
    if torch.cuda.is_available():
        here = torch.device("cuda", torch.cuda.current_device())
        assert batch_methods._same_device(here, torch.device("cuda"))


class _OwnTrain(torch.nn.Module):
    """A module with its own `train` (called, not bypassed), and no parameters of its own."""

    def __init__(self):
        super().__init__()
        self.inner = torch.nn.Linear(2, 2)
        self.modes = []

    def train(self, mode=True):
        self.modes.append(mode)
        return super().train(mode)


def test_to_eval_sets_eval_mode_and_finds_the_first_parameter_in_one_walk():
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dropout(0.5), kt.layers.Dense(2)])
    own = _OwnTrain()
    root = torch.nn.ModuleList([own, model])  # the Keras model inside torch modules
    root.train()
    first = batch_methods._to_eval(root)
    assert first is next(root.parameters())
    assert not any(module.training for module in root.modules())
    assert own.modes == [True, False]  # its own `train` ran
    empty = torch.nn.Sequential(torch.nn.ReLU())
    assert batch_methods._to_eval(empty) is None
    assert not empty.training
    assert batch_methods._to_eval(_OwnTrain()).shape == (2, 2)
