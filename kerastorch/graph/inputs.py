"""Matching a call's inputs to a graph's `Input`s: by position, by name, or by dict key.

A functional model runs it on every call, and the trainer on the first batch (so bad data
fails before any step); the messages name the model, the input and both shapes.

Example:
    >>> import torch
    >>> from kerastorch.graph.keras_tensor import KerasTensor
    >>> spec = KerasTensor((None, 3))
    >>> standardize_inputs("model", spec, [spec], torch.ones(2, 4))
    Traceback (most recent call last):
    ...
    ValueError: Input 0 of model 'model' is incompatible with the model: ...
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import tree
from kerastorch.common.shapes import format_shape
from kerastorch.graph.keras_tensor import KerasTensor


def standardize_inputs(
    owner: str, structure: Any, specs: list[KerasTensor], inputs: Any
) -> list[Any]:
    """`inputs` (a tensor, a list, or a dict by input name or key) as a flat list matching
    `specs`, the flat `Input`s of `structure`; raise a ValueError where they do not fit."""
    if isinstance(inputs, dict) and not isinstance(structure, dict):
        names = [input_name(x) for x in specs]
        missing = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(
                f"Model '{owner}' expects inputs named {names}, but the dict received has keys "
                f"{sorted(inputs)}; missing: {missing}."
            )
        flat = [inputs[n] for n in names]
    elif isinstance(structure, dict) and isinstance(inputs, dict):
        missing = [k for k in structure if k not in inputs]
        if missing:
            raise ValueError(
                f"Model '{owner}' expects inputs with keys {sorted(structure)}, but received "
                f"keys {sorted(inputs)}; missing: {missing}."
            )
        flat = tree.flatten({k: inputs[k] for k in structure})
    else:
        if isinstance(structure, dict) and list(structure) != sorted(structure):
            # Keras flattens a dict by sorted keys: a list cannot say which input is which.
            raise ValueError(
                "The structure of `inputs` doesn't match the expected structure.\n"
                f"Expected: {tree.map_structure(lambda x: x.name, structure)}\n"
                f"Received: inputs={_describe_structure(inputs)}. Model '{owner}' was built "
                "with a dict of inputs: pass a dict with the same keys."
            )
        flat = tree.flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError(
            f"Model '{owner}' expects {len(specs)} input(s) "
            f"{[format_shape(x.shape) for x in specs]}, but it received {len(flat)} input "
            "tensors."
        )
    for index, (spec, value) in enumerate(zip(specs, flat, strict=False)):
        if value is None or not hasattr(value, "shape"):
            continue
        shape = tuple(value.shape)
        # The batch size is free, as in Keras (a model built on a batch of 3 takes any batch).
        expected = (None, *spec.shape[1:]) if spec.shape else spec.shape
        if len(shape) != len(expected) or any(
            s is not None and s != d for s, d in zip(expected, shape, strict=False)
        ):
            named = f" ('{input_name(spec)}')" if spec._keras_history is not None else ""
            raise ValueError(
                f"Input {index}{named} of model '{owner}' is incompatible with the model: "
                f"expected shape={format_shape(expected)}, found shape={format_shape(shape)}"
            )
    return flat


def _describe_structure(inputs: Any) -> Any:
    return tree.map_structure(
        lambda x: f"Tensor(shape={tuple(x.shape)})" if hasattr(x, "shape") else repr(x), inputs
    )


def input_name(spec: KerasTensor) -> str:
    """The name of the `Input` layer that made `spec`."""
    return spec._keras_history.layer.name
