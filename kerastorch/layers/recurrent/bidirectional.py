"""`Bidirectional`: runs a recurrent layer forwards and a copy backwards, and merges them.

Example:
    >>> import torch
    >>> from kerastorch.layers.recurrent.lstm import LSTM
    >>> Bidirectional(LSTM(4, return_sequences=True))(torch.ones(2, 5, 3)).shape
    torch.Size([2, 5, 8])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.serialization import serialize_keras_object
from kerastorch.layers.input_spec import assert_shape_compatibility
from kerastorch.layers.layer import Layer
from kerastorch.layers.recurrent.stacked_rnn_cells import config_with_dtype_name, deserialize_layer

Tensor = torch.Tensor

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Args:
        layer: an `RNN` instance (`LSTM`, `GRU`, `SimpleRNN`, `RNN(cell)`); a copy of it
            (its config, named `forward_<name>`) runs forwards.
        merge_mode: how the two outputs combine: `"concat"` (default), `"sum"`, `"mul"`,
            `"ave"`, or `None` (a list of both).
        weights: initial weights, forward half then backward half.
        backward_layer: the layer that runs backwards (`go_backwards=True`); by default a
            copy of `layer` named `backward_<name>` with `go_backwards` flipped.

    The backward output sequence is reversed back to the input's time order before merging.
    With `return_state`, the states are `[*forward_states, *backward_states]`. The weights
    are the forward layer's, then the backward layer's, as in Keras.

    Example:
        >>> from kerastorch.layers.recurrent.gru import GRU
        >>> layer = Bidirectional(GRU(3), merge_mode="sum")
        >>> layer(torch.ones(2, 4, 5)).shape, len(layer.weights)
        (torch.Size([2, 3]), 6)
    """

    def __init__(
        self,
        layer: Layer,
        merge_mode: str | None = "concat",
        weights: list[Any] | None = None,
        backward_layer: Layer | None = None,
        **kwargs: Any,
    ):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                f"Received: {layer}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `keras.layers.Layer` instance. "
                f"Received: {backward_layer}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        self.forward_layer = _copy_layer(layer, name=f"forward_{_strip(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _copy_layer(
                layer,
                name=f"backward_{_strip(layer.name, 'backward_')}",
                go_backwards=not layer.go_backwards,
            )
        self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for inner in (self.forward_layer, self.backward_layer):
            if getattr(inner, "zero_output_for_mask", None) is not None:
                inner.zero_output_for_mask = inner.return_sequences
        self.merge_mode = merge_mode
        if weights:
            half = len(weights) // 2
            self.forward_layer._initial_weights = weights[:half]
            self.backward_layer._initial_weights = weights[half:]
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. "
                f"Received: forward_layer.go_backwards {forward.go_backwards}, "
                f"backward_layer.go_backwards={backward.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            forward_value, backward_value = getattr(forward, attr), getattr(backward, attr)
            if forward_value != backward_value:
                raise ValueError(
                    "Forward layer and backward layer are expected to have the same value for "
                    f'attribute "{attr}", got "{forward_value}" for forward layer and '
                    f'"{backward_value}" for backward layer'
                )

    def build(self, sequences_shape: tuple, initial_state_shape: Any = None) -> None:
        assert_shape_compatibility(self, sequences_shape)  # named as this layer, not the inner
        for inner in (self.forward_layer, self.backward_layer):
            if not inner.built:
                inner.build(sequences_shape)
            if inner._initial_weights is not None:
                inner.set_weights(inner._initial_weights)
                inner._initial_weights = None

    def get_build_config(self) -> dict[str, Any] | None:
        shapes = self._build_shapes
        if isinstance(shapes, dict) and "sequences_shape" in shapes:
            return {"input_shape": shapes["sequences_shape"]}
        return super().get_build_config()

    def compute_output_shape(
        self, sequences_shape: tuple, initial_state_shape: Any = None, **kwargs: Any
    ) -> Any:
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shape: tuple = ()
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = (*output_shape[:-1], output_shape[-1] * 2)
        elif self.merge_mode is None:
            output_shape = [output_shape, output_shape]
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output_shape) + state_shape + state_shape
            return (output_shape, *state_shape, *state_shape)
        return output_shape if self.merge_mode is not None else tuple(output_shape)

    def call(
        self,
        sequences: Tensor,
        initial_state: Any = None,
        mask: Tensor | None = None,
        training: bool | None = None,
    ) -> Any:
        kwargs: dict[str, Any] = {}
        if self.forward_layer._call_has_training:
            kwargs["training"] = training
        if self.forward_layer._call_has_mask:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states: tuple = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = torch.flip(y_rev, [1])
        if self.merge_mode == "concat":
            output: Any = torch.cat([y, y_rev], dim=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            if self.merge_mode is None:
                return output + states
            return (output, *states)
        return output

    @property
    def states(self) -> tuple | None:
        forward, backward = self.forward_layer.states, self.backward_layer.states
        if forward and backward:
            return tuple(forward) + tuple(backward)
        return None

    def reset_state(self) -> None:
        """Zero the states of both directions (stateful layers only)."""
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self) -> None:
        """Alias of `reset_state` (tf.keras's name)."""
        self.reset_state()

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, list):
            mask = mask[0]
        if self.return_sequences:
            output_mask: Any = (mask, mask) if not self.merge_mode else mask
        else:
            output_mask = (None, None) if not self.merge_mode else None
        if self.return_state and self.states is not None:
            state_mask = tuple(None for _ in self.states)
            return (output_mask, *state_mask, *state_mask)
        return output_mask

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialize_keras_object(self.forward_layer),
            "backward_layer": serialize_keras_object(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Bidirectional:
        config = config_with_dtype_name(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_layer(backward, custom_objects)
        return cls(**config)


def _strip(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else name


def _copy_layer(layer: Layer, **overrides: Any) -> Layer:
    """A fresh layer with `layer`'s config (and `overrides`), built like it."""
    config = layer.get_config()
    config.update(overrides)
    copy = type(layer).from_config(config)
    build_config = layer.get_build_config()
    if layer.built and build_config and not copy.built:
        copy.build_from_config(build_config)
    return copy
