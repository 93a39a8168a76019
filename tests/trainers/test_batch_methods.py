"""`predict_on_batch` (and `predict`) call the model directly when `predict_step` is the
default one and no mixed precision is set: same outputs as through `predict_step`."""

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.trainers import trainer_steps

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
