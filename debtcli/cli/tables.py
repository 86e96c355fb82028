"""Tables for the terminal.

rich's Table measures and wraps every cell through its render pipeline, about 1.5 ms a row:
for the dashboard that is more than everything else `status` does. `show_table` draws the same
box itself from cell widths (CJK counted as two columns by rich.cells), wrapping cells to fit
the terminal; only a terminal too narrow for six cells a column goes to rich, which folds.
"""

from typing import Any


def show_table(
    console: Any,
    headers: list[str],
    rows: list[list[Any]],
    *,
    title: str | None = None,
    right: frozenset[int] = frozenset(),
    wrap: frozenset[int] = frozenset(),
    only_if_fits: bool = False,
) -> bool:
    """Columns in `wrap` (free text: notes, rules) are narrowed and wrapped to fit the terminal;
    the others keep their width. With only_if_fits, a table too wide for the terminal is not
    drawn (the caller has a narrower layout) and False is returned."""
    from debtcli.escape import for_terminal

    wrap = frozenset(i for i in wrap if i < len(headers))
    cells = [[("" if c is None else for_terminal(str(c))) for c in row] for row in rows]
    fitted = _fit(console.width, headers, cells, wrap, only_if_fits)
    if fitted == "no":
        return False
    if fitted == "rich":  # too narrow to draw: rich folds
        _rich_table(console, headers, cells, title, right)
        return True
    widths, fold, pad = fitted
    console.write(_draw(headers, cells, widths, fold, pad, right, title))
    return True


def _fit(
    width: int, headers: list[str], cells: list[list[str]], wrap: frozenset[int], only: bool
) -> Any:
    """Column widths for a terminal `width` cells wide: (widths, the columns to fold, the
    padding), or "no" (does not fit once free text is narrowed, and `only` if it fits), or
    "rich" (too narrow to draw)."""
    import re

    from rich.cells import cell_len

    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], max(cell_len(part) for part in c.split("\n")))
    pad = 1  # blanks each side of a cell
    excess = sum(widths) + 3 * len(widths) + 1 - width
    # Free text gives way first, down to 10 cells or its longest word. Then, if the terminal
    # is still too narrow, the widest columns one cell at a time: down to their longest run
    # between blanks (a date breaks at its space, 信函/律师函 stays whole), then to their
    # longest word with Chinese breakable between characters; then the cells lose their
    # padding; only then are columns cut down to 6 cells (words cut: "¥60,400.0 / 0").
    columns = list(zip(headers, *cells, strict=True))
    words: dict[int, int] = {}

    def word(i: int) -> int:
        if i not in words:
            words[i] = max(cell_len(t.rstrip()) for c in columns[i] for t in _tokens(c) or [""])
        return words[i]

    fold = set(wrap)
    for i in sorted(wrap, key=lambda i: -widths[i]):
        if excess <= 0:
            break
        cut = min(excess, widths[i] - max(10, cell_len(headers[i]), word(i)))
        if cut > 0:
            widths[i] -= cut
            excess -= cut
    if excess > 0 and only:
        return "no"
    if excess <= 0:
        return widths, fold, pad
    runs = [max(cell_len(w) for c in col for w in re.split(r"[ \t\n]+", c)) for col in columns]
    for least in (lambda i: max(6, runs[i]), lambda i: max(6, word(i)), None, lambda i: 6):
        if least is None:
            if excess > 0:
                pad, excess = 0, excess - 2 * len(widths)
            continue
        while excess > 0:
            i = max(range(len(widths)), key=lambda i: widths[i] - least(i))
            if widths[i] <= least(i):
                break
            widths[i] -= 1
            excess -= 1
            fold.add(i)
    if excess > 0:
        return "rich"
    # A column cut from 16 to 13 cells that wraps to 10 gives the 3 back to free text.
    natural = list(widths)
    for i in fold:
        natural[i] = max(cell_len(c) for c in columns[i])
        widths[i] = max(cell_len(line) for c in columns[i] for line in wrap_cells(c, widths[i]))
    slack = width - (sum(widths) + (2 * pad + 1) * len(widths) + 1)
    for i in sorted(fold, key=lambda i: (i not in wrap, -natural[i])):
        give = max(0, min(slack, natural[i] - widths[i]))
        widths[i] += give
        slack -= give
    return widths, fold, pad


def _draw(
    headers: list[str],
    cells: list[list[str]],
    widths: list[int],
    fold: set[int],
    pad: int,
    right: frozenset[int],
    title: str | None,
) -> str:
    """The table in box-drawing characters, folded columns wrapped to their widths."""
    from rich.cells import cell_len

    total = sum(widths) + (2 * pad + 1) * len(widths) + 1
    gap = " " * pad

    def lines(values: list[str], bar: str) -> list[str]:
        wrapped = [
            wrap_cells(v, widths[i]) if i in fold else v.split("\n") for i, v in enumerate(values)
        ]
        out = []
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for i, w in enumerate(wrapped):
                v = w[n] if n < len(w) else ""
                fill = " " * (widths[i] - cell_len(v))
                parts.append(f"{gap}{fill}{v}{gap}" if i in right else f"{gap}{v}{fill}{gap}")
            out.append(bar + bar.join(parts) + bar)
        return out

    out = []
    if title:
        out.append(_center(title, total))
    out.append("┏" + "┳".join("━" * (w + 2 * pad) for w in widths) + "┓")
    out.extend(lines(headers, "┃"))
    out.append("┡" + "╇".join("━" * (w + 2 * pad) for w in widths) + "┩")
    for row in cells:
        out.extend(lines(row, "│"))
    out.append("└" + "┴".join("─" * (w + 2 * pad) for w in widths) + "┘")
    return "\n".join(out) + "\n"


_BLANK = " \t"  # only these break a line: a no-break space keeps "****4821 ¥750.00" whole


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _tokens(text: str) -> list[str]:
    """A CJK character, or a run of other text with its trailing blanks, or blanks. Words are
    found by a small pattern; only a word with a character from U+2E80 up is walked through
    (a pattern with the CJK ranges takes 3 ms to compile, on every run)."""
    import re

    out = []
    for word in re.findall(r"[^ \t]+[ \t]*|[ \t]+", text):
        if max(word) < "\u2e80":
            out.append(word)
            continue
        i, n = 0, len(word)
        while i < n:
            j = i + 1
            if not _cjk(word[i]):
                if word[i] not in _BLANK:
                    while j < n and word[j] not in _BLANK and not _cjk(word[j]):
                        j += 1
                while j < n and word[j] in _BLANK:
                    j += 1
            out.append(word[i:j])
            i = j
    return out


# Chinese line-breaking rules (禁则): a closing mark never starts a line, an opening one never
# ends one.
_CLOSERS = set("，。、；：！？）》」』】〕,.;:!?)]}%")
_OPENERS = set("（《「『【〔“‘([{")


def _glued(tokens: list[str]) -> list[str]:
    """Tokens with closing marks joined to what precedes them and opening marks to what
    follows (unless a blank separates them)."""
    out: list[str] = []
    for token in tokens:
        if out and (
            out[-1][-1] in _OPENERS or (token[0] in _CLOSERS and out[-1][-1] not in _BLANK)
        ):
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap at word boundaries for Latin text and between characters for Chinese, counting
    terminal cells (a Chinese character is two)."""
    from rich.cells import cell_len, chop_cells

    if "\n" not in text and cell_len(text) <= width:
        return [text.rstrip()]  # most cells
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _glued(_tokens(paragraph)):
            if cell_len(line + token.rstrip()) <= width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = ""
            word = token.rstrip()
            if cell_len(word) > width:
                *full, last = chop_cells(word, width)
                lines.extend(full)
                token = last + token[len(word) :]  # the blank after the word still separates
            line = token.lstrip()
        lines.append(line.rstrip())
    return lines or [""]


def _center(text: str, width: int) -> str:
    from rich.cells import cell_len

    gap = max(0, width - cell_len(text))
    return " " * (gap // 2) + text


def _rich_table(
    console: Any,
    headers: list[str],
    cells: list[list[str]],
    title: str | None,
    right: frozenset[int],
) -> None:
    from rich.table import Table
    from rich.text import Text

    from debtcli.cli.term import rich_console

    table = Table(title=title)
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    rich_console(console).print(table)
