"""The symbolic side of the functional API: KerasTensors, nodes, operations, tracing, topology.

Floor 1 of DESIGN §10: it imports only `common/` (and torch).
"""

from kerastorch.graph.keras_tensor import KerasTensor, any_symbolic
from kerastorch.graph.node import KerasHistory, Node
from kerastorch.graph.operation import Operation

__all__ = ["KerasHistory", "KerasTensor", "Node", "Operation", "any_symbolic"]
