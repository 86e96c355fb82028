"""Where a card stands: its position, stage and legal indicators, read from the store and
computed by the pure stage engine. Shared by `status` and `stage`, so both always agree."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from debtcli import stages
from debtcli import store as st
from debtcli.ledger import card_position
from debtcli.money import to_decimal_str
from debtcli.rules import Pack


def _after(day: date) -> str:
    # Contacts strictly after the missed due date: from 00:00 local on the next day.
    start = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return start.astimezone(UTC).isoformat()


def assess_card(store: st.Store, pack: Pack, card: Any, today: date) -> dict[str, Any]:
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
        "_position": pos,
    }
    if episode is None:
        return result
    if pos.settled_on:
        result["risks"] = [stages.credit_record(pack, pos.settled_on)]
        return result
    assert pos.since is not None
    after = _after(pos.since)
    evidence = st.evidence_pairs(store, card["id"], after, pack.evidence_map())
    view = stages.assess(pack, card["bank"], pos.since, today, evidence)
    result.update(view.to_json())
    mo = pack.indicator("malicious-overdraft")
    notices = st.notice_days(
        store, card["id"], after,
        mo["effective_channels"] + mo["possible_channels"], mo["parties"],
    )
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
