"""`StackedRNNCells`: several RNN cells run as one (each cell's output feeds the next).

Example:
    >>> import torch
    >>> from kerastorch.layers.recurrent.gru import GRUCell
    >>> from kerastorch.layers.recurrent.lstm import LSTMCell
    >>> cells = StackedRNNCells([LSTMCell(4), GRUCell(3)])
    >>> cells.state_size, cells.output_size
    ([[4, 4], 3], 3)
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

from kerastorch.common import registry, tree
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.layers.layer import Layer


class StackedRNNCells(Layer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell.

    Args:
        cells: list of RNN cell instances; the first one reads the inputs, each next one
            reads the previous one's output.

    Its states are the list of the cells' states, in order.

    Example:
        >>> from kerastorch.layers.recurrent.rnn import RNN
        >>> from kerastorch.layers.recurrent.simple_rnn import SimpleRNNCell
        >>> layer = RNN(StackedRNNCells([SimpleRNNCell(4), SimpleRNNCell(2)]))
        >>> layer(torch.ones(3, 5, 6)).shape
        torch.Size([3, 2])
    """

    def __init__(self, cells: list[Any], **kwargs: Any):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(
                    f"All cells must have a `call` method. Received cell without a `call` "
                    f"method: {cell}"
                )
            if "state_size" not in dir(cell):
                raise ValueError(
                    "All cells must have a `state_size` attribute. Received cell without a "
                    f"`state_size`: {cell}"
                )
        self.cells = list(cells)

    @property
    def state_size(self) -> list[Any]:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> int:
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        if isinstance(last.state_size, (list, tuple)):
            return last.state_size[0]
        return last.state_size

    def get_initial_state(self, batch_size: int | None = None) -> list[Any]:
        device, dtype = None, torch.get_default_dtype()
        for tensor in self.parameters():
            device, dtype = tensor.device, tensor.dtype
            break
        initial_states = []
        for cell in self.cells:
            get_initial_state_fn = getattr(cell, "get_initial_state", None)
            if get_initial_state_fn:
                initial_states.append(get_initial_state_fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                initial_states.append(
                    torch.zeros((batch_size, cell.state_size), device=device, dtype=dtype)
                )
            else:
                initial_states.append(
                    [
                        torch.zeros((batch_size, d), device=device, dtype=dtype)
                        for d in cell.state_size
                    ]
                )
        return initial_states

    def call(self, inputs: torch.Tensor, states: Any, training: bool = False, **kwargs: Any) -> Any:
        new_states = []
        for cell, cell_states in zip(self.cells, states, strict=False):
            state_is_list = tree.is_nested(cell_states)
            cell_states = list(cell_states) if state_is_list else [cell_states]
            if getattr(cell, "_call_has_training", False):
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            cell_fn = cell if callable(cell) else cell.call
            inputs, cell_states = cell_fn(inputs, cell_states, **kwargs)
            if not tree.is_nested(cell_states):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not state_is_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def build(self, input_shape: tuple) -> None:
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            if getattr(cell, "output_size", None) is not None:
                output_dim = cell.output_size
            elif isinstance(cell.state_size, (list, tuple)):
                output_dim = cell.state_size[0]
            else:
                output_dim = cell.state_size
            input_shape = (tree.flatten(input_shape)[0], output_dim)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "cells": [serialize_keras_object(cell) for cell in self.cells],
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> StackedRNNCells:
        config = config_with_dtype_name(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def config_with_dtype_name(config: dict[str, Any]) -> dict[str, Any]:
    """A copy of a layer config, its `dtype` (a serialized dtype policy) replaced by the name."""
    config = dict(config)
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        config["dtype"] = dtype.get("config", {}).get("name")
    return config


def deserialize_layer(config: Any, custom_objects: Any = None) -> Any:
    """Rebuild a layer from its serialized config (`serialize_keras_object`'s output).

    The recurrent layers (found in the registry's `keras.layers` table) are rebuilt here,
    their `from_config` receiving `custom_objects` where it takes them; everything else goes
    through `deserialize_keras_object`.
    """
    if isinstance(config, dict) and config.get("module") == "keras.layers":
        cls = registry.builtin_object("keras.layers", str(config.get("class_name")))
        if _is_recurrent_layer(cls):
            inner = config.get("config") or {}
            layer = (
                cls.from_config(inner, custom_objects=custom_objects)
                if "custom_objects" in _parameters(cls.from_config)
                else cls.from_config(inner)
            )
            build_config = config.get("build_config")
            if build_config and not layer.built:
                layer.build_from_config(build_config)
                layer.built = True
            return layer
    return deserialize_keras_object(config, custom_objects=custom_objects)


def _is_recurrent_layer(cls: Any) -> bool:
    """Whether `cls` is a layer class of this package (`kerastorch.layers.recurrent`)."""
    return (
        isinstance(cls, type)
        and issubclass(cls, Layer)
        and cls.__module__.startswith(f"{__package__}.")
    )


def _parameters(fn: Any) -> list[str]:
    return list(inspect.signature(fn).parameters)
