"""`Function`: Keras's `keras.Function`, a callable graph of operations between KerasTensors.

Like a functional model without the `Layer` API: it records which operations link its
symbolic `inputs` to its `outputs` and re-runs them on new values.

Example:
    >>> import numpy as np
    >>> from kerastorch import ops
    >>> from kerastorch.graph.keras_tensor import KerasTensor
    >>> a, b = KerasTensor((None, 3)), KerasTensor((None, 3))
    >>> fn = Function(inputs=[a, b], outputs=ops.sigmoid(a + b))
    >>> fn([np.zeros((2, 3), "float32"), np.zeros((2, 3), "float32")]).tolist()
    [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import tree
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.node import Node
from kerastorch.graph.operation import Operation


class Function(Operation):
    """A computation graph of Keras operations, re-applied to new inputs.

    Unlike a functional `Model`, it is stateless: it does not track weights (its operations
    are not registered as submodules) and has no `fit`/`save`.

    Args:
        inputs: a `KerasTensor` or a nested structure of them (from `keras.Input` or
            `KerasTensor(...)`).
        outputs: a `KerasTensor` or a nested structure of them, computable from `inputs`.
        name: the function's name.
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None):
        super().__init__(name=name)
        self._inputs_struct = tree.map_structure(lambda x: x, inputs)
        self._outputs_struct = tree.map_structure(lambda x: x, outputs)
        self._inputs = tree.flatten(inputs)
        self._outputs = tree.flatten(outputs)
        for what, flat, given in (("inputs", self._inputs, inputs),
                                  ("outputs", self._outputs, outputs)):  # fmt: skip
            if not flat:
                raise ValueError(f"Function: `{what}` argument cannot be empty. Received:\n"
                                 f"inputs={inputs}\noutputs={outputs}")  # fmt: skip
            bad = [x for x in flat if not isinstance(x, KerasTensor)]
            if bad:
                raise ValueError(
                    f"Function: every item of `{what}` must be a KerasTensor. Received: "
                    f"{what}={given}"
                )
        self._nodes = _ordered_nodes(self._inputs, self._outputs)
        operations: list[Operation] = []
        for node in self._nodes:
            if all(node.layer is not op for op in operations):
                operations.append(node.layer)
        object.__setattr__(self, "_operations", operations)  # not submodules: no state

    @property
    def operations(self) -> list[Operation]:
        """The operations of the graph, in execution order."""
        return self._operations[:]

    @property
    def inputs(self) -> list[KerasTensor]:
        """Flat list of the symbolic inputs."""
        return self._inputs

    @property
    def outputs(self) -> list[KerasTensor]:
        """Flat list of the symbolic outputs."""
        return self._outputs

    def call(self, inputs: Any) -> Any:
        """Compute the outputs (in the structure of `outputs`) for new `inputs` values."""
        try:
            tree.assert_same_structure(inputs, self._inputs_struct)
        except ValueError:
            raise ValueError(
                "Function was called with an invalid input structure. Expected input "
                f"structure: {self._inputs_struct}\nReceived input structure: {inputs}"
            ) from None
        values = {id(x): v for x, v in zip(self._inputs, tree.flatten(inputs), strict=True)}
        for node in self._nodes:
            args, kwargs = node.arguments(values)
            outputs = node.layer(*args, **kwargs)
            for x, y in zip(node.flat_outputs, tree.flatten(outputs), strict=True):
                values[id(x)] = y
        return tree.pack_sequence_as(self._outputs_struct, [values[id(x)] for x in self._outputs])


def _ordered_nodes(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> list[Node]:
    """The nodes that compute `outputs` from `inputs`, each after its parents.

    (`graph.topology.map_graph` orders a model's graph, whose inputs come from `Input`
    layers; a `Function`'s inputs may also be bare `KerasTensor`s, so it walks the graph
    here, stopping at the inputs.)
    """
    input_ids = {id(x) for x in inputs}
    ordered: list[Node] = []
    done: set[int] = set()

    def visit(tensor: KerasTensor, path: tuple[int, ...]) -> None:
        if id(tensor) in input_ids:
            return
        history = tensor._keras_history
        node = None if history is None else history.layer._inbound_nodes[history.node_index]
        if node is None or node.is_input:
            raise ValueError(
                f"Function: output {tensor} is not connected to `inputs`: it depends on a "
                "KerasTensor that is not among the inputs."
            )
        if id(node) in done:
            return
        if id(node) in path:
            raise ValueError(f"Function: the graph has a cycle at {history.layer.name}.")
        for x in node.input_tensors:
            visit(x, (*path, id(node)))
        done.add(id(node))
        ordered.append(node)

    for output in outputs:
        visit(output, ())
    return ordered
