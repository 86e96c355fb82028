"""Files the user gives and files debtcli writes over.

Every file a command reads on the user's word is first checked here: a plain file (a FIFO
would hang, a device never end) of a bounded size, read no further than that bound even when
it grows meanwhile. Refusals are one line, in the user's language.
"""

import os
import stat
from pathlib import Path
from typing import Any

from debtcli.errors import BadInput, os_reason


class FileRefused(BadInput):
    """A file the user gave that cannot be read as asked; `why` says why without its name."""

    def __init__(self, en: str, zh: str, why: tuple[str, str]) -> None:
        super().__init__(en, zh)
        self.why = why


def _refused(path: Path, exc: OSError) -> FileRefused:
    en, zh = os_reason(exc)
    return FileRefused(f"cannot read {path}: {en}", f"无法读取 {path}：{zh}", (en, zh))


def _not_regular(path: Path) -> FileRefused:
    why = ("not a regular file", "不是普通文件")
    return FileRefused(f"{path} is {why[0]}", f"{path} {why[1]}", why)


def _too_large(path: Path, limit: int) -> FileRefused:
    size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KB"
    why = (f"larger than {size}", f"大于 {size}")
    return FileRefused(f"{path} is {why[0]}", f"{path} {why[1]}", why)


def regular_file(path: Path, limit: int | None = None) -> Path:
    """A file the user gave, checked to be a plain file (and no larger than limit)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _refused(path, exc) from exc
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path)
    if limit is not None and info.st_size > limit:
        raise _too_large(path, limit)
    return path


def read_small(path: Path, limit: int) -> bytes:
    """The whole of a small file the user gave (a certificate, a rule pack, a JSON document):
    opened without waiting (a FIFO put in its place after the check does not hang), checked to
    be plain, and read to at most limit bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _refused(path, exc) from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise _refused(path, IsADirectoryError(21, "Is a directory"))
        if not stat.S_ISREG(mode):
            raise _not_regular(path)
        data = os.read(fd, limit + 1)
        while len(data) <= limit and (more := os.read(fd, limit + 1 - len(data))):
            data += more
    except OSError as exc:
        raise _refused(path, exc) from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def replaceable(path: Path) -> None:
    """A file name -o may write to: nothing there yet, or a plain file. A device, a FIFO or a
    socket is never replaced (as root, -o /dev/sda would otherwise swap out a disk's node)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _refused(path, exc) from exc
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise BadInput(
            f"-o {path}: that is not a plain file (a device, a pipe or a socket); give a file name",
            f"-o {path}：这不是普通文件（设备、管道或套接字）；请给出文件名",
        )


def read_json(path: Path) -> Any:
    """A JSON file the user gave (an export, a visit's answers): a plain file, UTF-8; what is
    wrong with it said in words, in the user's language."""
    import json

    try:
        text = regular_file(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _refused(path, exc) from exc
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path} is not UTF-8 text", f"{path} 不是 UTF-8 文本") from exc
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise BadInput(
            f"{path} is not a JSON document debtcli reads (nested too deeply)",
            f"{path} 不是 debtcli 能读取的 JSON 文件（嵌套过深）",
        ) from exc
    except json.JSONDecodeError as exc:
        where_en, where_zh = (
            f"line {exc.lineno}, column {exc.colno}",
            f"第 {exc.lineno} 行第 {exc.colno} 列",
        )
        raise BadInput(
            f"{path} is not valid JSON ({where_en})", f"{path} 不是有效的 JSON（{where_zh}）"
        ) from exc


def pasted_path(text: str) -> Path:
    """A file's path as a terminal pastes a dragged file: in quotes ('…m4a', "…m4a"), with a
    backslash before each space or bracket (macOS, Linux), or as a file:// address. On
    Windows a backslash is the folder separator and is kept."""
    import sys
    from urllib.parse import unquote, urlsplit

    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        t = t[1:-1]
    elif t.startswith("file://"):
        t = unquote(urlsplit(t).path)
    elif sys.platform != "win32" and "\\" in t:
        import re

        t = re.sub(r"\\(.)", r"\1", t)
    return Path(t).expanduser()
