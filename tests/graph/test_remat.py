import numpy as np
import pytest
import torch
import torch.utils.checkpoint

import kerastorch
from kerastorch import layers
from kerastorch.graph import remat as remat_module
from kerastorch.graph.remat import RematScope, get_current_remat_mode, remat
from tests.oracle import keras_or_skip


@pytest.fixture
def checkpoints(monkeypatch):
    """The functions run under `torch.utils.checkpoint` (and they still run)."""
    seen = []
    original = torch.utils.checkpoint.checkpoint

    def recording(fn, *args, **kwargs):
        seen.append(getattr(fn, "__name__", type(fn).__name__))
        return original(fn, *args, **kwargs)

    monkeypatch.setattr(torch.utils.checkpoint, "checkpoint", recording)
    return seen


def _grads(layer, x):
    x = torch.as_tensor(x).requires_grad_(True)
    layer(x).square().sum().backward()
    return x.grad


X = np.random.default_rng(0).standard_normal((4, 6)).astype("float32")


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"mode": "full"}, ["call"]),
        ({"mode": "activations"}, ["relu"]),
        ({"mode": "list_of_layers", "layer_names": ["picked"]}, ["call"]),
        ({"mode": "list_of_layers", "layer_names": ["other"]}, []),
        ({"mode": "larger_than", "output_size_threshold": 10}, ["call"]),  # 4 x 5 = 20
        ({"mode": "larger_than", "output_size_threshold": 20}, []),
        ({"mode": None}, []),
    ],
)
def test_scope_modes_rematerialize_what_keras_does(checkpoints, scope, expected):
    plain = layers.Dense(5, activation="relu", name="plain")
    with RematScope(**scope):
        layer = layers.Dense(5, activation="relu", name="picked")
    layer.build((None, 6))
    plain.build((None, 6))
    plain.set_weights(layer.get_weights())
    reference = _grads(plain, X)
    assert checkpoints == []
    torch.testing.assert_close(_grads(layer, X), reference)
    assert checkpoints == expected


def test_scopes_nest_and_layers_keep_the_mode_of_their_creation():
    assert get_current_remat_mode() is None
    with RematScope(mode="full"):
        with RematScope(mode="larger_than", output_size_threshold=7):
            inner = layers.Dense(2)
            assert get_current_remat_mode().output_size_threshold == 7
        outer = layers.Dense(2)
    assert get_current_remat_mode() is None
    assert inner._remat_mode.mode == "larger_than"
    assert outer._remat_mode.mode == "full"
    assert layers.Dense(2)._remat_mode is None


def test_remat_function_and_errors(checkpoints):
    x = torch.linspace(0, 1, 5, requires_grad=True)
    remat(torch.sin)(x).sum().backward()
    torch.testing.assert_close(x.grad, torch.cos(x).detach())
    assert checkpoints == ["sin"]
    with pytest.raises(ValueError, match="Invalid mode 'some'"):
        RematScope(mode="some")
    assert kerastorch.RematScope is RematScope
    assert kerastorch.remat is remat_module.remat


def test_fit_in_a_remat_scope_equals_fit_without(checkpoints):
    def fitted(scope):
        kerastorch.utils.set_random_seed(3)
        with RematScope(mode=scope):
            model = kerastorch.Sequential(
                [kerastorch.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(1)]
            )
        model.compile(optimizer="sgd", loss="mse")
        model.fit(X, X[:, :1], epochs=2, batch_size=2, verbose=0)
        return model.get_weights()

    for ours, reference in zip(fitted("full"), fitted(None), strict=True):
        np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-6)
    assert checkpoints


@pytest.mark.parity
def test_same_surface_as_keras():
    keras = keras_or_skip()
    import inspect

    def defaults(cls):
        params = inspect.signature(cls.__init__).parameters
        return [(p.name, p.default) for p in params.values()]

    assert defaults(RematScope) == defaults(keras.RematScope)
    with keras.RematScope(mode="activations", layer_names=["a"]):
        theirs = keras.src.backend.common.remat.get_current_remat_mode()
    with RematScope(mode="activations", layer_names=["a"]):
        ours = get_current_remat_mode()
    assert tuple(ours) == tuple(theirs)
