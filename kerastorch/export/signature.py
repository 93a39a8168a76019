"""Example inputs for tracing a model: Keras's `input_signature`, read into torch tensors.

An input signature is a structure of `InputSpec`s, KerasTensors (`keras.Input(...)`) or
example tensors; `None` defaults it to the model's own inputs. `None` sizes become 2 in the
examples (not 1: `torch.export` specialises a size of 1 to a constant), and are returned as
dynamic dimensions.

Example:
    >>> import kerastorch as keras
    >>> examples, dynamic = example_inputs(None, [keras.Input((3,))])
    >>> [tuple(x.shape) for x in examples], [list(d) for d in dynamic]
    ([(2, 3)], [[0]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype


def example_inputs(model: Any, input_signature: Any = None) -> tuple[list[Any], list[dict]]:
    """Example tensors for `input_signature` (default: `model.inputs`) and their dynamic dims.

    Args:
        model: the model being exported (named in errors); may be None with a signature.
        input_signature: one spec or a list of specs (`InputSpec`, KerasTensor, tensor).

    Returns:
        The example tensors, and for each a `{axis: Dim.DYNAMIC}` dict of its free sizes
        (the batch axis of a spec is always free).
    """
    specs = input_signature if input_signature is not None else getattr(model, "inputs", None)
    if not specs:
        name = getattr(model, "name", type(model).__name__)
        raise ValueError(
            f"Model '{name}' has no known inputs: build it (call it on data, or use an "
            "`Input`) or pass `input_signature=[keras.Input(...)]` to export it."
        )
    specs = list(specs) if isinstance(specs, (list, tuple)) else [specs]
    examples = [s if isinstance(s, torch.Tensor) else _example(s) for s in specs]
    dims = [
        {
            i: torch.export.Dim.DYNAMIC
            for i, d in enumerate(getattr(spec, "shape", ()))
            if d is None or (i == 0 and not isinstance(spec, torch.Tensor))
        }
        for spec in specs
    ]
    return examples, dims


def _example(spec: Any) -> torch.Tensor:
    shape = getattr(spec, "shape", None)
    if shape is None:
        raise ValueError(
            "Each entry of `input_signature` must have a shape (a `keras.InputSpec`, "
            f"`keras.Input(...)` or a tensor). Received: {spec!r}"
        )
    dims = [2 if d is None or i == 0 else d for i, d in enumerate(shape)]
    return torch.zeros(dims, dtype=to_torch_dtype(getattr(spec, "dtype", None) or "float32"))
