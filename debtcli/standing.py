"""Where a card stands: its position, stage and legal indicators, read from the store and
computed by the pure stage engine. Shared by `status` and `stage`, so both always agree."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from debtcli import stages
from debtcli import store as st
from debtcli.ledger import card_position
from debtcli.money import to_decimal_str
from debtcli.rules import Pack


def _start_of(day: date) -> str:
    """00:00 local time on a day, as a UTC timestamp like contacts.at_utc."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC).isoformat()


def _after(day: date) -> str:
    """Contacts strictly after the missed due date: from 00:00 local on the next day."""
    return _start_of(day + timedelta(days=1))


def _notices(store: st.Store, pack: Pack, card_id: int, after: str, full: bool) -> list:
    mo = pack.indicator("malicious-overdraft")
    channels = mo["effective_channels"] + mo["possible_channels"]
    if full:
        return st.notice_days(store, card_id, after, channels, mo["parties"])
    # Only the first pair matters for the dates: the earliest effective notice (E) and the
    # earliest of any kind (P), then the earliest effective one at least notice_gap_days after
    # E, and the earliest of any kind that long after P.
    effective, others = mo["effective_channels"], mo["possible_channels"]
    gap = timedelta(days=int(mo["notice_gap_days"]))

    def first(start: str, group: list[str]) -> list:
        found = st.first_notice(store, card_id, start, group, mo["parties"])
        return [found] if found else []

    e1, o1 = first(after, effective), first(after, others)
    found = e1 + o1
    if e1:
        found += first(_start_of(e1[0][0] + gap), effective)
    if found:
        p1 = min(n[0] for n in found)
        found += first(_start_of(p1 + gap), channels)
    return found


def assess_card(store: st.Store, pack: Pack, card: Any, today: date,
                full: bool = True) -> dict[str, Any]:
    """full=False (status) computes the dates but not the notice counts, which need every
    contact read; the risk marker needs only the dates."""
    episode, pos = card_position(store, card, today)
    result: dict[str, Any] = {
        "id": card["id"],
        "bank": card["bank"],
        "last4": card["last4"],
        "name": card["name"],
        "currency": card["currency"],
        "since": pos.since.isoformat() if pos.since else None,
        "days_overdue": pos.days_overdue,
        "amount": to_decimal_str(pos.amount),
        "paid": to_decimal_str(pos.paid),
        "owed": to_decimal_str(pos.owed),
        "settled_on": pos.settled_on.isoformat() if pos.settled_on else None,
        "stage": None,
        "stage_basis": None,
        "stage_by_days": None,
        "stage_by_evidence": None,
        "next_stage": None,
        "next_stage_date": None,
        "risks": [],
        "risk": None,
        "agreement": None,
        "_position": pos,
    }
    if episode is None:
        return result
    agreement = st.current_agreement(store, card["id"], episode["id"])
    if agreement is not None:
        from debtcli.agreements import track

        pays = [(date.fromisoformat(p["paid_on"]), p["amount"])
                for p in st.payments(store, card["id"]) if p["episode_id"] == episode["id"]]
        tracked = track(agreement, pays, today)
        result["agreement"] = {
            **{k: v for k, v in tracked.items() if k not in ("monthly", "paid", "installments",
                                                             "missed", "next")},
            "monthly": to_decimal_str(tracked["monthly"]),
            "paid": to_decimal_str(tracked["paid"]),
            "missed": [{**r, "amount": to_decimal_str(r["amount"]),
                        "paid": to_decimal_str(r["paid"])} for r in tracked["missed"]],
            "next": ({**tracked["next"], "amount": to_decimal_str(tracked["next"]["amount"]),
                      "paid": to_decimal_str(tracked["next"]["paid"])}
                     if tracked["next"] else None),
        }
    if pos.settled_on:
        result["risks"] = [stages.credit_record(pack, pos.settled_on)]
        return result
    assert pos.since is not None
    after = _after(pos.since)
    evidence = st.evidence_pairs(store, card["id"], after, pack.evidence_map())
    view = stages.assess(pack, card["bank"], pos.since, today, evidence)
    result.update(view.to_json())
    notices = _notices(store, pack, card["id"], after, full)
    last = st.last_demand(store, card["id"])
    risks = [
        stages.malicious_overdraft(pack, pos.principal_unpaid, pos.principal_recorded,
                                   pos.since, notices),
        stages.limitation(pack, pos.since, date.fromisoformat(last) if last else None),
    ]
    result["risks"] = risks
    result["risk"] = stages.risk_marker(risks, today)
    return result


def public(result: dict[str, Any]) -> dict[str, Any]:
    """The JSON form: no private helpers."""
    return {k: v for k, v in result.items() if not k.startswith("_")}
