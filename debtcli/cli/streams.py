"""What the terminal is given: the one place where text meets the console.

Every write to stdout and stderr goes through a ConsoleStream (installed by main): on a
terminal, control and bidi characters from the log are shown as U+FFFD instead of acted on (an
escape sequence in a file name cannot move the cursor or recolour the screen); and on a
console whose encoding cannot write a character (a Chinese Windows console in code page 936,
output redirected there, a zh_CN.GBK locale), the character falls back to a plain form, or to
'?' with a one-time note, instead of stopping the command. debtcli's own styling (the colours
of term.Out, rich's prompts) writes through `own`, which only fits the encoding.
"""

import contextlib
import sys
from typing import Any, TextIO

# Plain forms a legacy Chinese console can show (all are in GBK).
PLAIN = str.maketrans(
    {
        "⚑": "!",
        "✓": "√",
        "✔": "√",
        "✗": "×",
        "▣": "#",
        "☐": "□",
        "✎": "*",
        "☎": "T",
        "✉": "@",
        "⚖": "=",
        "¥": "￥",
        "−": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "・": "·",
        "€": "EUR",
        "£": "GBP",
    }
)


class _Fitting:
    """A stream's writes made to fit its encoding."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        self._noted = False

    def fit(self, text: str) -> str:
        try:
            text.encode(self._encoding)
            return text
        except UnicodeEncodeError:
            pass
        except LookupError:  # an encoding Python does not know: let the stream say
            return text
        text = text.translate(PLAIN)
        try:
            text.encode(self._encoding)
            return text
        except UnicodeEncodeError:
            self._note()
            return text.encode(self._encoding, "replace").decode(self._encoding)

    def _note(self) -> None:
        if self._noted:
            return
        self._noted = True
        from debtcli.i18n import default_lang, pick

        note = pick(
            default_lang(),
            f"(debtcli: this console's encoding, {self._encoding}, cannot show some "
            "characters; they appear as '?'. Windows Terminal shows them all.)\n",
            f"（debtcli：此控制台的编码 {self._encoding} 无法显示部分字符，显示为“?”。"
            "Windows Terminal 可完整显示。）\n",
        )
        err = sys.__stderr__
        if err is not None:
            with contextlib.suppress(OSError, ValueError, LookupError):
                err.write(
                    note.encode(err.encoding or "utf-8", "replace").decode(err.encoding or "utf-8")
                )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Own(_Fitting):
    """debtcli's own writes: styled, never escaped."""

    def write(self, text: str) -> int:
        return self._stream.write(self.fit(text))


class ConsoleStream(_Fitting):
    """stdout or stderr as debtcli writes to it."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        try:
            self._tty = stream.isatty()
        except (AttributeError, ValueError):
            self._tty = False
        self.own = _Own(stream)

    def write(self, text: str) -> int:
        if self._tty:
            from debtcli.escape import for_terminal

            text = for_terminal(text)
        with _output_failure():
            return self._stream.write(self.fit(text))

    def flush(self) -> None:
        with _output_failure():
            self._stream.flush()

    def data(self, text: str) -> None:
        """Data to read back (--json, --csv, export --json): on a terminal shown like any
        text; to a file or a pipe always UTF-8, whatever the console's encoding (GBK would
        turn a BOM into '?' and an emoji into nothing a re-import could read)."""
        buffer = getattr(self._stream, "buffer", None)
        if self._tty or buffer is None:
            self.write(text)
            return
        with _output_failure():
            self._stream.flush()
            buffer.write(text.encode("utf-8", "surrogateescape"))


def write_data(text: str) -> None:
    """stdout's data(), where it is wrapped (the CLI's own runs); else a plain write."""
    out = sys.stdout
    (out.data if isinstance(out, ConsoleStream) else out.write)(text)


class DataOut:
    """A file-like stdout for the csv module: every write goes through write_data."""

    def write(self, text: str) -> int:
        write_data(text)
        return len(text)


@contextlib.contextmanager
def _output_failure() -> Any:
    """An error writing the output (a full disk under `> file`) is marked as the output's, so
    that it is not said of the store."""
    try:
        yield
    except OSError as exc:
        exc.debtcli_output = True  # type: ignore[attr-defined]
        raise


def install() -> None:
    """Wrap stdout and stderr (once). Output to a file or a pipe is UTF-8 whatever the
    system's code page (a Chinese Windows would write GBK to `debtcli log list --json >
    log.json`), unless PYTHONIOENCODING asks otherwise."""
    import os

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, ConsoleStream):
            continue
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if not stream.isatty() and not os.environ.get("PYTHONIOENCODING"):
                stream.reconfigure(encoding="utf-8")
        setattr(sys, name, ConsoleStream(stream))


def to_a_file() -> bool:
    """Is stdout a file on disk (`> log.csv`), rather than a terminal or a pipe?"""
    import os
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (AttributeError, ValueError, OSError):
        return False
