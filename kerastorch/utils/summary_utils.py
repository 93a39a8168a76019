"""`print_summary`: the table that `Model.summary()` prints, character for character as Keras.

Keras 3 draws the summary with `rich` (a heavy-headed box, one rule between rows). This
module reproduces that layout in plain Python, without colours: column widths from
`positions` and `line_length`, rich's shrinking of the columns to fit the box, its word
wrapping (a word too long for its cell is cut with "…"), its alignment and its cropping of
lines to the console width.

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

import itertools
import math
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kerastorch.common import tree
from kerastorch.common.shapes import format_shape

_DTYPE_BITS = {
    **{f"float{i}": i for i in (16, 32, 64)},
    **{f"int{i}": i for i in (8, 16, 32, 64)},
    **{f"uint{i}": i for i in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
}
_ELLIPSIS = "…"
_WORD = re.compile(r"\s*\S+\s*")
# rich's HEAVY_HEAD box: (left, fill, divider, right) for each kind of line.
_BOX = {
    "top": ("┏", "━", "┳", "┓"),
    "head": ("┡", "━", "╇", "┩"),
    "row": ("├", "─", "┼", "┤"),
    "bottom": ("└", "─", "┴", "┘"),
}


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
        >>> from kerastorch.variables import Variable
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
    name = str(dtype).removeprefix("torch.")
    name = {"float": "float32", "double": "float64", "half": "float16", "long": "int64"}.get(
        name, name
    )
    if name in _DTYPE_BITS:
        return _DTYPE_BITS[name]
    import torch

    torch_dtype = getattr(torch, name, None)
    if isinstance(torch_dtype, torch.dtype):
        return torch_dtype.itemsize * 8
    raise ValueError(f"Invalid dtype: {dtype}")


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
        shapes: Any = [
            format_shape(trailing_comma=False, shape=x.shape) for x in nodes[-1].flat_outputs
        ]
    else:
        try:
            output_shape = getattr(layer, "output_shape", None)
        except (AttributeError, ValueError):
            output_shape = None
        if output_shape is not None:
            shapes = format_shape(trailing_comma=False, shape=output_shape)
        else:
            try:
                if isinstance(build_shapes, dict):
                    outputs = layer.compute_output_shape(**build_shapes)
                else:
                    outputs = layer.compute_output_shape(build_shapes)
            except Exception:  # any failure of shape inference reads "?"
                return "?"
            shapes = tree.map_shape_structure(_format_shape, outputs)
    flat = tree.flatten(shapes)
    if len(flat) == 1:
        return flat[0]
    return str(shapes).replace("'", "")


def _class_name(layer: Any) -> str:
    from kerastorch.graph.operation import Operation

    return layer.class_name if isinstance(layer, Operation) else type(layer).__name__


def _model_nodes(model: Any) -> list[Any]:
    """The nodes of a functional model, grouped by depth as Keras's `_nodes_by_depth`."""
    ordered: list[Any] = []
    seen: set[int] = set()
    input_ids = {id(x) for x in model.inputs}

    def visit(tensor: Any) -> None:
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in seen:
            return
        seen.add(id(node))
        if id(tensor) not in input_ids:
            for x in node.input_tensors:
                visit(x)
        ordered.append(node)

    for output in model.outputs:
        visit(output)
    depths: dict[int, int] = {}
    layer_depths: dict[int, int] = {}
    for node in reversed(ordered):
        depth = max(depths.setdefault(id(node), 0), layer_depths.get(id(node.layer), 0))
        layer_depths[id(node.layer)] = depth
        depths[id(node)] = depth
        for parent in node.parent_nodes:
            depths[id(parent)] = max(depth + 1, depths.get(id(parent), 0))
    by_depth: dict[int, list[Any]] = {}
    for node in ordered:
        by_depth.setdefault(depths[id(node)], []).append(node)
    return [by_depth[d] for d in sorted(by_depth, reverse=True)]


def _is_sequential_like(model: Any, nodes_by_depth: list[list[Any]]) -> bool:
    """Keras's rule: one node per depth, each with one input, and no layer called twice."""
    for nodes in nodes_by_depth:
        if len(nodes) > 1 or (len(nodes) == 1 and len(nodes[0].input_tensors) > 1):
            return False
    node_ids = {id(node) for nodes in nodes_by_depth for node in nodes}
    for layer in model.layers:
        if sum(id(node) in node_ids for node in layer._inbound_nodes) > 1:
            return False
    return True


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
    from kerastorch.models.functional import Functional
    from kerastorch.models.sequential import Sequential

    relevant_nodes: set[int] = set()
    if isinstance(model, Functional) and not isinstance(model, Sequential):
        layers = list(model._operations)
        nodes_by_depth = _model_nodes(model)
        sequential_like = _is_sequential_like(model, nodes_by_depth)
        relevant_nodes = {id(node) for nodes in nodes_by_depth for node in nodes}
    else:
        layers = list(model.layers)
        sequential_like = True

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

    def connections(layer: Any) -> str:
        names = []
        for node in layer._inbound_nodes:
            if relevant_nodes and id(node) not in relevant_nodes:
                continue  # a call outside this model
            for x in node.input_tensors:
                inbound, node_index, tensor_index = x._keras_history
                names.append(f"{inbound.name}[{node_index}][{tensor_index}]")
        return ", ".join(names) or "-"

    def fields(layer: Any, prefix: str) -> list[str]:
        if not getattr(layer, "built", True):
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        row = [f"{prefix}{layer.name} ({_class_name(layer)})", format_layer_shape(layer), params]
        if not sequential_like:
            row.append(connections(layer))
        if show_trainable:
            if getattr(layer, "weights", None):
                row.append("Y" if layer.trainable else "N")
            else:
                row.append("-")
        return row

    def layer_rows(layer: Any, level: int = 0) -> list[list[str]]:
        rows = [fields(layer, "   " * level + "└ " if level else "")]
        if expand_nested and getattr(layer, "layers", None):
            for sublayer in layer.layers:
                rows.extend(layer_rows(sublayer, level + 1))
        return rows

    start, stop = get_layer_index_bound_by_layer_name(layers, layer_range)
    rows = [row for layer in layers[start:stop] for row in layer_rows(layer)]

    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    trainable_count, trainable_size = count_params(trainable), weight_memory_size(trainable)
    non_trainable_count = count_params(non_trainable)
    non_trainable_size = weight_memory_size(non_trainable)
    optimizer = getattr(model, "optimizer", None) if getattr(model, "compiled", False) else None
    optimizer_built = optimizer is not None and bool(getattr(optimizer, "built", False))
    optimizer_count = count_params(optimizer.variables) if optimizer_built else 0
    optimizer_size = weight_memory_size(optimizer.variables) if optimizer_built else 0
    total_count = trainable_count + non_trainable_count + optimizer_count
    total_size = trainable_size + non_trainable_size + optimizer_size

    console_width = _console_width()
    footer = [
        (" Total params: ", total_count, total_size),
        (" Trainable params: ", trainable_count, trainable_size),
        (" Non-trainable params: ", non_trainable_count, non_trainable_size),
    ]
    if optimizer_built:
        footer.append((" Optimizer params: ", optimizer_count, optimizer_size))
    lines = _wrap_text(f'Model: "{model.name}"', console_width)
    table = _render_table(header, alignment, column_widths, line_length, rows)
    lines += [line[:console_width] for line in table]
    for label, count, size in footer:
        lines += _wrap_text(f"{label}{count:,} ({readable_memory_size(size)})", console_width)
    text = "".join(f"{line}\n" for line in lines)
    if print_fn is not None:
        print_fn(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


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


# -------------------------------------------------------------------------------------------
# rich's layout, for this table's shape
# -------------------------------------------------------------------------------------------
def _console_width() -> int:
    """rich's console width: `$COLUMNS`, else the first terminal among stdin/out/err, else 80."""
    width = None
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
            break
        except (AttributeError, ValueError, OSError):
            continue
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    return width or 80


def _ratio_reduce(total: int, maximums: list[int], values: list[int]) -> list[int]:
    """rich's `ratio_reduce` with equal ratios: take `total` off `values`, evenly."""
    ratios = [1 if maximum else 0 for maximum in maximums]
    total_ratio = sum(ratios)
    if not total_ratio:
        return list(values)
    result = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * total / total_ratio))
            result.append(value - distributed)
            total -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _ratio_distribute(total: int, ratios: list[int]) -> list[int]:
    """rich's `ratio_distribute`: split `total` in proportion to `ratios`, rounding up."""
    total_ratio = sum(ratios)
    result = []
    for ratio in ratios:
        share = math.ceil(ratio * total / total_ratio) if total_ratio > 0 else total
        result.append(share)
        total_ratio -= ratio
        total -= share
    return result


def _cell_widths(column_widths: list[int], table_width: int) -> list[int]:
    """Widths of the cells (padding included) of fixed-width columns in a table this wide."""
    max_width = table_width - (len(column_widths) + 1)  # minus the vertical rules
    widths = [(min(w + 2, max_width) if max_width >= 1 else 0) or 1 for w in column_widths]
    if sum(widths) > max_width:
        excess = sum(widths) - max_width
        widths = _ratio_reduce(excess, widths, widths)
        widths = [
            min(w + 2, width) if width >= 1 else 0
            for w, width in zip(column_widths, widths, strict=True)
        ]
    elif sum(widths) < max_width:  # a table with a width expands its columns to fill it
        extra = _ratio_distribute(max_width - sum(widths), widths)
        widths = [width + pad for width, pad in zip(widths, extra, strict=True)]
    return widths


def _divide_line(text: str, width: int, fold: bool) -> list[int]:
    """rich's word wrap: offsets where `text` breaks to fit `width` (long words fold or stay)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                pieces = [word[i : i + width] for i in range(0, len(word), width)]
                for index, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if index == len(pieces) - 1:
                        offset = len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _split(text: str, width: int, fold: bool) -> list[str]:
    """`text` wrapped to `width`; each piece keeps its trailing spaces unless they overflow."""
    lines = []
    for paragraph in text.split("\n"):
        offsets = [0, *_divide_line(paragraph, width, fold), len(paragraph)]
        for a, b in itertools.pairwise(offsets):
            line = paragraph[a:b]
            if len(line) > width:
                trailing = len(line) - len(line.rstrip())
                line = line[: len(line) - min(trailing, len(line) - width)]
            lines.append(line)
    return lines


def _truncate(line: str, width: int) -> str:
    if len(line) > width:
        return line[: max(width - 1, 0)] + _ELLIPSIS
    return line


def _wrap_cell(text: str, width: int, justify: str) -> list[str]:
    """A cell's text wrapped, cut with "…" where a word does not fit, and aligned."""
    if width <= 0:
        return [""]
    lines = []
    for line in _split(text, width, fold=False):
        if justify == "left":
            lines.append(_truncate(line, width).ljust(width))
            continue
        line = _truncate(line.rstrip(), width)
        if justify == "center":
            line = " " * ((width - len(line)) // 2) + line
        else:
            line = " " * (width - len(line)) + line
        lines.append(line.ljust(width))
    return lines


def _wrap_text(text: str, width: int) -> list[str]:
    """A line of text as the console prints it: wrapped to `width`, long words folded."""
    return [line[:width] for line in _split(text, width, fold=True)]


def _render_table(
    header: list[str],
    alignment: list[str],
    column_widths: list[int],
    table_width: int,
    rows: list[list[str]],
) -> list[str]:
    """The table's lines: heavy-headed box, header bottom-aligned, a rule between rows."""
    widths = _cell_widths(column_widths, table_width)

    def rule(kind: str) -> str:
        left, fill, divider, right = _BOX[kind]
        return left + divider.join(fill * w for w in widths) + right

    def row_lines(cells: list[str], vertical: str, edge: str) -> list[str]:
        columns = []
        for text, width, justify in zip(cells, widths, alignment, strict=True):
            lines = [f" {line} "[:width] for line in _wrap_cell(text, width - 2, justify)]
            columns.append(lines)
        height = max(len(lines) for lines in columns)
        padded = []
        for lines, width in zip(columns, widths, strict=True):
            blank = [" " * width] * (height - len(lines))
            lines = [line.ljust(width) for line in lines]
            padded.append(blank + lines if vertical == "bottom" else lines + blank)
        return [edge + edge.join(parts) + edge for parts in zip(*padded, strict=True)]

    lines = [rule("top"), *row_lines(header, "bottom", "┃"), rule("head")]
    for index, row in enumerate(rows):
        if index:
            lines.append(rule("row"))
        lines.extend(row_lines(row, "top", "│"))
    lines.append(rule("bottom"))
    return lines
