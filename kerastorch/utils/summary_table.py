"""rich's table and text layout, reproduced in plain Python for `Model.summary()`.

Keras 3 draws the summary with `rich`: a heavy-headed box with a rule between rows, columns
of fixed widths shrunk (or widened) to the table's width, words wrapped inside their cell and
cut with "…" when too long, and every line cropped to the console's width. This module
renders such a table and such text without colours, character for character as rich does.

Example:
    >>> for line in render_table(["Name", "#"], ["left", "right"], [8, 5], 16, [["a", "1"]]):
    ...     print(line)
    ┏━━━━━━━━┳━━━━━┓
    ┃ Name   ┃   # ┃
    ┡━━━━━━━━╇━━━━━┩
    │ a      │   1 │
    └────────┴─────┘
"""

from __future__ import annotations

import itertools
import math
import os
import re

__all__ = ["console_width", "render_table", "wrap_text"]

_ELLIPSIS = "…"
_WORD = re.compile(r"\s*\S+\s*")
# rich's HEAVY_HEAD box: (left, fill, divider, right) for each kind of line.
_BOX = {
    "top": ("┏", "━", "┳", "┓"),
    "head": ("┡", "━", "╇", "┩"),
    "row": ("├", "─", "┼", "┤"),
    "bottom": ("└", "─", "┴", "┘"),
}


def console_width() -> int:
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


def wrap_text(text: str, width: int) -> list[str]:
    """A line of text as the console prints it: wrapped to `width`, long words folded."""
    return [line[:width] for line in _split(text, width, fold=True)]


def render_table(
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
