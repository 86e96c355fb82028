"""What the phone already recorded, read into log entries: call recordings from a folder copied
off the phone, and the XML of the Android app "SMS Backup & Restore". Pure but for reading the
files it is given: it finds, reads and proposes; contactlog writes, in one transaction.

The file-name patterns of each phone, the collection keywords and the claim phrases are data
in the rule pack ([phone]): a new phone is a data change.
"""

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

from debtcli.attachments import display_name
from debtcli.errors import BadInput, os_reason

RECORDING_MAX_BYTES = 300 << 20  # a longer "recording" is not a phone call
SMS_MAX_BYTES = 800 << 20  # a phone's whole SMS history is far less; 1 GB is not a backup


def number(text: str | None) -> str:
    """A phone number as the number book keys it: digits only, full-width read as ASCII, the
    country code dropped (+86 95558, 0086 95558, +8613812345678 and 8613812345678 are 95558
    and 13812345678; a bare 86 only before a full mobile or landline number)."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).strip()
    digits = re.sub(r"\D", "", folded)
    if folded.startswith("+86") or digits.startswith("0086"):
        return digits[2:] if folded.startswith("+") else digits[4:]
    if digits.startswith("86") and len(digits) - 2 in (11, 10, 12):
        return digits[2:]
    return digits


class NameParts(NamedTuple):
    name: str | None
    number: str | None
    at: datetime | None  # naive (the phone's local time) unless the name gives its zone
    phone: str | None  # which phone's pattern matched
    direction: str = "unknown"  # in | out where the name says who dialled, else unknown


# How file names say who dialled (a pattern's `direction` group).
_DIALLED = {
    "in": "in", "incoming": "in", "来电": "in", "呼入": "in",
    "out": "out", "outgoing": "out", "去电": "out", "呼出": "out",
}  # fmt: skip


def read_call_name(stem: str, patterns: list[dict[str, str]]) -> NameParts:
    """Time, number and name from a recording's name, by the first of the pack's patterns that
    matches; the direction only where the name says it (BCR's _out_, 去电), never guessed."""
    for p in patterns:
        m = re.match(p["pattern"], stem)
        if not m:
            continue
        g = m.groupdict()
        direction = _DIALLED.get((g.get("direction") or "").lower(), "unknown")
        who = (g.get("who") or "").strip()
        name, num = g.get("name"), g.get("number")
        if who:
            if re.fullmatch(r"[+\d\s()\-]{3,}", who):
                num = who
            else:
                name = who
        try:
            at = datetime.strptime(g["time"], p["time"])
        except (KeyError, ValueError):
            continue
        if offset := g.get("offset"):  # the phone's own zone (BCR): 23:00+0800 is 23:00 there
            sign = -1 if offset[0] == "-" else 1
            minutes = sign * (int(offset[1:3]) * 60 + int(offset[3:5]))
            if abs(minutes) > 14 * 60:
                continue
            at = at.replace(tzinfo=timezone(timedelta(minutes=minutes)))
        name = name.replace("_", " ").strip() if name else None
        return NameParts(name or None, number(num) or None, at, p["phone"], direction)
    return NameParts(None, None, None, None)


_AMR_NB = (12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0)
_AMR_WB = (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0)


def amr_seconds(path: Path) -> float | None:
    """AMR (which no audio library reads): count its 20 ms frames, NB or WB by the magic."""
    with path.open("rb") as f:
        head = f.read(9)
        if head.startswith(b"#!AMR-WB\n"):
            sizes, buf = _AMR_WB, head[9:]
        elif head.startswith(b"#!AMR\n"):
            sizes, buf = _AMR_NB, head[6:]
        else:
            return None
        frames, i = 0, 0
        while True:
            if i >= len(buf) or i + 1 + sizes[(buf[i] >> 3) & 0x0F] > len(buf):
                more = f.read(1 << 16)
                if not more:
                    break  # the end (a truncated last frame is not counted)
                buf, i = buf[i:] + more, 0
                continue
            i += 1 + sizes[(buf[i] >> 3) & 0x0F]
            frames += 1
    return frames * 0.02


def seconds(path: Path) -> float | None:
    """How long a recording lasts: mutagen for mp3/m4a/aac/ogg/wav, frames for AMR; None when
    the file cannot be read as audio."""
    if path.suffix.lower() == ".amr":
        try:
            return amr_seconds(path)
        except OSError:
            return None
    try:
        import mutagen

        audio = mutagen.File(path)
        length = audio.info.length if audio is not None else None
    except Exception:  # mutagen raises many kinds for a file that is not what it says
        return None
    return float(length) if length else None


class Recording(NamedTuple):
    path: Path
    shown: str  # the file name as the user reads it
    name: str | None
    number: str | None
    at: datetime  # aware
    from_file_date: bool
    seconds: float | None
    sha256: str
    size: int
    phone: str | None
    direction: str = "unknown"


def _regular(path: Path) -> os.stat_result | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def scan_recordings(
    folder: Path, pack_phone: dict[str, Any]
) -> tuple[list[Recording], dict[str, int]]:
    """Every recording under folder (its subfolders too, links not followed): its time and
    number from the name when a phone's pattern matches, else the file's own time. Returns the
    recordings and, by reason, how many files were not taken (not audio, empty, too large for
    a call, unreadable)."""
    from debtcli.evidence import file_sha256

    _regular_dir(folder)
    exts = {f".{e.lower()}" for e in pack_phone["audio"]}
    found, skipped = [], dict[str, int]()

    def skip(why: str) -> None:
        skipped[why] = skipped.get(why, 0) + 1

    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for f in sorted(files):
            path = Path(root) / f
            if path.suffix.lower() not in exts:
                skip("not-audio")
                continue
            info = _regular(path)
            if info is None or info.st_size == 0 or info.st_size > RECORDING_MAX_BYTES:
                skip("empty" if info is not None and info.st_size == 0 else "not-a-call")
                continue
            shown = display_name(f)
            parts = read_call_name(Path(shown).stem, pack_phone["call_names"])
            if parts.at is not None:  # the phone's clock: its zone where the name says it
                at = parts.at if parts.at.tzinfo else parts.at.astimezone()
                from_file = False
            else:
                at, from_file = datetime.fromtimestamp(info.st_mtime).astimezone(), True
            try:
                digest = file_sha256(path)
            except OSError:
                skip("unreadable")
                continue
            found.append(
                Recording(
                    path,
                    shown,
                    parts.name,
                    parts.number,
                    at.replace(microsecond=0),
                    from_file,
                    seconds(path),
                    digest,
                    info.st_size,
                    parts.phone,
                    parts.direction,
                )
            )
    return sorted(found, key=lambda r: (r.at, r.shown)), skipped


def _regular_dir(folder: Path) -> os.stat_result:
    try:
        st = folder.stat()
    except OSError as exc:
        en, zh = os_reason(exc)
        raise BadInput(f"{folder}: {en}", f"{folder}：{zh}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise BadInput(
            f"{folder} is not a folder: give the folder copied from the phone "
            "(e.g. MIUI/sound_recorder/call_rec)",
            f"{folder} 不是文件夹：请给出从手机复制的文件夹（例如 MIUI/sound_recorder/call_rec）",
        )
    return st


class Message(NamedTuple):
    number: str
    address: str
    at: datetime
    direction: str  # in | out
    body: str
    contact: str | None = None  # the name the sender is saved under in the phone


def read_sms_backup(path: Path, undated: list[str] | None = None) -> Iterator[Message]:
    """The messages of an "SMS Backup & Restore" XML (<smses><sms address= date= type= body=
    …/>, and the text parts of <mms>), read as a stream: memory stays flat however long the
    history. Refuses anything else, and a file that ends early, before the caller writes
    anything. undated: where the sender of each message without a readable date is put (they
    are set aside, and counted)."""
    import xml.etree.ElementTree as ET

    try:
        path.lstat()  # not there: said as such, not as "not a regular file"
    except OSError as exc:
        en, zh = os_reason(exc)
        raise BadInput(f"{path}: {en}", f"{path}：{zh}") from None
    info = _regular(path)
    if info is None:
        raise BadInput(
            f"{path} is not a regular file: give the .xml the backup app wrote",
            f"{path} 不是普通文件：请给出备份应用生成的 .xml 文件",
        )
    if info.st_size > SMS_MAX_BYTES:
        raise BadInput(
            f"{path} is {info.st_size >> 20} MB: larger than any SMS backup debtcli "
            f"reads ({SMS_MAX_BYTES >> 20} MB)",
            f"{path} 有 {info.st_size >> 20} MB：超过 debtcli 可读取的短信备份大小"
            f"（{SMS_MAX_BYTES >> 20} MB）",
        )
    not_backup = BadInput(
        f'{path} is not an SMS backup: expected the XML of "SMS Backup & '
        'Restore" (<smses> with <sms> elements)',
        f"{path} 不是短信备份：应为“SMS Backup & Restore”导出的 XML（<smses> 中的 <sms>）",
    )
    try:
        events = _xml_events(path)
        _, root = next(events)
        if root.tag != "smses":
            raise not_backup
        for event, elem in events:
            if event != "end" or elem.tag not in ("sms", "mms"):
                continue
            a = elem.attrib
            if elem.tag == "mms":  # a 律师函 sent as MMS: its text parts are the message
                body = "\n".join(
                    p.get("text", "")
                    for p in elem.iter("part")
                    if (p.get("ct") or "").split(";")[0].strip().lower() == "text/plain"
                    and p.get("text")
                )
                kind_attr = a.get("msg_box", "1")
            else:
                body, kind_attr = a.get("body", ""), a.get("type", "1")
            try:
                at = datetime.fromtimestamp(int(a["date"]) / 1000, UTC).astimezone()
                kind = int(kind_attr)
            except (KeyError, ValueError, OverflowError, OSError):
                if undated is not None and kind_attr in ("1", "2"):
                    undated.append(a.get("address", "") or "?")
                elem.clear()
                continue
            if kind in (1, 2) and body:  # 1 received, 2 sent; drafts, outbox, failed are not
                address = a.get("address", "")
                yield Message(
                    number(address),
                    address,
                    at.replace(microsecond=0),
                    "in" if kind == 1 else "out",
                    # a line break as the phone stored it (CR LF, or a lone CR) is a line break
                    body.replace("\r\n", "\n").replace("\r", "\n"),
                    _saved_as(a.get("contact_name")),
                )
            elem.clear()
            root.clear()  # what was read is dropped: a 500 MB backup in a few MB
    except ET.ParseError as exc:
        line = exc.position[0]  # the parser's own words are English: only where it stopped
        raise BadInput(
            f"{path} is not a complete SMS backup (it cannot be read from line {line}): "
            "nothing was imported",
            f"{path} 不是完整的短信备份（从第 {line} 行起无法读取）：未导入任何内容",
        ) from None
    except StopIteration:
        raise not_backup from None
    except UnicodeError as exc:  # punycode, 'undefined': codecs that fail as they decode
        name = getattr(exc, "encoding", None) or "?"
        raise BadInput(
            f"{path} is not text in the encoding it declares ({name})",
            f"{path} 不是其声明的编码（{name}）的文本",
        ) from None
    except OSError as exc:
        en, zh = os_reason(exc)
        raise BadInput(f"{path}: {en}", f"{path}：{zh}") from None


def _saved_as(name: str | None) -> str | None:
    """The contact name the backup app wrote, None for a number not saved ("(Unknown)")."""
    name = (name or "").strip()
    return None if name.lower() in ("", "(unknown)", "null", "unknown") else name


_EXPAT_READS = {"utf8", "utf16", "usascii", "ascii", "iso88591", "latin1"}
# A character reference to half of a UTF-16 surrogate pair (&#55357;&#56396;, an emoji as some
# Android versions save it): not XML, and expat refuses the whole file.
_SURROGATE_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));")


def _join_surrogates(data: bytes) -> bytes:
    """Each pair of surrogate references as the one character it stands for; a half without
    its other half as U+FFFD (the replacement character)."""

    def code(m: re.Match[bytes]) -> int:
        return int(m.group(1), 16) if m.group(1) else int(m.group(2))

    out, i = [], 0
    for m in _SURROGATE_REF.finditer(data):
        c = code(m)
        if m.start() < i or not 0xD800 <= c <= 0xDFFF:
            continue
        out.append(data[i : m.start()])
        i = m.end()
        low = _SURROGATE_REF.match(data, m.end())
        if 0xD800 <= c <= 0xDBFF and low and 0xDC00 <= code(low) <= 0xDFFF:
            joined = 0x10000 + ((c - 0xD800) << 10) + (code(low) - 0xDC00)
            out.append(b"&#%d;" % joined)
            i = low.end()
        else:
            out.append(b"&#65533;")
    out.append(data[i:])
    return b"".join(out)


def _whole_refs(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Chunks with surrogate references joined, none cut across two chunks: the end of a chunk
    from the first '&' in its last 40 bytes waits for the next (a pair is at most 36)."""
    held = b""
    for chunk in chunks:
        data = held + chunk
        cut = data.find(b"&", max(0, len(data) - 40))
        held, data = (data[cut:], data[:cut]) if cut >= 0 else (b"", data)
        yield _join_surrogates(data)
    yield _join_surrogates(held)


def _xml_events(path: Path) -> Iterator[Any]:
    """(event, element) of an XML file. expat reads UTF-8, UTF-16 and Latin-1 itself; a file
    that declares another encoding (GB18030, GBK: what a Chinese phone app may write) is
    decoded here and fed to the parser as text, in chunks."""
    import codecs
    import xml.etree.ElementTree as ET

    with open(path, "rb") as f:
        head = f.read(256).removeprefix(b"\xef\xbb\xbf")
    declared = re.match(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"']", head)
    name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    parser: Any = ET.XMLPullParser(events=("start", "end"))
    if re.sub(r"[-_]", "", name) in _EXPAT_READS:
        # Fed in large pieces: expat rescans an unfinished token at every feed, so a message
        # of millions of characters fed 16 KB at a time (iterparse) took a minute.
        with open(path, "rb") as f:
            for chunk in _whole_refs(iter(lambda: f.read(8 << 20), b"")):
                parser.feed(chunk)
                yield from parser.read_events()
        parser.close()
        yield from parser.read_events()
        return
    try:
        if not codecs.lookup(name)._is_text_encoding:  # rot13, hex, zlib: not text
            raise LookupError(name)
    except LookupError:
        raise BadInput(
            f"{path} declares an encoding debtcli does not know ({name})",
            f"{path} 声明了 debtcli 不认识的编码（{name}）",
        ) from None
    with open(path, encoding=name) as text:
        # Fed as UTF-8 under a declaration that says so, in place of the file's own.
        pieces = iter(lambda: text.read(8 << 20).encode(), b"")
        parser.feed(b"<?xml version='1.0' encoding='utf-8'?>")
        first = True
        for piece in _whole_refs(pieces):
            if first:
                piece = re.sub(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>", b"", piece)
                first = False
            parser.feed(piece)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def message_key(phone: str | None, at_utc: str, body: str | None) -> tuple[str, str, str]:
    """What makes a logged SMS the same message as an imported one: the number's digits, the
    time, and the text with its white space folded (the log keeps a note stripped)."""
    return number(phone), at_utc, " ".join((body or "").split())


def sms_claims(body: str, claims: dict[str, list[str]]) -> list[str]:
    """The pack's claims a message makes (抓人, 黑名单, 通知单位 …), so the conduct rules apply."""
    return [key for key, phrases in claims.items() if any(p in body for p in phrases)]


# Why a message was judged as it was, as the review shows it: (English, Chinese), {w} the phrase.
REASONS = {
    "threat": ("threat: {w}", "威胁：{w}"),
    "overdue": ("{w}", "{w}"),
    "collection": ("{w}", "{w}"),
    "known": ("number book: {w}", "号码本：{w}"),
    "reply": ("your reply: {w}", "你的回复：{w}"),
    "card": ("ending {w}", "尾号{w}"),
    "bank": ("{w}", "{w}"),
    "code": ("a code", "验证码"),
    "transaction": ("a transaction alert", "交易提醒"),
    "paid": ("a repayment confirmation", "还款确认"),
    "before_due": ("a reminder before the due date", "到期前提醒"),
    "marketing": ("marketing", "营销"),
    "bills": ("a bill, not a card debt", "账单缴费，不是卡债"),
    "scam": ("looks like a scam", "疑似诈骗"),
    "personal": ("a saved contact's", "通讯录联系人"),
    "none": ("no collection words", "无催收用语"),
}
COLLECTORS = ("agency", "law-firm", "court")  # a number the book knows as one: always proposed


class Judged(NamedTuple):
    collection: bool
    reasons: list[tuple[str, str]]  # (REASONS key, the phrase or name)


def fold(text: str) -> str:
    """A message as the pack's words are matched in it: full-width letters and digits read as
    ASCII, Latin letters in lower case, white space removed (逾 期, ＱＱ and "Past Due" are what
    they look like)."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def judge_sms(
    body: str,
    sms: dict[str, Any],
    sender_party: str | None = None,
    reply: bool = False,
    contact: str | None = None,
) -> Judged:
    """Is this message collection, and why: the rules written out in the pack ([phone.sms], in
    the order its comment gives). sender_party: what the number book says the sender is (None:
    not in the book). reply: the user's own message to a creditor's number (the book's, or a
    bank's hotline). contact: the name the phone has the sender saved under, if any."""
    text = fold(body)
    for clause in sms["conditional"]:  # 如您已还款请忽略 says nothing was paid
        text = re.sub(clause, "", text, flags=re.IGNORECASE)

    def found(key: str) -> list[str]:
        return [w for w in sms[key] if fold(w) in text]

    debt = found("debt")
    threats = found("threats")
    with_debt = found("threats_with_debt") if debt else []
    overdue, weak = found("overdue"), found("collection") if debt else []
    ruled = [k for k, patterns in sms["not_collection"].items() if _any(patterns, text)]
    said = [("overdue", w) for w in overdue[:2]] or [("collection", w) for w in weak[:2]]
    if reply:  # the user's own words: kept when they speak of the debt
        return Judged(bool(debt), [("reply", debt[0])] if debt else [("none", "")])
    if "code" in ruled or ("paid" in ruled and not threats):
        return Judged(False, [("code" if "code" in ruled else "paid", "")])
    if "scam" in ruled and not (debt and threats):
        return Judged(False, [("scam", "")])
    if sender_party in COLLECTORS:
        return Judged(True, [("known", sender_party), *[("threat", w) for w in threats[:1]]])
    saved = fold(contact or "")
    personal = bool(saved) and not any(fold(w) in saved for w in sms["creditor_names"])
    if threats:
        return Judged(True, [*[("threat", w) for w in threats[:2]], *said][:3])
    if personal:
        return Judged(False, [("personal", "")])
    others = [k for k in ruled if k not in ("scam", "paid")]
    if with_debt and not others:
        return Judged(True, [*[("threat", w) for w in with_debt[:2]], *said][:3])
    if overdue and "bills" not in ruled:
        return Judged(True, said)
    if weak and not ruled:
        return Judged(True, said)
    return Judged(False, [(ruled[0] if ruled else "none", "")])


def reason_text(reasons: list[tuple[str, str]], lang: str) -> str:
    """The reasons as the review table shows them: 逾期 + 尾号4821, 威胁：经侦."""
    i = 1 if lang == "zh" else 0
    return " + ".join(
        REASONS.get(kind, ("{w}", "{w}"))[i].format(w=w or kind) for kind, w in reasons
    )


_LAST4 = re.compile(
    r"(?:(?:尾号|末四位|后四位|末4位|后4位|尾数|ending(?:in)?)\D{0,3}?|[*＊xX]{2,}|(?:卡号|信用卡|账户))"
    r"(\d{4})(?![\d年月日元号.,，*＊xX])"
)


def named_card(
    body: str, sender: str, cards: list[Any], banks: list[dict[str, Any]], bank_of: Any
) -> tuple[Any | None, bool, list[tuple[str, str]]]:
    """The card a message is about, read from its text (a bank's name, 尾号 NNNN) or its sender
    (a bank's hotline, or a 106… number ending in it): (the card when exactly one of yours
    fits, whether the message names a bank or card at all, the reasons). A message that names
    a card or bank that is none of yours, or several, is left for the user: never given
    another card by --card."""
    last4 = _LAST4.findall(fold(body))
    from debtcli.rules import banks_named

    named = banks_named(body, banks)
    if not named:
        named = [
            b
            for b in banks
            if b.get("hotline")
            and (
                sender == b["hotline"]
                or (sender.startswith("106") and sender.endswith(b["hotline"]))
            )
        ]
    if not last4 and not named:
        return None, False, []
    live = [c for c in cards if not c["archived_on"]]

    def at_named(c: Any) -> bool:
        return not named or any(bank_of(c["bank"]) is b for b in named)

    fits = [c for c in live if at_named(c) and (not last4 or c["last4"] in last4)]
    shown = [fits[0]["last4"]] if len(fits) == 1 and last4 else last4[:1]
    reasons = [("bank", b["zh"]) for b in named[:1]] + [("card", n) for n in shown]
    return (fits[0] if len(fits) == 1 else None), True, reasons


# --- from what was read to what would be logged ------------------------------------------------


class Known(NamedTuple):
    card: Any | None
    org: str | None
    party: str


def number_book(
    book_rows: list[dict[str, Any]], logged: Any, cards: list[Any], bank_of: Any
) -> dict[str, Known]:
    """Who each number is: the log's own entries with that number first (the latest wins),
    then what the user put in the book, which overrides them."""
    from debtcli.cards import resolve
    from debtcli.errors import NotFound

    by_id = {c["id"]: c for c in cards}
    known: dict[str, Known] = {}
    for phone, org, party, card_id in logged:
        key = number(phone)
        if key:
            known[key] = Known(by_id.get(card_id), org, party)
    for row in book_rows:
        card = by_id.get(row["card_id"]) if row["card_id"] else None
        if card is None and row["bank"]:
            try:
                card = resolve(row["bank"], [c for c in cards if not c["archived_on"]], bank_of)
            except (BadInput, NotFound):
                card = None  # no card, or several, at that bank: asked at import
        before = known.get(row["number"])
        known[row["number"]] = Known(
            card or (before.card if before else None),
            row["org"] or (before.org if before else None),
            row["party"] or (before.party if before else "unknown"),
        )
    return known


class Proposal(NamedTuple):
    at: datetime
    card: Any | None  # None: a number the book does not know (assign a card, or skip)
    raw: dict[str, Any]  # what build_entry takes
    source: Path | None  # the recording to attach
    # new | logged (already in the log) | withdrawn (logged, then withdrawn: not again unless
    # asked) | future (after today): only new is logged
    status: str
    who: str
    what: str
    named: bool = False  # the message names a bank or card: --card does not override it
    reasons: tuple[tuple[str, str], ...] = ()  # why it was proposed (REASONS)


def mark_future(proposals: list[Proposal], limit: datetime) -> list[Proposal]:
    """A new proposal dated after `limit` (dates.latest_allowed: the latest a past contact may
    be) is marked future: the phone's clock was wrong, and log add would refuse it. It is
    shown and left out, so one bad date does not keep the rest of a backup out of the log."""
    return [
        p._replace(status="future") if p.status == "new" and p.at > limit else p for p in proposals
    ]


def _who(known: Known | None, name: str | None, num: str | None) -> str:
    parts = [known.org if known and known.org else None, name, num]
    return " ".join(p for p in parts if p) or "?"


def propose_calls(
    recordings: list[Recording], known: dict[str, Known], logged: dict[str, str], lang: str
) -> list[Proposal]:
    """What each recording would be logged as; logged: the status of a file already in the
    log, by its SHA-256 (logged, or withdrawn)."""
    out = []
    for r in recordings:
        k = known.get(r.number or "")
        minutes = max(1, round(r.seconds / 60)) if r.seconds else None
        note = [("录音：" if lang == "zh" else "recording: ") + r.shown]
        if r.name:
            note.append(("来电显示：" if lang == "zh" else "caller shown as: ") + r.name)
        if r.from_file_date:
            note.append("时间取自文件日期" if lang == "zh" else "time from file date")
        raw = {
            "at": r.at.isoformat(),
            "channel": "call",
            "direction": r.direction,  # unknown unless the name says: never the collector's
            "party": k.party if k else "unknown",
            "org": k.org if k else None,
            "phone": r.number,
            "minutes": minutes,
            "note": ("；" if lang == "zh" else "; ").join(note),
        }
        length = f"{int(r.seconds) // 60}:{int(r.seconds) % 60:02d}" if r.seconds else "?"
        out.append(
            Proposal(
                r.at,
                k.card if k else None,
                raw,
                r.path,
                logged.get(r.sha256, "new"),
                _who(k, r.name, r.number),
                length,
            )
        )
    return out


def look_up(known: dict[str, Known], num: str, hotlines: list[str]) -> Known | None:
    """The book's entry for a number, or for the bank hotline a 106… sender ends in (banks
    send their messages from such numbers: 10655895558 is 95558's)."""
    if num in known or not num.startswith("106"):
        return known.get(num)
    return next((known[h] for h in hotlines if num.endswith(h) and h in known), None)


def propose_sms(
    messages: Iterator[Message],
    known: dict[str, Known],
    logged: dict[tuple[str, str, str], str],
    sms: dict[str, Any],
    cards: list[Any],
    banks: list[dict[str, Any]],
    bank_of: Any,
) -> list[Proposal]:
    """The collection messages among all, judged one by one (judge_sms) with the reasons; the
    card each is about read from its text or sender (named_card), else the book's card for the
    number. Everything else (family, friends, codes, alerts, advertising) is never kept."""
    hotlines = [b["hotline"] for b in banks if b.get("hotline")]
    out, seen = [], set()
    for m in messages:
        k = look_up(known, m.number, hotlines)
        to_creditor = k is not None or m.number in hotlines
        if m.direction == "out" and not to_creditor:
            continue  # the user's own message to anyone else is personal
        judged = judge_sms(m.body, sms, k.party if k else None, m.direction == "out", m.contact)
        if not judged.collection:
            continue
        card, named, about = named_card(m.body, m.number, cards, banks, bank_of)
        at_utc = m.at.astimezone(UTC).isoformat()
        key = message_key(m.number, at_utc, m.body)
        status = "logged" if key in seen else logged.get(key, "new")
        seen.add(key)
        raw = {
            "at": m.at.isoformat(),
            "channel": "sms",
            "direction": m.direction,
            "party": k.party if k else "unknown",
            "org": k.org if k else None,
            "phone": m.address or None,
            "note": m.body,
            "claim": sms_claims(m.body, sms["claims"]),
        }
        out.append(
            Proposal(
                m.at,
                card if named else (k.card if k else None),
                raw,
                None,
                status,
                _who(k, None, m.address),
                m.body[:300],
                named,
                (*judged.reasons, *about),
            )
        )
    return sorted(out, key=lambda p: p.at)
