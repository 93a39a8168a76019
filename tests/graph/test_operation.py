import torch

from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation


class Scale(Operation):
    def __init__(self, factor: float = 2.0, name: str | None = None):
        super().__init__(name=name)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_operation_computes_on_tensors_without_recording():
    op = Scale()
    assert op(torch.ones(2)).tolist() == [2.0, 2.0]
    assert op._inbound_nodes == []


def test_operation_on_keras_tensors_infers_the_spec_and_records_a_node():
    op = Scale()
    x = KerasTensor((None, 3))
    y = op(x)
    assert (y.shape, y.dtype) == ((None, 3), "float32")
    assert op.input is x
    assert op.output is y
    assert y._keras_history.layer is op
    assert len(op._inbound_nodes) == 1


def test_operation_names_are_snake_case_and_unique():
    assert [Scale().name, Scale().name, Scale(name="s").name] == ["scale", "scale_1", "s"]


def test_operation_config_round_trip():
    op = Scale(3.0, name="triple")
    clone = Scale.from_config(op.get_config())
    assert (clone.name, clone.factor) == ("triple", 3.0)
