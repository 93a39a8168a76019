"""Checks of the first batch against the model, before any step runs.

Wrong input shapes, and labels that cannot fit a loss (the tutorial mistake of one-hot
encoding twice: labels `(N, 10, 10)` against outputs `(N, 10)`), fail here with a message
naming the input or output, the loss, and the expected and received shapes.

Example:
    >>> import torch, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10)])
    >>> model.compile(loss="categorical_crossentropy")
    >>> check_batch(model, torch.zeros(2, 4), torch.zeros(2, 10, 10))
    Traceback (most recent call last):
    ...
    ValueError: Labels of shape (2, 10, 10) do not fit output 'dense' of shape (None, 10) ...
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.common.shapes import format_shape
from kerastorch.graph.inputs import standardize_inputs
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.trainers.compile_utils import flatten_targets, output_names_of

# Losses whose labels are class indices: one rank fewer than the predictions (or a last
# axis of 1).
_SPARSE = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", type(loss).__name__)


def _label_fits(label: tuple[int, ...], output: tuple[int | None, ...], sparse: bool) -> bool:
    label, output = label[1:], output[1:]
    if sparse:
        return label in (output[:-1], (*output[:-1], 1))
    if len(label) == len(output) + 1 and label[-1] == 1:
        label = label[:-1]
    elif len(label) + 1 == len(output):
        label = (*label, 1)  # Keras expands the labels' last axis, then broadcasts
    if len(label) != len(output):
        return False
    return all(o is None or lab in (o, 1) or o == 1 for lab, o in zip(label, output, strict=False))


def output_specs(model: Any, x: Any) -> list[KerasTensor]:
    """The model's flat outputs as KerasTensors: its graph's, or traced from the batch `x`."""
    outputs = model.outputs
    if outputs:
        return list(outputs)
    result = model.compute_output_spec(input_specs(x))
    if isinstance(result, dict):
        return [result[k] for k in sorted(result)]
    return tree.flatten(result)


def input_specs(x: Any) -> Any:
    """KerasTensors of the batch `x`'s shapes (batch axis unknown) and dtypes."""
    return tree.map_structure(
        lambda t: KerasTensor((None, *tuple(t.shape)[1:]), str(t.dtype).removeprefix("torch.")),
        x,
    )


def check_batch(model: Any, x: Any, y: Any) -> None:
    """Raise a ValueError if `x` does not fit the model's inputs or `y` its outputs' losses."""
    inputs = model.inputs
    if inputs:
        standardize_inputs(model.name, model.input, inputs, x)
    compile_loss = getattr(model, "_compile_loss", None)
    if y is None or compile_loss is None:
        return
    outputs = output_specs(model, x)
    targets = flatten_targets(y, output_names_of(model))
    for name, loss, target, output in zip(
        compile_loss.output_names, compile_loss.user_losses, targets, outputs, strict=False
    ):
        if loss is None or not isinstance(target, torch.Tensor):
            continue
        loss_name = _loss_name(loss)
        sparse = loss_name in _SPARSE
        if not _label_fits(tuple(target.shape), output.shape, sparse):
            hint = ""
            if not sparse and target.ndim == len(output.shape) + 1:
                hint = (
                    " The labels have one axis more than the outputs: were they one-hot "
                    "encoded twice?"
                )
            elif sparse:
                hint = " This loss expects integer class indices, one per sample."
            raise ValueError(
                f"Labels of shape {format_shape(tuple(target.shape))} do not fit output "
                f"'{name}' of shape {format_shape(output.shape)} with loss '{loss_name}'.{hint}"
            )


__all__ = ["check_batch", "input_specs", "output_specs"]
