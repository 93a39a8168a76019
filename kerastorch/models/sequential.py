"""`Sequential`: a plain stack of layers, each with one input and one output.

Its input shape comes from an `Input` given first, from `input_shape=` on the first layer
(tf.keras style), or from the first data it sees. Once the shape is known the stack is also
traced symbolically, so `summary()`, `model.inputs` and `model.outputs` work. `forward` is a
plain loop over the layers.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(256)])
    >>> model.add(keras.layers.Dense(10))
    >>> model.output_shape, model.count_params()
    ((None, 10), 203530)
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import serialization
from kerastorch.common.scopes import current_path, name_scope
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers.core.input_layer import InputLayer
from kerastorch.layers.layer import Layer
from kerastorch.models.model import Model
from kerastorch.saving.legacy_h5 import deserialize_legacy_layer


class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: the layers, in order; an `Input(...)` may come first.
        trainable: whether the model's weights are trainable.
        name: the model's name (`sequential`, `sequential_1`, ... by default).
    """

    _keras_module = "keras"

    def __init__(
        self, layers: list[Any] | None = None, trainable: bool = True, name: str | None = None
    ):
        super().__init__(trainable=trainable, name=name)
        self._stack: list[Layer] = []
        self._input_layer: InputLayer | None = None
        self._inputs: list[KerasTensor] = []
        self._outputs: list[KerasTensor] = []
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (or an `Input`, as the first element) to the stack."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history.layer
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to use "
                    f"input shape {self._input_layer.batch_shape if self._input_layer else None}"
                    f". You cannot add a different Input layer to it."
                )
            self._input_layer = layer
            self._maybe_rebuild()
            return
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model. Update the '
                "`name` argument to pass a unique name."
            )
        self._stack.append(layer)
        self._modules[layer.name.replace(".", "_")] = layer
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        del self._modules[layer.name.replace(".", "_")]
        self.built = False
        self._inputs, self._outputs = [], []
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def layers(self) -> list[Layer]:
        """The stacked layers (the `InputLayer` is not listed, as in Keras)."""
        return list(self._stack)

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Sequential.layers` attribute is reserved and should not be used. Use `add()` "
            "and `pop()` to change the layers in this model."
        )

    def _input_batch_shape(self) -> tuple[int | None, ...] | None:
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if self._stack and self._stack[0]._input_shape_arg is not None:
            return (None, *self._stack[0]._input_shape_arg)
        return None

    def _maybe_rebuild(self) -> None:
        shape = self._input_batch_shape()
        if shape is not None and self._stack:
            self.build(shape)
        elif shape is not None:
            self._inputs = [self._input_layer._input_tensor]

    def build(self, input_shape: Any = None) -> None:
        """Trace the stack on an input of `input_shape` (batch included, and kept in the
        output shapes, as Keras keeps it), building each layer."""
        if input_shape is None:
            input_shape = self._input_batch_shape()
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        input_shape = tuple(None if d is None else int(d) for d in input_shape)
        if self._input_layer is None or self._input_layer.batch_shape != input_shape:
            self._input_layer = InputLayer(batch_shape=input_shape)
        x = self._input_layer._input_tensor
        inputs = x
        if self._parent_path is None:
            self._parent_path = current_path()
        with name_scope(self.name, caller=self):  # the layers' weight paths, as Keras
            for layer in self._stack:
                x = layer(x)
        self._inputs, self._outputs = [inputs], [x]
        self.built = True

    def call(self, inputs: Any, training: bool | None = None, mask: Any = None) -> Any:
        for layer in self._stack:
            inputs = layer(inputs)
        return inputs

    @property
    def operations(self) -> list[Layer]:
        return list(self._stack)

    @property
    def inputs(self) -> list[KerasTensor] | None:
        return list(self._inputs) if self._inputs else None

    @property
    def outputs(self) -> list[KerasTensor] | None:
        return list(self._outputs) if self._outputs else None

    @property
    def input(self) -> Any:
        return self._node_output_or_error(self._inputs, "input")

    @property
    def output(self) -> Any:
        return self._node_output_or_error(self._outputs, "output")

    def _node_output_or_error(self, tensors: list[KerasTensor], what: str) -> Any:
        if not tensors:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {what}: it has not been built "
                "with a known input shape yet."
            )
        return tensors[0]

    @property
    def input_shape(self) -> Any:
        return self.input.shape

    @property
    def output_shape(self) -> Any:
        return self.output.shape

    # -- config -----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Keras's Sequential config: the `InputLayer` (when known) first, then the layers."""
        config = Layer.get_config(self)
        layers = ([self._input_layer] if self._input_layer is not None else []) + self._stack
        config["layers"] = [serialization.serialize_keras_object(layer) for layer in layers]
        if self._input_layer is not None and self._stack:
            config["build_input_shape"] = list(self._input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Sequential:
        """Rebuild the model from `get_config()`'s output (ours, Keras 3's or tf.keras 2's)."""
        if "layers" not in config:
            raise ValueError(
                "A Sequential model configuration must be a dictionary containing the 'name' "
                f"and 'layers' keys. Received: config={config}"
            )
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            if "module" not in layer_config:
                layer = deserialize_legacy_layer(layer_config, custom_objects)
            else:
                layer = serialization.deserialize_keras_object(
                    layer_config, custom_objects=custom_objects
                )
            model.add(layer, rebuild=False)
        build_input_shape = config.get("build_input_shape")
        if isinstance(build_input_shape, (list, tuple)) and build_input_shape and model._stack:
            model.build(tuple(build_input_shape))
        else:
            model._maybe_rebuild()
        return model

    def get_build_config(self) -> dict[str, Any] | None:
        shape = self._input_batch_shape()
        if shape is None or not self.built:
            return None
        return {"input_shape": list(shape)}

    def build_from_config(self, config: dict[str, Any] | None) -> None:
        if config and config.get("input_shape") and not self.built:
            self.build(tuple(config["input_shape"]))
