"""`TimeDistributed`: applies a layer to every temporal slice of an input.

Example:
    >>> import torch
    >>> from kerastorch.layers.core.dense import Dense
    >>> TimeDistributed(Dense(4))(torch.ones(2, 5, 3)).shape
    torch.Size([2, 5, 4])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.layers.core.wrapper import Wrapper
from kerastorch.layers.layer import Layer
from kerastorch.layers.recurrent.stacked_rnn_cells import config_with_dtype_name, deserialize_layer

Tensor = torch.Tensor


class TimeDistributed(Wrapper):
    """Apply `layer` to every temporal slice (axis 1) of the input, with shared weights.

    The batch and time axes are merged into one (`(batch * time, ...)`, a view for
    contiguous inputs), the layer runs once on that, and the result is split back. Keras
    instead calls the layer once per time step: the numbers are the same for layers that
    treat samples independently (Dense, Conv2D, ...), but a layer computing batch
    statistics (BatchNormalization in training) sees all the steps at once here.

    Args:
        layer: a `Layer` instance.

    Call arguments:
        inputs: `(batch, time, ...)`.
        training: passed to the layer if its `call` takes it.
        mask: `(batch, time)`, passed (merged) to the layer if its `call` takes it.

    Input shape:
        `(batch, time, *inner_input_shape)`.
    Output shape:
        `(batch, time, *inner_output_shape)`.

    Example:
        >>> from kerastorch.layers.core.dense import Dense
        >>> layer = TimeDistributed(Dense(2))
        >>> layer(torch.ones(3, 4, 5)).shape, layer.count_params()
        (torch.Size([3, 4, 2]), 12)
    """

    def __init__(self, layer: Layer, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
                f"instance. Received: {layer}"
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _get_child_input_shape(self, input_shape: Any) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                f"dimensions, received: {input_shape}"
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape: tuple) -> None:
        child_input_shape = self._get_child_input_shape(input_shape)
        if not self.layer.built:
            self.layer.build(child_input_shape)
            self.layer.built = True

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        child_output_shape = self.layer.compute_output_shape(
            self._get_child_input_shape(input_shape)
        )
        return (child_output_shape[0], input_shape[1], *child_output_shape[1:])

    def call(self, inputs: Tensor, training: bool | None = None, mask: Tensor | None = None) -> Any:
        batch, steps = inputs.shape[0], inputs.shape[1]
        if mask is not None:
            if mask.ndim < 2:
                raise ValueError(
                    "The `mask` passed to the `TimeDistributed` layer must be at least 2D "
                    f"(e.g., `(batch_size, timesteps)`), but it has {mask.ndim} dimension(s) "
                    f"with shape {tuple(mask.shape)}."
                )
            if tuple(mask.shape[:2]) != (batch, steps):
                raise ValueError(
                    "The `mask` passed to the `TimeDistributed` layer has a shape "
                    f"{tuple(mask.shape)} that is incompatible with the input shape "
                    f"{tuple(inputs.shape)}. The first two dimensions of the mask (batch size "
                    "and timesteps) must match the input's first two dimensions. Expected mask "
                    f"shape prefix: ({batch}, {steps})."
                )
        kwargs: dict[str, Any] = {}
        if self.layer._call_has_mask and mask is not None:
            kwargs["mask"] = mask.reshape(batch * steps, *mask.shape[2:])
        if self.layer._call_has_training:
            kwargs["training"] = training
        merged = inputs.reshape(batch * steps, *inputs.shape[2:])  # (B*T, ...)
        outputs = self.layer.call(merged, **kwargs)
        return tree.map_structure(lambda y: y.reshape(batch, steps, *y.shape[1:]), outputs)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> TimeDistributed:
        config = config_with_dtype_name(config)
        layer = deserialize_layer(config.pop("layer"), custom_objects)
        return cls(layer, **config)
