"""`summary_table`: the table and text layout equal rich's (as Keras prints summaries),
character for character, on random tables."""

import random

import pytest

from kerastorch.utils import summary_table
from tests.oracle import keras_or_skip


@pytest.mark.parity
def test_print_summary_table_layout_matches_rich_on_random_tables():
    keras_or_skip()  # rich comes with Keras
    rich_console = pytest.importorskip("rich.console")
    rich_markup = pytest.importorskip("rich.markup")
    rich_table = pytest.importorskip("rich.table")

    rng = random.Random(0)

    def text():
        words = [
            "".join(rng.choice("ab_[]0(),.") for _ in range(rng.choice([1, 3, 5, 8, 13, 25])))
            for _ in range(rng.randint(0, 5))
        ]
        return rng.choice(["", " ", "   └ "]) + rng.choice([" ", "  ", ", "]).join(words)

    checked = 0
    while checked < 120:
        n = rng.randint(1, 5)
        line_length = rng.randint(10, 140)
        widths, current = [], 0
        ends = [rng.random() for _ in range(n - 1)] + [rng.choice([1.0, 1.0, rng.random()])]
        for pos in sorted(ends):
            widths.append(int(pos * line_length) - current)
            current += widths[-1]
        if min(widths) < 4:
            continue
        align = [rng.choice(["left", "right", "center"]) for _ in range(n)]
        header = [text() or "h" for _ in range(n)]
        rows = [[text() for _ in range(n)] for _ in range(rng.randint(0, 3))]
        columns = [
            rich_table.Column(rich_markup.escape(h), justify=a, width=w)
            for h, a, w in zip(header, align, widths, strict=True)
        ]
        table = rich_table.Table(*columns, width=line_length, show_lines=True)
        for row in rows:
            table.add_row(*[rich_markup.escape(cell) for cell in row])
        console = rich_console.Console(
            highlight=False, force_terminal=False, color_system=None, width=300
        )
        console.begin_capture()
        console.print(table)
        lines = summary_table.render_table(header, align, widths, line_length, rows)
        assert "".join(f"{line}\n" for line in lines) == console.end_capture()
        # The same text outside the table: wrapped at the console width, long words folded.
        console = rich_console.Console(
            highlight=False, force_terminal=False, color_system=None, width=widths[0]
        )
        console.begin_capture()
        console.print(rich_markup.escape(header[0]))
        wrapped = summary_table.wrap_text(header[0], widths[0])
        assert "".join(f"{line}\n" for line in wrapped) == console.end_capture()
        checked += 1
