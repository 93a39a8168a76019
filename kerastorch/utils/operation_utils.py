"""`get_source_inputs`: the `Input` tensors a symbolic tensor is computed from.

Example:
    >>> import kerastorch as keras
    >>> a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    >>> y = keras.layers.Dense(2)(keras.layers.Add()([a, b]))
    >>> [t is x for t, x in zip(get_source_inputs(y), (a, b))]
    [True, True]
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import tree

__all__ = ["get_source_inputs"]


def get_source_inputs(tensor: Any) -> Any:
    """The list of input tensors needed to compute `tensor` (each once, in discovery order).

    A tensor that no layer produced (no `_keras_history`, e.g. a plain array) is returned
    unchanged, as in Keras.
    """
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return tensor
    operation, node_index, _ = history
    if operation is None or not operation._inbound_nodes:
        return [tensor]
    node = operation._inbound_nodes[node_index]
    if node.is_input:
        return tree.flatten(node.outputs)
    sources: list[Any] = []
    for parent in node.input_tensors:
        for x in get_source_inputs(parent):
            if all(x is not s for s in sources):
                sources.append(x)
    return sources
