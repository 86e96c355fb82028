"""The hash chain that makes the contact log evidence. Pure: rows in, hashes and problems out.

Format (also in the README, so anyone can re-check a log with a few lines of code). canonical(x)
is the UTF-8 bytes of json.dumps(x, sort_keys=True, ensure_ascii=False, separators=(",", ":")).

Entries recorded since schema 7 (salted commitments, scheme 2): each field is committed on its
own, so that a redacted copy can hide one field and still prove every other and the chain:
    commitment(field) = SHA-256(salt(field) || canonical(value)), or null for an empty field
    salt(field)       = 16 bytes of SHAKE-256(seed), the i-th 16 for the i-th field of COMMITTED,
                        where seed is 16 random bytes kept with the entry and never exported
    entry hash        = SHA-256(canonical({"scheme": 2, "id": id, "prev_hash": prev_hash,
                                           "commitments": {field: commitment(field), ...}}))
over the COMMITTED fields: every column of the `contacts` row except id, prev_hash, hash and
the seed, plus "attachments", a list in attachment order of {"sha256", "name", "size"} (empty:
null). A bundle gives each shown field's salt (16 bytes, hex), and a masked field's commitment
instead of its salt: the masked value cannot be guessed from it by trying candidates.

Entries recorded before (scheme 1) keep their hashes: SHA-256 of canonical(fields), fields being
every column except `hash` (so `prev_hash` is inside) plus "attachments" as above (a list,
possibly empty). The first entry's prev_hash is 64 zeros.
"""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from debtcli.store import CONTACT_INPUT, GENESIS

# A row's columns in the hash: the id, what was recorded (store.CONTACT_INPUT), the link.
CHAIN_COLUMNS = ("id", *CONTACT_INPUT, "prev_hash")


_ENCODER: Any = None
_STRING: Any = None  # json's own encoder of one string (its C version)


def _encode(doc: Any) -> str:
    """The canonical JSON. The encoder (and json itself) is made on first use, so that read
    commands which never hash do not import it."""
    global _ENCODER, _STRING
    if _ENCODER is None:
        import json

        _ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        _STRING = json.encoder.encode_basestring
    return _ENCODER.encode(doc)


def _encode_value(v: Any) -> str:
    """_encode of one field's value, without the encoder's Python layers for the common
    cases (the same text: json writes a str by encode_basestring and an int by int.__repr__)."""
    if type(v) is str and _STRING is not None:
        return _STRING(v)
    if type(v) is int:
        return int.__repr__(v)
    return _encode(v)


COMMITTED = (*(c for c in CHAIN_COLUMNS if c not in ("id", "prev_hash")), "attachments")
_ID, _PREV = CHAIN_COLUMNS.index("id"), CHAIN_COLUMNS.index("prev_hash")
_SORTED = sorted(COMMITTED)  # canonical JSON's key order
_SLOT = {f: 16 * i for i, f in enumerate(COMMITTED)}


def _attachments_doc(attachments: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"sha256": a["sha256"], "name": a["name"], "size": a["size"]} for a in attachments]


def _salts(seed: str) -> bytes:
    """Every field's salt at once: SHAKE-256 of the seed, 16 bytes per field in COMMITTED
    order. Revealing some fields' salts reveals nothing of the others or of the seed."""
    import hashlib

    return hashlib.shake_256(bytes.fromhex(seed)).digest(16 * len(COMMITTED))


def field_salts(seed: str, fields: Iterable[str] = COMMITTED) -> dict[str, str]:
    """The salts (hex) of the fields named, in that order, from one SHAKE call."""
    every = _salts(seed).hex()
    return {f: every[2 * _SLOT[f] : 2 * _SLOT[f] + 32] for f in fields}


def field_salt(seed: str, field: str) -> str:
    """A field's salt (hex)."""
    i = _SLOT[field]
    return _salts(seed)[i : i + 16].hex()


def commitment(salt: str, value: Any) -> str | None:
    if value is None or value == []:
        return None
    import hashlib

    return hashlib.sha256(bytes.fromhex(salt) + _encode_value(value).encode()).hexdigest()


def committed_hash(entry_id: int, prev_hash: str, commitments: Mapping[str, str | None]) -> str:
    import hashlib

    doc = {"scheme": 2, "id": entry_id, "prev_hash": prev_hash, "commitments": commitments}
    return hashlib.sha256(_encode(doc).encode()).hexdigest()


_HEX = frozenset("0123456789abcdef")
# Per committed field, in canonical order: where its value is in a row (-1: the attachments),
# its salt's place, and its JSON text up to the commitment, or when empty.
_PLAN = [
    (CHAIN_COLUMNS.index(f) if f != "attachments" else -1, _SLOT[f], f'"{f}":"', f'"{f}":null')
    for f in _SORTED
]


def values_hash(
    values: Sequence[Any], attachments: Sequence[Mapping[str, Any]], seed: str | None = None
) -> str:
    """values: the CHAIN_COLUMNS in order (a row as SQLite returns it, fastest for verify);
    seed: the entry's (scheme 2), or None for an entry recorded before salted commitments."""
    import hashlib

    if not seed:
        doc = dict(zip(CHAIN_COLUMNS, values, strict=False))
        doc["attachments"] = _attachments_doc(attachments)
        return hashlib.sha256(_encode(doc).encode()).hexdigest()
    eid, prev = values[_ID], values[_PREV]
    attached = _attachments_doc(attachments)
    if type(eid) is not int or not isinstance(prev, str) or not _HEX.issuperset(prev):
        # Not a row debtcli wrote (a forged one): the documented way, by canonical JSON.
        doc = {**dict(zip(CHAIN_COLUMNS, values, strict=False)), "attachments": attached}
        return committed_hash(
            eid, prev, {f: commitment(field_salt(seed, f), doc[f]) for f in COMMITTED}
        )
    return chained(sealed(values, attached, seed), eid, prev)


def sealed(values: Sequence[Any], attached: Sequence[Mapping[str, Any]], seed: str) -> str:
    """Everything of a scheme-2 entry's hash but its place in the chain: its commitments as
    canonical JSON text (so a long import seals entries on every core, then chains them).
    values: CHAIN_COLUMNS in order (id and prev_hash unused); attached: _attachments_doc.
    What commitment() computes for each field, at a third of the cost (verify reads a million
    entries): one SHAKE call for the salts, and the canonical JSON written out, which is exact
    for these keys and hex values."""
    import hashlib

    sha, salts, parts = hashlib.sha256, _salts(seed), []
    for index, slot, head, null in _PLAN:
        v = values[index] if index >= 0 else attached
        if v is None or v == []:
            parts.append(null)
        else:
            parts.append(
                head + sha(salts[slot : slot + 16] + _encode_value(v).encode()).hexdigest() + '"'
            )
    return ",".join(parts)


def seal(values: Sequence[Any], attachments: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """A new entry's random seed and its sealed() text."""
    import secrets

    seed = secrets.token_hex(16)
    return seed, sealed(values, _attachments_doc(attachments), seed)


def chained(sealed_text: str, entry_id: int, prev_hash: str) -> str:
    """committed_hash() of a sealed entry at its place in the chain."""
    import hashlib

    text = (
        f'{{"commitments":{{{sealed_text}}},"id":{entry_id},"prev_hash":"{prev_hash}","scheme":2}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def entry_hash(fields: Mapping[str, Any], attachments: Sequence[Mapping[str, Any]]) -> str:
    """fields: a row of the store (its `salt` decides the scheme)."""
    return values_hash([fields[k] for k in CHAIN_COLUMNS], attachments, fields.get("salt"))


def shown_hash(entry: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """An entry as a bundle shows it: (its hash recomputed from what is shown, the fields shown
    only by their commitment). None when a shown field has no salt to check it with."""
    if "salts" not in entry and "commitments" not in entry:  # recorded before scheme 2
        return entry_hash({**entry, "salt": None}, entry.get("attachments") or []), []
    salts, given = entry.get("salts") or {}, entry.get("commitments") or {}
    commits: dict[str, str | None] = {}
    for f in COMMITTED:
        value = (
            _attachments_doc(entry.get("attachments") or []) if f == "attachments" else entry.get(f)
        )
        if f in given:
            commits[f] = given[f]
        elif value is None or value == []:
            commits[f] = None
        elif f in salts:
            commits[f] = commitment(salts[f], value)
        else:
            return None, []
    return committed_hash(entry["id"], entry["prev_hash"], commits), sorted(given)


def file_sha256(path: Any, counted: bool = False) -> Any:
    """A file's SHA-256 (hex); with counted, (it, how many bytes were read)."""
    import hashlib

    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            n += len(block)
    return (h.hexdigest(), n) if counted else h.hexdigest()


class Problem(NamedTuple):  # not a dataclass: that costs a millisecond at import
    entry: int | None
    kind: str  # changed | missing | out-of-chain | head | attachment-changed | attachment-missing
    en: str
    zh: str


def verify_chain(
    rows: Iterable[Sequence[Any]],
    attachments: Mapping[int, Sequence[Mapping[str, Any]]],
    *,
    after: tuple[int, str] = (0, GENESIS),
) -> tuple[int, str, list[Problem]]:
    """Recompute every hash in id order. Returns (entries seen, last hash, problems).

    rows are tuples of the CHAIN_COLUMNS in order followed by the entry's seed and its stored
    hash. `after` is (id, stored hash) of the entry before the first row, so a long log can be
    checked in ranges, one per core. Entries added or removed at the end are found by comparing
    the last hash with the store's record (head_problems), once every range is checked.
    """
    problems: list[Problem] = []
    (prev_id, expected_prev), seen = after, 0
    last = expected_prev
    for row in rows:
        seen += 1
        eid, prev_hash, stored = int(row[_ID]), row[_PREV], row[-1]
        if eid > prev_id + 1:
            missing = f"{prev_id + 1}" if eid == prev_id + 2 else f"{prev_id + 1}–{eid - 1}"
            problems.append(
                Problem(
                    eid,
                    "missing",
                    f"entry {missing} is missing (removed)",
                    f"记录 {missing} 缺失（被删除）",
                )
            )
        if values_hash(row, attachments.get(eid, ()), row[-2]) != stored:
            problems.append(
                Problem(
                    eid,
                    "changed",
                    f"entry {eid}: its contents were changed after recording",
                    f"记录 {eid}：记录后内容被修改",
                )
            )
        if eid <= prev_id or (eid == prev_id + 1 and prev_hash != expected_prev):
            problems.append(
                Problem(
                    eid,
                    "out-of-chain",
                    f"entry {eid}: does not follow the entry before it "
                    "(inserted, reordered or replaced)",
                    f"记录 {eid}：与前一条记录不衔接（被插入、调换顺序或替换）",
                )
            )
        expected_prev, prev_id, last = stored, eid, stored
    return seen, last, problems


def head_problems(last: str, head: str, seen: int, count: int | None) -> list[Problem]:
    """The store records its last hash on every append: a log that ends elsewhere lost or
    gained entries at the end."""
    if last == head:
        return []
    return [
        Problem(
            None,
            "head",
            f"the log ends at a different entry than recorded ({seen} found, "
            f"{count} recorded): entries were added or removed at the end outside "
            "debtcli",
            f"日志的最后一条与记录不符（找到 {seen} 条，记录为 {count} 条）："
            "末尾有记录在 debtcli 之外被添加或删除",
        )
    ]


BOMB_RATIO = 200  # a member that inflates more than this from its compressed size is a bomb


def open_signed_zip(path: Any, kind_en: str, kind_zh: str) -> tuple[Any, dict, list[str]]:
    """Open a bundle or backup: (the zip, its manifest, the names of files that are missing or
    whose SHA-256 differs from the manifest). Not a zip with a manifest, or a zip holding two
    members of one name (a reader could be shown either), is BadInput."""
    import hashlib
    import json
    import zipfile

    from debtcli.errors import BadInput
    from debtcli.files import regular_file

    regular_file(Path(path))  # a FIFO would hang the zip reader, a device never end
    try:
        try:
            z = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:  # zipfile's words are English
            raise BadInput(
                f"{path} is not a debtcli {kind_en} (not a zip file)",
                f"{path} 不是 debtcli {kind_zh}（不是 zip 文件）",
            ) from exc
        names = z.namelist()
        for info in z.infolist():  # nothing is read from a member that inflates like a bomb
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > 1 << 20 and ratio > BOMB_RATIO:
                raise BadInput(
                    f"{path}: {info.filename} inflates {ratio} times: not a {kind_en} debtcli "
                    "writes (a zip bomb?)",
                    f"{path}：{info.filename} 解压后膨胀 {ratio} 倍：不是 debtcli 写出的{kind_zh}"
                    "（可能是压缩炸弹）",
                )
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise BadInput(
                f"{path} holds {', '.join(twice)} twice: a forged or broken {kind_en}, refused",
                f"{path} 中 {', '.join(twice)} 出现了两次：伪造或损坏的{kind_zh}，拒绝读取",
            )
        manifest = json.loads(z.read("manifest.json"))
        listed = manifest["files"]
        if not isinstance(listed, dict):
            raise TypeError("files is not a table")
        bad = []
        for n, digest in listed.items():
            if n not in names:
                bad.append(n)
                continue
            h = hashlib.sha256()
            with z.open(n) as f:
                while block := f.read(1 << 20):
                    h.update(block)
            if h.hexdigest() != digest:
                bad.append(n)
    except BadInput:
        raise
    except (
        OSError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        EOFError,
        NotImplementedError,
        RuntimeError,  # RecursionError too: JSON nested a hundred thousand deep
    ) as exc:
        raise BadInput(
            f"{path} is not a debtcli {kind_en} ({exc})", f"{path} 不是 debtcli {kind_zh}（{exc}）"
        ) from exc
    return z, manifest, bad
