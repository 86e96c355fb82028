"""Conduct-rule flags on logged contacts. Pure: entries and a rule pack in, flags out.

Entries are the corrected view of the log (an amendment's values are what count). Rules that
need several entries (calls per day) are checked across the log per day in the debtor's local
time, which is the local time each entry was recorded with. Rules about what the card's own
records say (collection after an agreement or a settlement) read the card's windows.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from debtcli.rules import Pack, names_match


class Window(NamedTuple):
    """A stretch of local days (first..last inclusive, last None: open-ended) in which a card
    had an agreement in force ('agreement') or was settled ('settled')."""

    kind: str
    first: str
    last: str | None

    def holds(self, day: str) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)


THIRD_PARTIES = ("family", "employer", "colleague", "friend", "contacts-list", "other")


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _pays_bank(pack: Pack, bank: str, pay_to: str) -> bool:
    """Whether a payee is the card's own bank, named as a bank is named (rules.banks_named,
    strict: 平安保险 or ABC Trading is not 平安银行 or ABC), or as the card's bank was typed."""
    from debtcli.rules import banks_named

    entry = pack.bank(bank)
    if entry is not None:
        return entry in banks_named(pay_to, [entry], strict=True)
    return names_match(bank, pay_to)


def in_quiet_hours(rule: Mapping[str, Any], hm: str) -> bool:
    """Whether a local clock time ("HH:MM") falls in a quiet-hours rule's hours: from `start`
    (included) to `end` (not included), across midnight when start is later than end (22:00
    to 08:00). The one place the hours are compared: conduct flags and the door check."""
    start, end = rule["start"], rule["end"]
    if start <= end:
        return start <= hm < end
    return hm >= start or hm < end


def _predicate(rule: Mapping[str, Any], pack: Pack, windows: Mapping[int, list[Window]]) -> Any:
    """A rule (all but per-day) as a test of one entry, made once: a long log runs each test
    a million times, so the rule's kind is decided here, not per entry."""
    kind = rule["kind"]
    if kind == "quiet-hours":
        channels = set(rule["channels"])
        return lambda e: (
            e["direction"] == "in"
            and e["channel"] in channels
            and in_quiet_hours(rule, e["at"][11:16])
        )
    if kind == "third-party":
        contacted = set(rule["contacted"])
        return lambda e: e["direction"] == "in" and e["contacted"] in contacted
    if kind == "flag":
        wanted = set(rule["flags"])
        return lambda e: bool(e["flags"]) and not wanted.isdisjoint(_split(e["flags"]))
    if kind == "claim":
        return lambda e: bool(_split(e["claims"]))
    if kind == "visit-agents":
        least = rule["min"]
        return lambda e: e["channel"] == "visit" and e["agents"] is not None and e["agents"] < least
    if kind == "visit-credentials":
        return lambda e: e["channel"] == "visit" and "none" in _split(e["credentials"])
    if kind == "pay-to":
        return lambda e: bool(e["pay_to"]) and _pays_elsewhere(rule, pack, e)
    if kind == "private-channel":
        channels, parties = set(rule["channels"]), set(rule["parties"])
        return lambda e: (
            e["direction"] == "in" and e["channel"] in channels and e["party"] in parties
        )
    if kind in ("after-agreement", "after-settlement"):
        want = "agreement" if kind == "after-agreement" else "settled"
        parties = set(rule["parties"])
        return lambda e: (
            e["card_id"] in windows
            and e["direction"] == "in"
            and e["party"] in parties
            and any(w.kind == want and w.holds(e["at"][:10]) for w in windows[e["card_id"]])
        )
    return lambda e: False


def pays_elsewhere(pack: Pack, bank: str, pay_to: str) -> bool:
    """Whether a payee (as typed or said at the door) is anyone but the card's bank: the one
    payee rule, for logged contacts and the door check alike."""
    rule = pack.conduct_rule("pay-to-personal")
    return _pays_elsewhere(rule, pack, {"pay_to": pay_to, "bank": bank})


def _pays_elsewhere(rule: Mapping[str, Any], pack: Pack, e: Mapping[str, Any]) -> bool:
    """e["pay_to"] is given (the rule asks only then)."""
    pay_to = e["pay_to"].strip()
    if not pay_to:
        return False
    import unicodedata

    lowered = unicodedata.normalize("NFKC", pay_to).casefold()
    folded = "".join(lowered.split())
    digits = re.sub(r"(?<=\d)[\s-]+(?=\d)", "", lowered)  # 6217 0000 1111 2222 is one number
    if any(k.casefold() in lowered for k in rule["keywords"]):
        return True  # a QR code the caller sends
    if any(re.search(p, folded) or re.search(p, digits) for p in rule["payees"]):
        return True  # a person, a private account, an account number the caller gave
    entry = pack.bank(e["bank"])
    legal_name = entry is not None and any(
        a in folded for a in entry["match"] if "银行" in a
    )  # 中信银行股份有限公司 is the bank; 中信资产管理有限公司 is not
    if not legal_name and any(re.search(p, folded) for p in rule["companies"]):
        return True
    if any(k.casefold() in folded for k in (*rule["own_card"], *rule["official"])):
        return False  # your own card through a wallet's card repayment or the bank's channels
    return not _pays_bank(pack, e["bank"], pay_to)


# What the per-day rules read of an entry (a caller may fetch just these for counting), and
# what every rule reads.
COUNTED_COLUMNS = ("at", "at_utc", "channel", "direction", "answered")
RULE_COLUMNS = (
    *COUNTED_COLUMNS,
    "card_id",
    "party",
    "contacted",
    "flags",
    "claims",
    "agents",
    "credentials",
    "pay_to",
)


def per_day_channels(pack: Pack) -> list[str]:
    return sorted({c for r in pack.conduct() if r["kind"] == "per-day" for c in r["channels"]})


def _counted(rule: Mapping[str, Any], e: Mapping[str, Any]) -> bool:
    """Does e count toward a per-day rule (an incoming answered, or missed, call or message)?"""
    return (
        e["direction"] == "in"
        and e["channel"] in rule["channels"]
        and e["answered"] is not None
        and bool(e["answered"]) == rule["answered"]
    )


def _over_the_day(
    rule: Mapping[str, Any], e: Mapping[str, Any], counts: dict[tuple[str, str], int]
) -> bool:
    """Count e toward its bank's local day under a per-day rule; True once past the limit."""
    if not _counted(rule, e):
        return False
    day = (e["bank"], e["at"][:10])
    counts[day] = counts.get(day, 0) + 1
    return counts[day] > rule["max"]


def flag_stream(
    pack: Pack,
    entries: Iterable[Mapping[str, Any]],
    windows: Mapping[int, list[Window]] | None = None,
) -> Iterator[tuple[Mapping[str, Any], list[str]]]:
    """(entry, the keys of the rules it breaks in the pack's order) for entries in time order,
    one at a time: per-day rules keep a count per bank and local day, nothing else is held, so
    a million entries pass in flat memory."""
    windows = windows or {}
    rules = [
        (r, None if r["kind"] == "per-day" else _predicate(r, pack, windows))
        for r in pack.conduct()
    ]
    counts: dict[str, dict[tuple[str, str], int]] = {
        r["key"]: {} for r, _ in rules if r["kind"] == "per-day"
    }
    for e in entries:
        flags = []
        for rule, test in rules:
            if test is None:
                if _over_the_day(rule, e, counts[rule["key"]]):
                    flags.append(rule["key"])
            elif test(e):
                flags.append(rule["key"])
        yield e, flags


def flag_entries(
    pack: Pack,
    entries: Iterable[Mapping[str, Any]],
    counted: Iterable[Mapping[str, Any]] | None = None,
    windows: Mapping[int, list[Window]] | None = None,
) -> dict[int, list[str]]:
    """Entry id -> the keys of the conduct rules it breaks, in the pack's order. Per-day rules
    count over `counted` when given (every contact of the days concerned; COUNTED_COLUMNS and
    bank are enough), else over entries. `windows` (card id -> Window) are the cards' agreement
    and settlement windows; without them those rules flag nothing."""
    entries = sorted(entries, key=lambda e: (e["at_utc"], e["id"]))
    if counted is None:
        return {e["id"]: f for e, f in flag_stream(pack, entries, windows) if f}
    windows = windows or {}
    counted = sorted(counted, key=lambda e: (e["at_utc"], e["id"]))
    flags: dict[int, list[str]] = defaultdict(list)
    for rule in pack.conduct():
        if rule["kind"] == "per-day":
            counts: dict[tuple[str, str], int] = {}
            for e in counted:
                if _over_the_day(rule, e, counts):
                    flags[e["id"]].append(rule["key"])
            continue
        test = _predicate(rule, pack, windows)
        for e in entries:
            if test(e):
                flags[e["id"]].append(rule["key"])
    return dict(flags)
