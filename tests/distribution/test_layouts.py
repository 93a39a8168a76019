import pytest

from kerastorch.distribution import DeviceMesh, LayoutMap, TensorLayout
from tests.oracle import keras_or_skip

DEVICES = ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]


@pytest.mark.parity
def test_mesh_layout_and_layout_map_match_keras():
    keras = keras_or_skip()
    for lib in (keras.distribution, __import__("kerastorch").distribution):
        mesh = lib.DeviceMesh((2, 2), ["batch", "model"], DEVICES)
        layout_map = lib.LayoutMap(mesh)
        layout_map[".*dense.*kernel"] = (None, "model")
        layout_map[".*dense.*bias"] = ("model",)
        found = [
            None if layout_map[path] is None else layout_map[path].axes
            for path in ("dense_1/kernel", "dense_1/bias", "conv/kernel", "my_dense/kernel")
        ]
        assert found == [(None, "model"), ("model",), None, (None, "model")]
        assert mesh.devices.shape == (2, 2)
        assert layout_map["dense_1/kernel"].device_mesh is mesh
        assert len(layout_map) == 2
        assert list(layout_map) == [".*dense.*kernel", ".*dense.*bias"]


@pytest.mark.parity
def test_errors_match_keras():
    keras = keras_or_skip()
    for lib in (keras.distribution, __import__("kerastorch").distribution):
        with pytest.raises(ValueError, match="Shape does not match the number of devices"):
            lib.DeviceMesh((3,), ["batch"], DEVICES)
        with pytest.raises(ValueError, match="same size"):
            lib.DeviceMesh((2, 2), ["batch"], DEVICES)
        mesh = lib.DeviceMesh((4,), ["batch"], DEVICES)
        with pytest.raises(ValueError, match="Invalid axis names"):
            lib.TensorLayout(("model",), mesh)
        layout_map = lib.LayoutMap(mesh)
        layout_map["a.*"] = ("batch",)
        layout_map[".*b"] = (None,)
        with pytest.raises(ValueError, match="matches multiple layout"):
            layout_map["ab"]
        with pytest.raises(ValueError, match="already exist"):
            layout_map["a.*"] = ("batch",)


def test_backend_layout_is_dtensor_placements():
    from torch.distributed.tensor import Replicate, Shard

    mesh = DeviceMesh((2, 2), ["batch", "model"], DEVICES)
    assert TensorLayout((None, "model"), mesh).backend_layout == [Replicate(), Shard(1)]
    assert TensorLayout(("batch", None), mesh).backend_layout == [Shard(0), Replicate()]
    with pytest.raises(ValueError, match="no device mesh"):
        TensorLayout((None,)).backend_layout


def test_layout_mesh_is_set_once():
    mesh = DeviceMesh((4,), ["batch"], DEVICES)
    layout = TensorLayout(("batch",))
    layout.device_mesh = mesh
    with pytest.raises(ValueError, match="Cannot override device mesh"):
        layout.device_mesh = mesh
    with pytest.raises(ValueError, match="should be a TensorLayout"):
        LayoutMap(mesh)["x"] = ["batch"]
