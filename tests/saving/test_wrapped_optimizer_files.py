"""`.keras` files of models compiled with wrapping optimizers (`LossScaleOptimizer`,
`MultiOptimizer`) move both ways with Keras: the wrapper's state under `optimizer/vars` and
each inner optimizer's again in its own group, as Keras writes them."""

import warnings
import zipfile

import h5py
import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import assert_close, keras_or_skip

X = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
Y = X.sum(1, keepdims=True)


def _loss_scale(lib):
    return lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(0.01))


def _multi(lib):
    return lib.optimizers.MultiOptimizer(
        lib.optimizers.OptimizerMap(
            default_optimizer=lib.optimizers.SGD(0.1, momentum=0.9),
            optimizer_map={".*kernel": lib.optimizers.Adam(0.01)},
        )
    )


def _trained(lib, make_optimizer):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2), lib.layers.Dense(1)])
    model.compile(optimizer=make_optimizer(lib), loss="mse")
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    return model


def _groups(path, tmp_path):
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path / "x")
    names = []
    with h5py.File(tmp_path / "x" / "model.weights.h5") as f:
        f["optimizer"].visit(lambda n: names.append(n) if n.endswith("vars") else None)
    return sorted(names)


def _state(optimizer):
    return [np.asarray(v.detach().cpu() if hasattr(v, "detach") else v.value) for v in
            optimizer.variables]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("make_optimizer", [_loss_scale, _multi], ids=["loss_scale", "multi"])
def test_wrapped_optimizer_state_moves_both_ways(make_optimizer, tmp_path):
    keras = keras_or_skip()
    theirs, ours = _trained(keras, make_optimizer), _trained(kt, make_optimizer)
    theirs.save(str(tmp_path / "k.keras"))
    ours.save(str(tmp_path / "o.keras"))
    assert _groups(tmp_path / "o.keras", tmp_path / "o") == _groups(tmp_path / "k.keras", tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # "Skipping variable loading ..."
        in_keras = keras.saving.load_model(str(tmp_path / "o.keras"))
        here = kt.saving.load_model(str(tmp_path / "k.keras"))
    assert_close([np.asarray(v.numpy()) for v in in_keras.optimizer.variables],
                 _state(ours.optimizer))  # fmt: skip
    assert_close(
        _state(here.optimizer), [np.asarray(v.numpy()) for v in theirs.optimizer.variables]
    )
    here.fit(X, Y, epochs=1, batch_size=8, verbose=0)  # the loaded state trains on
