"""The symbolic side of the functional API: KerasTensors, nodes, tracing and topology."""

from kerastorch.graph.keras_tensor import KerasTensor, any_symbolic
from kerastorch.graph.node import KerasHistory, Node

__all__ = ["KerasHistory", "KerasTensor", "Node", "any_symbolic"]
