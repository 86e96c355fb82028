"""Which conduct rules the logged contacts break: over the whole log, for a page of it, or for
one new entry. The rules are checked by conduct (pure); this module decides what to read, so
that a page of a long log costs only the days it shows.
"""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from debtcli import store as st
from debtcli.conduct import COUNTED_COLUMNS, flag_entries, per_day_channels
from debtcli.rules import Pack


def flag_log(
    store: st.Store,
    pack: Pack,
    entries: list[dict[str, Any]],
    counted: list[dict[str, Any]] | None = None,
) -> dict[int, list[str]]:
    """flag_entries with the cards' agreement and settlement windows read from the store."""
    from debtcli.standing import collection_windows

    windows = collection_windows(store, pack, {e["card_id"] for e in entries})
    return flag_entries(pack, entries, counted=counted, windows=windows)


def iter_violations(
    store: st.Store,
    pack: Pack,
    card_id: int | None = None,
    *,
    since_utc: str | None = None,
    until_utc: str | None = None,
    rules: set[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every (entry, rule) pair the log shows, oldest first, as a stream. Frequency rules are
    counted over the whole log (every card of a bank), then filtered to the card, the dates
    and the rules asked for."""
    from debtcli.cards import names
    from debtcli.conduct import RULE_COLUMNS, flag_stream
    from debtcli.standing import collection_windows

    cards = st.list_cards(store, include_archived=True)
    named = names(cards)
    windows = collection_windows(store, pack, {c["id"] for c in cards})
    # The days before `since` still count toward a day's calls: read from that day's start.
    lo = _day_window(since_utc, since_utc)[0] if since_utc else None
    rows = st.iter_contacts(
        store, since_utc=lo, until_utc=until_utc, columns=(*RULE_COLUMNS, "hash", "org")
    )
    for e, flags in flag_stream(pack, rows, windows):
        if (
            not flags
            or (card_id is not None and e["card_id"] != card_id)
            or (since_utc and e["at_utc"] < since_utc)
        ):
            continue
        for key in flags:
            if rules is None or key in rules:
                yield _violation(e, key, named)


def violations(store: st.Store, pack: Pack, card_id: int | None = None) -> list[dict[str, Any]]:
    """Every (entry, rule) pair the log shows, oldest first (see iter_violations)."""
    return list(iter_violations(store, pack, card_id))


def violations_of(
    store: st.Store, entries: list[dict[str, Any]], flags: dict[int, list[str]]
) -> Iterator[dict[str, Any]]:
    """The (entry, rule) pairs of entries already read and flagged (the full report, which
    flags the log once for its timeline and its violations)."""
    from debtcli.cards import names

    named = names(st.list_cards(store, include_archived=True))
    for e in entries:
        for key in flags.get(e["id"], []):
            yield _violation(e, key, named)


def _violation(e: Mapping[str, Any], key: str, named: dict[int, str]) -> dict[str, Any]:
    return {
        "entry": e["id"],
        "at": e["at"],
        "card": named[e["card_id"]],
        "card_id": e["card_id"],
        "channel": e["channel"],
        "rule": key,
        "hash": e["hash"],
        "org": e["org"],
        "contacted": e["contacted"],
        "party": e["party"],
        "claims": e.get("claims"),  # the claims a false-claim breach names, each its own
    }


def _day_window(first_at: str, last_at: str) -> tuple[str, str]:
    """UTC bounds of the local days from first_at's to last_at's (each in its own offset)."""
    from datetime import timedelta

    lo = datetime.fromisoformat(first_at[:10] + "T00:00:00" + first_at[19:])
    hi = datetime.fromisoformat(last_at[:10] + "T00:00:00" + last_at[19:]) + timedelta(days=1)
    return lo.astimezone(UTC).isoformat(), hi.astimezone(UTC).isoformat()


def flags_for(store: st.Store, pack: Pack, rows: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Rule flags for the entries shown (rows of st.contacts), reading only the calls of the
    days they span (per-day rules count every call of those days, of every card of the bank).
    With --history each version (an original, a correction) is flagged for what it says."""
    if not rows:
        return {}
    first, last = min(rows, key=lambda r: r["at_utc"]), max(rows, key=lambda r: r["at_utc"])
    lo, hi = _day_window(first["at"], last["at"])
    banks = {r["bank"] for r in rows}
    # Frequency rules count one bank's calls per day, so one bank's calls are enough.
    bank = banks.pop() if len(banks) == 1 else None
    counted = st.contacts(
        store,
        since_utc=lo,
        until_utc=hi,
        bank=bank,
        channels=per_day_channels(pack),
        columns=COUNTED_COLUMNS,
    )
    return flag_log(store, pack, rows, counted=counted)


def entry_violations(store: st.Store, pack: Pack, entry_id: int) -> list[str]:
    """The rules one new entry (or correction) breaks, as `log list` would flag it: reading
    only its own local day, so `log add` stays fast on a long log."""
    e = st.contact(store, entry_id)
    if e is None:
        return []
    root = e["amends"] or e["id"]
    lo, hi = _day_window(e["at"], e["at"])
    rows = [
        r
        for r in st.contacts(store, card_id=e["card_id"], since_utc=lo, until_utc=hi)
        if r["id"] == root
    ]
    return flags_for(store, pack, rows).get(root, [])
