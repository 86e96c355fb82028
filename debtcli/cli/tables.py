"""Tables for the terminal.

rich's Table measures and wraps every cell through its render pipeline, about 1.5 ms a row:
for the dashboard that is more than everything else `status` does. When every cell fits on one
line within the terminal, `show_table` draws the same box itself from cell widths (CJK counted
as two columns by rich.cells); otherwise it hands the table to rich, which wraps.
"""

from typing import Any


def show_table(console: Any, headers: list[str], rows: list[list[Any]], *,
               title: str | None = None, right: frozenset[int] = frozenset()) -> None:
    from rich.cells import cell_len

    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], cell_len(c))
    total = sum(widths) + 3 * len(widths) + 1
    if total > console.width or any("\n" in c for row in cells for c in row):
        return _rich_table(console, headers, cells, title, right)

    def line(values: list[str], bar: str) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - cell_len(v))
            parts.append(f" {pad}{v} " if i in right else f" {v}{pad} ")
        return bar + bar.join(parts) + bar

    out = []
    if title:
        out.append(_center(title, total))
    out.append("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓")
    out.append(line(headers, "┃"))
    out.append("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩")
    out.extend(line(row, "│") for row in cells)
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    console.file.write("\n".join(out) + "\n")


def _center(text: str, width: int) -> str:
    from rich.cells import cell_len

    gap = max(0, width - cell_len(text))
    return " " * (gap // 2) + text


def _rich_table(console: Any, headers: list[str], cells: list[list[str]], title: str | None,
                right: frozenset[int]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title)
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    console.print(table)
