import copy

import numpy as np
import pytest
import torch

from kerastorch import initializers, metrics
from tests.oracle import assert_close, keras_or_skip


class BinaryTruePositives(metrics.Metric):
    """Keras 3's documented custom-metric example, unchanged but for the imports."""

    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(
            shape=(), initializer="zeros", name="true_positives"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = torch.as_tensor(y_true).bool()
        y_pred = torch.as_tensor(y_pred).bool()
        values = (y_true & y_pred).to(torch.float32)
        if sample_weight is not None:
            values = values * torch.broadcast_to(torch.as_tensor(sample_weight), values.shape)
        self.true_positives.assign(self.true_positives + torch.sum(values))

    def result(self):
        return self.true_positives.value.clone()


def test_metric_custom_subclass_written_for_keras_runs():
    m = BinaryTruePositives()
    m.update_state([1, 1, 0, 1], [1, 0, 0, 1])
    assert float(m.result()) == 2.0
    assert float(m([1], [1], sample_weight=[0.5])) == 2.5
    m.reset_state()
    assert float(m.result()) == 0.0


def test_metric_state_is_registered_buffers():
    m = metrics.Mean()
    assert isinstance(m, torch.nn.Module)
    assert [name for name, _ in m.named_buffers()] == ["total", "count"]
    assert list(m.parameters()) == []
    m.update_state([2.0, 4.0])
    assert set(m.state_dict()) == {"total", "count"}
    assert float(m.state_dict()["total"]) == 6.0


def test_metric_state_dict_round_trip():
    m = metrics.Precision(thresholds=[0.3, 0.6])
    m.update_state([0, 1, 1, 0], [0.4, 0.7, 0.2, 0.9])
    other = metrics.Precision(thresholds=[0.3, 0.6])
    other.load_state_dict(m.state_dict())
    assert_close(other.result(), m.result())


def test_metric_variables_are_keras_views_of_the_buffers():
    m = metrics.Mean(name="loss_mean")
    total, count = m.variables
    assert (total.name, total.path, total.shape, total.dtype) == (
        "total",
        "loss_mean/total",
        (),
        "float32",
    )
    assert not total.trainable
    total.assign(3.0)
    count.assign_add(2.0)
    assert float(m.result()) == 1.5
    assert total.tensor is m._buffers["total"]
    assert np.asarray(total) == 3.0


def test_metric_variables_follow_to_device_and_dtype_moves():
    m = metrics.Mean()
    m.update_state([1.0, 2.0])
    m.to(torch.float64)
    assert m.total.tensor.dtype == torch.float64
    assert m.total.tensor is m._buffers["total"]
    assert float(m.result()) == 1.5


def test_metric_state_moves_to_the_device_of_its_inputs():
    m = metrics.Mean()
    meta_values = torch.empty(3, device="meta")
    m.update_state(meta_values)
    assert m.total.tensor.device.type == "meta"
    assert m.count.tensor.device.type == "meta"


def test_metric_add_variable_supports_initializers_and_names():
    class M(metrics.Metric):
        def __init__(self):
            super().__init__(name="m")
            self.a = self.add_variable((2,), initializer="ones", name="a")
            self.b = self.add_variable((2,), initializer=3.0, dtype="int32")
            self.c = self.add_variable((2,), initializer=lambda shape, dtype: np.full(shape, 7))
            self.d = self.add_weight((), name="a")
            self.e = self.add_variable((2,), initializer=initializers.Constant(2.0))

    m = M()
    assert [v.path for v in m.variables] == ["m/a", "m/variable", "m/variable", "m/a", "m/variable"]
    buffers = ["a", "variable", "variable_1", "a_1", "variable_2"]
    assert [name for name, _ in m.named_buffers()] == buffers
    assert m.e.numpy().tolist() == [2.0, 2.0]
    assert m.a.numpy().tolist() == [1.0, 1.0]
    assert m.b.numpy().tolist() == [3, 3]
    assert m.b.dtype == "int32"
    assert m.c.numpy().tolist() == [7.0, 7.0]
    m.reset_state()  # Keras resets to zeros, whatever the initializer
    assert m.a.numpy().tolist() == [0.0, 0.0]


def test_metric_without_super_init_raises():
    class Broken(metrics.Metric):
        def __init__(self):
            self.x = 1
            self.add_variable(())

    with pytest.raises(RuntimeError, match=r"forgot to call `super\(\)\.__init__\(\)`"):
        Broken()


def test_metric_bad_initializer_raises():
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        metrics.Metric().add_variable((1,), initializer="glorot_magic")


def test_metric_names_are_unique_per_session():
    names = [metrics.AUC().name, metrics.AUC().name, metrics.MeanIoU(2).name]
    assert names == ["auc", "auc_1", "mean_io_u"]


def test_metric_dtype_defaults_to_floatx_and_accepts_policies():
    class Policy:
        compute_dtype = "float16"

    assert metrics.Mean().dtype == "float32"
    assert metrics.Mean(dtype="float64").dtype == "float64"
    assert metrics.Mean(dtype=torch.float64).total.dtype == "float64"
    assert metrics.Mean(dtype=Policy()).dtype == "float16"
    assert metrics.Mean(dtype="mixed_bfloat16").dtype == "bfloat16"


def test_metric_call_updates_then_returns_the_result():
    m = metrics.Mean()
    assert float(m([1.0, 3.0])) == 2.0
    assert float(m([5.0])) == 3.0
    assert repr(m) == "<Mean name=mean>"


def test_metric_deepcopy_keeps_variables_bound_to_the_copy():
    m = metrics.Mean()
    m.update_state([1.0])
    clone = copy.deepcopy(m)
    clone.update_state([3.0])
    assert float(m.result()) == 1.0
    assert float(clone.result()) == 2.0


def test_metric_nested_metrics_contribute_variables():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.inner = metrics.Mean(name="inner")
            self.own = self.add_variable((), name="own")

    assert [v.path for v in Pair().variables] == ["pair/own", "inner/total", "inner/count"]


@pytest.mark.parity
def test_metric_base_config_matches_keras():
    keras = keras_or_skip()
    assert metrics.Metric(name="m").get_config() == keras.metrics.Metric(name="m").get_config()


def test_metric_assign_add_keeps_the_state_out_of_autograd():
    m = metrics.Sum()
    value = torch.tensor(2.0, requires_grad=True)
    m.total.assign_add(value * 1.5)
    m.total.assign_add(torch.tensor(1, dtype=torch.int64))
    m.total.assign_add(0.5)
    assert not m.total.tensor.requires_grad
    assert m.total.tensor.dtype == torch.float32
    assert float(m.result()) == 4.5


def test_metric_state_held_by_child_metrics_moves_to_the_device_of_its_inputs():
    class Wrapper(metrics.Metric):
        def __init__(self):
            super().__init__(name="wrapper")
            self.inner = metrics.Mean(name="inner")

        def update_state(self, values):
            self._follow(values)
            self.inner.update_state(values)

        def result(self):
            return self.inner.result()

    m = Wrapper()
    m.update_state(torch.tensor([1.0, 3.0]))
    assert float(m.result()) == 2.0
    m.update_state(torch.empty(3, device="meta"))
    assert m.inner.total.tensor.device.type == "meta"
    assert m.inner.count.tensor.device.type == "meta"
