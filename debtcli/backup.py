"""Backups, restores, and a JSON export/import of the whole store.

A backup is a zip (owner-only) holding a consistent copy of the SQLite file, taken with SQLite's
backup API while the store may be in use, every evidence file, and a manifest of SHA-256 sums;
it is verified after writing. A restore checks the sums and the hash chain before it replaces
anything.
"""

import hashlib
import itertools
import json
import os
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from debtcli import store as st
from debtcli.errors import BadInput, CheckFailed, sqlite_reason

TABLES = (  # every table of the store but its migrations (a test keeps this list whole)
    "cards",
    "episodes",
    "episode_changes",
    "numbers",
    "payments",
    "contacts",
    "contact_attachments",
    "agreements",
    "meta",
    "tsas",
    "stamps",
    "imports",
    "imported",
    "withdrawals",
)
BLOBS = {("stamps", "token")}  # in JSON as base64: a timestamp token, byte for byte
FORMAT = "debtcli-export/1"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MEMBER = r"(store\.db|evidence/[0-9a-f]{64})"
MAX_STORE = 8 << 30  # bytes: far above any store a person keeps


def backup(store: st.Store, out: Path) -> dict[str, Any]:
    from debtcli.contactlog import verify_store
    from debtcli.documents import output_file, private_file
    from debtcli.evidence import file_sha256

    out = output_file(out, "backup.zip")
    with st.staging(store.path) as workdir:
        copy = workdir / "store.db"
        target = sqlite3.connect(copy)
        with target:
            store.conn.backup(target)  # a consistent snapshot, even with writers around
        target.execute("PRAGMA journal_mode = DELETE")
        target.close()
        copy.chmod(0o600)
        snapshot = st.open_store(copy)
        # The snapshot's chain and pages are checked here; its attachments are the store's
        # own files, checked below by their sums.
        seen, head, problems = verify_store(snapshot)
        problems = [
            p
            for p in problems
            if not p.kind.startswith("attachment") and p.kind != "unexpected-file"
        ]
        atts = sorted(
            {a["sha256"] for group in st.attachments_for(snapshot.conn).values() for a in group}
        )
        version = snapshot.conn.execute("PRAGMA user_version").fetchone()[0]
        snapshot.close()
        if problems:
            raise CheckFailed(
                f"the store does not verify ({problems[0].en}); run `debtcli "
                "evidence verify` before backing it up",
                f"数据未通过校验（{problems[0].zh}）；备份前请先运行 `debtcli evidence verify`",
            )
        files = {"store.db": copy}
        for sha in atts:
            files[f"evidence/{sha}"] = store.evidence_dir / sha
            if (
                not files[f"evidence/{sha}"].is_file()
                or file_sha256(files[f"evidence/{sha}"]) != sha
            ):
                raise CheckFailed(
                    f"evidence file {sha[:12]}… is missing or changed; run "
                    "`debtcli evidence verify`",
                    f"证据文件 {sha[:12]}… 缺失或被修改；请运行 `debtcli evidence verify`",
                )
        manifest = {
            "format": "debtcli-backup/1",
            "schema": version,
            "entries": seen,
            "chain_head": head,
            "files": {name: file_sha256(p) for name, p in files.items()},
            "sizes": {name: p.stat().st_size for name, p in files.items()},
        }
        with private_file(out) as (tmp, raw):
            # Level 1: a third of the time of the default for a few per cent more bytes.
            with raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                for name, p in files.items():
                    z.write(p, name)
                z.writestr("manifest.json", json.dumps(manifest, indent=1))
            with st.staging(store.path) as check:
                # Checked after writing, before it takes the name; its chain was verified above.
                check_backup(tmp, check, verified=manifest)
        return manifest


def _expected_schema(version: int, work: Path) -> set[tuple]:
    """What a store of this schema version holds (tables, indexes, triggers): made afresh by
    the migrations themselves, so nothing is listed twice."""
    fresh = st.open_store(work / "expected.db", upto=version)
    try:
        return _schema(fresh.conn)
    finally:
        fresh.close()


def _schema(conn: sqlite3.Connection) -> set[tuple]:
    """Every object of sqlite_master, SQLite's own names included: a trigger written in as
    sqlite_evil (PRAGMA writable_schema) is as foreign as any other."""
    import re

    return {
        (t, n, tbl, re.sub(r"\s+", " ", sql or "").strip())
        for t, n, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    }


def _extract(z: Any, manifest: dict, work: Path, source: Path) -> None:
    """Only the members a backup may hold, each listed in the manifest, each a regular file of
    a bounded size that does not inflate like a zip bomb; written 0600 into `work`."""
    import re
    import stat

    listed, sizes = manifest["files"], manifest.get("sizes") or {}
    infos = z.infolist()
    names = {i.filename for i in infos}
    if "store.db" not in names:
        raise CheckFailed(f"{source}: holds no store.db", f"{source}：没有 store.db")
    for info in infos:
        name = info.filename
        if name == "manifest.json":
            continue
        kind = stat.S_IFMT(info.external_attr >> 16)
        if (
            not re.fullmatch(MEMBER, name)
            or name not in listed
            or info.is_dir()
            or kind not in (0, stat.S_IFREG)
        ):
            raise CheckFailed(
                f"{source}: {name[:80]} is not a file a backup holds",
                f"{source}：{name[:80]} 不是备份应有的文件",
            )
        limit = sizes.get(name, MAX_STORE)
        if info.file_size > min(limit, MAX_STORE):  # a bomb was refused on opening
            raise CheckFailed(
                f"{source}: {name} is larger than the backup says ({info.file_size:,} bytes)",
                f"{source}：{name} 比备份声明的大（{info.file_size:,} 字节）",
            )
    (work / "store-evidence").mkdir(mode=0o700)
    for info in infos:
        if info.filename == "manifest.json":
            continue
        target = (
            work / "store.db"
            if info.filename == "store.db"
            else work / "store-evidence" / info.filename.removeprefix("evidence/")
        )
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, z.open(info) as src:
            shutil.copyfileobj(src, out, 1 << 20)


def check_backup(path: Path, work: Path, verified: dict | None = None) -> dict[str, Any]:
    """Check a backup completely inside `work` (a staging folder beside the store): its sums,
    its members, the schema of its store (exactly what that version's migrations make: no
    missing trigger, no extra one), its pages and its chain. Leaves work/store.db and
    work/store-evidence/ for a restore to move into place.

    `verified` is the manifest of a backup just written from a snapshot whose chain was
    verified: when the zip's manifest is that one and every member's sum matches it, the
    store inside is those very bytes, and its chain is not verified a second time."""
    from debtcli.contactlog import verify_store
    from debtcli.evidence import open_signed_zip
    from debtcli.files import regular_file

    z, manifest, bad = open_signed_zip(regular_file(Path(path)), "backup", "备份")
    version = manifest.get("schema", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BadInput(f"{path}: its manifest has no schema version", f"{path}：清单中没有结构版本")
    if version > st.SCHEMA_VERSION:
        raise BadInput(
            f"{path} was made by a newer debtcli; upgrade to restore it",
            f"{path} 由更新版本的 debtcli 生成；请升级后再恢复",
        )
    if bad:
        raise CheckFailed(
            f"{path}: damaged or changed: {', '.join(bad)}",
            f"{path}：已损坏或被修改：{'、'.join(bad)}",
        )
    _extract(z, manifest, work, Path(path))
    staged = work / "store.db"
    expected = _expected_schema(version, work)
    conn = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    try:
        got = _schema(conn)
        got_version = conn.execute("PRAGMA user_version").fetchone()[0]
        if got == expected and got_version == version:
            check_rows(conn)
    except BadInput as exc:
        raise CheckFailed(f"{path}: {exc.en}", f"{path}：{exc.zh}") from exc
    except sqlite3.DatabaseError as exc:
        en, zh = sqlite_reason(exc)
        raise CheckFailed(
            f"{path}: store.db is not a usable store ({en})",
            f"{path}：store.db 不是可用的数据文件（{zh}）",
        ) from exc
    finally:
        conn.close()
    if got_version != version or got != expected:
        odd = sorted(n for _, n, _, _ in got ^ expected)[:3]
        raise CheckFailed(
            f"{path}: its store is not what debtcli makes "
            f"({', '.join(odd) or f'version {got_version}'} differ): refused",
            f"{path}：其中的数据文件与 debtcli 生成的结构不符"
            f"（{'、'.join(odd) or f'版本 {got_version}'}）：拒绝恢复",
        )
    problems: list = []
    if manifest != verified:
        copy = st.open_store(staged)
        try:
            _, _, problems = verify_store(copy)
        finally:
            copy.close()
    if problems:
        raise CheckFailed(
            f"{path}: the evidence does not verify: {problems[0].en}",
            f"{path}：证据未通过校验：{problems[0].zh}",
        )
    return manifest


def _store_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return any(
            conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in ("cards", "contacts")
        )
    except sqlite3.DatabaseError:
        return True  # something is there that is not an empty store: do not overwrite it
    finally:
        conn.close()


def _lock(target: Path) -> Any:
    """One restore of a store at a time: a second one is refused, not spliced in."""
    from debtcli.system import lock

    st.make_private_dir(target.parent)
    fd = os.open(target.with_name(f".{target.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    if not lock(fd):
        os.close(fd)
        raise BadInput(
            f"another restore of {target} is running; wait for it to finish",
            f"另一个对 {target} 的恢复正在进行；请等它完成",
        ) from None
    return fd


STORE_WAIT = 30  # seconds a restore waits for a command writing to the store to finish


@contextmanager
def _writers_held(target: Path) -> Iterator[None]:
    """The store's own write lock, held while it is replaced: a command in the middle of a
    write finishes first (and what it wrote is then part of what the restore replaces, which
    --force was asked for), and none starts until the new store is in place."""
    if not target.exists():
        yield
        return
    conn = sqlite3.connect(target, timeout=STORE_WAIT, isolation_level=None)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise BadInput(
                    f"{target} is in use by another debtcli command that is writing; try the "
                    "restore again when it has finished",
                    f"{target} 正被另一个 debtcli 命令写入；请在它完成后再恢复",
                ) from exc
        except sqlite3.DatabaseError:
            pass  # not a store at all: nothing of ours writes to it
        yield
    finally:
        conn.close()


def _refuse_if_in_use(target: Path, force: bool) -> None:
    if _store_has_data(target) and not force:
        raise BadInput(
            f"{target} already holds a store; add --force to replace it (back it up first)",
            f"{target} 已有数据；如要替换请加 --force（请先备份）",
        )


def _place_evidence(staged: Path, evidence: Path) -> Path | None:
    """Every evidence file of the backup into the evidence folder, replacing one whose bytes
    are not its name's (damage the backup repairs); the files the restored store names none
    of (the replaced store's) are moved aside, into a folder returned, not left to look
    planted."""
    from datetime import datetime

    from debtcli.evidence import file_sha256

    st.make_private_dir(evidence)
    restored = set()
    for f in staged.iterdir():
        restored.add(f.name)
        there = evidence / f.name
        if not there.is_file() or file_sha256(there) != f.name:
            os.replace(f, there)  # same folder tree: a rename
    stray = [
        p
        for p in evidence.iterdir()
        if p.name not in restored and not p.name.startswith(st.INCOMING_PREFIX)
    ]
    if not stray:
        return None
    aside = evidence.with_name(f"{evidence.name}-replaced-{datetime.now():%Y%m%d-%H%M%S}")
    st.make_private_dir(aside)
    for p in stray:
        os.replace(p, aside / p.name)
    return aside


def restore(path: Path, target: Path, force: bool) -> dict[str, Any]:
    """Everything is checked in a staging folder beside the store before anything is moved;
    a refusal leaves the store and its evidence folder exactly as they were. Returns the
    backup's manifest, with `moved_aside`: where the replaced store's own evidence files went
    (or None)."""
    from debtcli.files import regular_file

    regular_file(Path(path))  # a backup that is not there is said before the store in the way
    lock = _lock(target)
    try:
        _refuse_if_in_use(target, force)  # said before the backup is read
        with st.staging(target) as work:
            manifest = check_backup(path, work)  # nothing is replaced before this
            # Indexes are derived data, and a doctored one (a b-tree swapped in) can hide an
            # entry from one card's views while quick_check, used on a long log, passes:
            # they are rebuilt from the rows the chain verified.
            rebuilt = sqlite3.connect(work / "store.db")
            try:
                rebuilt.execute("REINDEX")
                rebuilt.commit()
            finally:
                rebuilt.close()
            from debtcli.system import replace

            with _writers_held(target):
                _refuse_if_in_use(target, force)  # a store made meanwhile is not lost either
                aside = _place_evidence(work / "store-evidence", st.evidence_dir(target))
                for suffix in ("-wal", "-shm"):
                    Path(str(target) + suffix).unlink(missing_ok=True)
                replace(work / "store.db", target)
        return {**manifest, "moved_aside": str(aside) if aside else None}
    finally:
        os.close(lock)


def _db(store: st.Store) -> Any:
    """sqlite-utils over the store's own connection, for the bulk paths (export, import):
    inside our transaction its writes nest as savepoints."""
    from sqlite_utils import Database

    return Database(store.conn, recursive_triggers=False)


def export_json(store: st.Store) -> Generator[str, None, None]:
    """Every table as JSON ({"format", "schema", "tables": {name: [rows]}}), in chunks as the
    rows are read, inside one read snapshot: a million entries never sit in memory at once."""
    import base64
    import json

    db = _db(store)
    enc = json.JSONEncoder(ensure_ascii=False).encode
    with store.read():
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        yield f'{{"format": {enc(FORMAT)}, "schema": {version}, "tables": {{'
        for t, table in enumerate(TABLES):
            yield f"{',' if t else ''}\n {enc(table)}: ["
            blobs = {k for b, k in BLOBS if b == table}
            for n, row in enumerate(db[table].rows_where(order_by="rowid")):
                if blobs:
                    row = {
                        k: base64.b64encode(v).decode() if k in blobs and v is not None else v
                        for k, v in row.items()
                    }
                yield ("," if n else "") + "\n  " + enc(row)
            yield "\n ]"
        yield "\n}}\n"


# Columns that hold a calendar date, and the values the log's enumerations may take.
DATE_COLUMNS = {
    "since",
    "settled_on",
    "paid_on",
    "agreed_on",
    "first_due",
    "archived_on",
    "promise_date",
}


def _enums() -> dict[str, tuple[str, ...]]:
    from debtcli import contactlog as cl

    return {
        "channel": cl.CHANNELS,
        "direction": cl.DIRECTIONS,
        "party": cl.PARTIES,
        "contacted": cl.CONTACTED,
    }


# What a value may be beyond its type, as debtcli's own commands check it: a restored or
# imported row outside these would stop later commands (a year 9999, a billion months).
RANGES = {
    **dict.fromkeys(
        ("credit_limit", "amount", "principal", "interest", "fees", "settled_amount",
         "monthly", "reduction", "demanded"),
        (0, 100_000_000 * 100),
    ),
    "months": (1, 120),
    "due_day": (1, 31),
    "statement_day": (1, 31),
    "minutes": (0, 1440),
    "agents": (0, 99),
    "answered": (0, 1),
    "size": (0, 1 << 40),
    "position": (0, 9_999),
}  # fmt: skip
INSTANT_COLUMNS = {
    "at", "at_utc", "recorded_at", "created_at", "changed_at", "requested_at", "added_at",
    "gen_time", "voided_at",
}  # fmt: skip


def _a_day(value: str) -> bool:
    from datetime import date

    if not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return False
    try:
        return 1990 <= date.fromisoformat(value).year <= 2100
    except ValueError:
        return False


def _an_instant(value: str) -> bool:
    from datetime import datetime

    try:
        return 1990 <= datetime.fromisoformat(value).year <= 2100
    except ValueError:
        return False


def _fits(table: str, col: str, row: dict, value: str) -> bool:
    """The text columns whose form later commands read: the store's records of its chain and
    the letters' profile, and an overdue episode's corrections."""
    if table == "meta" and col == "value":
        key = row.get("key")
        if key == "chain_count":
            return value.isdecimal() and len(value) < 19
        if key == "chain_head":
            return re.fullmatch(r"[0-9a-f]{64}", value) is not None
        if key == "profile":  # the letters' name, phone and address: text each
            try:
                doc = json.loads(value)
            except (ValueError, RecursionError):
                return False
            return isinstance(doc, dict) and all(isinstance(v, str | None) for v in doc.values())
    if table == "contacts" and col == "salt":
        return re.fullmatch(r"[0-9a-f]{32}", value) is not None
    if table == "contact_attachments" and col == "sha256":  # a file's name in the evidence
        return re.fullmatch(r"[0-9a-f]{64}", value) is not None
    if table == "episode_changes" and col in ("old", "new"):
        if row.get("field") == "since":
            return _a_day(value)
        return value.isdecimal() and int(value) <= RANGES["amount"][1]
    if table == "episode_changes" and col == "field":
        return value in ("since", "amount", "principal", "interest", "fees")
    return True


def _bad_value(where: str, why: str, why_zh: str, what: tuple[str, str] = ("export", "导出文件")):
    return BadInput(
        f"not a usable debtcli {what[0]}: {where}: {why}",
        f"不是可用的 debtcli {what[1]}：{where}：{why_zh}",
    )


SQLITE_INT = (-(1 << 63), (1 << 63) - 1)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # newlines and tabs are text


class RowCheck:
    """Every value a store's table may hold, checked against its schema: its type (INTEGER
    within SQLite's range, TEXT, a BLOB as bytes or base64), its form (dates, the log's
    choices) and no control characters in text but newlines and tabs. The one rule for rows
    from an export (import --json) and from a backup's store (restore)."""

    def __init__(self, conn: sqlite3.Connection, what: tuple[str, str] = ("export", "导出文件")):
        self.conn, self.enums, self.types = conn, _enums(), dict[str, dict[str, str]]()
        self.what = what

    def columns(self, table: str) -> dict[str, str]:
        if table not in self.types:
            self.types[table] = {
                r[1]: r[2].upper() for r in self.conn.execute(f"PRAGMA table_info({table})")
            }
        return self.types[table]

    def row(self, table: str, n: int, row: Any) -> None:

        types = self.columns(table)
        where = f"table {table}, row {n}"
        if not isinstance(row, dict) or not row:
            raise _bad_value(where, "must be an object", "必须是对象", self.what)
        for col, value in row.items():
            if col not in types:
                raise _bad_value(where, f"unknown column {col!r}", f"未知列 {col!r}", self.what)
            if value is None:
                continue
            kind = types[col]
            if (table, col) in BLOBS:
                ok = isinstance(value, bytes) or self._base64(row, col, value)
            elif kind == "INTEGER":
                ok = type(value) is int and SQLITE_INT[0] <= value <= SQLITE_INT[1]
            else:
                ok = isinstance(value, str)
            if not ok:
                raise _bad_value(
                    f"{where}, {col}",
                    f"{value!r:.40} is not {kind.lower()}",
                    f"{value!r:.40} 不是{kind.lower()}",
                    self.what,
                )
            if (
                isinstance(value, int)
                and col in RANGES
                and not (RANGES[col][0] <= value <= RANGES[col][1])
            ):
                raise _bad_value(
                    f"{where}, {col}",
                    f"{value} is not between {RANGES[col][0]} and {RANGES[col][1]}",
                    f"{value} 不在 {RANGES[col][0]} 到 {RANGES[col][1]} 之间",
                    self.what,
                )
            if not isinstance(value, str):
                continue
            if (col in INSTANT_COLUMNS and not _an_instant(value)) or not _fits(
                table, col, row, value
            ):
                raise _bad_value(
                    f"{where}, {col}",
                    f"{value!r:.40} is not what debtcli writes there",
                    f"{value!r:.40} 不是 debtcli 在此写入的值",
                    self.what,
                )
            if _CONTROL.search(value):
                raise _bad_value(f"{where}, {col}", "control characters", "含有控制字符", self.what)
            if col in DATE_COLUMNS and not _a_day(value):
                raise _bad_value(
                    f"{where}, {col}",
                    f"{value!r:.40} is not a date (YYYY-MM-DD, 1990 to 2100)",
                    f"{value!r:.40} 不是日期（YYYY-MM-DD，1990 至 2100 年）",
                    self.what,
                )
            enums = self.enums
            if table in ("contacts", "numbers") and col in enums and value not in enums[col]:
                raise _bad_value(
                    f"{where}, {col}",
                    f"{value!r:.40} is not one of {', '.join(enums[col])}",
                    f"{value!r:.40} 不在可选值中",
                    self.what,
                )

    @staticmethod
    def _base64(row: dict, col: str, value: Any) -> bool:
        import base64
        import binascii

        if not isinstance(value, str):
            return False
        try:
            row[col] = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return False
        return True


def _tables_of(doc: Any) -> dict[str, Any]:
    """An export's format and schema version checked; its tables."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadInput(
            f"not a debtcli export (expected format {FORMAT})",
            f"不是 debtcli 导出文件（应为 {FORMAT} 格式）",
        )
    schema = doc.get("schema", 0)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 0:
        raise _bad_value("schema", "must be a whole number", "必须是整数")
    if schema > st.SCHEMA_VERSION:
        raise BadInput(
            "the export was made by a newer debtcli", "导出文件由更新版本的 debtcli 生成"
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise _bad_value(
            "tables", "missing, or not an object of tables", "缺失，或不是由表组成的对象"
        )
    return tables


def check_rows(conn: sqlite3.Connection) -> None:  # raises BadInput
    """Every row of every table of a store (a backup's, before it is restored), as RowCheck
    checks an export's: a hostile amount or date would stop later commands."""
    check = RowCheck(conn, ("backup: its store", "备份：其数据文件"))
    for table in TABLES:
        cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        names = [d[0] for d in cur.description]
        for n, values in enumerate(cur, start=1):
            check.row(table, n, dict(zip(names, values, strict=True)))


def import_json(store: st.Store, doc: Any) -> dict[str, int]:
    """Load an export (a parsed document) into an empty store: see load_rows. Its tables go
    in the store's order (a card before its episodes)."""
    tables = _tables_of(doc)
    order = [t for t in TABLES if t in tables] + [t for t in tables if t not in TABLES]
    return load_rows(store, ((t, tables[t]) for t in order))


def import_json_file(store: st.Store, path: Path) -> dict[str, int]:
    """Load an export file into an empty store, read as a stream when it is laid out as
    `export --json` writes it (a row per line): rows are checked and inserted in batches,
    inside the one transaction, and a million entries never sit in memory. Any other layout
    of the same JSON is parsed whole."""
    from debtcli.files import regular_file

    regular_file(path)
    rows = export_rows(path)
    if rows is None:
        from debtcli.files import read_json  # parsed whole: an export laid out otherwise

        return import_json(store, read_json(path))
    return load_rows(store, rows)


def export_rows(path: Path) -> Iterator[tuple[str, Iterator[dict]]] | None:
    """The tables of an export as (name, rows) streams, when the file is laid out a row per
    line as export_json writes it; None when it is not (checked in a first pass that parses
    nothing, so the decision comes before anything is written)."""
    import re

    try:
        with path.open(encoding="utf-8") as f:
            head = f.readline()
            for line in f:
                t = line.strip()
                if not (
                    t.startswith("{") or t in ("]", "],", "}}") or re.fullmatch(r'"\w+": \[', t)
                ):
                    return None
    except UnicodeDecodeError:
        return None
    header = _header(head)
    if header is None:
        return None
    return _tables(path)


def _header(line: str) -> dict | None:
    """The first line of an export, {"format": …, "schema": …, "tables": {, as a document."""
    try:
        doc = json.loads(line.rstrip() + "}}")
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("tables") != {}:
        return None
    _tables_of(doc)  # the format and the schema version
    return doc


def _tables(path: Path) -> Iterator[tuple[str, Iterator[dict]]]:
    import re

    with path.open(encoding="utf-8") as f:
        f.readline()
        line = f.readline()
        while line:
            m = re.fullmatch(r'"(\w+)": \[', line.strip())
            if m:
                yield m.group(1), _rows(f)
            line = f.readline()


def _rows(f: Any) -> Iterator[dict]:
    for line in f:
        t = line.strip()
        if t in ("]", "],"):
            return
        try:
            yield json.loads(t.removesuffix(","))
        except (ValueError, RecursionError) as exc:
            raise _bad_value("a row", "not JSON", "不是 JSON") from exc


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    """Checked rows (RowCheck: known columns only) into a table, one statement per set of
    columns: the plain executemany costs a third of a general bulk insert."""
    by_columns: dict[tuple[str, ...], list[tuple]] = {}
    for r in rows:
        by_columns.setdefault(tuple(r), []).append(tuple(r.values()))
    for columns, values in by_columns.items():
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def load_rows(store: st.Store, tables: Iterable[tuple[str, Iterable[Any]]]) -> dict[str, int]:
    """Rows into an empty store, ids and hashes as they were, each checked (RowCheck) and
    inserted in batches inside one transaction; the chain is verified inside it too, so a
    doctored export lands nothing."""
    from debtcli.contactlog import verify_store

    if _store_has_data(store.path):
        raise BadInput(
            f"{store.path} is not empty: import into a new store (--db NEW.db)",
            f"{store.path} 不是空的：请导入到新的数据文件（--db 新文件.db）",
        )
    counts: dict[str, int] = {}
    check = RowCheck(store.conn)
    with store.write() as c:
        c.execute("DELETE FROM meta")
        for table, rows in tables:
            if table not in TABLES:
                raise _bad_value(
                    f"table {table!r}", "not a table of a debtcli store", "不是 debtcli 的表"
                )
            if not isinstance(rows, Iterable) or isinstance(rows, str | dict):
                raise _bad_value(f"table {table}", "must be a list of rows", "必须是由行组成的列表")
            n, batch = 0, []
            for row in itertools.chain(rows, [None]):
                if row is not None:
                    n += 1
                    check.row(table, n, row)
                    batch.append(row)
                if batch and (row is None or len(batch) == 1000):
                    try:
                        _insert(c, table, batch)
                    except (sqlite3.Error, ValueError, TypeError) as exc:
                        raise BadInput(f"table {table}: {exc}", f"表 {table}：{exc}") from exc
                    batch = []
            counts[table] = counts.get(table, 0) + n
        _, _, problems = verify_store(store, parallel=False)
        attachment_problems = [p for p in problems if p.kind.startswith("attachment")]
        if len(problems) > len(attachment_problems):
            raise CheckFailed(
                f"the export's evidence chain does not verify: {problems[0].en}",
                f"导出文件的证据链未通过校验：{problems[0].zh}",
            )
    return counts
