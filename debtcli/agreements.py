"""Installment agreements the bank granted, tracked against the payments. Pure.

Payments made on or after the day the agreement was made are applied to its installments in
date order. An installment is paid once they cover it; it is late if they covered it only after
its due date plus the grace days, missed if they have not and that day has passed. The first
late or missed installment breaks the agreement on the first day past its grace, for good: a
later catch-up payment does not mend it (the bank may already have cancelled the plan).
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from debtcli.dates import add_months, show_day

WARN_DAYS = 7


def check_dates(agreed_on: date, first_due: date) -> None:
    """An agreement's first installment falls due on or after the day it was made: one due
    before would be missed the moment it is recorded (a year typed wrong, most likely)."""
    from debtcli.errors import BadInput

    if first_due < agreed_on:
        raise BadInput(
            f"--first-due {first_due.isoformat()} is before the agreement was made "
            f"({agreed_on.isoformat()}): the first installment falls due after it",
            f"--first-due {first_due.isoformat()} 早于协议达成的日期（{show_day(agreed_on, 'zh')}）："
            "首期应在协议之后到期",
        )


def schedule(first_due: date, months: int, monthly: int) -> list[tuple[int, date, int]]:
    return [(n, add_months(first_due, n - 1), monthly) for n in range(1, months + 1)]


def _covered_on(payments: list[tuple[date, int]], amounts: list[int]) -> list[date | None]:
    """The day the payments, in date order, first cover each installment in turn."""
    out: list[date | None] = []
    total, need, i = 0, 0, 0
    for amount in amounts:
        need += amount
        while total < need and i < len(payments):
            total += payments[i][1]
            i += 1
        out.append(payments[i - 1][0] if total >= need and i else None)
    return out


def track(
    agreement: Any,
    payments: Iterable[tuple[date, int]],
    today: date,
    grace_days: int,
    warn_days: int = WARN_DAYS,
) -> dict[str, Any]:
    """Where an agreement stands today: each installment's status (paid, late, missed, grace:
    past its due date but within its grace, due-soon: within warn_days of it, upcoming), and
    the agreement's: current (every installment due so far paid within its grace), broken
    (broken_on, the installment broken_by) or complete (every installment paid in time)."""
    agreed_on = date.fromisoformat(agreement["agreed_on"])
    first_due = date.fromisoformat(agreement["first_due"])
    pays = sorted((on, amount) for on, amount in payments if on >= agreed_on)
    plan = schedule(first_due, agreement["months"], agreement["monthly"])
    covered = _covered_on(pays, [amount for _, _, amount in plan])
    paid = sum(amount for on, amount in pays if on <= today)
    left = paid
    rows, broken_on, broken_by = [], None, None
    for (n, due, amount), on in zip(plan, covered, strict=True):
        last_day = due + timedelta(days=grace_days)
        part = min(left, amount)
        left -= part
        if on is not None and on <= today:
            status = "late" if on > last_day else "paid"
        elif today > last_day:
            status = "missed"
        elif today > due:
            status = "grace"  # already late, not yet missed: say so, never "due soon"
        elif (due - today).days <= warn_days:
            status = "due-soon"
        else:
            status = "upcoming"
        if status in ("late", "missed") and broken_on is None:
            broken_on, broken_by = last_day + timedelta(days=1), n
        rows.append(
            {
                "n": n,
                "due": due.isoformat(),
                "grace_until": last_day.isoformat(),
                "amount": amount,
                "paid": part,
                "status": status,
            }
        )
    if broken_on is not None:
        state = "broken"
    elif all(r["status"] == "paid" for r in rows):
        state = "complete"
    else:
        state = "current"
    missed = [r for r in rows if r["status"] in ("missed", "late")]
    upcoming = next((r for r in rows if r["status"] in ("grace", "due-soon", "upcoming")), None)
    return {
        "months": agreement["months"],
        "monthly": agreement["monthly"],
        "first_due": agreement["first_due"],
        "agreed_on": agreement["agreed_on"],
        "paid": paid,
        "installments": rows,
        "missed": missed,
        "next": upcoming,
        "status": state,
        "broken_on": broken_on.isoformat() if broken_on else None,
        "broken_by": broken_by,
        "complete": state == "complete",
    }


def in_force(tracked: dict[str, Any] | None) -> bool:
    """While an agreement is current or complete, escalation is paused."""
    return tracked is not None and tracked["status"] in ("current", "complete")
