"""Files the user gives and files debtcli writes over.

Every file a command reads on the user's word is first checked here: a plain file (a FIFO
would hang, a device never end) of a bounded size, read no further than that bound even when
it grows meanwhile. Refusals are one line, in the user's language.
"""

import os
import stat
from pathlib import Path

from debtcli.errors import BadInput, os_reason


def _refused(path: Path, exc: OSError) -> BadInput:
    en, zh = os_reason(exc)
    return BadInput(f"cannot read {path}: {en}", f"无法读取 {path}：{zh}")


def _too_large(path: Path, limit: int) -> BadInput:
    size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KB"
    return BadInput(f"{path} is larger than {size}", f"{path} 大于 {size}")


def regular_file(path: Path, limit: int | None = None) -> Path:
    """A file the user gave, checked to be a plain file (and no larger than limit)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _refused(path, exc) from exc
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(f"{path} is not a regular file", f"{path} 不是普通文件")
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
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadInput(f"{path} is not a regular file", f"{path} 不是普通文件")
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise _refused(path, exc) from exc
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
