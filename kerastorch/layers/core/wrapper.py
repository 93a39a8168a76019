"""`Wrapper`: the abstract base of layers that wrap another layer (Keras's `TimeDistributed`).

Example:
    >>> import torch
    >>> from kerastorch.layers.core.dense import Dense
    >>> class Twice(Wrapper):
    ...     def call(self, inputs):
    ...         return self.layer(self.layer(inputs))
    >>> Twice(Dense(3))(torch.ones(2, 3)).shape
    torch.Size([2, 3])
"""

from __future__ import annotations

from typing import Any

from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.layers.layer import Layer


class Wrapper(Layer):
    """Abstract wrapper base class: holds `layer` and builds it; subclasses define `call`.

    Not a usable layer by itself (as in Keras, it has no `call`).

    Args:
        layer: the `Layer` to wrap.
        **kwargs: base layer arguments (`name`, `trainable`, `dtype`, ...).
    """

    def __init__(self, layer: Layer, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please "
                "ensure wrapped layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape: Any = None) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Wrapper:
        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
