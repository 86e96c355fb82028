"""Conduct-rule flags on logged contacts. Pure: entries and a rule pack in, flags out.

Entries are the corrected view of the log (an amendment's values are what count). Rules that
need several entries (calls per day) are checked across the log per day in the debtor's local
time, which is the local time each entry was recorded with. Rules about what the card's own
records say (collection after an agreement or a settlement) read the card's windows.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
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
    entry = pack.bank(bank)
    aliases = [bank, *(entry["match"] if entry else [])]
    return any(names_match(a, pay_to) for a in aliases if a)


def _single(rule: Mapping[str, Any], e: Mapping[str, Any], pack: Pack,
            windows: Mapping[int, list[Window]]) -> bool:
    kind = rule["kind"]
    incoming = e["direction"] == "in"
    if kind == "quiet-hours":
        hm = e["at"][11:16]
        quiet = hm >= rule["start"] or hm < rule["end"]
        return incoming and e["channel"] in rule["channels"] and quiet
    if kind == "third-party":
        return incoming and e["contacted"] in rule["contacted"]
    if kind == "flag":
        return any(f in rule["flags"] for f in _split(e["flags"]))
    if kind == "claim":
        return bool(_split(e["claims"]))
    if kind == "visit-agents":
        return e["channel"] == "visit" and e["agents"] is not None and e["agents"] < rule["min"]
    if kind == "visit-credentials":
        return e["channel"] == "visit" and "none" in _split(e["credentials"])
    if kind == "pay-to":
        pay_to = (e["pay_to"] or "").strip()
        if not pay_to:
            return False
        lowered = pay_to.casefold()
        if any(k.casefold() in lowered for k in rule["keywords"]):
            return True  # a QR code the caller sends
        if any(k.casefold() in lowered for k in rule["own_card"]):
            return False  # a wallet's card-repayment function pays your own card
        return not _pays_bank(pack, e["bank"], pay_to)
    if kind == "private-channel":
        return incoming and e["channel"] in rule["channels"] and e["party"] in rule["parties"]
    if kind in ("after-agreement", "after-settlement"):
        want = "agreement" if kind == "after-agreement" else "settled"
        day = e["at"][:10]
        return (incoming and e["party"] in rule["parties"]
                and any(w.kind == want and w.holds(day) for w in windows.get(e["card_id"], ())))
    return False


# What the per-day rules read of an entry (a caller may fetch just these for counting).
COUNTED_COLUMNS = ("at", "at_utc", "channel", "direction", "answered")


def per_day_channels(pack: Pack) -> list[str]:
    return sorted({c for r in pack.conduct() if r["kind"] == "per-day" for c in r["channels"]})


def flag_entries(pack: Pack, entries: Iterable[Mapping[str, Any]],
                 counted: Iterable[Mapping[str, Any]] | None = None,
                 windows: Mapping[int, list[Window]] | None = None) -> dict[int, list[str]]:
    """Entry id -> the keys of the conduct rules it breaks, in the pack's order. Per-day rules
    count over `counted` when given (every contact of the days concerned; COUNTED_COLUMNS and
    bank are enough), else over entries. `windows` (card id -> Window) are the cards' agreement
    and settlement windows; without them those rules flag nothing."""
    windows = windows or {}
    entries = sorted(entries, key=lambda e: (e["at_utc"], e["id"]))
    counted = entries if counted is None else sorted(counted, key=lambda e: (e["at_utc"], e["id"]))
    flags: dict[int, list[str]] = defaultdict(list)
    for rule in pack.conduct():
        if rule["kind"] == "per-day":
            counts: dict[tuple[str, str], int] = defaultdict(int)
            for e in counted:
                if (
                    e["direction"] == "in"
                    and e["channel"] in rule["channels"]
                    and bool(e["answered"]) == rule["answered"]
                    and e["answered"] is not None
                ):
                    day = (e["bank"], e["at"][:10])
                    counts[day] += 1
                    if counts[day] > rule["max"]:
                        flags[e["id"]].append(rule["key"])
            continue
        for e in entries:
            if _single(rule, e, pack, windows):
                flags[e["id"]].append(rule["key"])
    return dict(flags)
