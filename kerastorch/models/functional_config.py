"""Keras 3's config of a functional model: layers with their inbound nodes, inputs, outputs.

`functional_config(model)` writes the dict that Keras's `Functional.get_config()` writes:

    {"name": ..., "trainable": ...,
     "layers": [{<serialized layer>, "name": "dense",
                 "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
                                              "config": {"shape": [None, 5], "dtype": "float32",
                                                         "keras_history": ["input", 0, 0]}}],
                                    "kwargs": {}}]}, ...],
     "input_layers": [["input", 0, 0]], "output_layers": [["dense", 0, 0]]}

Operations (`x + 1`, `x[:, 0]`) are written as Keras writes its ops
(`module: "keras.src.ops.numpy"`, `class_name: "Add"`); a nested functional model counts
the node Keras creates at its construction, so node indices match Keras's.
`functional_from_config(cls, config)` rebuilds the graph by calling each layer on the
tensors its inbound nodes name, in dependency order.

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((3,), name="x")
    >>> model = keras.Model(x, keras.layers.Dense(2, name="d")(x))
    >>> config = functional_config(model)
    >>> config["input_layers"], config["output_layers"]
    (['x', 0, 0], ['d', 0, 0])
    >>> [layer.name for layer in functional_from_config(type(model), config).layers]
    ['x', 'd']
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from kerastorch.common import registry, serialization, tree
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.node import Node
from kerastorch.graph.topology import map_graph
from kerastorch.layers.layer import Layer
from kerastorch.ops.numpy.operators import GetItem
from kerastorch.saving.legacy_h5 import deserialize_legacy_layer


def functional_like_constructor(cls: type) -> bool:
    """Whether `cls(inputs=..., outputs=..., name=...)` builds it (Keras's test): its
    constructor starts with `(inputs, outputs, ...)` or forwards `*args, **kwargs`."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if names[:2] == ["inputs", "outputs"]:
        return True
    kinds = {p.kind for p in params}
    return inspect.Parameter.VAR_POSITIONAL in kinds and inspect.Parameter.VAR_KEYWORD in kinds


def _is_functional(layer: Any) -> bool:
    # `Functional` is built on this module: found through the registry, not imported.
    return isinstance(layer, registry.builtin_object("keras", "Functional"))


def _model_nodes(model: Any) -> set[int]:
    nodes, _ = map_graph(model.inputs, model.outputs)
    return {id(node) for node in nodes}


def serialize_operation(layer: Any) -> dict[str, Any]:
    """A layer's Keras config; operation layers as Keras's ops (`keras.src.ops.numpy.Add`)."""
    if not isinstance(layer, Layer):
        return {
            "module": layer._keras_module,
            "class_name": type(layer).__name__,
            "config": layer.get_config(),
            "registered_name": type(layer).__name__,
        }
    return serialization.serialize_keras_object(layer)


def functional_config(model: Any) -> dict[str, Any]:
    """Keras's `Functional.get_config()` for `model`."""
    own_nodes = _model_nodes(model)
    # Each layer's nodes that belong to this model, renumbered from 0 (1 for a nested
    # functional model, whose construction node Keras counts).
    reindex: dict[int, int] = {}
    for layer in model.operations:
        kept = 1 if _is_functional(layer) else 0
        for node in layer._inbound_nodes:
            if id(node) in own_nodes:
                reindex[id(node)] = kept
                kept += 1

    def history(tensor: KerasTensor) -> list[Any]:
        layer, node_index, tensor_index = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) not in reindex:
            raise ValueError(
                f"Cannot serialize model '{model.name}': tensor {tensor} comes from a call of "
                f"layer '{layer.name}' that is not part of the model."
            )
        return [layer.name, reindex[id(node)], tensor_index]

    def serialize_argument(x: Any) -> Any:
        if isinstance(x, KerasTensor):
            return {
                "class_name": "__keras_tensor__",
                "config": {"shape": list(x.shape), "dtype": x.dtype, "keras_history": history(x)},
            }
        return serialization.serialize_keras_object(x)

    layer_configs = []
    for layer in model.operations:
        inbound = []
        for node in layer._inbound_nodes:
            if id(node) not in own_nodes or node.is_input:
                continue
            inbound.append(
                {
                    "args": _map_arguments(serialize_argument, list(node.call_args)),
                    "kwargs": _map_arguments(serialize_argument, dict(node.call_kwargs)),
                }
            )
        layer_config = serialize_operation(layer)
        layer_config["name"] = layer.name
        layer_config["inbound_nodes"] = inbound
        layer_configs.append(layer_config)

    config = {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layer_configs,
        "input_layers": tree.map_structure(history, model.input),
        "output_layers": tree.map_structure(history, model.output),
    }
    return copy.deepcopy(config)


def _map_arguments(fn: Any, value: Any) -> Any:
    """Apply `fn` to the leaves of nested lists/tuples/dicts (KerasTensors are leaves)."""
    if isinstance(value, dict):
        return {key: _map_arguments(fn, v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_map_arguments(fn, v) for v in value]
    return fn(value)


def functional_from_config(
    cls: type, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Any:
    """Rebuild a functional model (of class `cls`) from `functional_config`'s output.

    Also reads configs written by Keras 3, and tf.keras 2's node lists
    (`[["dense", 0, 0, {}]]`).
    """
    config = dict(config)
    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(
                f"A functional model config must contain the key '{key}'. Received keys: "
                f"{sorted(config)}"
            )
    layer_configs = config.pop("layers")
    input_layers, output_layers = config.pop("input_layers"), config.pop("output_layers")
    created: dict[str, Any] = {}
    pending: dict[str, list[Any]] = {}

    for layer_data in layer_configs:
        name = layer_data["name"]
        if "module" not in layer_data:
            layer = deserialize_legacy_layer(layer_data, custom_objects)
        else:
            layer = serialization.deserialize_keras_object(
                layer_data, custom_objects=custom_objects
            )
        if not hasattr(layer, "_inbound_nodes"):
            raise ValueError(
                "Unexpected object from deserialization, expected a layer or operation, got "
                f"a {type(layer)}"
            )
        created[name] = layer
        pending[name] = list(layer_data.get("inbound_nodes") or [])

    while any(pending.values()):
        progressed = False
        for layer_data in layer_configs:
            name = layer_data["name"]
            queue = pending[name]
            while queue:
                try:
                    args, kwargs = _deserialize_node(queue[0], created)
                except IndexError:
                    break
                layer = created[name]
                if isinstance(layer, GetItem):
                    args = [args[0], *(tuple(a) if isinstance(a, list) else a for a in args[1:])]
                layer(*args, **kwargs)
                queue.pop(0)
                progressed = True
        if not progressed:
            raise ValueError(
                "Invalid Functional model configuration. The graph of the Functional model "
                "either has loops or disconnected nodes. The following nodes failed to be "
                f"resolved: { {k: v for k, v in pending.items() if v} }"
            )

    def get_tensor(name: str, node_index: int, tensor_index: int) -> KerasTensor:
        if name not in created:
            raise ValueError(f"Invalid Functional model configuration. Missing layer: {name}")
        layer = created[name]
        if _is_functional(layer):
            node_index -= 1  # Keras counts a construction node for functional models
        return _node_outputs(layer._inbound_nodes[node_index])[tensor_index]

    def map_tensors(tensors: Any) -> Any:
        if (
            isinstance(tensors, (list, tuple))
            and len(tensors) == 3
            and isinstance(tensors[0], str)
            and isinstance(tensors[1], int)
        ):
            return get_tensor(*tensors)
        if isinstance(tensors, dict):
            return {k: map_tensors(v) for k, v in tensors.items()}
        return [map_tensors(v) for v in tensors]

    inputs = map_tensors(input_layers)
    outputs = map_tensors(output_layers)
    if any("module" not in layer_data for layer_data in layer_configs):
        # tf.keras 2 wrote every input/output list as a list; its models unwrapped one tensor.
        inputs = inputs[0] if isinstance(inputs, list) and len(inputs) == 1 else inputs
        outputs = outputs[0] if isinstance(outputs, list) and len(outputs) == 1 else outputs
    # The rest of the config (`name`, `trainable`, a subclass's own arguments) goes to the
    # constructor, as Keras passes it.
    return cls(inputs=inputs, outputs=outputs, **config)


def _node_outputs(node: Node) -> list[KerasTensor]:
    return node.flat_outputs


def _deserialize_node(node_data: Any, created: dict[str, Any]) -> tuple[list, dict]:
    """`(args, kwargs)` of a layer call, with KerasTensors looked up in `created` layers.

    Raises IndexError while a needed node does not exist yet.
    """
    if isinstance(node_data, list):  # tf.keras 2: [[layer, node, tensor, kwargs], ...]
        tensors, kwargs = [], {}
        for item in node_data:
            tensors.append(_lookup(created, item[0], item[1], item[2]))
            if len(item) == 4:
                kwargs = dict(item[3])
        return ([tensors[0] if len(tensors) == 1 else tensors], _clean_kwargs(kwargs))

    def restore(value: Any) -> Any:
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            name, node_index, tensor_index = value["config"]["keras_history"]
            return _lookup(created, name, node_index, tensor_index)
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            return serialization.deserialize_keras_object(value)
        if isinstance(value, dict):
            return {k: restore(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [restore(v) for v in value]
        return value

    args = [restore(a) for a in node_data.get("args", [])]
    kwargs = {k: restore(v) for k, v in (node_data.get("kwargs") or {}).items()}
    return args, _clean_kwargs(kwargs)


def _clean_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    # Keras records the `training` value of the symbolic call (`False` for Dropout); its
    # functional model overrides it with the training phase of each run, so it is dropped.
    kwargs.pop("training", None)
    if kwargs.get("mask", 0) is None:
        kwargs.pop("mask")
    return kwargs


def _lookup(created: dict[str, Any], name: str, node_index: int, tensor_index: int) -> Any:
    if name not in created:
        raise ValueError(f"Invalid Functional model configuration. Missing node: {name}")
    layer = created[name]
    if _is_functional(layer):
        node_index -= 1
    if len(layer._inbound_nodes) <= node_index:
        raise IndexError(f"Layer node index out of bounds: {name}[{node_index}]")
    return _node_outputs(layer._inbound_nodes[node_index])[tensor_index]
