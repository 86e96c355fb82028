"""Where a card stands: its position, stage and legal indicators, read from the store and
computed by the pure stage engine. Shared by `status` and `stage`, so both always agree."""

from datetime import date, timedelta
from typing import Any

from debtcli import stages
from debtcli import store as st
from debtcli.dates import day_start_utc
from debtcli.ledger import card_position
from debtcli.money import to_decimal_str
from debtcli.rules import Pack


def _after(day: date) -> str:
    """Contacts strictly after the missed due date: from 00:00 local on the next day."""
    return day_start_utc(day + timedelta(days=1))


def _notices(
    store: st.Store,
    pack: Pack,
    card_id: int,
    after: str,
    full: bool,
    quiet: tuple[date, date | None] | None = None,
    before: str = "9999",
) -> list:
    """The contacts that may be collection notices. quiet: (first day, last day or None) of an
    agreement's term, while it was kept: a contact then breaks 第七十条 and is no notice that
    "符合催收的有关规定" (2018 解释 第七条; facts §12), so it never counts."""
    mo = pack.indicator("malicious-overdraft")
    channels = mo["effective_channels"] + mo["possible_channels"]

    def outside(day: date) -> bool:
        return quiet is None or day < quiet[0] or (quiet[1] is not None and day > quiet[1])

    if full:
        found = st.notice_days(store, card_id, after, channels, mo["parties"], before)
        return [n for n in found if outside(n[0])]
    # Only the first pair matters for the dates: the earliest effective notice (E) and the
    # earliest of any kind (P), then the earliest effective one at least notice_gap_days after
    # E, and the earliest of any kind that long after P.
    effective, others = mo["effective_channels"], mo["possible_channels"]
    gap = timedelta(days=int(mo["notice_gap_days"]))

    def first(start: str, group: list[str]) -> list:
        found = st.first_notice(store, card_id, start, group, mo["parties"], before)
        if found and not outside(found[0]):  # inside the agreement's term: look after it
            assert quiet is not None
            if quiet[1] is None:
                return []
            found = st.first_notice(
                store,
                card_id,
                day_start_utc(quiet[1] + timedelta(days=1)),
                group,
                mo["parties"],
                before,
            )
        return [found] if found else []

    e1, o1 = first(after, effective), first(after, others)
    found = e1 + o1
    if e1:
        found += first(day_start_utc(e1[0][0] + gap), effective)
    if found:
        p1 = min(n[0] for n in found)
        found += first(day_start_utc(p1 + gap), channels)
    return found


def _episode_payments(store: st.Store, card_id: int, episode_id: int) -> list[tuple[date, int]]:
    return [
        (date.fromisoformat(p["paid_on"]), p["amount"])
        for p in st.payments(store, card_id)
        if p["episode_id"] == episode_id
    ]


def tracked_agreement(
    store: st.Store, pack: Pack, card: Any, episode: Any | None, today: date
) -> dict[str, Any] | None:
    """The episode's latest agreement as it stands today (agreements.track), or None when
    there is none or it was made after `today`. The one place agreements are tracked: the
    standing tracks it to today, the collection windows over its whole schedule (date.max)."""
    from debtcli.agreements import track

    agreement = st.current_agreement(store, card["id"], episode["id"]) if episode else None
    if episode is None or agreement is None or date.fromisoformat(agreement["agreed_on"]) > today:
        return None
    return track(
        agreement,
        _episode_payments(store, card["id"], episode["id"]),
        today,
        pack.grace_days(card["bank"]),
        int(pack.data["pack"]["due_soon_days"]),
    )


def agreement_in_force(
    store: st.Store, pack: Pack, card: Any, episode: Any | None, today: date
) -> dict[str, Any] | None:
    """The episode's agreement when it is current today (made, and every installment due so
    far paid within its grace): what a plan must pay first and a new request would reopen."""
    tracked = tracked_agreement(store, pack, card, episode, today)
    return tracked if tracked and tracked["status"] == "current" else None


def collection_windows(store: st.Store, pack: Pack, card_ids: set[int]) -> dict[int, list]:
    """Per card, the local days on which nobody should be collecting: from the day after an
    agreement was made until the day before it was broken (or the episode settled), and from
    the day after a settlement until the day before the card's next overdue episode."""
    from debtcli.conduct import Window

    out: dict[int, list] = {}
    for card_id in card_ids:
        card = st.get_card(store, card_id)
        eps = st.episodes(store, card_id)
        windows = []
        for i, ep in enumerate(eps):
            nxt = eps[i + 1]["since"] if i + 1 < len(eps) else None
            if ep["settled_on"]:
                last = (date.fromisoformat(nxt) - timedelta(days=1)).isoformat() if nxt else None
                windows.append(Window("settled", _next_day(ep["settled_on"]), last))
            # Judged over the whole schedule: it was in force until the first day it broke.
            tracked = tracked_agreement(store, pack, card, ep, date.max)
            if tracked is None:
                continue
            ends = [
                d
                for d in (
                    tracked["broken_on"] and _prev_day(tracked["broken_on"]),
                    ep["settled_on"],
                )
                if d
            ]
            windows.append(
                Window("agreement", _next_day(tracked["agreed_on"]), min(ends) if ends else None)
            )
        out[card_id] = windows
    return out


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _prev_day(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _money(tracked: dict[str, Any]) -> dict[str, Any]:
    """An agreement's tracking in its JSON form: amounts as decimal strings."""

    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {**r, "amount": to_decimal_str(r["amount"]), "paid": to_decimal_str(r["paid"])}

    return {
        **{k: v for k, v in tracked.items() if k != "installments"},
        "monthly": to_decimal_str(tracked["monthly"]),
        "paid": to_decimal_str(tracked["paid"]),
        "missed": [row(r) for r in tracked["missed"]],
        "next": row(tracked["next"]) if tracked["next"] else None,
    }


def assess_card(
    store: st.Store, pack: Pack, card: Any, today: date, full: bool = True
) -> dict[str, Any]:
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
        "settlement_amount": (
            to_decimal_str(pos.settled_amount) if pos.settled_amount is not None else None
        ),
        "waived": to_decimal_str(pos.waived),
        "stage": None,
        "stage_basis": None,
        "stage_by_days": None,
        "stage_by_evidence": None,
        "next_stage": None,
        "next_stage_date": None,
        "risks": [],
        "risk": None,
        "threshold_met": False,
        "agreement": None,
        "agreement_status": None,
        "under_agreement_since": None,
        "_position": pos,
    }
    if episode is None:
        return result
    tracked = tracked_agreement(store, pack, card, episode, today)
    if tracked is not None:
        result["agreement"] = _money(tracked)
        result["agreement_status"] = tracked["status"]
    if pos.settled_on:
        result["risks"] = [stages.credit_record(pack, pos.settled_on)]
        return result
    assert pos.since is not None
    after = _after(pos.since)
    creditors = pack.creditor_parties
    # What the log shows up to the end of "today": `--today` earlier than a logged contact
    # asks where the card stood then, so that contact is not yet in it.
    before = day_start_utc(today + timedelta(days=1))
    evidence = st.evidence_pairs(store, card["id"], after, pack.evidence_map(), creditors, before)
    view = stages.assess(pack, card["bank"], pos.since, today, evidence, agreement=tracked)
    result.update(view.to_json())
    quiet = _agreement_term(tracked)
    notices = _notices(store, pack, card["id"], after, full, quiet, before)
    mo = stages.malicious_overdraft(
        pack,
        pos.principal_unpaid,
        pos.principal_recorded,
        pos.since,
        notices,
        pos.days_overdue,
        card["bank"],
    )
    from debtcli.agreements import in_force

    if quiet is not None and quiet[1] is not None and not in_force(tracked):
        # A broken agreement: the months it was kept are no "仍不归还" — the three months after
        # the second notice run on from where they stopped (facts §12).
        for key, anchor in (
            ("exposure_date", mo["second_notice"]),
            ("possible_exposure_date", None),
        ):
            if mo[key]:
                start = max(quiet[0], date.fromisoformat(anchor) if anchor else quiet[0])
                kept = (quiet[1] - start).days + 1
                if kept > 0 and date.fromisoformat(mo[key]) > start:
                    mo[key] = (date.fromisoformat(mo[key]) + timedelta(days=kept)).isoformat()
    if in_force(tracked):
        assert tracked is not None
        # Repaying as the bank agreed: strong evidence against 非法占有目的 and not the "仍不归还"
        # the definition needs (facts §12, a [practice] reading of [law] texts): no countdown.
        mo.update(
            under_agreement=tracked["agreed_on"], exposure_date=None, possible_exposure_date=None
        )
    restarts, last_due = _restarts(store, pack, card, tracked, before, today.isoformat())
    risks = [mo, stages.limitation(pack, pos.since, restarts, today, last_due)]
    result["risks"] = risks
    result["risk"] = "agreement" if mo.get("under_agreement") else stages.risk_marker(risks, today)
    result["threshold_met"] = mo["threshold_met"]
    return result


def _agreement_term(tracked: dict[str, Any] | None) -> tuple[date, date | None] | None:
    """The days an agreement was kept: from the day after it was made to the day before it
    broke (None: it has not)."""
    if tracked is None:
        return None
    broke = tracked.get("broken_on")
    return (
        date.fromisoformat(tracked["agreed_on"]) + timedelta(days=1),
        date.fromisoformat(broke) - timedelta(days=1) if broke else None,
    )


def _restarts(
    store: st.Store,
    pack: Pack,
    card: Any,
    tracked: dict[str, Any] | None,
    before: str = "9999",
    through: str = "9999",
) -> tuple[list[date | None], date | None]:
    """What the records show restarting the limitation period (the creditor's last demand,
    the cardholder's last payment and agreement), and for an agreement in force, its last
    installment's due date, from which the period runs (民法典 第一百八十九条)."""
    from debtcli.agreements import in_force

    def day(text: str | None) -> date | None:  # each is a day, YYYY-MM-DD
        return date.fromisoformat(text) if text else None

    found = [
        day(st.last_demand(store, card["id"], pack.creditor_parties, before)),
        day(st.last_payment(store, card["id"], through)),
    ]
    if tracked is None:
        return found, None
    found.append(day(tracked["agreed_on"]))
    return found, day(tracked["installments"][-1]["due"]) if in_force(tracked) else None


def public(result: dict[str, Any]) -> dict[str, Any]:
    """The JSON form: no private helpers."""
    return {k: v for k, v in result.items() if not k.startswith("_")}
