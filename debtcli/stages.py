"""The collection-stage engine and the legal indicators. Pure: plain data in, plain data out.

Days overdue = today - the missed due date, so the day after the due date is day 1. The stage by
days comes from the rule pack's start days (a bank profile may override them); the stage by
evidence from what the contact log proves has already happened. The later of the two is
reported, because evidence outranks the calendar.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from debtcli.agreements import in_force
from debtcli.dates import add_months, add_years, days_overdue
from debtcli.money import from_decimal_str, to_decimal_str
from debtcli.rules import STAGE_KEYS, Pack

AGREEMENT = "agreement"  # the stage of a card whose installment agreement is in force


class StageView(NamedTuple):
    days_overdue: int
    stage_by_days: str | None
    stage_by_evidence: str | None
    stage: str | None
    basis: str | None  # "days", "evidence" or "agreement"
    next_stage: str | None
    next_stage_date: date | None
    agreement_status: str | None = None  # current, broken or complete
    under_agreement_since: date | None = None

    def to_json(self) -> dict[str, Any]:
        d = self._asdict()
        d["stage_basis"] = d.pop("basis")
        for key in ("next_stage_date", "under_agreement_since"):
            d[key] = d[key].isoformat() if d[key] else None
        return d


def stage_by_days(days_overdue: int, start_days: dict[str, int]) -> str | None:
    current = None
    for key in STAGE_KEYS:
        if days_overdue >= start_days[key]:
            current = key
    return current


def stage_by_evidence(pack: Pack, contacts: Iterable[tuple[str, str]]) -> str | None:
    """contacts: (channel, party) pairs seen in the log after the due date was missed. Only the
    creditor's side proves anything: an impostor's or an unknown caller's visit is no sign
    that the bank has reached the visit stage."""
    rank = {k: i for i, k in enumerate(STAGE_KEYS)}
    creditors = pack.creditor_parties
    best: str | None = None
    for channel, party in contacts:
        if party not in creditors:
            continue
        for rule in pack.evidence_map():
            if ("channel" in rule and rule["channel"] != channel) or (
                "party" in rule and rule["party"] != party
            ):
                continue
            if best is None or rank[rule["stage"]] > rank[best]:
                best = rule["stage"]
    return best


def assess(
    pack: Pack,
    bank: str | None,
    since: date,
    today: date,
    evidence: Iterable[tuple[str, str]] = (),
    agreement: dict[str, Any] | None = None,
) -> StageView:
    """agreement: the card's agreement as agreements.track() sees it today, or None. While it
    is in force the card is under agreement: no stage rises and nothing is predicted, and the
    days-overdue count stops on the day it was made. Once broken, the rules apply again."""
    start_days = pack.start_days(bank)
    if in_force(agreement):
        assert agreement is not None
        agreed_on = date.fromisoformat(agreement["agreed_on"])
        frozen = days_overdue(since, agreed_on)
        return StageView(
            frozen,
            stage_by_days(frozen, start_days),
            None,
            AGREEMENT,
            AGREEMENT,
            None,
            None,
            agreement["status"],
            agreed_on,
        )
    days = days_overdue(since, today)
    by_days = stage_by_days(days, start_days)
    by_evidence = stage_by_evidence(pack, evidence)
    rank = {k: i for i, k in enumerate(STAGE_KEYS)}
    stage: str | None
    basis: str | None
    if by_evidence is not None and (by_days is None or rank[by_evidence] > rank[by_days]):
        stage, basis = by_evidence, "evidence"
    else:
        stage, basis = by_days, ("days" if by_days else None)
    following = STAGE_KEYS[rank[stage] + 1 :] if stage else STAGE_KEYS
    next_stage = following[0] if following else None
    next_date = None
    if next_stage:
        # The first day on which days_overdue reaches the next stage's start; never today or
        # earlier, since a stage already reached is not "next".
        next_date = max(since + timedelta(days=start_days[next_stage]), today + timedelta(days=1))
    status = agreement["status"] if agreement is not None else None
    agreed = date.fromisoformat(agreement["agreed_on"]) if agreement is not None else None
    return StageView(
        max(days, 0), by_days, by_evidence, stage, basis, next_stage, next_date, status, agreed
    )


# --- legal indicators -------------------------------------------------------------------------


def _first_pair(days: list[date], gap: int) -> tuple[date | None, date | None]:
    """The earliest pair of notice days at least `gap` days apart. Taking the earliest first
    notice is optimal: any later first notice can only push the second one later."""
    if not days:
        return None, None
    first = days[0]
    second = next((d for d in days if (d - first).days >= gap), None)
    return first, second


def malicious_overdraft(
    pack: Pack,
    principal_unpaid: int,
    principal_recorded: bool,
    since: date,
    notices: Iterable[tuple[date, str, bool | None, int]],
    days_overdue: int,
    bank: str | None = None,
) -> dict[str, Any]:
    """notices: (day, channel, answered, count) for incoming contacts to the cardholder in
    person by the bank, its agency or a law firm. Which of them count is decided here.

    `show` says whether the criminal reading applies at all: only past the grace period, and
    only when the unpaid principal reaches the threshold or comes within the pack's margin
    of it. Below that, talk of 恶意透支 frightens and informs nobody."""
    rule = pack.indicator("malicious-overdraft")
    threshold = criminal_threshold(pack)
    margin = threshold * int(rule["show_within_percent"]) // 100
    past_grace = days_overdue >= pack.start_days(bank)["reminder"]
    show = past_grace and principal_unpaid >= threshold - margin
    # 第九条: payments reduce the principal; what takes it below the threshold.
    to_drop_below = principal_unpaid - threshold + 1 if principal_unpaid >= threshold else None
    effective_channels = set(rule["effective_channels"])
    possible_channels = effective_channels | set(rule["possible_channels"])
    eff_days: set[date] = set()
    pos_days: set[date] = set()
    eff_count = pos_count = 0
    for day, channel, answered, count in notices:
        if day <= since:  # a notice must come after the debt went overdue (第七条(1))
            continue
        if channel == "call" and not answered:
            continue  # an unanswered call cannot confirm receipt
        if channel in effective_channels:
            eff_days.add(day)
            eff_count += count
        if channel in possible_channels:
            pos_days.add(day)
            pos_count += count
    gap, months = int(rule["notice_gap_days"]), int(rule["months_after_second"])

    def exposure(days: set[date]) -> tuple[date | None, date | None, date | None]:
        first, second = _first_pair(sorted(days), gap)
        # "more than three months after the second notice": the first day past that.
        passed = add_months(second, months) + timedelta(days=1) if second else None
        return first, second, passed

    first, second, passed = exposure(eff_days)
    _, _, possible_passed = exposure(pos_days)
    return {
        "key": "malicious-overdraft",
        "principal": to_decimal_str(principal_unpaid),
        "principal_recorded": principal_recorded,
        "threshold": to_decimal_str(threshold),
        "threshold_met": principal_unpaid >= threshold,
        "show": show,
        "pay_to_drop_below": to_decimal_str(to_drop_below) if to_drop_below else None,
        "effective_notices": eff_count,
        "first_notice": first.isoformat() if first else None,
        "second_notice": second.isoformat() if second else None,
        "exposure_date": passed.isoformat() if passed else None,
        "possible_notices": pos_count,
        "possible_exposure_date": possible_passed.isoformat() if possible_passed else None,
        "notice_gap_days": gap,
        "months_after_second": months,
        "under_agreement": None,  # the day an agreement being kept was made: no countdown
        "tag": rule["tag"],
    }


def criminal_threshold(pack: Pack) -> int:
    """The unpaid principal (fen) from which malicious overdraft can be a crime (数额较大)."""
    return from_decimal_str(pack.indicator("malicious-overdraft")["threshold"])


def credit_record(pack: Pack, settled_on: date) -> dict[str, Any]:
    """When a settled card's negative record is deleted: the pack's years after settlement."""
    rule = pack.indicator("credit-record")
    years = int(rule["years"])
    return {
        "key": "credit-record",
        "settled_on": settled_on.isoformat(),
        "clears_on": add_years(settled_on, years).isoformat(),
        "years": years,
        "tag": rule["tag"],
    }


def limitation(
    pack: Pack,
    since: date,
    restarts: Iterable[date | None],
    today: date,
    last_installment: date | None = None,
) -> dict[str, Any]:
    """restarts: what the records show restarting the period after the debt fell due (the
    creditor's last demand, the cardholder's last payment or agreement); last_installment: for
    an installment agreement in force, its last installment's due date, from which the period
    runs (民法典 第一百八十九条). `from` says which of the three it runs from: due-date,
    restart or last-installment. `expired` when, by these records, the period has run: what
    the user most needs to know before acknowledging the debt."""
    rule = pack.indicator("limitation")
    restarted = max([since, *(d for d in restarts if d is not None)])
    start, begins = (
        (last_installment, "last-installment")
        if last_installment is not None and last_installment > restarted
        else (restarted, "restart" if restarted > since else "due-date")
    )
    ends = add_years(start, int(rule["years"]))
    return {
        "key": "limitation",
        "from": begins,
        "restarted_on": start.isoformat(),
        "runs_until": ends.isoformat(),
        "expired": ends <= today,
        "years": int(rule["years"]),
        "tag": rule["tag"],
    }


def risk_marker(risks: list[dict[str, Any]], today: date) -> str | None:
    """The one word status shows: 'exposed' once the criminal-threshold conditions have all
    passed on the calendar, 'watch' when the principal is over the threshold, else None."""
    mo = next((r for r in risks if r["key"] == "malicious-overdraft"), None)
    if not mo or not mo["threshold_met"]:
        return None
    if mo["exposure_date"] and date.fromisoformat(mo["exposure_date"]) <= today:
        return "exposed"
    return "watch"
