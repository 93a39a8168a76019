"""`Lambda`: wraps a function of tensors as a layer.

Its config stores the function as Keras does: a Python `lambda` as marshalled bytecode
(`{"class_name": "__lambda__", "config": {"code", "defaults", "closure"}}`, loadable only
with safe mode off), a named function by name (it must be a built-in, registered with
`register_keras_serializable`, or passed as a custom object to load back).

Example:
    >>> import torch
    >>> Lambda(lambda x: x**2)(torch.tensor([1.0, 3.0]))
    tensor([1., 9.])
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import torch

from kerastorch.common import serialization, tree
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.safe_mode import dump_lambda, in_safe_mode, load_lambda
from kerastorch.layers.layer import Layer

# Sizes standing for unknown dimensions in the two tracing runs (distinct primes).
_PLACEHOLDERS = ((83, 89, 97, 101, 103, 107, 109), (113, 127, 131, 137, 139, 149, 151))


class Lambda(Layer):
    """Wraps an arbitrary expression as a layer.

    Args:
        function: the function to apply; takes the inputs as first argument (and `mask` /
            `training` if it declares them).
        output_shape: the output shape without the batch axis (a tuple, or a nested
            structure of tuples), or a function `input_shape -> output_shape` (batch
            included). Inferred by tracing `function` when not given.
        mask: `None` (no masking), a callable `(inputs, mask) -> output_mask`, or a
            tensor used as the output mask whatever the inputs.
        arguments: dict of keyword arguments passed to `function`.
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> Lambda(lambda x, k: x[:, :k], arguments={"k": 2})(keras.Input((5,))).shape
        (None, 2)
    """

    def __init__(
        self,
        function: Callable[..., Any],
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                "Lambda: `function` must be callable. "
                f"Received: function={function!r} (of type {type(function).__name__})"
            )
        self.arguments = arguments or {}
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):  # builtins without a signature
            params = {}
        self._fn_expects_training_arg = "training" in params
        self._fn_expects_mask_arg = "mask" in params
        self.built = True

    def call(self, inputs: Any, mask: Any = None, training: bool | None = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape: Any, **kwargs: Any) -> Any:
        if self._output_shape is None:
            try:
                return self._traced_output_shape(input_shape)
            except Exception as error:
                raise NotImplementedError(
                    "We could not automatically infer the shape of the Lambda's output. "
                    "Please specify the `output_shape` argument for this Lambda layer."
                ) from error
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = tree.flatten(input_shape)[0]
        return tree.map_shape_structure(lambda s: (batch_size, *s), self._output_shape)

    def _traced_output_shape(self, input_shape: Any) -> Any:
        """Run `function` on `meta` tensors (no data) twice, with different sizes standing
        for the unknown dimensions: sizes that follow them are unknown in the output."""
        dtype = to_torch_dtype(self.compute_dtype)
        runs = []
        for sizes in _PLACEHOLDERS:
            # Each tensor's i-th unknown dimension takes sizes[i]: batches agree across inputs.
            def meta(shape: tuple, sizes: tuple = sizes) -> torch.Tensor:
                unknown = iter(sizes)
                dims = [next(unknown) if d is None else d for d in shape]
                return torch.empty(dims, dtype=dtype, device="meta")

            with torch.no_grad():
                runs.append(self.call(tree.map_shape_structure(meta, input_shape)))
        shapes = [
            tuple(a if a == b else None for a, b in zip(x.shape, y.shape, strict=True))
            for x, y in zip(tree.flatten(runs[0]), tree.flatten(runs[1]), strict=True)
        ]
        return tree.pack_sequence_as(runs[0], shapes)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    # -- config -----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"function": _serialize_function(self.function)}
        if self._output_shape is not None:
            output_shape = self._output_shape
            if callable(output_shape):
                output_shape = _serialize_function(output_shape)
            config["output_shape"] = output_shape
        if self.mask is not None:
            if callable(self.mask):
                config["mask"] = _serialize_function(self.mask)
            else:
                config["mask"] = serialization.serialize_keras_object(self.mask)
        config["arguments"] = serialization.serialize_keras_object(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls,
        config: dict[str, Any],
        custom_objects: dict[str, Any] | None = None,
        safe_mode: bool | None = None,
    ) -> Lambda:
        """Rebuild a Lambda; refuses serialized Python lambdas unless safe mode is off."""
        config = dict(config)
        if safe_mode is None:
            safe_mode = in_safe_mode()
        safe_mode = safe_mode is not False
        config["function"] = _deserialize_function(config["function"], custom_objects, safe_mode)
        if "output_shape" in config:
            value = config["output_shape"]
            if isinstance(value, dict):
                value = _deserialize_function(value, custom_objects, safe_mode)
            elif isinstance(value, list) and all(isinstance(d, (int, type(None))) for d in value):
                value = tuple(value)
            config["output_shape"] = value
        if isinstance(config.get("mask"), dict):
            config["mask"] = _deserialize_function(config["mask"], custom_objects, safe_mode)
        if "arguments" in config:
            config["arguments"] = serialization.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects
            )
        return super().from_config(config)


def _serialize_function(fn: Callable[..., Any]) -> Any:
    """A Python lambda as Keras's `func_dump` triple; anything else as a Keras object."""
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code, defaults, closure = dump_lambda(fn)
        return {
            "class_name": "__lambda__",
            "config": {"code": code, "defaults": defaults, "closure": closure},
        }
    if callable(fn):
        return serialization.serialize_keras_object(fn)
    raise ValueError(f"Invalid input type for serialization. Received: {fn} of type {type(fn)}.")


def _deserialize_function(config: Any, custom_objects: Any, safe_mode: bool) -> Any:
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a `Lambda` layer whose `function` is a "
                "Python lambda. This carries a potential risk of arbitrary code execution and "
                "thus it is disallowed by default. If you trust the source of the artifact, "
                "you can override this error by passing `safe_mode=False` to the loading "
                "function, or calling `keras.config.enable_unsafe_deserialization()`."
            )
        inner = config["config"]
        return load_lambda(inner["code"], inner.get("defaults"), inner.get("closure"))
    return serialization.deserialize_keras_object(config, custom_objects=custom_objects)
