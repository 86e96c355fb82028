"""Attachment files, stored by content: evidence/<sha256>. The same file twice is stored once."""

import mimetypes
import os
import tempfile
from pathlib import Path

from debtcli.errors import BadInput, os_reason
from debtcli.evidence import file_sha256
from debtcli.store import INCOMING_PREFIX, make_private_dir, sweep_orphans


def display_name(raw: str) -> str:
    """A file name as the user reads it: a name copied from Windows (GBK bytes that are not
    UTF-8) arrives as surrogate escapes and is read as GB18030."""
    try:
        raw.encode("utf-8")
        return raw
    except UnicodeEncodeError:
        data = os.fsencode(raw)
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            return data.decode("utf-8", "replace")


def prepare(paths: list[str]) -> list[dict]:
    """Read and hash every file before anything is written; a missing file stops everything."""
    out = []
    for p in paths:
        path = Path(p).expanduser()
        try:
            if path.exists() and not path.is_file():
                raise BadInput(
                    f"attachment {p!r} is not a regular file; nothing was recorded",
                    f"附件 {p!r} 不是普通文件；未记录任何内容",
                )
            if not path.is_file():
                raise FileNotFoundError(2, "no such file", str(path))
            size = path.stat().st_size
            digest, read = file_sha256(path, counted=True)
            if read != size:  # /proc/self/environ says 0 bytes and holds more
                raise BadInput(
                    f"attachment {p!r} is not a file of a fixed size (it says {size} bytes and "
                    f"holds {read}); nothing was recorded",
                    f"附件 {p!r} 不是大小固定的文件（声明 {size} 字节，实际 {read} 字节）；未记录任何内容",
                )
        except OSError as exc:
            en, zh = os_reason(exc)
            raise BadInput(
                f"attachment {p!r} cannot be read ({en}); nothing was recorded",
                f"无法读取附件 {p!r}（{zh}）；未记录任何内容",
            ) from exc
        out.append(
            {
                "sha256": digest,
                "name": display_name(path.name),
                "size": size,
                "mime": mimetypes.guess_type(path.name)[0],
                "source": str(path),
            }
        )
    return out


def place(folder: Path, prepared: list[dict]) -> list[Path]:
    """Copy files into the evidence folder; returns the files this call created, so a failed
    transaction can remove them again."""
    created: list[Path] = []
    make_private_dir(folder)
    sweep_orphans(folder, INCOMING_PREFIX)  # what a killed copy left
    for a in prepared:
        target = folder / a["sha256"]
        if target.exists():
            continue
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{INCOMING_PREFIX}{os.getpid()}-")
        try:
            with os.fdopen(fd, "wb") as out, open(a["source"], "rb") as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            if file_sha256(tmp) != a["sha256"]:
                raise BadInput(
                    f"attachment {a['source']!r} changed while it was being copied",
                    f"附件 {a['source']!r} 在复制过程中发生了变化",
                )
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        created.append(target)
    return created
