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
from kerastorch.layers.core.embedding import Embedding
from kerastorch.trainers.compile_utils import flatten_targets, output_names_of

# Losses whose labels are class indices: one rank fewer than the predictions (or a last
# axis of 1).
_SPARSE = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
# Losses whose labels are probabilities in [0, 1] (names lowercased, without underscores).
_BINARY = ("binarycrossentropy", "binaryfocalcrossentropy")


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
    """Raise a ValueError if `x` does not fit the model's inputs or `y` its outputs' losses.

    Values are checked too (labels a loss cannot take, indices past an `Embedding`'s
    `input_dim`), on host tensors only: a device batch would cost a synchronisation, and
    array data is checked whole, on the host, by `check_data`.
    """
    inputs = model.inputs
    if inputs:
        flat_x = standardize_inputs(model.name, model.input, inputs, x)
        check_embedding_indices(model, flat_x, host_only=True)
    compile_loss = getattr(model, "_compile_loss", None)
    if y is None or compile_loss is None:
        return
    _check_dict_targets(model, compile_loss, y)
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
    check_label_values(model, outputs, y, host_only=True)


def check_data(model: Any, *adapters: Any) -> None:
    """Check whole array data once, on the host, before any step: label values against
    the losses, `class_weight`'s classes against the output, `Embedding` indices.

    Adapters without host arrays (generators, DataLoaders) are checked on their first
    batch by `check_batch`; `None` adapters are skipped.
    """
    for adapter in adapters:
        take = getattr(adapter, "take_host_data", None)
        if take is None:
            continue
        x, y, _ = take()
        if model.inputs:
            flat_x = standardize_inputs(model.name, model.input, model.inputs, x)
            check_embedding_indices(model, flat_x)
        compile_loss = getattr(model, "_compile_loss", None)
        class_weight = getattr(adapter, "class_weight", None)
        if y is None or (compile_loss is None and class_weight is None):
            continue
        outputs = output_specs(model, x)
        if compile_loss is not None:
            _check_dict_targets(model, compile_loss, y)
            check_label_values(model, outputs, y)
        if class_weight is not None and len(outputs) == 1:
            _check_class_weight(class_weight, output_names_of(model)[0], outputs[0])


def _check_dict_targets(model: Any, compile_loss: Any, y: Any) -> None:
    if not isinstance(y, dict):
        return
    flatten_targets(y, compile_loss.output_names)  # unknown keys first: Keras's error
    missing = [
        name
        for name, loss in zip(compile_loss.output_names, compile_loss.user_losses, strict=False)
        if loss is not None and name not in y
    ]
    if missing:
        raise ValueError(
            f"The targets dict `y` has keys {sorted(y)}, but the model's outputs "
            f"{compile_loss.output_names} each have a loss; missing targets for: {missing}. "
            "Pass a target for every output with a loss, or compile it with `loss=None` "
            "for that output."
        )


def _on_host(t: Any, host_only: bool) -> bool:
    return (
        isinstance(t, torch.Tensor) and t.numel() > 0 and not (host_only and t.device.type != "cpu")
    )


def _min_max(t: torch.Tensor) -> tuple[float, float]:
    lo, hi = torch.stack(torch.aminmax(t.detach())).tolist()  # one read of host values
    return lo, hi


def _resolved_losses(compile_loss: Any) -> list[Any]:
    return compile_loss.losses if compile_loss.built else compile_loss.user_losses


def check_label_values(
    model: Any, outputs: list[KerasTensor], y: Any, host_only: bool = False
) -> None:
    """Raise a ValueError for labels a loss cannot take: binary crossentropy labels outside
    [0, 1], sparse labels that are fractions or outside `[0, num_classes)`."""
    compile_loss = model._compile_loss
    targets = flatten_targets(y, output_names_of(model))
    for name, loss, target, output in zip(
        compile_loss.output_names, _resolved_losses(compile_loss), targets, outputs, strict=False
    ):
        if loss is None or not _on_host(target, host_only) or target.dtype == torch.bool:
            continue
        loss_name = _loss_name(loss)
        key = loss_name.lower().replace("_", "")
        where = f"Labels of output '{name}' (loss '{loss_name}')"
        if key in _BINARY:
            lo, hi = _min_max(target)
            if lo < 0 or hi > 1:
                raise ValueError(
                    f"{where} must be between 0 and 1, but they range from {lo:g} to {hi:g}. "
                    "For more than two classes, use 'sparse_categorical_crossentropy' (class "
                    "indices) or 'categorical_crossentropy' (one-hot labels) with one output "
                    "unit per class."
                )
        elif loss_name in _SPARSE:
            _check_sparse_labels(where, loss, target, output.shape[-1] if output.shape else None)


def _check_sparse_labels(where: str, loss: Any, target: torch.Tensor, classes: int | None) -> None:
    if target.is_floating_point():
        fractional = target[target != target.floor()]
        if fractional.numel():
            raise ValueError(
                f"{where} must be integer class indices, but received fractional labels "
                f"such as {fractional.flatten()[0].item():g}."
            )
    if classes is None:
        return
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    ignore_class = config.get("ignore_class") if isinstance(config, dict) else None
    if ignore_class is not None:
        target = target[target != ignore_class]
        if not target.numel():
            return
    lo, hi = _min_max(target)
    if lo < 0 or hi >= classes:
        raise ValueError(
            f"{where} must be class indices in the range [0, {classes}) (the output has "
            f"{classes} classes), but they range from {lo:g} to {hi:g}."
        )


def _check_class_weight(class_weight: dict[Any, float], name: str, output: KerasTensor) -> None:
    units = output.shape[-1] if output.shape else None
    if units is None:
        return
    classes = 2 if units == 1 else units
    unknown = [key for key in class_weight if not 0 <= key < classes]
    if unknown:
        raise ValueError(
            f"`class_weight` names classes {unknown} that output '{name}' of shape "
            f"{format_shape(output.shape)} does not have: its classes are 0 to {classes - 1}. "
            f"Received: class_weight={class_weight}"
        )


def check_embedding_indices(model: Any, flat_x: list[Any], host_only: bool = False) -> None:
    """Raise a ValueError if a model input that feeds an `Embedding` directly holds an
    index outside `[0, input_dim)`, naming the layer, `input_dim` and the value."""
    positions = {id(spec): i for i, spec in enumerate(model.inputs)}
    for layer in model._flatten_layers(include_self=False):
        if not isinstance(layer, Embedding):
            continue
        for node in layer._inbound_nodes:
            for tensor in node.input_tensors:
                index = positions.get(id(tensor))
                values = flat_x[index] if index is not None else None
                if not _on_host(values, host_only) or values.dtype == torch.bool:
                    continue
                lo, hi = _min_max(values.to(torch.int64))
                if lo < 0 or hi >= layer.input_dim:
                    bad = lo if lo < 0 else hi
                    raise ValueError(
                        f"Layer '{layer.name}' (Embedding) has input_dim={layer.input_dim}: its "
                        f"input indices must be in [0, {layer.input_dim}), but input "
                        f"{index} of model '{model.name}' holds the index {bad}. Make "
                        "`input_dim` the vocabulary size (+1 when index 0 is padding)."
                    )


__all__ = [
    "check_batch",
    "check_data",
    "check_embedding_indices",
    "check_label_values",
    "input_specs",
    "output_specs",
]
