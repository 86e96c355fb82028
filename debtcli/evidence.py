"""The hash chain that makes the contact log evidence. Pure: rows in, hashes and problems out.

Format (also in the README, so anyone can re-check a log with a few lines of code):
    entry hash = SHA-256 of the UTF-8 bytes of
        json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    where fields = every column of the `contacts` row except `hash` (so `prev_hash`, the hash of
    the entry before, is inside) plus "attachments": a list, in attachment order, of
    {"sha256", "name", "size"}. The first entry's prev_hash is 64 zeros.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from debtcli.store import GENESIS

CHAIN_COLUMNS = (
    "id", "card_id", "at", "at_utc", "recorded_at", "channel", "direction", "party", "org",
    "agent", "agent_id", "phone", "minutes", "answered", "contacted", "agents", "credentials",
    "demanded", "pay_to", "promise", "promise_date", "claims", "flags", "note", "amends",
    "prev_hash",
)


def canonical(fields: Mapping[str, Any], attachments: Sequence[Mapping[str, Any]]) -> bytes:
    doc = {k: fields[k] for k in CHAIN_COLUMNS}
    doc["attachments"] = [
        {"sha256": a["sha256"], "name": a["name"], "size": a["size"]} for a in attachments
    ]
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(fields: Mapping[str, Any], attachments: Sequence[Mapping[str, Any]]) -> str:
    return hashlib.sha256(canonical(fields, attachments)).hexdigest()


def file_sha256(path: Any) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Problem:
    entry: int | None
    kind: str  # changed | missing | out-of-chain | head | attachment-changed | attachment-missing
    en: str
    zh: str


def verify_chain(
    rows: Iterable[Mapping[str, Any]],
    attachments: Mapping[int, Sequence[Mapping[str, Any]]],
    head: str | None = None,
    count: int | None = None,
    *,
    subset: bool = False,
) -> tuple[int, str, list[Problem]]:
    """Recompute every hash in id order. Returns (entries seen, last hash, problems).

    head/count are what the store recorded when it last appended; they catch entries added or
    removed at the end. With subset=True (an export of one card) links are only checked between
    consecutive ids.
    """
    problems: list[Problem] = []
    expected_prev, prev_id, seen, last = GENESIS, 0, 0, GENESIS
    for row in rows:
        seen += 1
        eid = int(row["id"])
        if eid > prev_id + 1 and not subset:
            missing = f"{prev_id + 1}" if eid == prev_id + 2 else f"{prev_id + 1}–{eid - 1}"
            problems.append(Problem(eid, "missing", f"entry {missing} is missing (removed)",
                                    f"记录 {missing} 缺失（被删除）"))
        if entry_hash(row, attachments.get(eid, ())) != row["hash"]:
            problems.append(Problem(eid, "changed",
                                    f"entry {eid}: its contents were changed after recording",
                                    f"记录 {eid}：记录后内容被修改"))
        if eid <= prev_id or (eid == prev_id + 1 and row["prev_hash"] != expected_prev):
            problems.append(Problem(eid, "out-of-chain",
                                    f"entry {eid}: does not follow the entry before it "
                                    "(inserted, reordered or replaced)",
                                    f"记录 {eid}：与前一条记录不衔接（被插入、调换顺序或替换）"))
        expected_prev, prev_id, last = row["hash"], eid, row["hash"]
    if not subset and head is not None and last != head:
        problems.append(Problem(None, "head",
                                f"the log ends at a different entry than recorded ({seen} found, "
                                f"{count} recorded): entries were added or removed at the end "
                                "outside debtcli",
                                f"日志的最后一条与记录不符（找到 {seen} 条，记录为 {count} 条）："
                                "末尾有记录在 debtcli 之外被添加或删除"))
    return seen, last, problems
