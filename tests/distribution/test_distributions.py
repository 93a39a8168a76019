import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.distribution import (
    DataParallel,
    DeviceMesh,
    LayoutMap,
    ModelParallel,
    TensorLayout,
    distribute_tensor,
    distribution,
    get_device_count,
    initialize,
    list_devices,
    set_distribution,
)
from kerastorch.distribution.distributions import active_distribution
from tests.oracle import keras_or_skip


@pytest.fixture(autouse=True)
def _no_global_distribution():
    yield
    set_distribution(None)


def test_single_process_devices_and_initialize():
    initialize()  # nothing to join: a no-op
    assert not torch.distributed.is_initialized()
    assert list_devices("cpu") == ["cpu:0"]
    assert get_device_count("cpu") == 1
    with pytest.raises(ValueError, match="device_type"):
        list_devices("tpu")


@pytest.mark.parity
def test_data_parallel_and_model_parallel_match_keras():
    theirs = keras_or_skip().distribution
    for lib in (theirs, keras.distribution):
        strategy = lib.DataParallel(devices=["cpu:0", "cpu:1"])
        assert strategy.batch_dim_name == "batch"
        assert strategy.num_model_replicas == 2
        assert strategy.get_data_layout((8, 3)).axes == ("batch", None)
        mesh = lib.DeviceMesh((1, 2), ["batch", "model"], ["cpu:0", "cpu:1"])
        layout_map = lib.LayoutMap(mesh)
        layout_map[".*kernel"] = (None, "model")
        parallel = lib.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
        assert parallel.num_model_replicas == 1
        assert parallel.get_tensor_layout("d/kernel").axes == (None, "model")
        with pytest.raises(ValueError, match="layout_map"):
            lib.ModelParallel()
        assert lib.distribution() is None
        lib.set_distribution(strategy)
        assert lib.distribution() is strategy
        lib.set_distribution(None)


def test_variable_layouts_follow_the_layout_map():
    mesh = DeviceMesh((2,), ["model"], ["cpu:0", "cpu:1"])
    layout_map = LayoutMap(mesh)
    layout_map["dense/kernel"] = (None, "model")
    parallel = ModelParallel(layout_map=layout_map)
    dense = keras.layers.Dense(4, name="dense")
    dense.build((None, 3))
    assert parallel.get_variable_layout(dense.kernel).axes == (None, "model")
    assert parallel.get_variable_layout(dense.bias).axes == (None,)
    assert DataParallel(devices=["cpu:0"]).get_variable_layout(dense.kernel).axes == (None, None)


def test_scope_sets_and_restores_the_distribution():
    strategy = DataParallel(devices=["cpu:0"])
    with strategy.scope():
        assert distribution() is strategy
    assert distribution() is None
    with pytest.raises(ValueError, match="Distribution"):
        set_distribution("data_parallel")


def test_distribute_tensor_in_one_process_is_the_tensor():
    x = torch.ones(4, 2)
    layout = TensorLayout(("batch", None), DeviceMesh((1,), ["batch"], ["cpu:0"]))
    assert distribute_tensor(x, layout) is x
    symbolic = keras.KerasTensor((None, 2))
    assert distribute_tensor(symbolic, layout) is symbolic


def test_automatic_mode_needs_a_launcher_and_can_be_turned_off(monkeypatch):
    assert active_distribution() is None  # not launched
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("KERASTORCH_DISTRIBUTION", "off")
    assert active_distribution() is None


def test_fit_with_data_parallel_in_one_process_is_plain_fit():
    set_distribution(DataParallel(devices=["cpu:0"]))
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((8, 3)), np.ones((8, 1)), batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert "forward" not in vars(model)
    assert "_plain_forward" not in vars(model)
