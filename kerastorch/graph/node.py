"""`Node`: one call of a layer on KerasTensors, the edge list of the functional graph.

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((3,))
    >>> y = keras.layers.Dense(2)(x)
    >>> node = y._keras_history.layer._inbound_nodes[0]
    >>> node.parent_nodes[0].layer.name
    'input_layer'
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kerastorch.common import tree
from kerastorch.graph.keras_tensor import KerasTensor


class KerasHistory(NamedTuple):
    """Where a KerasTensor came from: `layer._inbound_nodes[node_index].outputs[tensor_index]`."""

    layer: Any
    node_index: int
    tensor_index: int


class Node:
    """A layer called on `call_args` / `call_kwargs`, producing `outputs` (KerasTensors)."""

    def __init__(
        self,
        layer: Any,
        call_args: tuple[Any, ...] = (),
        call_kwargs: dict[str, Any] | None = None,
        outputs: Any = None,
    ):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.flat_outputs = tree.flatten(outputs)
        self._flat_arguments = tree.flatten((self.call_args, self.call_kwargs))
        self.input_tensors = [x for x in self._flat_arguments if isinstance(x, KerasTensor)]
        self.parent_nodes = [
            t._keras_history.layer._inbound_nodes[t._keras_history.node_index]
            for t in self.input_tensors
            if t._keras_history is not None
        ]
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.flat_outputs):
            tensor._keras_history = KerasHistory(layer, node_index, tensor_index)

    @property
    def is_input(self) -> bool:
        return not self.input_tensors

    def arguments(self, values: dict[int, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The call's `(args, kwargs)` with each KerasTensor replaced by `values[id(tensor)]`."""
        flat = [values[id(x)] if isinstance(x, KerasTensor) else x for x in self._flat_arguments]
        return tree.pack_sequence_as((self.call_args, self.call_kwargs), flat)
