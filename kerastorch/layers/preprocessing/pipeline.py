"""`Pipeline`: a plain layer that applies a list of (preprocessing) layers in order.

Example:
    >>> import torch
    >>> from kerastorch.layers.preprocessing.rescaling import Rescaling
    >>> pipeline = Pipeline([Rescaling(2.0), Rescaling(1.0, offset=1.0)])
    >>> pipeline(torch.tensor([1.0, 2.0])).tolist()
    [3.0, 5.0]
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import tree
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.layers.layer import Layer
from kerastorch.layers.tracking import track_modules


class Pipeline(Layer):
    """Apply `layers` one after the other, passing `training` and the Keras masks along.

    Unlike a `Sequential`, it is not a `Model`, and its inputs are handed to the first layer
    as they come (host-side layers such as `StringLookup` take Python lists). As in Keras,
    `training` defaults to True: random augmentation layers are active unless the call (or
    the enclosing model call) says `training=False`.

    Args:
        layers: the list of layers.
        name: the layer's name.
    """

    def __init__(self, layers: list[Layer], name: str | None = None):
        super().__init__(name=name)
        # `_layers` behind the `layers` property: `.keras` files keep them under `layers/` (Keras).
        self._layers = track_modules(list(layers))

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # each layer converts what it takes

    def call(self, inputs: Any, training: bool | None = True, mask: Any = None) -> Any:
        training = True if training is None else training
        outputs = inputs
        for layer in self._layers:
            kwargs: dict[str, Any] = {}
            if layer._call_has_mask:
                kwargs["mask"] = mask
            if layer._call_has_training:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = tree.map_structure(lambda t: getattr(t, "_keras_mask", None), outputs)
        return outputs

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Pipeline:
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key mapping to a list of serialized "
                f"layers. Received config with layers={layers}."
            )
        config = {**config, "layers": [deserialize_keras_object(x) for x in layers]}
        return cls(**config)

    def get_config(self) -> dict[str, Any]:
        return {"layers": serialize_keras_object(self.layers), "name": self.name}
