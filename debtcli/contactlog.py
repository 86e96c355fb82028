"""The contact log: building and checking entries, amending, importing, verifying, exporting.

Entries are validated completely before the one transaction that appends them, and attachment
files are copied inside it (and removed again if it fails), so a refused command writes nothing.
"""

import itertools
import re
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from debtcli import store as st
from debtcli.cards import resolve
from debtcli.dates import parse_date, parse_past_datetime
from debtcli.errors import BadInput, CheckFailed, NotFound, not_one_of
from debtcli.evidence import (
    CHAIN_COLUMNS,
    COMMITTED,
    Problem,
    commitment,
    committed_hash,
    field_salt,
    field_salts,
    file_sha256,
    head_problems,
    sealed,
    shown_hash,
    verify_chain,
)
from debtcli.files import regular_file
from debtcli.money import parse_amount, to_decimal_str
from debtcli.redact import MASK
from debtcli.rules import Pack

CHANNELS = ("sms", "call", "letter", "lawyer-letter", "visit", "email", "app", "wechat", "other")
DIRECTIONS = ("in", "out", "unknown")  # unknown: an imported recording that does not say
# impostor: someone using the bank's name (a visit the bank's hotline denied, a scam); like
# unknown, never counted as the creditor (rule pack [parties]).
PARTIES = ("bank", "agency", "law-firm", "court", "unknown", "impostor")
CONTACTED = ("self", "family", "employer", "colleague", "friend", "contacts-list", "other")
CREDENTIALS = ("work-id", "authorization", "none")
FLAGS = ("threat", "insult", "violence", "impersonation", "repeated", "no-seal", "other")
LETTERS = ("letter", "lawyer-letter")

# The CSV columns: `card` plus the long option names of `log add`, with _ for -.
CSV_COLUMNS = (
    "card",
    "at",
    "channel",
    "direction",
    "party",
    "org",
    "agent",
    "agent_id",
    "phone",
    "minutes",
    "missed",
    "contacted",
    "agents",
    "credentials",
    "demanded",
    "pay_to",
    "promise",
    "promise_date",
    "claim",
    "flag",
    "note",
)
TEXT_LIMITS = {
    "org": 200,
    "agent": 100,
    "agent_id": 100,
    "phone": 40,
    "pay_to": 300,
    "promise": 1000,
    "note": 5000,
}


def _bad(
    option: str,
    value: Any,
    choices: Iterable[str] | None = None,
    why: tuple[str, str] = ("", ""),
    names_zh: Iterable[str] | None = None,
) -> BadInput:
    """The refusal of an option's value: the choices it has, or why (in English, in Chinese)."""
    if choices is not None:
        exc = not_one_of(f"{option} {value!r}", choices, names_zh)
    else:
        exc = BadInput(f"{option} {value!r}: {why[0]}", f"{option} {value!r}：{why[1]}")
    exc.option = option  # type: ignore[attr-defined]  # lets an import name the CSV column
    return exc


def _parsed(option: str, parse: Any, *args: Any) -> Any:
    """Run a shared parser (dates, amounts), its refusal naming the option it came from
    (`--demanded: amount 'abc' is not a number`: a log entry has three dates and amounts)."""
    try:
        return parse(*args)
    except BadInput as exc:
        exc.en, exc.zh = f"{option}: {exc.en}", f"{option}：{exc.zh}"
        exc.args = (exc.en,)
        exc.option = option  # type: ignore[attr-defined]
        raise


# Which table of the pack's [words] each option's values are in.
WORD_KINDS = {
    "--channel": "channel",
    "--direction": "direction",
    "--party": "party",
    "--contacted": "contacted",
    "--credentials": "credentials",
    "--flag": "flag",
    "--claim": "claim",
}


def choice(
    option: str, value: str | None, choices: tuple[str, ...], default: str | None, pack: Pack
) -> Any:
    """One of `choices`, as the key or any word people use for it (the pack's [words]): 电话,
    母亲. `option` is one of WORD_KINDS."""
    if value is None or value == "":
        return default
    kind = WORD_KINDS[option]
    v = pack.word(kind, value).strip().lower()
    if v not in choices:
        raise _bad(
            option, value, choices, names_zh=[pack.word_name(kind, c, "zh") for c in choices]
        )
    return v


def _many(option: str, values: Iterable[str], choices: Iterable[str], pack: Pack) -> str | None:
    """Repeatable or comma-separated values (，、 too), checked and stored sorted and
    comma-joined; the words people use for them are accepted (the pack's [words])."""
    allowed = list(choices)
    kind = WORD_KINDS[option]
    out: set[str] = set()
    for value in values:
        for part in re.split(r"[,，、]", str(value)):
            p = pack.word(kind, part).strip().lower()
            if not p:
                continue
            if p not in allowed:
                names = [pack.word_name(kind, c, "zh") for c in allowed]
                raise _bad(option, part, allowed, names_zh=names)
            out.add(p)
    return ",".join(sorted(out)) or None


def _int(option: str, value: Any, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    why = (f"a whole number from {low} to {high}", f"应为 {low} 到 {high} 之间的整数")
    try:
        n = int(str(value).strip())
    except ValueError:
        raise _bad(option, value, why=why) from None
    if not low <= n <= high:
        raise _bad(option, value, why=why)
    return n


def _text(option: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    v = str(value).strip()
    if not v:
        return None
    limit = TEXT_LIMITS[key]
    if len(v) > limit:
        raise _bad(
            option, v[:20] + "…", why=(f"at most {limit} characters", f"最多 {limit} 个字符")
        )
    control = r"[\x00-\x08\x0b-\x1f\x7f]" if key in ("note", "promise") else r"[\x00-\x1f\x7f]"
    if not v.isprintable() and re.search(control, v):  # printable: no control character
        raise _bad(option, v[:20], why=("control characters are not allowed", "不能含控制字符"))
    return v


def _bool(option: str, value: Any, pack: Pack) -> bool:
    """A yes/no option or spreadsheet cell, in the words people use (是, 否, y, false, 0)."""
    from debtcli.visit import yes_no

    try:
        return yes_no(pack, "" if value is None else value, option)  # names the option
    except BadInput as exc:
        exc.option = option  # type: ignore[attr-defined]
        raise


def build_entry(
    raw: dict[str, Any],
    card: Any,
    pack: Pack,
    today: date,
    now: datetime | None = None,
    limit: datetime | None = None,
) -> dict[str, Any]:
    """Turn option values (strings as typed, or lists for repeatable options) into a checked
    entry. Raises BadInput naming the option. `now` and `limit` (the latest time a contact
    may have) let an import read the clock once."""
    from debtcli.dates import local_now

    now = now or local_now(today)
    at_text = raw.get("at")
    at = _parsed("--at", parse_past_datetime, str(at_text), today, limit) if at_text else now
    channel = choice("--channel", raw.get("channel"), CHANNELS, None, pack)
    if channel is None:
        raise BadInput(
            f"--channel is required: one of {', '.join(CHANNELS)}",
            f"必须提供 --channel：{'、'.join(pack.word_name('channel', c, 'zh') for c in CHANNELS)}"
            "之一",
        )
    missed = _bool("--missed", raw.get("missed"), pack)
    if missed and channel != "call":
        raise BadInput(
            "--missed applies only to --channel call", "--missed 只适用于 --channel call"
        )
    promise_date = raw.get("promise_date")
    demanded = raw.get("demanded")
    entry = {
        "card_id": card["id"],
        "at": at.isoformat(timespec="seconds"),
        "at_utc": at.astimezone(UTC).isoformat(timespec="seconds"),
        "recorded_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "channel": channel,
        "direction": choice("--direction", raw.get("direction"), DIRECTIONS, "in", pack),
        "party": choice("--party", raw.get("party"), PARTIES, "unknown", pack),
        "org": _text("--org", "org", raw.get("org")),
        "agent": _text("--agent", "agent", raw.get("agent")),
        "agent_id": _text("--agent-id", "agent_id", raw.get("agent_id")),
        "phone": _text("--phone", "phone", raw.get("phone")),
        "minutes": _int("--minutes", raw.get("minutes"), 0, 1440),
        "answered": (0 if missed else 1) if channel == "call" else None,
        "contacted": choice("--contacted", raw.get("contacted"), CONTACTED, "self", pack),
        "agents": _int("--agents", raw.get("agents"), 1, 50),
        "credentials": _many("--credentials", _listify(raw.get("credentials")), CREDENTIALS, pack),
        "demanded": (
            _parsed("--demanded", parse_amount, str(demanded))
            if demanded not in (None, "")
            else None
        ),
        "pay_to": _text("--pay-to", "pay_to", raw.get("pay_to")),
        "promise": _text("--promise", "promise", raw.get("promise")),
        "promise_date": (
            _parsed("--promise-date", parse_date, str(promise_date), today).isoformat()
            if promise_date not in (None, "")
            else None
        ),
        "claims": _many("--claim", _listify(raw.get("claim")), pack.claim_keys(), pack),
        "flags": _many(
            "--flag",
            [
                *_listify(raw.get("flag")),
                *(["no-seal"] if _bool("--no-seal", raw.get("no_seal"), pack) else []),
            ],
            FLAGS,
            pack,
        ),
        "note": _text("--note", "note", raw.get("note")),
        "amends": None,
    }
    if entry["flags"] and "no-seal" in entry["flags"].split(",") and channel not in LETTERS:
        raise BadInput(
            f"--no-seal applies only to a letter received (--channel {' or '.join(LETTERS)})",
            f"--no-seal 只适用于收到的信函（--channel {' 或 '.join(LETTERS)}）",
        )
    return entry


def _listify(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _append(
    store: st.Store,
    entries: list[dict],
    atts: list[list[dict]],
    logged: Callable[[sqlite3.Connection, dict, list[dict]], bool] | None = None,
    then: Callable[[sqlite3.Connection, list[int]], None] | None = None,
) -> list[int]:
    """Append all or nothing. logged(conn, entry, attachments): is it in the log already? Asked
    inside the write transaction, which one writer holds at a time: two imports of the same
    folder at once log each recording once. then(conn, ids): what else the same transaction
    writes (an import's run)."""
    from debtcli.attachments import place

    created: list[Path] = []
    try:
        with store.write() as conn:
            if logged is not None:
                kept = [
                    (e, a) for e, a in zip(entries, atts, strict=True) if not logged(conn, e, a)
                ]
                entries, atts = [e for e, _ in kept], [a for _, a in kept]
            ids = st.append_contacts(conn, entries, atts)
            if then is not None and ids:
                then(conn, ids)
            flat = [a for group in atts for a in group]
            if flat:
                created = place(store.evidence_dir, flat)
        return ids
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise


def add(
    store: st.Store, pack: Pack, card: Any, raw: dict[str, Any], attach: list[str], today: date
) -> dict[str, Any]:
    """Log one contact, its files attached: the entry as stored, with its id and hash."""
    from debtcli.attachments import prepare

    entry = build_entry(raw, card, pack, today)
    files = prepare(attach)
    (entry_id,) = _append(store, [entry], [files])
    row = st.contact(store, entry_id)
    assert row is not None  # just written
    return {**entry, "id": entry_id, "hash": row["hash"], "attachments": files}


def amend(
    store: st.Store, pack: Pack, entry_id: int, raw: dict[str, Any], attach: list[str], today: date
) -> dict[str, Any]:
    """Append a correction of entry `entry_id`: its latest values with the options given."""
    original = st.contact(store, entry_id)
    if original is None:
        raise NotFound(
            f"no log entry {entry_id}; see `debtcli log list`",
            f"没有编号为 {entry_id} 的记录；见 `debtcli log list`",
        )
    root = original["amends"] or original["id"]
    if root in (gone := st.withdrawals(store.conn)):
        raise BadInput(
            f"entry {entry_id} was withdrawn on {gone[root]['at'][:10]} and counts nowhere: a "
            "correction of it would count nowhere either; log it anew with `debtcli log add`",
            f"记录 {entry_id} 已于 {gone[root]['at'][:10]} 撤回，不计入任何统计：更正它也不会计入；"
            "请用 `debtcli log add` 重新记录",
        )
    latest = st.latest_version(store, root)
    assert latest is not None  # the original exists
    given = {k: v for k, v in raw.items() if v not in (None, [], ())}
    if not given and not attach:
        raise BadInput(
            "nothing to amend: give the options to correct, e.g. --note or --at",
            "没有要更正的内容：请给出要更正的选项，例如 --note 或 --at",
        )
    base = _as_raw(latest)
    base.update(given)
    card = st.get_card(store, original["card_id"])
    entry = build_entry(base, card, pack, today)
    entry["amends"] = root
    from debtcli.attachments import prepare

    prepared = prepare(attach)
    (new_id,) = _append(store, [entry], [prepared])
    return {"id": new_id, "amends": root}


def withdraw(store: st.Store, entry_id: int | None, run: int | None, why: str | None) -> list[int]:
    """Withdraw an entry (any of its versions' ids), or every entry an import run logged:
    each stays in the chain and in bundles, marked with when and why, and leaves every count.
    Append-only: nothing withdrawn comes back, and withdrawing twice is refused. Returns the
    originals' ids."""
    why = " ".join((why or "").split())
    if not why:
        raise BadInput(
            "say why with --why, e.g. --why 'a bank advert, not collection': the reason is "
            "kept with the entry",
            "请用 --why 说明原因，例如 --why '银行广告，不是催收'：原因会和记录一起保存",
        )
    if len(why) > TEXT_LIMITS["note"]:
        limit = TEXT_LIMITS["note"]
        raise BadInput(f"--why: at most {limit} characters", f"--why：最多 {limit} 个字符")
    if (entry_id is None) == (run is None):
        raise BadInput(
            "give an entry's number, or --import RUN for everything one import logged",
            "请给出记录编号，或用 --import 批次 撤回一次导入记录的全部内容",
        )
    with store.write() as conn:
        if run is not None:
            ids = st.import_entries(conn, run)
            if ids is None:
                raise BadInput(
                    f"no import {run}: each import says its number when it finishes",
                    f"没有第 {run} 批导入：每次导入结束时会显示批次编号",
                )
        else:
            row = conn.execute(
                "SELECT id, amends FROM contacts WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None:
                raise BadInput(
                    f"no log entry {entry_id}; see `debtcli log list`",
                    f"没有编号为 {entry_id} 的记录；见 `debtcli log list`",
                )
            ids = [row[1] or row[0]]
        done = st.withdrawals(conn)
        if run is not None:  # a run: what is left of it (one entry may be withdrawn already)
            left = [i for i in ids if i not in done]
            ids, again = left, ([] if left or not ids else ids)
        else:
            again = [i for i in ids if i in done]
        if again:
            raise BadInput(
                f"entry {_ranges(again)} was withdrawn already, on {done[again[0]]['at'][:10]}",
                f"记录 {_ranges(again, '、')} 已于 {done[again[0]]['at'][:10]} 撤回",
            )
        st.withdraw(conn, ids, datetime.now(UTC).isoformat(timespec="seconds"), why)
    return ids


def _as_raw(e: dict[str, Any]) -> dict[str, Any]:
    """An entry's values in the form build_entry takes (the inverse of build_entry)."""
    return {
        "at": e["at"],
        "channel": e["channel"],
        "direction": e["direction"],
        "party": e["party"],
        "org": e["org"],
        "agent": e["agent"],
        "agent_id": e["agent_id"],
        "phone": e["phone"],
        "minutes": e["minutes"],
        "missed": e["answered"] == 0,
        "contacted": e["contacted"],
        "agents": e["agents"],
        "credentials": _listify(e["credentials"]),
        "demanded": to_decimal_str(e["demanded"]) if e["demanded"] is not None else None,
        "pay_to": e["pay_to"],
        "promise": e["promise"],
        "promise_date": e["promise_date"],
        "claim": _listify(e["claims"]),
        "flag": _listify(e["flags"]),
        "note": e["note"],
    }


# --- import and CSV ---------------------------------------------------------------------------


CSV_MAX_BYTES = 512 << 20  # a million logged contacts take about 100 MB
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), and what Excel saves
# on a Chinese Windows machine (GBK is a subset of GB18030)


def csv_encoding(path: Path) -> str:
    """Which of CSV_ENCODINGS the whole file decodes as, read in chunks; else a refusal naming
    the row where the first byte no encoding reads stands."""
    import codecs

    first_bad: int | None = None
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            if first_bad is None:
                first_bad = offset + exc.start
    row, bad_at = 1, first_bad or 0
    with path.open("rb") as f:
        read = 0
        while read < bad_at and (chunk := f.read(min(1 << 20, bad_at - read))):
            row += chunk.count(b"\n")
            read += len(chunk)
    raise BadInput(
        f"{path} row {row}: not UTF-8 or GB18030 text (save the spreadsheet as CSV UTF-8)",
        f"{path} 第 {row} 行：不是 UTF-8 或 GB18030 文本（请把表格另存为 CSV UTF-8）",
    )


def read_csv_rows(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The header and the rows of a log CSV, read with sqlite-utils' file reader in the
    encoding detected. The header is checked now; the rows come as a stream (a bad row raises
    when it is reached, inside the caller's transaction)."""
    import csv

    from sqlite_utils.utils import Format, RowError, rows_from_file

    encoding = csv_encoding(regular_file(path))
    if path.stat().st_size > CSV_MAX_BYTES:
        raise BadInput(
            f"{path} is larger than {CSV_MAX_BYTES >> 20} MB: split it",
            f"{path} 大于 {CSV_MAX_BYTES >> 20} MB：请拆分后再导入",
        )
    header = _header(path, encoding)
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [c for c in ("card", "channel") if c not in header]
    if unknown or missing:
        en, zh = (
            (f"unknown column(s) {', '.join(unknown)}", f"未知列 {', '.join(unknown)}")
            if unknown
            else (f"no {' or '.join(missing)} column", f"缺少 {'、'.join(missing)} 列")
        )
        raise BadInput(
            f"{path}: {en}; the header needs card and channel, and may use: "
            f"{', '.join(CSV_COLUMNS)}",
            f"{path}：{zh}；表头必须有 card 和 channel，可用的列：{', '.join(CSV_COLUMNS)}",
        )

    def rows() -> Iterator[dict[str, Any]]:
        # A cell may be long (the per-column limits then name it: "row 2, column note"), but
        # no longer than the file allows.
        csv.field_size_limit(CSV_MAX_BYTES)
        with path.open("rb") as f:
            reader, _ = rows_from_file(f, Format.CSV, encoding=encoding)
            try:
                for row in reader:
                    yield {(k or "").strip(): v for k, v in row.items()}
            except RowError as exc:
                raise BadInput(
                    f"{path}: a row has more cells than the header has columns",
                    f"{path}：有一行的单元格比表头的列多",
                ) from exc
            except csv.Error as exc:
                raise BadInput(
                    f"{path}: not a readable CSV file ({exc})",
                    f"{path}：不是可读的 CSV 文件（{exc}）",
                ) from exc

    return header, rows()


def _header(path: Path, encoding: str) -> list[str]:
    import csv

    with path.open(encoding=encoding, newline="") as f:
        return [h.strip() for h in next(csv.reader(f), [])]


IMPORT_BATCH = 2_000  # rows checked, sealed and inserted at a time, inside one transaction
_IMPORT: dict[str, Any] = {}  # what every batch of an import needs, handed to each worker


def _import_batch(batch: tuple[int, list[dict[str, str]]]) -> tuple[list, tuple | None]:
    """Rows of a log CSV (the first one's number, the rows) checked and sealed: everything of
    each entry's hash but its place in the chain. Runs in a worker for a long file; stops at
    the first bad row, returned as (row number, column, en, zh)."""
    from debtcli.evidence import CHAIN_COLUMNS, seal

    cards, pack, today, now, limit = (
        _IMPORT[k] for k in ("cards", "pack", "today", "now", "limit")
    )
    resolved: dict[str, Any] = _IMPORT.setdefault("resolved", {})
    done: list[tuple[dict[str, Any], tuple[str, str]]] = []
    first, rows = batch
    for n, row in enumerate(rows, start=first):
        ref = row.get("card") or ""
        try:  # no card, or two: the card column's fault
            card = resolved.get(ref) or resolved.setdefault(ref, resolve(ref, cards, pack.bank))
        except (BadInput, NotFound) as exc:
            return done, (n, "card", exc.en, exc.zh)
        try:
            raw = {k: v for k, v in row.items() if k != "card"}
            entry = build_entry(raw, card, pack, today, now, limit)
        except BadInput as exc:
            option = getattr(exc, "option", "")
            return done, (n, option.lstrip("-").replace("-", "_") or "?", exc.en, exc.zh)
        done.append((entry, seal([entry.get(k) for k in CHAIN_COLUMNS], [])))
    return done, None


def _batches(rows: Iterator[dict[str, str]]) -> Iterator[tuple[int, list[dict[str, str]]]]:
    n, batch = 2, []  # row 1 is the header
    for row in rows:
        batch.append(row)
        if len(batch) == IMPORT_BATCH:
            yield n, batch
            n, batch = n + len(batch), []
    if batch:
        yield n, batch


def _in_order(
    work: Callable[[Any], Any], items: Iterator[Any], shared: dict[str, Any] | None = None
) -> Generator[Any, None, None]:
    """work(item) for each item, in order: on every core once there is more than one item,
    with a few items ahead at most, so memory stays flat however long the input."""
    import itertools

    head = list(itertools.islice(items, 2))
    items = itertools.chain(head, items)
    workers = cores()
    if len(head) < 2 or workers < 2:
        yield from map(work, items)
        return
    import collections

    with workers_pool(workers, shared) as pool:
        ahead: collections.deque = collections.deque()
        try:
            for item in items:
                if len(ahead) >= 2 * workers:
                    yield ahead.popleft().result()
                ahead.append(pool.submit(work, item))
            while ahead:
                yield ahead.popleft().result()
        finally:  # stopped early (a bad row): what is queued is not worth waiting for
            pool.shutdown(wait=False, cancel_futures=True)


def import_csv(
    store: st.Store,
    pack: Pack,
    path: Path,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Every row of a log CSV, or none: rows are read, checked and appended in batches inside
    one transaction, so memory stays flat and a bad row or a kill lands nothing. A long file's
    rows are checked and sealed on every core while this process chains and inserts them."""
    import contextlib

    from debtcli.dates import latest_allowed, local_now

    _, rows = read_csv_rows(path)
    _IMPORT.clear()
    _IMPORT.update(
        cards=[dict(c) for c in st.list_cards(store, include_archived=True)],
        pack=pack,
        today=today,
        now=local_now(today),
        limit=latest_allowed(today),
    )
    written = 0
    with (
        store.write() as conn,
        contextlib.closing(_in_order(_import_batch, _batches(rows), dict(_IMPORT))) as checked,
    ):
        for done, bad in checked:
            if bad:
                n, column, en, zh = bad
                raise BadInput(
                    f"{path} row {n}, column {column}: {en}", f"{path} 第 {n} 行，{column} 列：{zh}"
                )
            st.append_contacts(conn, [e for e, _ in done], [[]] * len(done), [s for _, s in done])
            written += len(done)
            if progress:
                progress(len(done))
    return written


class Imported(NamedTuple):
    ids: list[int]  # the entries logged
    set_aside: list[tuple[str, str, str]]  # (what, why in en, why in zh): refused, not logged
    already: int  # found logged meanwhile (another import of the same files at once)
    run: int | None = None  # the import run's id (none when nothing was logged)


def checked_proposals(
    pack: Pack, proposals: list[Any], today: date
) -> tuple[list[dict], list[list[dict]], list[tuple[str, str, str]]]:
    """Each proposal checked as `log add` checks an entry, in time order: (entries, their
    files read and hashed, those set aside with why). Writes nothing: a dry run counts with
    it exactly what an import then logs."""
    from debtcli.attachments import prepare
    from debtcli.dates import latest_allowed, local_now

    now, limit = local_now(today), latest_allowed(today)
    entries, atts, aside = [], [], []
    for p in sorted(proposals, key=lambda p: p.at):
        try:
            entry = build_entry(p.raw, p.card, pack, today, now, limit)
            files = prepare([str(p.source)]) if p.source else []
        except BadInput as exc:
            aside.append((p.source.name if p.source else p.who, exc.en, exc.zh))
            continue
        entries.append(entry)
        atts.append(files)
    return entries, atts, aside


def import_proposals(
    store: st.Store,
    pack: Pack,
    proposals: list[Any],
    today: date,
    run: tuple[str, str, bool] = ("phone", "", False),
    again: bool = False,
) -> Imported:
    """Log what a phone import proposed (debtcli.phone): each entry checked as `log add`
    checks it, recordings attached by SHA-256, all in time order, in one transaction. One that
    `log add` would refuse (a date before 1990, a file gone meanwhile) is set aside and named,
    never fatal to the rest; one logged meanwhile by another import is not logged twice.
    run: (kind, source, reviewed): the import recorded with the entries it logged. again: an
    entry logged before and withdrawn is logged anew (else it counts as logged)."""
    from debtcli.phone import message_key

    entries, atts, aside = checked_proposals(pack, proposals, today)
    seen: dict[str, Any] = {}

    def logged(conn: sqlite3.Connection, e: dict, files: list[dict]) -> bool:
        if not seen:
            which = False if again else None  # with again, withdrawn ones are not "logged"
            seen["files"] = st.logged_attachment_hashes(conn, which)
            seen["sms"] = {message_key(*m) for m in st.logged_messages(conn, which)}
        if files:
            return all(a["sha256"] in seen["files"] for a in files)
        return (
            e["channel"] == "sms" and message_key(e["phone"], e["at_utc"], e["note"]) in seen["sms"]
        )

    runs: list[int] = []

    def record(conn: sqlite3.Connection, ids: list[int]) -> None:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        runs.append(st.record_import(conn, *run, at, ids))

    ids = _append(store, entries, atts, logged, record) if entries else []
    return Imported(ids, aside, len(entries) - len(ids), runs[0] if runs else None)


def csv_row(e: dict[str, Any], card_ref: str) -> dict[str, str]:
    """An entry as a CSV row; a cell a spreadsheet would run as a formula is neutralised."""
    from debtcli.escape import for_csv

    raw = _as_raw(e)
    out = {"card": card_ref}
    for col in CSV_COLUMNS[1:]:
        v = raw.get(col)
        if isinstance(v, list):
            v = ",".join(v)
        elif isinstance(v, bool):
            v = "true" if v else ""
        out[col] = "" if v is None else for_csv(str(v))
    return out


def write_csv(entries: Iterable[dict[str, Any]], cards: list[Any], out: Any) -> None:
    import csv

    counts: dict[str, int] = {}
    for c in cards:
        counts[c["last4"]] = counts.get(c["last4"], 0) + 1
    refs = {c["id"]: (c["last4"] if counts[c["last4"]] == 1 else f"#{c['id']}") for c in cards}
    w = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    w.writeheader()
    for e in entries:
        w.writerow(csv_row(e, refs[e["card_id"]]))


# --- verification and export ------------------------------------------------------------------


PARALLEL_FROM = 20_000  # below this, starting worker processes costs more than it saves


def _verify_range(
    source: Any, lo: int, hi: int, after: tuple[int, str]
) -> tuple[int, str, list[Problem]]:
    """Check entries with lo <= id < hi: on a read-only connection of its own when given a path
    (a worker process), or on the connection given (which sees its own open transaction)."""
    import sqlite3

    own = isinstance(source, str)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if own else source
    if own:
        conn.row_factory = sqlite3.Row
    try:
        atts = st.attachments_for(conn, lo=lo, hi=hi)
        # Plain tuples in CHAIN_COLUMNS order: several times faster than sqlite3.Row lookups.
        cur = conn.execute(
            f"SELECT {', '.join(CHAIN_COLUMNS)}, salt, hash FROM contacts WHERE id >= ? "
            f"AND id < ? ORDER BY id",
            (lo, hi),
        )
        cur.row_factory = None
        return verify_chain(cur, atts, after=after)
    finally:
        if own:
            conn.close()


def cores() -> int:
    """How many worker processes a whole-log job uses: every core, up to eight."""
    import os

    return min(os.cpu_count() or 1, 8)


def workers_pool(workers: int, shared: dict[str, Any] | None = None) -> Any:
    """A pool of worker processes that end with debtcli however it ends, started as the
    platform starts them (system.start_method): forked on Linux, spawned elsewhere. shared:
    what every job needs (the import's cards and pack), handed to each worker as it starts,
    never inherited."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from debtcli.system import start_method

    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(start_method()),
        initializer=_start_worker,
        initargs=(os.getpid(), shared or {}),
    )


def _start_worker(parent: int, shared: dict[str, Any]) -> None:
    _die_with_parent(parent)
    _IMPORT.update(shared)


def forked(job: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Start job(*args) in a forked worker (one that ends with debtcli, as workers_pool's do)
    while this process goes on; returns the function that waits for its result (a job that
    failed raises its error there). The job and its arguments are not copied (the worker is
    this process, forked); its result is. Where processes cannot be forked, or the worker
    died, the job runs here when its result is asked for."""
    import multiprocessing
    import os
    import sys

    from debtcli.system import start_method

    if start_method() != "fork":  # a spawned worker would need job and args pickled
        return lambda: job(*args)
    context: Any = multiprocessing.get_context("fork")
    parent = os.getpid()
    receive, send = context.Pipe(duplex=False)

    def work() -> None:
        _die_with_parent(parent)
        try:
            outcome = (True, job(*args))
        except BaseException as exc:  # given to the waiting process, to raise there
            outcome = (False, exc)
        send.send(outcome)

    worker = context.Process(target=work, daemon=True)
    for stream in (sys.stdout, sys.stderr):  # or the worker would write their buffers again
        stream.flush()
    worker.start()
    send.close()

    def result() -> Any:
        try:
            done, value = receive.recv()
        except EOFError:  # the worker died without an answer (killed): do the job here
            done, value = True, job(*args)
        finally:
            receive.close()
            worker.join()
        if not done:
            raise value
        return value

    return result


def _die_with_parent(parent: int) -> None:
    """A worker ends when debtcli does, even one killed with SIGKILL (system.watch_parent),
    and by SIGTERM at once: it must not inherit debtcli's handler, which ends a process
    through its `finally`s (a worker waiting on its queue then never ends)."""
    import signal

    from debtcli.system import exit_signals, watch_parent

    for sig in exit_signals():
        signal.signal(sig, signal.SIG_DFL)
    watch_parent(parent)


def _verify_entries(
    store: st.Store, parallel: bool, meanwhile: Callable[[], Any] | None = None
) -> tuple[int, str, list[Problem], Any]:
    """The whole chain, split into id ranges checked on every core for a long log. Each range
    starts from the stored hash of the entry before it, so ranges are independent. meanwhile()
    runs in this process while the workers hash; its result comes back last."""

    conn = store.conn
    # The record of the head and the ids, from one snapshot: entries are append-only, so the
    # rows up to the last id seen here are the same for every worker, whatever is appended
    # meanwhile (no false alarm while `log add` commits).
    with store.read():
        meta = dict(
            conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('chain_count', 'chain_head')"
            ).fetchall()
        )
        first, end = conn.execute("SELECT MIN(id), MAX(id) + 1 FROM contacts").fetchone()
    first, end = first or 0, end or 1
    # Ranges of ids of about equal length (ids are dense unless entries were removed), the
    # last one ending at the snapshot's last id.
    parts = cores() if end - first >= PARALLEL_FROM and parallel else 1
    bounds = [first + (end - first) * k // parts for k in range(parts)] + [end]
    ranges = []
    for lo, hi in itertools.pairwise(bounds):
        before = conn.execute(
            "SELECT id, hash FROM contacts WHERE id < ? ORDER BY id DESC LIMIT 1", (lo,)
        ).fetchone()
        ranges.append((str(store.path), lo, hi, tuple(before) if before else (0, st.GENESIS)))
    if len(ranges) == 1:
        results = [_verify_range(conn, *ranges[0][1:])]
        during = meanwhile() if meanwhile else None
    else:
        with workers_pool(len(ranges)) as pool:
            pending = pool.map(_verify_range, *zip(*ranges, strict=True))
            during = meanwhile() if meanwhile else None  # while the workers hash
            results = list(pending)
    seen = sum(r[0] for r in results)
    last = results[-1][1] if seen else st.GENESIS
    problems = [p for r in results for p in r[2]]
    if seen or meta:
        if "chain_head" not in meta or "chain_count" not in meta:
            problems.append(
                Problem(
                    None,
                    "head",
                    "the store's record of the chain head (its "
                    "last entry and count) is missing: it was removed outside "
                    "debtcli",
                    "数据文件中关于最后一条记录和条数的记录缺失：在 debtcli 之外被删除",
                )
            )
        elif last != meta["chain_head"] or str(seen) != meta["chain_count"]:
            problems.extend(
                head_problems(last, meta["chain_head"], seen, int(meta["chain_count"]))
                or [
                    Problem(
                        None,
                        "head",
                        f"{seen} entries found, {meta['chain_count']} recorded",
                        f"找到 {seen} 条记录，记录为 {meta['chain_count']} 条",
                    )
                ]
            )
    return seen, last, problems, during


QUICK_FROM = 50_000  # entries from which SQLite's quick_check stands in for integrity_check


def _integrity(store: st.Store, entries: int) -> list[Problem]:
    """SQLite's own check of every page: a corrupt page can hide or garble entries that the
    chain check never reads (an index, free pages)."""
    pragma = "quick_check" if entries >= QUICK_FROM else "integrity_check"
    try:
        found = [r[0] for r in store.conn.execute(f"PRAGMA {pragma}(5)")]
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    if found == ["ok"]:
        return []
    return [
        Problem(
            None,
            "integrity",
            f"the store file fails SQLite's integrity check "
            f"({found[0]}): it was damaged or edited outside debtcli",
            f"数据文件未通过 SQLite 完整性检查（{found[0]}）：文件损坏或在 debtcli 之外被修改",
        )
    ]


def _unexpected_files(store: st.Store, known: set[str]) -> list[Problem]:
    """Files in the evidence folder that no entry names: planted, or left by a crash. A file
    under debtcli's own staging name is an attachment on its way in (or one a killed copy
    left, which the next write sweeps): neither is evidence of anything."""
    folder = store.evidence_dir
    if not folder.is_dir():
        return []
    return [
        Problem(
            None,
            "unexpected-file",
            f"{p.name} in the evidence folder belongs to no "
            "entry (planted, or left by an interrupted copy)",
            f"证据文件夹中的 {p.name} 不属于任何记录（被放入，或是中断的复制留下的）",
        )
        for p in sorted(folder.iterdir())
        if p.name not in known and not p.name.startswith(st.INCOMING_PREFIX)
    ]


def verify_store(store: st.Store, parallel: bool = True) -> tuple[int, str, list[Problem]]:
    """parallel=False inside an open write transaction: workers would not see its rows."""
    conn = store.conn
    # SQLite's page check runs while the workers hash the chain (it needs the entry count only
    # to choose quick_check, which the store's own record gives).
    count = int(st.chain_state(conn)[0])
    seen, last, problems, pages = _verify_entries(store, parallel, lambda: _integrity(store, count))
    problems = pages + problems
    problems += _withdrawal_problems(conn)
    atts = st.attachments_for(conn)
    orphans = st.orphan_attachments(conn)
    for eid, sha in orphans:
        atts.pop(eid, None)
        problems.append(
            Problem(
                eid,
                "attachment-orphan",
                f"an attachment row names entry {eid}, which does not exist, for file "
                f"{sha[:12]}…: added outside debtcli",
                f"有附件记录指向不存在的记录 {eid}（文件 {sha[:12]}…）：在 debtcli 之外被添加",
            )
        )
    checked: dict[str, str | None] = {}
    for eid, group in sorted(atts.items()):
        for a in group:
            sha = a["sha256"]
            if sha not in checked:
                path = store.evidence_dir / sha
                checked[sha] = file_sha256(path) if path.is_file() else None
            got = checked[sha]
            if got is None:
                problems.append(
                    Problem(
                        eid,
                        "attachment-missing",
                        f"entry {eid}: attachment {a['name']} ({sha[:12]}…) is gone",
                        f"记录 {eid}：附件 {a['name']}（{sha[:12]}…）已丢失",
                    )
                )
            elif got != sha:
                problems.append(
                    Problem(
                        eid,
                        "attachment-changed",
                        f"entry {eid}: attachment {a['name']} was changed",
                        f"记录 {eid}：附件 {a['name']} 被修改",
                    )
                )
    return seen, last, problems + _unexpected_files(store, set(checked))


def raise_if_problems(problems: list[Problem]) -> None:
    if problems:
        raise CheckFailed(
            "; ".join(p.en for p in problems),
            "；".join(p.zh for p in problems),
        )


def entry_json(e: dict[str, Any], atts: list[dict[str, Any]], *, salts: bool) -> dict[str, Any]:
    """An entry as exported. With salts, each field's salt (scheme 2), so anyone holding the
    bundle can recompute the entry's hash: the entry's seed itself never leaves the store."""
    d = {k: e[k] for k in _EXPORTED}
    d["attachments"] = [
        {"sha256": a["sha256"], "name": a["name"], "size": a["size"], "mime": a.get("mime")}
        for a in atts
    ]
    seed = e.get("salt") if salts else None
    if seed:  # the salts of the fields that hold a value (an empty field commits to null)
        d["salts"] = field_salts(seed, [f for f in COMMITTED if d[f] is not None and d[f] != []])
    return d


_EXPORTED = ("id", *st.CONTACT_INPUT, "prev_hash", "hash")


REDACTED = MASK
_MASKED_WHOLE = ("phone", "agent_id", "agent")
_MASKED_TEXT = ("org", "note", "pay_to", "promise")


def masked_values(e: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The fields of an entry a redacted bundle shows differently: the caller's number, the
    agent's name and id whole, and in the free text whatever identifies a person."""
    from debtcli.redact import mask_text

    out: dict[str, Any] = {f: REDACTED for f in _MASKED_WHOLE if e.get(f)}
    for f in _MASKED_TEXT:
        masked = mask_text(e.get(f), names)
        if masked != e.get(f):
            out[f] = masked
    if e.get("attachments"):  # file names can carry numbers; the files are left out anyway
        out["attachments"] = [{**a, "name": REDACTED} for a in e["attachments"]]
    return out


def redact(entry: dict[str, Any], names: Iterable[str] = ()) -> dict[str, Any] | None:
    """An exported entry for sharing in public. Each masked field is shown by its commitment
    instead of its salt: the chain and every field shown still verify, and the masked value
    cannot be found by trying candidates. An entry recorded before salted commitments (no
    salts) with anything to mask is withheld (None): its hash would let a masked phone
    number be guessed."""
    changes = masked_values(entry, names)
    if not changes:
        return entry
    if "salts" not in entry:
        return None
    out = {**entry, **changes, "salts": dict(entry["salts"]), "commitments": {}}
    for f in changes:
        salt = out["salts"].pop(f)
        value = (
            [{k: a[k] for k in ("sha256", "name", "size")} for a in entry[f]]
            if f == "attachments"
            else entry[f]
        )
        out["commitments"][f] = commitment(salt, value)
    return out


BUNDLE_FORMAT = "debtcli-evidence-bundle/3"
DERIVED = ("summary.html", "entries.csv")  # readable copies made from entries.json
SUMMARY_LATEST = 200  # violations and contacts a bundle's summary.html lists; the rest: counts


class _Member:
    """A zip member written as a stream, its SHA-256 taken as it goes (for the manifest)."""

    def __init__(self, z: Any, name: str, sums: dict[str, str]) -> None:
        import hashlib
        import time
        import zipfile

        self.name, self.sums, self.sha = name, sums, hashlib.sha256()
        info = zipfile.ZipInfo(name, time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        # Level 1: a third of the default's time for a few per cent more bytes (the name of
        # the attribute zipfile reads changed in Python 3.13).
        try:
            info.compress_level = 1  # type: ignore[attr-defined]
        except AttributeError:
            info._compresslevel = 1  # type: ignore[attr-defined]
        self.raw = z.open(info, "w", force_zip64=True)
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, text: str | bytes) -> None:
        """Buffered: hashing and deflating a megabyte at a time, not an entry at a time."""
        data = text.encode() if isinstance(text, str) else text
        self.parts.append(data)
        self.size += len(data)
        if self.size >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        self.sha.update(data)
        self.raw.write(data)

    def __enter__(self) -> "_Member":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.flush()
        self.raw.close()
        self.sums[self.name] = self.sha.hexdigest()


def json_lines(out: Any, items: Iterable[Any]) -> int:
    """A JSON array with one item per line: any JSON reader reads it whole, and a checker reads
    it line by line, one item in memory at a time (verify_bundle). Returns how many."""
    import json

    dumps = json.JSONEncoder(ensure_ascii=False).encode
    n = 0
    out.write("[")
    for n, item in enumerate(items, start=1):
        out.write(("\n" if n == 1 else ",\n") + dumps(item))
    out.write("\n]\n")
    return n


def export_bundle(
    store: st.Store,
    pack: Pack,
    out_path: Path,
    card: Any | None,
    lang: str,
    summary_html: Callable[[dict[str, Any]], str],
    redacted: bool,
    mask_names: Iterable[str] = (),
) -> dict[str, Any]:
    """A zip anyone can check: entries (JSON, and CSV and HTML copies for reading), the links of
    the whole chain (chain.json: id, prev_hash, hash of every entry, so a one-card bundle still
    checks from the first entry to the head), the attachments, and a manifest. A redacted
    bundle masks personal details (see redact: the masked fields are shown by their salted
    commitments) and leaves attachments out, and says so in its manifest; mask_names are
    names to hide wherever they appear, with every agent name in the log.

    Written as a stream, inside one read snapshot: entries are read in pages and written to the
    zip as they come, so memory stays flat however long the log (the summary lists the latest
    SUMMARY_LATEST violations and contacts, and counts the rest)."""
    import collections
    import json
    import zipfile

    from debtcli.documents import output_file, private_file
    from debtcli.flags import iter_violations
    from debtcli.redact import mask_text

    out_path = output_file(out_path)
    conn, card_id = store.conn, card["id"] if card else None
    sums: dict[str, str] = {}
    withheld: list[int] = []
    omitted: list[dict[str, Any]] = []
    attached: dict[str, Path] = {}
    with store.read(), private_file(out_path) as (_, raw):
        count, head, _ = st.chain_state(conn)
        names = {*mask_names, *st.agent_names(conn)}
        cards = st.list_cards(store, include_archived=True)
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:

            def shown() -> Iterator[dict[str, Any]]:
                for row, atts in st.iter_chain(conn, card_id=card_id):
                    e = entry_json(row, atts, salts=True)
                    for a in atts:
                        if redacted:  # recordings and photos cannot be masked
                            omitted.append(
                                {"entry": row["id"], "sha256": a["sha256"], "name": MASK}
                            )
                        else:
                            attached[a["sha256"]] = store.evidence_dir / a["sha256"]
                    out = redact(e, names) if redacted else e
                    if out is None:
                        withheld.append(row["id"])
                    else:
                        yield out

            with _Member(z, "entries.json", sums) as m:
                shown_count = json_lines(m, shown())

            def links() -> Iterator[list[Any]]:
                if card_id is None:  # every entry is shown: its link is all the chain needs
                    yield from st.chain_links(conn)
                    return
                for row, atts in st.iter_chain(conn):
                    link = [row["id"], row["prev_hash"], row["hash"], row["card_id"]]
                    if card_id is not None and row["card_id"] != card_id:
                        proof = card_proof((row, atts), redacted, names)
                        if proof is None:
                            withheld.append(row["id"])
                        else:
                            link.append(proof)
                    yield link

            with _Member(z, "chain.json", sums) as m:
                json_lines(m, links())
            # Entries withdrawn (in the chain, out of every count): when and why, for the
            # entries this bundle shows. A masked bundle masks the reasons as it masks notes.
            out_of_counts = [
                {
                    "entry": i,
                    "at": w["at"],
                    "why": mask_text(w["why"], names) if redacted else w["why"],
                }
                for i, w in st.withdrawals(conn).items()
                if card_id is None or st.contact_card(conn, i) == card_id
            ]
            if out_of_counts:
                with _Member(z, "withdrawn.json", sums) as m:
                    json_lines(m, out_of_counts)
            withheld.sort()
            left_out = set(withheld)
            current = (
                {**e, **masked_values(e, names)} if redacted else e
                for e in st.iter_contacts(store, card_id=card_id)
                if e["id"] not in left_out
            )
            with _Member(z, "entries.csv", sums) as m:
                m.write("\ufeff")  # Excel on a Chinese Windows reads the text as UTF-8
                write_csv(current, cards, m)  # the csv module writes text: _Member takes it
            latest: collections.deque = collections.deque(maxlen=SUMMARY_LATEST)
            per_rule: dict[str, int] = {}
            found = 0
            for v in iter_violations(store, pack, card_id):
                found += 1
                per_rule[v["rule"]] = per_rule.get(v["rule"], 0) + 1
                latest.append(v)
            recent = [  # a redacted bundle masks file names too: they can carry numbers
                {**e, **masked_values(e, names), "files": [MASK] * len(e["files"])}
                if redacted
                else e
                for e in st.with_file_names(
                    conn, st.contacts(store, card_id=card_id, latest=SUMMARY_LATEST)
                )
                if e["id"] not in left_out
            ]
            context = {
                "entries": recent,
                "entry_count": st.count_contacts(store, card_id=card_id),
                "withdrawn_count": len(out_of_counts),
                "violations": list(latest),
                "violation_count": found,
                "per_rule": per_rule,
                "tallies": st.contact_tallies(
                    conn, [card_id] if card_id else [c["id"] for c in cards]
                ),
                "chain_head": head,
                "count": count,
                "card": dict(card) if card else None,
                "lang": lang,
            }
            with _Member(z, "summary.html", sums) as m:
                m.write(summary_html(context))
            for name, data in stamp_files([dict(r) for r in st.stamp_tokens(conn)]).items():
                with _Member(z, name, sums) as m:
                    m.write(data)
            for sha, path in attached.items():
                with _Member(z, f"attachments/{sha}", sums) as m, _evidence_file(path) as f:
                    while block := f.read(1 << 20):
                        m.write(block)
            manifest: dict[str, Any] = {
                "format": BUNDLE_FORMAT,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "card": card["last4"] if card else None,
                "card_id": card_id,
                "subset": card is not None,
                "redacted": redacted,
                "entries": shown_count,
                "chain_head": head,
                "chain_count": count,
                "derived": list(DERIVED),
                "omitted_attachments": omitted,
                "withheld": withheld,
                "files": sums,
            }
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


@contextmanager
def _evidence_file(path: Path) -> Iterator[Any]:
    try:
        f = path.open("rb")
    except OSError:
        raise CheckFailed(
            f"attachment {path.name} is missing from the evidence folder; "
            "run `debtcli evidence verify`",
            f"证据文件夹中缺少附件 {path.name}；请运行 `debtcli evidence verify`",
        ) from None
    with f:
        yield f


def card_proof(
    row_atts: tuple[dict[str, Any], list[dict[str, Any]]], redacted: bool, names: Iterable[str]
) -> dict[str, Any] | None:
    """What a one-card bundle's chain link carries for an entry of another card, so that its
    card is proven by its hash rather than asserted: every field's commitment and the card's
    salt (nothing else is revealed); for an entry recorded before salted commitments, the
    entry itself (None in a redacted bundle when it has something to mask: withheld)."""
    row, atts = row_atts
    seed = row.get("salt")
    if seed:
        values = [row[k] for k in CHAIN_COLUMNS]
        import json

        text = sealed(values, [{k: a[k] for k in ("sha256", "name", "size")} for a in atts], seed)
        return {
            "commitments": json.loads("{" + text + "}"),
            "card_id": row["card_id"],
            "card_salt": field_salt(seed, "card_id"),
        }
    shown = entry_json(row, atts, salts=False)
    if redacted and masked_values(shown, names):
        return None
    return {"entry": shown}


def proven_card(link: list) -> Any:
    """The card an entry that a one-card bundle does not show belongs to, as its chain link's
    proof shows it, checked against the link's hash; None when nothing proves it."""
    if len(link) < 5 or not isinstance(link[4], dict):
        return None
    eid, prev, digest, proof = link[0], link[1], link[2], link[4]
    commits = proof.get("commitments")
    if isinstance(commits, dict):
        salt, card = proof.get("card_salt"), proof.get("card_id")
        if not (isinstance(salt, str) and _HEX32.fullmatch(salt)) or type(card) is not int:
            return None
        if not all(isinstance(v, str | None) for v in commits.values()):
            return None
        if committed_hash(eid, prev, commits) != digest or (
            commitment(salt, card) != commits.get("card_id")
        ):
            return None
        return card
    shown = proof.get("entry")
    if not isinstance(shown, dict) or entry_shape(shown, False) or "salts" in shown:
        return None
    if (shown["id"], shown["prev_hash"], shown["hash"]) != (eid, prev, digest):
        return None
    return shown.get("card_id") if shown_hash(shown)[0] == digest else None


def stamp_files(tokens: list[dict[str, Any]]) -> dict[str, bytes]:
    """Each timestamp token as the TSA sent it (stamps/N.tsr), the exact message it covers
    (stamps/N.msg, for `openssl ts -verify -data`), what it says (stamps/N.json) and the root
    it was pinned to (stamps/N-ca.pem)."""
    import json

    from debtcli.stamps import message

    files: dict[str, bytes] = {}
    for t in tokens:
        n = t["id"]
        files[f"stamps/{n}.tsr"] = bytes(t["token"])
        files[f"stamps/{n}.msg"] = message(t["chain_count"], t["chain_head"])
        files[f"stamps/{n}.json"] = json.dumps(
            {
                "tsa": t["tsa"],
                "entries": t["chain_count"],
                "chain_head": t["chain_head"],
                "time": t["gen_time"],
            }
        ).encode()
        if t.get("ca_pem"):
            files[f"stamps/{n}-ca.pem"] = t["ca_pem"].encode()
    return files


def _bundle_tokens(z: Any, names: set[str]) -> list[dict[str, Any]]:
    import json

    tokens = []
    for n in sorted(names):
        if n.startswith("stamps/") and n.endswith(".json"):
            base = n.removesuffix(".json")
            stem = base.removeprefix("stamps/")
            info = json.loads(z.read(n))
            if not isinstance(info, dict) or not isinstance(info.get("entries"), int):
                raise ValueError(f"{n}: not a stamp description")
            tokens.append(
                {
                    "id": int(stem) if stem.isdecimal() else stem,  # as the store's: a number
                    "tsa": str(info.get("tsa")),
                    "chain_count": info["entries"],
                    "chain_head": str(info.get("chain_head")),
                    "token": z.read(f"{base}.tsr") if f"{base}.tsr" in names else b"",
                    "ca_pem": z.read(f"{base}-ca.pem").decode()
                    if f"{base}-ca.pem" in names
                    else None,
                }
            )
    return tokens


class BundleCheck(NamedTuple):
    """What checking a bundle found: entries verified in full, entries shown masked (whose
    contents cannot be checked), the chain's length and head, attachments left out on
    purpose, and the problems."""

    verified: int
    unchecked: list[int]
    chain: int
    head: str
    omitted: int
    problems: list[Problem]
    absent: list[int]  # entries of the chain this bundle does not show
    card: str | None = None  # the card the manifest says the bundle holds (for reading only)
    redacted: bool = False
    masked: list[int] = []  # noqa: RUF012  verified; some fields shown only by commitments
    withheld: list[int] = []  # noqa: RUF012  recorded before salted commitments, left out
    stamps: "StampReport | None" = None
    removed: list[int] = []  # noqa: RUF012  entries the bundle should show and does not
    hashes: dict[int, str] = {}  # noqa: RUF012  the chain's hash of each entry asked for
    referenced: set[str] = set()  # noqa: RUF012  the attachments the entries shown name
    withdrawn: list[int] = []  # noqa: RUF012  entries the holder withdrew (withdrawn.json)


MASKABLE = (*_MASKED_WHOLE, *_MASKED_TEXT, "attachments")
_ENTRY_KEYS = frozenset(("id", *st.CONTACT_INPUT, "prev_hash", "hash", "attachments"))
_ATTACHMENT_KEYS = frozenset(("sha256", "name", "size", "mime"))
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")


def _masked(field: str, value: Any) -> bool:
    """Does a redacted bundle show this value masked (as redact() writes it)?"""
    if field == "attachments":
        return bool(value) and all(a.get("name") == REDACTED for a in value)
    if field in _MASKED_WHOLE:
        return value == REDACTED
    return isinstance(value, str) and REDACTED in value


def entry_shape(e: Any, redacted: bool) -> tuple[str, str] | None:
    """Why an entry as a bundle shows it is not one debtcli writes, or None. Every field is
    known and of its type; in a full bundle every field is shown with its salt; a commitment
    stands in for a value only in a redacted bundle, and only for a field shown masked."""
    if not isinstance(e, dict) or type(e.get("id")) is not int:
        return "it is not an entry with a numeric id", "不是带数字编号的记录"
    extra = sorted(set(e) - _ENTRY_KEYS - {"salts", "commitments"})
    if extra:
        return f"unknown field {extra[0]}", f"未知字段 {extra[0]}"
    if not all(isinstance(e.get(k), str) and _HEX64.fullmatch(e[k]) for k in ("prev_hash", "hash")):
        return "its hashes are not SHA-256 hex", "哈希不是 SHA-256 十六进制值"
    atts = e.get("attachments") or []
    if not isinstance(atts, list) or not all(
        isinstance(a, dict) and set(a) <= _ATTACHMENT_KEYS and isinstance(a.get("sha256"), str)
        for a in atts
    ):
        return "its attachments are not a list of files", "附件不是文件列表"
    salts, commits = e.get("salts", {}), e.get("commitments", {})
    if not isinstance(salts, dict) or not isinstance(commits, dict):
        return "its salts or commitments are not tables", "盐值或承诺值不是表"
    if any(f not in COMMITTED or not isinstance(v, str) or not _HEX32.fullmatch(v)
           for f, v in salts.items()):  # fmt: skip
        return "a salt is not 16 bytes of hex for a field", "盐值不是某字段的 16 字节十六进制值"
    for f, v in commits.items():
        if f in salts or f not in COMMITTED or not (v is None or _HEX64.fullmatch(str(v))):
            return f"field {f}: not a commitment", f"字段 {f}：不是承诺值"
        if not redacted:
            return (
                f"field {f} is shown by a commitment instead of its salt, which only a redacted "
                "bundle may do",
                f"字段 {f} 只给出承诺值而没有盐值，只有脱敏证据包可以这样",
            )
        if f not in MASKABLE or not _masked(f, atts if f == "attachments" else e.get(f)):
            return (
                f"field {f} is shown by a commitment but is not masked",
                f"字段 {f} 只给出承诺值，但并未遮盖",
            )
    return None


_NOT_LISTS = "entries.json and chain.json must be lists"


def _link(link: Any) -> tuple[int, str, str]:
    if not (
        isinstance(link, list)
        and len(link) in (3, 4, 5)
        and type(link[0]) is int
        and isinstance(link[1], str)
        and isinstance(link[2], str)
    ):
        raise TypeError(_NOT_LISTS)
    return link[0], link[1], link[2]


class _Links:
    """The chain's links kept compactly, id -> (prev_hash, hash): 64 bytes per entry in one
    bytearray (a million links in 64 MB, not the 300 MB a dict of strings takes), so entries
    shown in any order are each checked against their own link. An id out of the dense run
    (a forgery) is kept in a dict."""

    def __init__(self) -> None:
        self.packed, self.odd = bytearray(), dict[int, tuple[str, str]]()
        self.ids = 0  # links 1..ids are in packed

    def add(self, link_id: int, prev_hash: str, digest: str) -> None:
        try:
            raw = bytes.fromhex(prev_hash) + bytes.fromhex(digest)
        except ValueError:
            raw = b""
        if link_id == self.ids + 1 and len(raw) == 64 and link_id not in self.odd:
            self.packed += raw
            self.ids = link_id
        else:
            self.odd.setdefault(link_id, (prev_hash, digest))

    def get(self, link_id: int) -> tuple[str, str] | None:
        if 1 <= link_id <= self.ids:
            at = 64 * (link_id - 1)
            return self.packed[at : at + 32].hex(), self.packed[at + 32 : at + 64].hex()
        return self.odd.get(link_id)

    def __iter__(self) -> Iterator[int]:
        yield from range(1, self.ids + 1)
        yield from self.odd


def check_bundle(
    chain: Iterable[Any],
    entries: Iterable[Any],
    members: dict[str, str],
    omitted: set[str],
    head: str | None,
    count: int | None,
    redacted: bool = False,
    *,
    card_id: int | None = None,
    withheld: frozenset[int] | set[int] = frozenset(),
    wanted: frozenset[int] | set[int] = frozenset(),
) -> BundleCheck:
    """Pure, and over streams: chain (every link) is read once and kept compactly (_Links),
    then entries (those shown) are read once and each checked against its link, so a bundle
    of a million entries never holds its entries in memory. members: attachment sha -> the
    sha256 of the bytes the bundle holds for it; omitted: the attachments a redacted bundle
    left out, which count only for an entry that shows its attachments masked. card_id: a
    one-card bundle's card: every entry it leaves out must be proven another card's
    (proven_card); withheld: entries a redacted bundle names as withheld; wanted: entries
    whose chain hash to return (the stamps'). Nothing the manifest says turns a check off."""
    problems: list[Problem] = []
    links, other_card = _Links(), set[int]()
    first_salted = 1 << 63  # the first entry shown recorded with salted commitments
    expected_prev, prev_id, links_seen = st.GENESIS, 0, 0
    hashes: dict[int, str] = {}
    for link in chain:
        link_id, prev_hash, digest = _link(link)
        links_seen += 1
        if link_id != prev_id + 1 or prev_hash != expected_prev:
            problems.append(
                Problem(
                    link_id,
                    "out-of-chain",
                    f"entry {link_id}: does not follow the entry before it in the "
                    "chain (removed, inserted or reordered)",
                    f"记录 {link_id}：与链中前一条不衔接（被删除、插入或调换）",
                )
            )
        links.add(link_id, prev_hash, digest)
        if link_id in wanted:
            hashes[link_id] = digest
        if card_id is not None and len(link) == 5 and proven_card(link) not in (None, card_id):
            other_card.add(link_id)
            if "commitments" in link[4]:
                first_salted = min(first_salted, link_id)
        expected_prev, prev_id = digest, link_id
    if head is None or expected_prev != head or count is None or links_seen != count:
        problems.append(
            Problem(
                None,
                "head",
                f"the chain ends at {links_seen} entries and "
                f"{expected_prev[:12]}…, not the recorded head",
                f"链在第 {links_seen} 条、{expected_prev[:12]}… 处结束，与记录的链头不符",
            )
        )
    verified, unchecked, masked = 0, list[int](), list[int]()
    referenced: set[str] = set()
    seen = (bytearray(), set[int]())  # a bit per entry id shown: a million in 125 KB
    for f in entries:
        if not isinstance(f, Shown):  # an entry as read: its facts taken here
            f = entry_facts(f, redacted)
        eid = f.eid
        if f.wrong:
            shown_id = eid if type(eid) is int else None
            problems.append(
                Problem(
                    shown_id, "changed", f"entry {eid}: {f.wrong[0]}", f"记录 {eid}：{f.wrong[1]}"
                )
            )
            continue
        if card_id is not None and f.card_id != card_id:
            problems.append(
                Problem(
                    eid,
                    "changed",
                    f"entry {eid} is another card's, in a bundle of one card",
                    f"记录 {eid} 属于另一张卡，却出现在单卡证据包中",
                )
            )
            continue
        if _seen_before(seen, eid):
            problems.append(
                Problem(eid, "changed", f"entry {eid} is shown twice", f"记录 {eid} 出现了两次")
            )
            continue
        link = links.get(eid)
        if link is None:
            problems.append(
                Problem(
                    eid, "out-of-chain", f"entry {eid} is not in the chain", f"记录 {eid} 不在链中"
                )
            )
            continue
        prev_hash, digest = link
        if f.salted:
            first_salted = min(first_salted, eid)
        referenced.update(str(sha) for sha, _ in f.attachments)
        if f.prev_hash != prev_hash or f.hash != digest:
            problems.append(
                Problem(
                    eid,
                    "out-of-chain",
                    f"entry {eid}: its hashes differ from the chain's",
                    f"记录 {eid}：哈希与链中不一致",
                )
            )
        elif f.recomputed == digest:
            verified += 1
            if f.hidden:
                masked.append(eid)
        elif f.masked_unsalted:
            unchecked.append(eid)  # a format 2 redacted bundle: masked, so not checkable
        else:
            problems.append(
                Problem(
                    eid,
                    "changed",
                    f"entry {eid}: its contents were changed after recording",
                    f"记录 {eid}：记录后内容被修改",
                )
            )
        problems.extend(_attachment_problems(f, members, omitted))
    absent = [i for i in links if not _seen_before(seen, i, mark=False)]
    # Only an entry recorded before salted commitments is withheld, and every entry since
    # was recorded with them: one withheld after an entry shown with them is one taken out.
    withheld = {i for i in withheld if i < first_salted}
    removed = [i for i in absent if i not in withheld and i not in other_card]
    return BundleCheck(
        verified,
        unchecked,
        links_seen,
        expected_prev,
        len(omitted),
        problems,
        absent,
        masked=masked,
        removed=removed,
        hashes=hashes,
        referenced=referenced,
    )


def _seen_before(seen: tuple[bytearray, set[int]], eid: int, mark: bool = True) -> bool:
    """Was eid seen already? (And mark it seen.) Ids beyond any real log's (a forged 10**12)
    go to a set, so that a hostile id cannot make the bit field huge."""
    bits, rest = seen
    byte, bit = divmod(eid, 8)
    if byte >= 1 << 24:
        was = eid in rest
        if mark:
            rest.add(eid)
        return was
    if byte >= len(bits):
        if not mark:
            return False
        bits.extend(bytes(byte + 1 - len(bits)))
    was = bool(bits[byte] >> bit & 1)
    if mark:
        bits[byte] |= 1 << bit
    return was


class Shown(NamedTuple):
    """What checking an entry a bundle shows needs of it, taken from the entry alone (so on
    any core): its shape, id, card, hashes, the hash its shown fields give, its files."""

    eid: Any
    wrong: tuple[str, str] | None
    card_id: Any = None
    prev_hash: Any = None
    hash: Any = None
    salted: bool = False
    attachments: tuple[tuple[Any, Any], ...] = ()  # (sha256, name)
    atts_committed: bool = False  # shown masked: left out of a redacted bundle on purpose
    recomputed: str | None = None
    hidden: tuple[str, ...] = ()
    masked_unsalted: bool = False  # a format 2 redacted entry: masked, so not checkable


def entry_facts(e: Any, redacted: bool) -> Shown:
    """An entry's facts for check_bundle (pure; the hashing is most of checking a bundle)."""
    if not isinstance(e, dict):
        raise TypeError(_NOT_LISTS)
    eid = e.get("id")
    wrong = entry_shape(e, redacted)
    if wrong or type(eid) is not int or eid < 1:
        return Shown(eid, wrong or ("it is not an entry with a numeric id", "不是带数字编号的记录"))
    recomputed, hidden = shown_hash(e)
    return Shown(
        eid,
        None,
        e.get("card_id"),
        e.get("prev_hash"),
        e.get("hash"),
        "salts" in e or "commitments" in e,
        tuple((a.get("sha256"), a.get("name")) for a in e.get("attachments") or []),
        "attachments" in (e.get("commitments") or {}),
        recomputed,
        tuple(hidden),
        "salts" not in e
        and any(v == REDACTED or (isinstance(v, str) and REDACTED in v) for v in e.values()),
    )


def _facts_of_lines(lines: list[str], redacted: bool) -> list[Shown]:
    """entry_facts of a batch of entries.json's lines (a worker's job)."""
    import json

    return [entry_facts(json.loads(line), redacted) for line in lines]


def _attachment_problems(f: Shown, members: dict[str, str], omitted: set[str]) -> list[Problem]:
    eid, out = f.eid, []
    left_out = omitted if f.atts_committed else set()
    for sha, name in f.attachments:
        got = members.get(sha)
        if got is None and sha in left_out:
            continue
        if got is None:
            out.append(
                Problem(
                    eid,
                    "attachment-missing",
                    f"entry {eid}: attachment {name} is missing from the bundle",
                    f"记录 {eid}：证据包中缺少附件 {name}",
                )
            )
        elif got != sha:
            out.append(
                Problem(
                    eid,
                    "attachment-changed",
                    f"entry {eid}: attachment {name} is not the file recorded",
                    f"记录 {eid}：附件 {name} 不是记录时的文件",
                )
            )
    return out


def _withdrawn_problems(
    z: Any, chain_count: int, absent: set[int]
) -> tuple[list[int], list[Problem]]:
    """withdrawn.json: each withdrawal names an entry the bundle shows, once, with when (a time
    with its offset) and why. Withdrawals are the holder's statement, kept beside the chain and
    not covered by it: they can be checked for form, never proven."""

    def wrong(what: str, eid: int | None = None) -> Problem:
        return Problem(
            eid,
            "changed",
            f"withdrawn.json: {what[:60]} is not a withdrawal of an entry the bundle shows",
            f"withdrawn.json：{what[:60]} 不是对证据包中某条记录的撤回",
        )

    seen: set[int] = set()
    out = []
    try:
        for w in json_items(z, "withdrawn.json"):
            eid = w.get("entry") if isinstance(w, dict) else None
            eid = eid if type(eid) is int else None
            ok = (
                eid is not None
                and 1 <= eid <= chain_count
                and eid not in absent
                and eid not in seen
                and set(w) == {"entry", "at", "why"}
                and isinstance(w["why"], str)
                and w["why"].strip() != ""
                and _is_time(w["at"])
            )
            if ok and eid is not None:
                seen.add(eid)
            else:
                out.append(wrong(str(w), eid))
    except (KeyError, ValueError, TypeError, RecursionError, UnicodeDecodeError):
        out.append(wrong("the file", None))
    return sorted(seen), out


def _withdrawal_problems(conn: sqlite3.Connection) -> list[Problem]:
    """Withdrawals as debtcli writes them: of an original entry that exists, with when and a
    reason. Any other was written outside debtcli (an edited store, export or backup)."""
    out = []
    for eid, at, why, amends, exists in st.withdrawal_rows(conn):
        if not exists or amends is not None or not (why or "").strip() or len(why) > 5000:
            fault = (
                ("names no entry", "指向不存在的记录")
                if not exists
                else ("names a correction, not an original entry", "指向更正记录而非原记录")
                if amends is not None
                else ("has no reason, or one too long", "没有原因或原因过长")
            )
        elif not _is_time(at):
            fault = ("has no time with its offset", "没有带时区的时间")
        else:
            continue
        out.append(
            Problem(
                eid,
                "withdrawal",
                f"the withdrawal of entry {eid} {fault[0]}: written outside debtcli",
                f"记录 {eid} 的撤回{fault[1]}：在 debtcli 之外写入",
            )
        )
    return out


def _is_time(value: Any) -> bool:
    """A time as debtcli writes one: ISO 8601 with its UTC offset."""
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).utcoffset() is not None
    except ValueError:
        return False


def _shown_entries(z: Any, redacted: bool, count: Any) -> Iterator[Any]:
    """entries.json's entries, or their facts: for a long bundle written one entry per line,
    parsed and hashed on every core in batches, at most a few batches ahead of the check (so
    memory stays flat), in order."""
    import collections
    import itertools
    import json

    items = json_items(z, "entries.json", as_text=True)
    if not (type(count) is int and count >= PARALLEL_FROM and cores() > 1):
        yield from (
            i if not isinstance(i, str) else entry_facts(json.loads(i), redacted) for i in items
        )
        return
    first = next(items, None)
    if first is None:
        return
    if not isinstance(first, str):  # a bundle written before, parsed whole
        yield first
        yield from items
        return
    batches = _batched(itertools.chain([first], items), 2000)
    with workers_pool(cores()) as pool:
        pending: collections.deque = collections.deque()
        for batch in batches:
            pending.append(pool.submit(_facts_of_lines, batch, redacted))
            if len(pending) > 2 * cores():
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def json_items(z: Any, name: str, as_text: bool = False) -> Iterator[Any]:
    """The items of a JSON array a bundle holds, one at a time: line by line when it is
    written one item per line (json_lines), else parsed whole (bundles written before).
    as_text: an item written on its own line is given as its text, for another core to parse."""
    import io
    import json

    with z.open(name) as member:
        text = io.TextIOWrapper(member, encoding="utf-8")
        first, second = text.readline(), text.readline()
        line_by_line = first.strip() == "[" and second.startswith(("{", "[", "]"))
        if not line_by_line:
            whole = json.loads(first + second + text.read())
            if not isinstance(whole, list):
                raise TypeError(_NOT_LISTS)
            yield from whole
            return
        line = second
        while line:
            item = line.rstrip("\r\n")
            if item == "]":
                if text.read().strip():
                    raise ValueError(f"{name}: text after the end of the list")
                return
            item = item.removesuffix(",")
            yield item if as_text else json.loads(item)
            line = text.readline()
        raise ValueError(f"{name} ends before its list does")


def verify_bundle(path: Path, ca_pem: str | None = None) -> BundleCheck:
    """ca_pem: a root the checker trusts (evidence verify --bundle --ca): every token must
    chain to it. Without it, each token is checked against the root the bundle brings, which
    is said to pin nothing. The entries and the chain are read as streams (check_bundle)."""
    import hashlib

    from debtcli.evidence import open_signed_zip

    z, manifest, bad = open_signed_zip(path, "evidence bundle", "证据包")
    names = set(z.namelist()) - {"manifest.json"}
    derived = set(DERIVED)
    problems = [
        Problem(None, "attachment-changed", f"{n} does not match the manifest", f"{n} 与清单不符")
        for n in bad
        if n not in derived
    ]
    redacted = manifest.get("redacted") is True
    card, card_id = manifest.get("card"), manifest.get("card_id")
    said = manifest.get("withheld") or []
    if (card_id is not None and type(card_id) is not int) or not (
        isinstance(said, list) and all(type(w) is int for w in said)
    ):
        raise BadInput(
            f"{path}: the manifest's card_id or withheld is not what debtcli writes",
            f"{path}：清单中的 card_id 或 withheld 不是 debtcli 写入的形式",
        )
    # A redacted bundle withholds entries recorded before salted commitments that had
    # something to mask; they are named as withheld (not verified), never passed as checked.
    withheld = set(said) if redacted else set()
    members = {}
    for n in names:
        if n.startswith("attachments/"):
            h = hashlib.sha256()
            with z.open(n) as f:
                while block := f.read(1 << 20):
                    h.update(block)
            members[n.removeprefix("attachments/")] = h.hexdigest()
    if redacted and members:
        problems.append(
            Problem(
                None,
                "changed",
                "the bundle says it is redacted but holds attachment files, which a redacted "
                "bundle never does",
                "证据包自称已脱敏，却含有附件文件，而脱敏证据包从不包含附件",
            )
        )
    try:
        tokens = _bundle_tokens(z, names)
        # Only a redacted bundle leaves attachments out (as only it withholds entries): a full
        # bundle that names one as left out is still checked for it.
        omitted_list = manifest.get("omitted_attachments") if redacted else None
        omitted = {str(o["sha256"]) for o in omitted_list or []}
        chain: Iterable[Any] = (
            json_items(z, "chain.json")
            if "chain.json" in names
            else ([e["id"], e["prev_hash"], e["hash"]] for e in json_items(z, "entries.json"))
        )  # format 1 had no chain.json
        result = check_bundle(
            chain,
            _shown_entries(z, redacted, manifest.get("entries")),
            members,
            omitted,
            manifest.get("chain_head"),
            manifest.get("chain_count"),
            redacted,
            card_id=card_id,
            withheld=withheld,
            wanted={t["chain_count"] for t in tokens},
        )
    except (KeyError, ValueError, TypeError, RecursionError, UnicodeDecodeError) as exc:
        raise BadInput(
            f"{path}: entries.json, chain.json or a stamp is missing or unreadable ({exc})",
            f"{path}：entries.json、chain.json 或时间戳缺失或无法读取（{exc}）",
        ) from exc
    expected = {"entries.json", "chain.json", *DERIVED} | {f"attachments/{m}" for m in members}
    withdrawn: list[int] = []
    if "withdrawn.json" in names:
        expected.add("withdrawn.json")
        withdrawn, wrong = _withdrawn_problems(z, result.chain, set(result.absent))
        problems.extend(wrong)
    expected |= set(stamp_files([{**t, "gen_time": None} for t in tokens]))
    for n in sorted(names - expected) + sorted(
        f"attachments/{m}" for m in members if m not in result.referenced
    ):
        problems.append(
            Problem(
                None,
                "out-of-chain",
                f"{n} is not part of the bundle's evidence",
                f"{n} 不属于证据包的证据",
            )
        )
    # A bundle of the whole log must show every entry of its chain; a one-card bundle every
    # entry it cannot prove is another card's (check_bundle).
    if result.removed:
        n = len(result.removed)
        problems.append(
            Problem(
                None,
                "missing",
                f"{'entry' if n == 1 else 'entries'} {_ranges(result.removed)} of the chain "
                f"{'is' if n == 1 else 'are'} not in the bundle (removed)",
                f"链中的记录 {_ranges(result.removed, '、')} 不在证据包中（被删除）",
            )
        )
    if ca_pem:
        tokens = [{**t, "ca_pem": ca_pem} for t in tokens]
        if not tokens:  # the stamps taken out: --ca asks for a timestamp that is not there
            problems.append(
                Problem(
                    None,
                    "stamp",
                    "the bundle holds no timestamp to check against the root you gave",
                    "证据包中没有可按你给出的根证书校验的时间戳",
                )
            )
    stamps = check_stamps(tokens, result.hashes.get, pins=bool(ca_pem))
    return result._replace(
        problems=problems + result.problems + stamps.problems,
        stamps=stamps,
        card=str(card) if card else None,
        redacted=bool(manifest.get("redacted")),
        withheld=sorted(withheld & set(result.absent) - set(result.removed)),
        withdrawn=withdrawn,
    )


def _ranges(ids: list[int], sep: str = ", ") -> str:
    """1–3, 7 (Chinese: 1–3、7): a short list of entry numbers."""
    out: list[str] = []
    for i in sorted(ids):
        if out and out[-1].split("–")[-1] == str(i - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{i}"
        else:
            out.append(str(i))
    return sep.join(out)


class StampReport(NamedTuple):
    """Every stored timestamp token checked: one row each (for --json), the earliest time each
    entry provably existed by, and what failed."""

    tokens: list[dict[str, Any]]
    covered: list[Any]  # stamps.Covered ranges
    problems: list[Problem]


def _check_tokens(batch: list[tuple[bytes, int, str, str | None]]) -> list:
    from debtcli.stamps import check_token

    return [check_token(*t) for t in batch]


TOKENS_PARALLEL_FROM = 64  # a token takes about a millisecond to check


def check_stamps(
    tokens: Iterable[dict[str, Any]],
    hash_of: Callable[[int], str | None],
    parallel: bool = False,
    *,
    pins: bool = True,
) -> StampReport:
    """tokens: {id, tsa, chain_count, chain_head, token, ca_pem}; hash_of(n): the hash of entry
    n in the log being checked (the store or a bundle's chain). A token must check, and the
    head it covers must still be entry n's hash: a log rewritten after a stamp, however
    consistently, no longer has that head. pins: whether a token's ca_pem is a root the checker
    chose (the store's, or --ca), rather than one a bundle brings along, which proves only that
    the token is whole. A stamp is named by the certificate that signed it, never by a label
    that came with it. Many tokens are checked on every core."""

    from debtcli.dates import show_instant
    from debtcli.stamps import existed_by

    tokens = sorted(tokens, key=lambda t: t["chain_count"])
    args = [
        (bytes(t["token"]), int(t["chain_count"]), str(t["chain_head"]), t.get("ca_pem"))
        for t in tokens
    ]
    workers = cores()
    if parallel and workers > 1 and len(args) >= TOKENS_PARALLEL_FROM:
        batches = [args[k::workers] for k in range(workers)]
        with workers_pool(workers) as pool:
            done = list(pool.map(_check_tokens, batches))
        checks = [done[i % workers][i // workers] for i in range(len(args))]
    else:
        checks = _check_tokens(args)
    rows, valid, problems = [], [], []
    last_good = 0
    for t, c in zip(tokens, checks, strict=True):
        n, head = int(t["chain_count"]), str(t["chain_head"])
        tsa = str(t["tsa"]) if pins else c.signer or "?"
        when = c.time.isoformat(timespec="seconds") if c.time else None
        name = f"stamp {t['id']} ({tsa}, {show_instant(c.time, 'en') if c.time else 'no time'})"
        name_zh = f"时间戳 {t['id']}（{tsa}，{show_instant(c.time, 'zh') if c.time else '无时间'}）"
        now_hash = hash_of(n)
        ok = c.ok and now_hash == head
        if c.unchecked:
            pass  # covers its head, but nothing here can check its signature: said, not failed
        elif not c.ok:
            problems.append(Problem(None, "stamp", f"{name}: {c.en}", f"{name_zh}：{c.zh}"))
        elif now_hash != head:
            problems.append(
                Problem(
                    n,
                    "stamp",
                    f"{name} proves entries 1–{n} existed with head "
                    f"{head[:12]}…, but entry {n} now hashes to "
                    f"{(now_hash or 'nothing')[:12]}…: entries "
                    f"{last_good + 1}–{n} were changed after the stamp",
                    f"{name_zh}证明第 1–{n} 条记录当时的链头为 {head[:12]}…，"
                    f"但第 {n} 条现在的哈希为 {(now_hash or '无')[:12]}…："
                    f"第 {last_good + 1}–{n} 条记录在时间戳之后被修改",
                )
            )
        else:
            valid.append((n, c.time, c.signer or tsa))
            last_good = n
        rows.append(
            {
                "id": t["id"],
                "tsa": tsa,
                "entries": n,
                "chain_head": head,
                "time": when,
                "ok": ok,
                "pinned": c.pinned and pins,
                "unchecked": c.unchecked,
                "certificate_expired": c.expired_since.isoformat(timespec="seconds")
                if c.expired_since
                else None,
                "signer": c.signer,
                "root": c.root,
                "root_sha256": c.root_sha256,
            }
        )
    return StampReport(rows, existed_by(valid), problems)


def verify_stamps(store: st.Store) -> StampReport:
    conn = store.conn
    with store.read():
        tokens = [dict(r) for r in st.stamp_tokens(conn)]
        count = st.chain_state(conn)[0]
        reach = st.stamp_reach(conn)

        def hash_of(n: int) -> str | None:
            row = conn.execute("SELECT hash FROM contacts WHERE id = ?", (n,)).fetchone()
            return row[0] if row else None

        report = check_stamps(tokens, hash_of, parallel=True)
    # Every append queues a request per TSA for the new head, and a token is never deleted:
    # a TSA whose tokens and requests stop short of the log's end lost its stamp records.
    removed = [
        Problem(
            None,
            "stamp",
            f"timestamping by {url} is set up, but no stamp or request of it covers entries "
            f"{reach_n + 1}–{count}: its stamp records were removed outside debtcli",
            f"已设置 {url} 的时间戳，但它的时间戳记录或请求都不覆盖第 {reach_n + 1}–{count} 条"
            "记录：时间戳记录在 debtcli 之外被删除",
        )
        for url, reach_n in reach.items()
        if reach_n < count
    ]
    return report._replace(problems=report.problems + removed)
