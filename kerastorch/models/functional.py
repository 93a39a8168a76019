"""`Functional`: a model defined by a graph of layer calls from `Input`s to outputs.

Construction walks the graph once (`graph.topology.map_graph`): it orders the nodes,
checks that every output is reachable from the inputs and that names are unique, and
registers each layer as a submodule under its name (so `state_dict()` keys read
`dense.linear.weight`). `forward` runs the nodes in that order.

Example:
    >>> import torch, kerastorch as keras
    >>> a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    >>> y = keras.layers.Dense(1)(keras.layers.concatenate([a, b]))
    >>> model = keras.Model([a, b], y)
    >>> model([torch.ones(2, 3), torch.ones(2, 3)]).shape
    torch.Size([2, 1])
    >>> [layer.name for layer in model.layers]
    ['a', 'b', 'concatenate', 'dense']
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.graph.inputs import input_name, standardize_inputs
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
from kerastorch.graph.topology import map_graph
from kerastorch.layers.layer import CALL_CONTEXT
from kerastorch.models.functional_config import functional_config, functional_like_constructor
from kerastorch.models.model import Model


class Functional(Model):
    """A model built from `inputs` and `outputs` KerasTensors (single, list or dict).

    Args:
        inputs: the model's `Input`s: one KerasTensor, a list, or a dict by name.
        outputs: KerasTensors computed from them: one, a list, or a dict by name.
        name: the model's name (`functional`, `functional_1`, ... by default).
        trainable: whether the model's weights are trainable.
    """

    _keras_module = "keras.src.models.functional"  # where Keras's files name the class

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        flat_inputs, flat_outputs = tree.flatten(inputs), tree.flatten(outputs)
        for kind, tensors in (("inputs", flat_inputs), ("outputs", flat_outputs)):
            for x in tensors:
                if not isinstance(x, KerasTensor):
                    raise ValueError(
                        f"All `{kind}` values of a functional model must be KerasTensors (made "
                        f"by `keras.Input` and layer calls). Received: {kind}={x!r} "
                        f"(of type {type(x).__name__})"
                    )
        if len({id(x) for x in flat_inputs}) != len(flat_inputs):
            raise ValueError(
                "The list of inputs passed to the model contains the same input twice."
            )
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._flat_inputs = flat_inputs
        self._flat_outputs = flat_outputs
        nodes, operations = map_graph(flat_inputs, flat_outputs)
        self._operations = operations
        for layer in operations:
            self._modules[layer.name.replace(".", "_")] = layer
        input_ids = {id(x) for x in flat_inputs}
        self._run_nodes = [
            node
            for node in nodes
            if not (node.is_input or all(id(t) in input_ids for t in node.flat_outputs))
        ]
        self._single_input = [_single_argument(node) for node in self._run_nodes]
        self.built = True

    # -- the graph, as Keras exposes it -----------------------------------------------------
    @property
    def inputs(self) -> list[KerasTensor]:
        return list(self._flat_inputs)

    @property
    def outputs(self) -> list[KerasTensor]:
        return list(self._flat_outputs)

    @property
    def input(self) -> Any:
        return self._inputs_struct

    @property
    def output(self) -> Any:
        return self._outputs_struct

    @property
    def input_shape(self) -> Any:
        return _unpack_singleton(tree.map_structure(lambda x: x.shape, self._inputs_struct))

    @property
    def output_shape(self) -> Any:
        return _unpack_singleton(tree.map_structure(lambda x: x.shape, self._outputs_struct))

    @property
    def input_names(self) -> list[str]:
        return [input_name(x) for x in self._flat_inputs]

    @property
    def operations(self) -> list[Operation]:
        return list(self._operations)

    # -- running ----------------------------------------------------------------------------
    def call(self, inputs: Any, training: bool | None = None, mask: Any = None) -> Any:
        """Run the graph. `training` reaches every layer; `mask` is the inputs' mask(s)."""
        flat = standardize_inputs(self.name, self._inputs_struct, self._flat_inputs, inputs)
        if mask is not None:
            flat = [_with_mask(x, m) for x, m in zip(flat, tree.flatten(mask), strict=False)]
        # `model(x, training=...)` has set the call context already; `model.call(x, ...)`
        # (e.g. from a subclass's `call`) sets it here, for every layer of the graph.
        outer = CALL_CONTEXT.training
        if training is not None:
            CALL_CONTEXT.training = bool(training)
        try:
            return self._run_graph(flat)
        finally:
            CALL_CONTEXT.training = outer

    def _run_graph(self, flat: list[Any]) -> Any:
        values = {id(x): value for x, value in zip(self._flat_inputs, flat, strict=False)}
        for node, single in zip(self._run_nodes, self._single_input, strict=False):
            if single is not None:
                outputs = node.layer(values[single])
            else:
                args, kwargs = node.arguments(values)
                outputs = node.layer(*args, **kwargs)
            if len(node.flat_outputs) == 1 and isinstance(outputs, torch.Tensor):
                values[id(node.flat_outputs[0])] = outputs
            else:
                for x, value in zip(node.flat_outputs, tree.flatten(outputs), strict=False):
                    values[id(x)] = value
        # `outputs=[y]` returns the tensor itself, as Keras's `unpack_singleton` does.
        return _unpack_singleton(
            tree.pack_sequence_as(self._outputs_struct, [values[id(x)] for x in self._flat_outputs])
        )

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """The outputs' KerasTensors, in the structure of `outputs` (a one-element list stays
        a list on symbolic calls, as in Keras; eager calls return its tensor)."""
        outputs = super().compute_output_spec(*args, **kwargs)
        if _unpack_singleton(self._outputs_struct) is not self._outputs_struct:
            return tree.pack_sequence_as(self._outputs_struct, tree.flatten(outputs))
        return outputs

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Unpickled (torch.load): the graph's tensors are new objects, so ids are recomputed.
        super().__setstate__(state)
        self._single_input = [_single_argument(node) for node in self._run_nodes]

    # -- config -----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Keras's functional config: layers with inbound nodes, input and output layers.

        A subclass of `Functional` whose constructor differs returns only its name and
        trainability (as in Keras, such a subclass must define its own `get_config`).
        """
        if not functional_like_constructor(type(self)):
            return Model.get_config(self)
        return functional_config(self)

    def get_build_config(self) -> dict[str, Any]:
        return {"input_shape": None}  # as Keras: a functional model is built by construction


def _unpack_singleton(x: Any) -> Any:
    """A one-element list or tuple -> its element (Keras's `unpack_singleton`)."""
    if isinstance(x, (list, tuple)) and len(x) == 1:
        return x[0]
    return x


def _with_mask(x: Any, mask: Any) -> Any:
    """An alias of input `x` that carries `mask` (the caller's tensor is left untouched)."""
    if mask is None or not isinstance(x, torch.Tensor):
        return x
    alias = x.view_as(x)
    alias._keras_mask = mask
    return alias


def _single_argument(node: Any) -> int | None:
    """`id` of the node's only input when the call was `layer(x)`; else None (general path)."""
    if len(node.call_args) == 1 and not node.call_kwargs:
        arg = node.call_args[0]
        if isinstance(arg, KerasTensor):
            return id(arg)
    return None
