"""`print_summary`: the table that `Model.summary()` prints, character for character as Keras.

The summary reads the model only through its public structure: `model.operations` (the
rows; `model.layers` for a model without a graph), `model.layers` (shared layers),
`model.inputs` / `model.outputs` (the graph; `None` or empty when the model has none) and,
on each operation, `_inbound_nodes` and the KerasTensors' `_keras_history`. It never looks
at the model's class. The table itself is drawn by `summary_table`, which reproduces rich's
layout as Keras prints it.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)], name="tiny")
    >>> lines = []
    >>> model.summary(line_length=40, print_fn=lines.append)
    >>> print(lines[0], end="")
    Model: "tiny"
    ┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
    ┃                 ┃ Output     ┃ Param ┃
    ┃ Layer (type)    ┃ Shape      ┃     # ┃
    ┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
    │ dense (Dense)   │ (None, 2)  │    10 │
    └─────────────────┴────────────┴───────┘
     Total params: 10 (40.00 B)
     Trainable params: 10 (40.00 B)
     Non-trainable params: 0 (0.00 B)
"""

from __future__ import annotations

import math
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kerastorch.common import tree
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.shapes import format_shape
from kerastorch.utils.summary_table import console_width, render_table, wrap_text

__all__ = [
    "count_params",
    "format_layer_shape",
    "get_layer_index_bound_by_layer_name",
    "print_summary",
    "readable_memory_size",
    "weight_memory_size",
]


# -------------------------------------------------------------------------------------------
# Parameter counts and sizes
# -------------------------------------------------------------------------------------------
def count_params(weights: Iterable[Any]) -> int:
    """The number of scalars in `weights` (each counted as often as it is listed)."""
    return int(sum(math.prod(w.shape) for w in weights))


def weight_memory_size(weights: Iterable[Any]) -> float:
    """Bytes taken by the distinct `weights`, from each one's dtype (Keras's rule).

    Example:
        >>> import torch
        >>> weight_memory_size([torch.zeros(3, 4)])
        48.0
    """
    unique = {id(w): w for w in weights}.values()
    bits = sum(math.prod(w.shape) * _dtype_bits(w.dtype) for w in unique)
    return bits / 8


def readable_memory_size(size: float) -> str:
    """`918.54 KB` for 940,584 bytes: two decimals, units of 1024.

    Example:
        >>> readable_memory_size(940584.0)
        '918.54 KB'
    """
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _dtype_bits(dtype: Any) -> int:
    """Bits per scalar of `dtype`; Keras counts a `bool` as one bit."""
    name = standardize_dtype(dtype)
    return 1 if name == "bool" else to_torch_dtype(name).itemsize * 8


# -------------------------------------------------------------------------------------------
# The model's graph
# -------------------------------------------------------------------------------------------
def _nodes_by_depth(model: Any) -> list[list[Any]]:
    """The nodes of the model's graph grouped by depth, deepest first (Keras's
    `_nodes_by_depth`); empty for a model without a graph."""
    inputs, outputs = model.inputs or [], model.outputs or []
    input_ids = {id(x) for x in inputs}
    ordered: list[Any] = []  # nodes, each after the nodes it reads from
    node_layers: dict[int, int] = {}  # id(node) -> id(the operation it calls)
    seen: set[int] = set()

    def visit(tensor: Any) -> None:
        operation, node_index, _ = tensor._keras_history
        node = operation._inbound_nodes[node_index]
        if id(node) in seen:
            return
        seen.add(id(node))
        node_layers[id(node)] = id(operation)
        if id(tensor) not in input_ids:
            for x in node.input_tensors:
                visit(x)
        ordered.append(node)

    for output in outputs:
        visit(output)
    depths: dict[int, int] = {}
    layer_depths: dict[int, int] = {}
    for node in reversed(ordered):
        layer = node_layers[id(node)]
        depth = max(depths.setdefault(id(node), 0), layer_depths.get(layer, 0))
        layer_depths[layer] = depth
        depths[id(node)] = depth
        for parent in node.parent_nodes:
            depths[id(parent)] = max(depth + 1, depths.get(id(parent), 0))
    by_depth: dict[int, list[Any]] = {}
    for node in ordered:
        by_depth.setdefault(depths[id(node)], []).append(node)
    return [by_depth[d] for d in sorted(by_depth, reverse=True)]


def _is_sequential_like(model: Any, nodes_by_depth: list[list[Any]]) -> bool:
    """Keras's rule: one node per depth, each with one input, and no layer called twice
    within the graph. A model without a graph (subclassed, unbuilt) is sequential-like."""
    for nodes in nodes_by_depth:
        if len(nodes) > 1 or (len(nodes) == 1 and len(nodes[0].input_tensors) > 1):
            return False
    node_ids = {id(node) for nodes in nodes_by_depth for node in nodes}
    return all(
        sum(id(node) in node_ids for node in layer._inbound_nodes) <= 1 for layer in model.layers
    )


def _connections(operation: Any, graph_nodes: set[int]) -> str:
    """The `Connected to` cell: `name[node_index][tensor_index]` of each input, in this graph."""
    names = []
    for node in operation._inbound_nodes:
        if graph_nodes and id(node) not in graph_nodes:
            continue  # a call outside this model
        for x in node.input_tensors:
            inbound, node_index, tensor_index = x._keras_history
            names.append(f"{inbound.name}[{node_index}][{tensor_index}]")
    return ", ".join(names) or "-"


# -------------------------------------------------------------------------------------------
# Cell contents
# -------------------------------------------------------------------------------------------
def format_layer_shape(layer: Any) -> str:
    """The `Output Shape` cell: the shape(s) of the layer's last call, or `?` when unknown."""
    build_shapes = getattr(layer, "_build_shapes", None)
    nodes = getattr(layer, "_inbound_nodes", [])
    if not nodes and build_shapes is None:
        return "?"
    if nodes:
        shapes: Any = [format_shape(x.shape, trailing_comma=False) for x in nodes[-1].flat_outputs]
    else:
        try:
            output_shape = getattr(layer, "output_shape", None)
        except (AttributeError, ValueError):
            output_shape = None
        if output_shape is not None:
            shapes = format_shape(output_shape, trailing_comma=False)
        else:
            try:
                if isinstance(build_shapes, dict):
                    outputs = layer.compute_output_shape(**build_shapes)
                else:
                    outputs = layer.compute_output_shape(build_shapes)
            except Exception:  # any failure of shape inference reads "?"
                return "?"
            shapes = tree.map_shape_structure(
                lambda s: format_shape(s, trailing_comma=False), outputs
            )
    flat = tree.flatten(shapes)
    if len(flat) == 1:
        return flat[0]
    return str(shapes).replace("'", "")


def _param_count(operation: Any) -> str:
    """The `Param #` cell: `0` for a weightless op, `0 (unbuilt)` for an unbuilt layer."""
    if not hasattr(operation, "built"):
        return "0"
    if not operation.built:
        return "0 (unbuilt)"
    return f"{operation.count_params():,}"


def _trainable(operation: Any) -> str:
    """The `Trainable` cell: `Y` / `N`, or `-` for an operation without weights."""
    if not getattr(operation, "weights", None):
        return "-"
    return "Y" if operation.trainable else "N"


# -------------------------------------------------------------------------------------------
# print_summary
# -------------------------------------------------------------------------------------------
def print_summary(
    model: Any,
    line_length: int | None = None,
    positions: Sequence[float] | None = None,
    print_fn: Callable[[str], Any] | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range: Sequence[str] | None = None,
) -> None:
    """Print a summary of `model`: its layers, output shapes, parameter counts and sizes.

    Args:
        model: a `Model` (Sequential, functional or subclassed).
        line_length: total width of the table (default: 88, 108 with the `Connected to`
            column, +12 with `show_trainable`, at most the terminal width minus 4).
        positions: where each column ends, as fractions of `line_length` (default
            `[0.45, 0.80, 1.0]`, or `[0.3, 0.56, 0.74, 1.0]` with `Connected to`).
        print_fn: called once with the whole text (ending with a newline); by default the
            text is written to stdout.
        expand_nested: also list the layers of nested models, marked with `└`.
        show_trainable: add a `Trainable` column (`Y`, `N`, or `-` for layers without
            weights).
        layer_range: two regexes `[first, last]`: print only the top-level layers from the
            first one whose name matches `first` to the last one matching `last`.

    Example:
        >>> import kerastorch as keras
        >>> model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10)])
        >>> model.summary()  # doctest: +SKIP
    """
    nodes_by_depth = _nodes_by_depth(model)
    sequential_like = _is_sequential_like(model, nodes_by_depth)
    graph_nodes = {id(node) for nodes in nodes_by_depth for node in nodes}

    # 1. The columns.
    if sequential_like:
        default_line_length = 88
        positions = list(positions or [0.45, 0.80, 1.0])
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_line_length = 108
        positions = list(positions or [0.3, 0.56, 0.74, 1.0])
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    if show_trainable:
        default_line_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    if len(positions) < len(header):
        raise ValueError(
            f"`positions` must give the end of each of the {len(header)} columns "
            f"{header}. Received: positions={positions}"
        )
    default_line_length = min(default_line_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_line_length
    column_widths = []
    current = 0
    for pos in positions[: len(header)]:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        column_widths.append(width)
        current += width

    # 2. The rows: one per operation, and per nested layer with `expand_nested`.
    def layer_rows(operation: Any, level: int = 0) -> list[list[str]]:
        prefix = "   " * level + "└ " if level else ""
        row = [
            f"{prefix}{operation.name} ({type(operation).__name__})",
            format_layer_shape(operation),
            _param_count(operation),
        ]
        if not sequential_like:
            row.append(_connections(operation, graph_nodes))
        if show_trainable:
            row.append(_trainable(operation))
        rows = [row]
        if expand_nested and getattr(operation, "layers", None):
            for sublayer in operation.layers:
                rows.extend(layer_rows(sublayer, level + 1))
        return rows

    operations = model.layers if model.operations is None else model.operations  # no graph
    start, stop = get_layer_index_bound_by_layer_name(operations, layer_range)
    rows = [row for operation in operations[start:stop] for row in layer_rows(operation)]

    # 3. The text: title, table, parameter counts.
    width = console_width()
    lines = wrap_text(f'Model: "{model.name}"', width)
    table = render_table(header, alignment, column_widths, line_length, rows)
    lines += [line[:width] for line in table]
    for label, count, size in _param_totals(model):
        lines += wrap_text(f"{label}{count:,} ({readable_memory_size(size)})", width)
    text = "".join(f"{line}\n" for line in lines)
    if print_fn is not None:
        print_fn(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _param_totals(model: Any) -> list[tuple[str, int, float]]:
    """The footer lines' `(label, count, bytes)`: total, trainable, non-trainable, optimizer."""
    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    counts = [
        (" Trainable params: ", count_params(trainable), weight_memory_size(trainable)),
        (" Non-trainable params: ", count_params(non_trainable), weight_memory_size(non_trainable)),
    ]
    optimizer = getattr(model, "optimizer", None) if getattr(model, "compiled", False) else None
    if optimizer is not None and getattr(optimizer, "built", False):
        variables = optimizer.variables
        counts.append(
            (" Optimizer params: ", count_params(variables), weight_memory_size(variables))
        )
    total = (
        " Total params: ",
        sum(count for _, count, _ in counts),
        sum(size for _, _, size in counts),
    )
    return [total, *counts]


def get_layer_index_bound_by_layer_name(
    layers: Sequence[Any], layer_range: Sequence[str] | None = None
) -> list[int]:
    """`[first, last + 1]`: the slice of `layers` that `layer_range` (two regexes) selects.

    Example:
        >>> class L:
        ...     def __init__(self, name): self.name = name
        >>> get_layer_index_bound_by_layer_name([L("a"), L("b"), L("c")], ["b", "c"])
        [1, 3]
    """
    if layer_range is None:
        return [0, len(layers)]
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper):
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]
