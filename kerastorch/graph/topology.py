"""Ordering a functional graph: Keras's depth-first map, depths, and its errors.

`map_graph(inputs, outputs)` walks back from the outputs, orders the nodes by depth
(inputs deepest), orders the layers as Keras does (by depth, then by discovery order), and
raises the "Graph disconnected" and duplicate-name errors at construction time.

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((3,), name="x")
    >>> y = keras.layers.Dense(2, name="d")(x)
    >>> nodes, layers = map_graph([x], [y])
    >>> [layer.name for layer in layers]
    ['x', 'd']
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.node import Node


def map_graph(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> tuple[list, list]:
    """`(nodes in execution order, layers in Keras's order)` for the graph inputs -> outputs."""
    nodes_in_decreasing_depth, layer_indices = _build_map(inputs, outputs)
    node_depths: dict[Node, int] = {}
    layer_depths: dict[Any, int] = {}
    for node in reversed(nodes_in_decreasing_depth):
        depth = max(node_depths.setdefault(node, 0), layer_depths.get(node.layer, 0))
        layer_depths[node.layer] = depth
        node_depths[node] = depth
        for parent in node.parent_nodes:
            node_depths[parent] = max(depth + 1, node_depths.get(parent, 0))
    for x in inputs:
        layer = x._keras_history.layer
        if layer not in layer_depths:
            layer_depths[layer] = 0
            layer_indices[layer] = -1
            node_depths[layer._inbound_nodes[0]] = 0

    layers_by_depth: dict[int, list] = defaultdict(list)
    for layer, depth in layer_depths.items():
        layers_by_depth[depth].append(layer)
    layers = []
    for depth in sorted(layers_by_depth, reverse=True):
        layers.extend(sorted(layers_by_depth[depth], key=lambda layer: layer_indices[layer]))

    nodes_by_depth: dict[int, list[Node]] = defaultdict(list)
    for node, depth in node_depths.items():
        nodes_by_depth[depth].append(node)
    computable = {id(x) for x in inputs}
    reached: list[str] = []
    ordered: list[Node] = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input and not any(id(x) in computable for x in node.flat_outputs):
                raise ValueError(
                    f"Graph disconnected: the outputs need input '{node.layer.name}', which is "
                    f"not in Model(inputs=[...]). Inputs given: "
                    f"{[t._keras_history.layer.name for t in inputs]}. Layers reached without "
                    f"issue: {reached}. Add '{node.layer.name}' to the model's inputs."
                )
            for x in node.input_tensors:
                if id(x) not in computable:
                    raise ValueError(
                        f"Graph disconnected: cannot find parent for tensor {x} at layer "
                        f"'{node.layer.name}'. The model's inputs are "
                        f"{[t._keras_history.layer.name for t in inputs]}; the tensor comes "
                        f"from layer '{x._keras_history.layer.name}', which is not reachable "
                        f"from them. The following previous layers were accessed without "
                        f"issue: {reached}"
                    )
            reached.append(node.layer.name)
            ordered.append(node)
            computable.update(id(x) for x in node.flat_outputs)

    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) != 1:
            raise ValueError(
                f'The name "{name}" is used {names.count(name)} times in the model. All layer '
                "names should be unique."
            )
    return ordered, layers


def _build_map(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> tuple[list, dict]:
    finished: set[Node] = set()
    in_progress: set[Node] = set()
    ordered: list[Node] = []
    layer_indices: dict[Any, int] = {}
    input_ids = {id(x) for x in inputs}

    def visit(tensor: KerasTensor) -> None:
        if tensor._keras_history is None:
            raise ValueError(
                f"Output tensors of a functional model must be the output of a Keras layer. "
                f"Received: {tensor}"
            )
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if node in finished:
            return
        if node in in_progress:
            raise ValueError(f"Tensor {tensor} from layer '{layer.name}' is part of a cycle.")
        layer_indices.setdefault(layer, len(layer_indices))
        in_progress.add(node)
        if not node.is_input and id(tensor) not in input_ids:
            for x in node.input_tensors:
                visit(x)
        finished.add(node)
        in_progress.remove(node)
        ordered.append(node)

    for output in outputs:
        visit(output)
    return ordered, layer_indices
