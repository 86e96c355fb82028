"""Installment agreements the bank granted, tracked against the payments. Pure.

Payments made on or after the day the agreement was made are applied to its installments in
order; an installment is paid once they cover it, missed once its due date has passed
without that, and due soon within the warning window.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from debtcli.dates import add_months

WARN_DAYS = 7


def schedule(first_due: date, months: int, monthly: int) -> list[tuple[int, date, int]]:
    return [(n, add_months(first_due, n - 1), monthly) for n in range(1, months + 1)]


def track(agreement: Any, payments: Iterable[tuple[date, int]], today: date) -> dict[str, Any]:
    agreed_on = date.fromisoformat(agreement["agreed_on"])
    first_due = date.fromisoformat(agreement["first_due"])
    paid = sum(amount for on, amount in payments if on >= agreed_on)
    left = paid
    rows = []
    for n, due, amount in schedule(first_due, agreement["months"], agreement["monthly"]):
        covered = min(left, amount)
        left -= covered
        if covered == amount:
            status = "paid"
        elif due < today:
            status = "missed"
        elif (due - today).days <= WARN_DAYS:
            status = "due-soon"
        else:
            status = "upcoming"
        rows.append({"n": n, "due": due.isoformat(), "amount": amount, "paid": covered,
                     "status": status})
    missed = [r for r in rows if r["status"] == "missed"]
    upcoming = next((r for r in rows if r["status"] in ("due-soon", "upcoming")), None)
    return {
        "months": agreement["months"],
        "monthly": agreement["monthly"],
        "first_due": agreement["first_due"],
        "agreed_on": agreement["agreed_on"],
        "paid": paid,
        "installments": rows,
        "missed": missed,
        "next": upcoming,
        "complete": all(r["status"] == "paid" for r in rows),
    }
