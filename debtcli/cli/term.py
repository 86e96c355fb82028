"""Terminal output without importing rich's console, which costs 20 to 25 ms: a fifth of what
any command takes. Commands print plain lines, wrapped to the terminal (a Chinese character
counts as two cells), with a few styles when the output is a terminal, and long output goes
through the pager. rich stays where it earns its cost: prompts, progress bars, and tables too
narrow to draw ourselves (rich_console).
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO, cast

# Select Graphic Rendition codes for the styles commands use. NO_COLOR drops the colours and
# keeps bold, dim, italic and underline, as rich does.
_ATTRS = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLORS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


def _size(file: TextIO, tty: bool) -> tuple[int, int]:
    """Columns and lines: COLUMNS/LINES when set, else the terminal's, else 80 by 25."""
    cols, lines = 80, 25
    if tty:
        with suppress(OSError, ValueError):
            size = os.get_terminal_size(file.fileno())
            cols, lines = size.columns or cols, size.lines or lines  # 0 where unknown
    env_cols, env_lines = os.environ.get("COLUMNS", ""), os.environ.get("LINES", "")
    if env_cols.isdigit() and int(env_cols) > 0:
        cols = int(env_cols)
    if env_lines.isdigit() and int(env_lines) > 0:
        lines = int(env_lines)
    return cols, lines


class Out:
    """Where a command's output goes (stdout, or stderr)."""

    def __init__(self, stderr: bool = False) -> None:
        stream = sys.stderr if stderr else sys.stdout
        self.file: TextIO = getattr(stream, "own", stream)  # user text is escaped in print()
        try:
            self.tty = self.file.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self.width, self.height = _size(self.file, self.tty)
        # Styles on a terminal, or wherever FORCE_COLOR asks for them (the convention rich and
        # many tools follow); NO_COLOR keeps the styles and drops the colours.
        forced = bool(os.environ.get("FORCE_COLOR"))
        self.styles = (self.tty or forced) and os.environ.get("TERM") != "dumb"
        self.colors = self.styles and not os.environ.get("NO_COLOR")
        self._buffer: list[str] | None = None

    def styled(self, line: str, style: str | None) -> str:
        if not (style and self.styles and line):
            return line
        codes = [_ATTRS.get(s) or (_COLORS.get(s) if self.colors else None) for s in style.split()]
        sgr = ";".join(c for c in codes if c)
        return f"\x1b[{sgr}m{line}\x1b[0m" if sgr else line

    def write(self, text: str) -> None:
        if self._buffer is not None:
            self._buffer.append(text)
        else:
            self.file.write(text)

    def print(self, text: Any = "", style: str | None = None, wrap: bool = True) -> None:
        """Text as it is (never read as markup), wrapped at word boundaries to the width."""
        from debtcli.cli.tables import wrap_cells
        from debtcli.escape import for_terminal

        lines = for_terminal(str(text)).split("\n")
        if wrap:
            lines = [part for line in lines for part in wrap_cells(line, self.width)]
        styled = style if self._buffer is None else None  # a pager shows plain text
        self.write("\n".join(self.styled(line, styled) for line in lines) + "\n")

    def flush(self) -> None:
        if self._buffer is None:
            self.file.flush()

    def isatty(self) -> bool:
        return self.tty and self._buffer is None

    @contextmanager
    def paging(self) -> Iterator["Out"]:
        """Output longer than a terminal goes to the pager ($PAGER, else less), as git's does;
        anything else, or output to a file or pipe, is written as usual. (Not pydoc's pager:
        without less it writes the text to a temporary file, and this text is someone's
        debts.)"""
        if not self.tty:
            yield self
            return
        self._buffer = []
        try:
            yield self
        finally:
            text, self._buffer = "".join(self._buffer), None
        if text.count("\n") > self.height and _page(text):
            return
        self.file.write(text)


def _page(text: str) -> bool:
    """Pipe text into $PAGER, or less; False when there is neither."""
    import shutil
    import subprocess

    command = os.environ.get("PAGER") or ("less" if shutil.which("less") else "")
    if not command.strip():
        return False
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}  # git's defaults
    sys.stdout.flush()
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    stdin: Any = pager.stdin
    with suppress(BrokenPipeError):  # the reader quit early (q in less): nothing more to show
        stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
    with suppress(OSError):  # closing flushes what is left; it fails the same way
        stdin.close()
    pager.wait()
    return True


def rich_console(out: Out | None = None, stderr: bool = False) -> Any:
    """A rich Console, for prompts, progress bars and rich's own tables: the same file and
    width as `out`."""
    from rich.console import Console

    out = out or Out(stderr=stderr)
    return Console(
        file=cast(TextIO, out) if out._buffer is not None else out.file,  # Out writes like a file
        width=out.width,
        highlight=False,
        emoji=False,
        no_color=not out.colors,
    )
