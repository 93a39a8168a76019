"""One-process checks of the sharding helpers (the multi-process runs are in
test_model_parallel.py)."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.common.layouts import transpose
from kerastorch.distribution.checkpoint import load_sharded, save_sharded
from kerastorch.distribution.gathering import gathered
from kerastorch.distribution.sharding import is_sharded, stored_dims


def test_keras_layout_axes_map_to_the_stored_dimensions():
    # Dense: Keras (input, units), nn.Linear stores (units, input).
    assert stored_dims((None, "model"), torch.empty(4, 3), transpose) == {"model": 0}
    assert stored_dims(("model", None), torch.empty(4, 3), transpose) == {"model": 1}
    assert stored_dims(("batch", "model"), torch.empty(4, 3), None) == {"batch": 0, "model": 1}
    assert stored_dims((None, None), torch.empty(4, 3), None) == {}
    with pytest.raises(ValueError, match="a layout of 1 axes"):
        stored_dims(("model",), torch.empty(4, 3), None)


def test_a_plain_model_is_not_sharded_and_saves_as_before():
    net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    assert not is_sharded(net)
    stored = [w.tensor for w in net.weights]
    with gathered(net) as writes:
        assert writes  # one process: it writes
        assert all(w.tensor is t for w, t in zip(net.weights, stored, strict=True))


def test_shard_weights_is_a_data_parallel_option():
    lib = keras.distribution
    assert lib.DataParallel(devices=["cpu:0"], shard_weights=True).shard_weights
    assert not lib.DataParallel(devices=["cpu:0"]).shard_weights


def test_sharded_checkpoints_in_one_process_restore_the_optimizer(tmp_path):
    net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    net.compile(optimizer="adam", loss="mse")
    net.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    weights = net.get_weights()
    state = [v.numpy() for v in net.optimizer.variables]
    save_sharded(net, tmp_path / "ckpt")
    net.set_weights([w * 0 for w in weights])
    net.optimizer.set_weights([s * 0 for s in state])
    load_sharded(net, tmp_path / "ckpt")
    for ours, theirs in zip(net.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    for ours, theirs in zip(net.optimizer.variables, state, strict=True):
        np.testing.assert_array_equal(ours.numpy(), theirs)
