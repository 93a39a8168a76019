"""`clone_model`: a new model with the same architecture and freshly initialized weights.

As in Keras: a Sequential model is rebuilt layer by layer, a functional model by replaying
its graph on new inputs, each layer recreated from its config (or by `clone_function`);
a subclassed model is rebuilt from its config. Weights are not copied.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> clone = clone_model(model)
    >>> clone.layers[0] is model.layers[0], clone.count_params() == model.count_params()
    (False, True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerastorch.common import tree
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers.core.input_layer import Input, InputLayer
from kerastorch.layers.layer import Layer
from kerastorch.models.functional import Functional
from kerastorch.models.sequential import Sequential


def _clone_layer(layer: Any) -> Any:
    config = layer.get_config()
    return type(layer).from_config(config)


def clone_model(
    model: Any,
    input_tensors: Any = None,
    clone_function: Callable[[Any], Any] | None = None,
    call_function: Callable[..., Any] | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> Any:
    """Clone a Functional, Sequential or subclassed model (new weights, same architecture).

    Args:
        model: the model to clone.
        input_tensors: new inputs (KerasTensors from `keras.Input`) for the clone.
        clone_function: `layer -> new layer`; defaults to recreating from the config.
        call_function: `(layer, *args, **kwargs) -> outputs`, to change how layers are
            called in a functional clone.
        recursive: also clone nested functional/Sequential models with `clone_function`.

    Returns:
        The new model; a compiled Functional or Sequential model's clone is compiled with the
        same configuration (a new optimizer), as in Keras.
    """
    if kwargs:
        raise ValueError(
            f"Arguments not recognized by `clone_model()`: {sorted(kwargs)}. Expected: "
            "input_tensors, clone_function, call_function, recursive."
        )
    cloned = _clone_structure(model, input_tensors, clone_function, call_function, recursive)
    if getattr(model, "compiled", False) and isinstance(model, (Functional, Sequential)):
        cloned.compile_from_config(model.get_compile_config())  # as Keras: the same compile
    return cloned


def _clone_structure(
    model: Any,
    input_tensors: Any,
    clone_function: Callable[[Any], Any] | None,
    call_function: Callable[..., Any] | None,
    recursive: bool,
) -> Any:
    base_clone = clone_function or _clone_layer

    def clone(layer: Any) -> Any:
        if recursive and isinstance(layer, (Functional, Sequential)):
            return clone_model(layer, clone_function=clone_function, recursive=True)
        return base_clone(layer)

    if isinstance(model, Sequential):
        layers = [clone(layer) for layer in model.layers]
        if input_tensors is not None:
            first = tree.flatten(input_tensors)[0]
            return Sequential([first._keras_history.layer, *layers], name=model.name,
                              trainable=model.trainable)  # fmt: skip
        if model._input_layer is not None:
            layers = [InputLayer(batch_shape=model._input_layer.batch_shape,
                                 dtype=model._input_layer.dtype,
                                 name=model._input_layer.name), *layers]  # fmt: skip
        return Sequential(layers, name=model.name, trainable=model.trainable)

    if isinstance(model, Functional) and type(model) is Functional:
        if input_tensors is None:
            new_inputs = [
                Input(batch_shape=x.shape, dtype=x.dtype, name=x._keras_history.layer.name)
                for x in model.inputs
            ]
        else:
            new_inputs = tree.flatten(input_tensors)
            if len(new_inputs) != len(model.inputs):
                raise ValueError(
                    f"Model '{model.name}' has {len(model.inputs)} inputs, but "
                    f"`input_tensors` holds {len(new_inputs)} tensors."
                )
        values = {id(old): new for old, new in zip(model.inputs, new_inputs, strict=False)}
        clones: dict[int, Any] = {}
        for node in model._run_nodes:
            layer = node.layer
            if id(layer) not in clones:
                if isinstance(layer, InputLayer):
                    clones[id(layer)] = layer
                elif isinstance(layer, Layer):
                    clones[id(layer)] = clone(layer)
                else:  # a weightless operation (`x + 1`): a new one of the same kind
                    clones[id(layer)] = type(layer)()
            new_layer = clones[id(layer)]
            args, call_kwargs = node.arguments(values)
            if call_function is not None:
                outputs = call_function(new_layer, *args, **call_kwargs)
            else:
                outputs = new_layer(*args, **call_kwargs)
            for old, new in zip(node.flat_outputs, tree.flatten(outputs), strict=False):
                values[id(old)] = new
        inputs = tree.pack_sequence_as(model.input, new_inputs)
        outputs = tree.pack_sequence_as(model.output, [values[id(x)] for x in model.outputs])
        return Functional(inputs, outputs, name=model.name, trainable=model.trainable)

    if input_tensors is not None and not all(
        isinstance(x, KerasTensor) for x in tree.flatten(input_tensors)
    ):
        raise ValueError("`input_tensors` must be KerasTensors made by `keras.Input`.")
    config = model.get_config()
    try:
        return type(model).from_config(config)
    except TypeError as error:
        raise ValueError(
            f"Unable to clone model '{model.name}' of class {type(model).__name__}: its "
            "`get_config()` / `from_config()` do not round-trip. Subclassed models must "
            f"implement `get_config()`. Error: {error}"
        ) from error
