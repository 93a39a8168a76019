"""`quantize_layers`: what `Model.quantize` does, for any layer that holds sublayers.

Every leaf layer (one without sublayers) that the filters select is quantized in place with
its own `quantize`; a leaf layer without one is skipped with a warning, as Keras does.

Example:
    >>> from kerastorch.layers.core.dense import Dense
    >>> layer = Dense(2)
    >>> layer.build((None, 3))
    >>> quantize_layers(layer, "int8", filters="dense")
    >>> layer.quantization_mode
    'int8'
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from kerastorch.layers.layer import Layer
from kerastorch.quantizers.quantization_config import validate_and_resolve_config


def should_quantize_layer(layer: Layer, filters: Any) -> bool:
    """Whether `filters` (a regex, a list of regexes, a callable or None) selects `layer`."""
    if filters is None:
        return True
    if isinstance(filters, str):
        return bool(re.search(filters, layer.name))
    if isinstance(filters, (list, tuple)):
        return any(re.search(pattern, layer.name) for pattern in filters)
    return bool(filters(layer))


def quantize_layers(
    root: Layer, mode: str | None = None, config: Any = None, filters: Any = None, **kwargs: Any
) -> None:
    """Quantize the leaf layers of `root` (see the module docstring and `Model.quantize`).

    Args:
        root: the model (or any layer holding sublayers).
        mode: `"int8"`, `"int4"` or `"float8"` (a layer without that mode is skipped with a
            warning; `"gptq"` and `"awq"` raise NotImplementedError in kerastorch).
        config: a `QuantizationConfig` (instead of, or agreeing with, `mode`).
        filters: a regex string, a list of them, or a callable `layer -> bool`.
        **kwargs: `type_check` (default True): refuse subclasses of the quantizable layers.
    """
    type_check = kwargs.pop("type_check", True)
    if kwargs:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {type(root).__name__}: {kwargs}"
        )
    if (
        filters is not None
        and not isinstance(filters, (str, list, tuple))
        and not callable(filters)
    ):
        raise ValueError(
            "The `filters` argument must be a regex string, a list of regex strings, or a "
            f"callable. Received: {type(filters)}"
        )
    validate_and_resolve_config(mode, config)  # errors before any layer changes
    modified = False
    for layer in root._flatten_layers():
        if not should_quantize_layer(layer, filters):
            continue
        if len(layer._flatten_layers()) != 1:
            continue
        quantize = getattr(layer, "quantize", None)
        if quantize is None:
            warnings.warn(
                f"Layer {type(layer).__name__} does not have a `quantize` method implemented.",
                stacklevel=2,
            )
            continue
        try:
            quantize(mode, type_check=type_check, config=config)
            modified = True
        except NotImplementedError as error:
            warnings.warn(str(error), stacklevel=2)
    if modified and hasattr(root, "_compiled_forward"):
        root._compiled_forward = None  # a jitted forward holds the float weights
