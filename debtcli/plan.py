"""Affordability plans: what the household can pay each month, split across the overdue cards.
Pure integer math in fen: every schedule sums exactly to what is owed, to the fen.

Strategies:
  proportional  every month the budget is split across the cards in proportion to what each
                still owes, so they all finish together (the usual proposal to several banks);
  avalanche     the budget goes first to the card with the highest interest rate (--rate);
  snowball      the budget goes first to the smallest balance, to close cards one by one.
"""

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from debtcli.dates import add_months

STRATEGIES = ("proportional", "avalanche", "snowball")


# NamedTuples rather than dataclasses: a dataclass costs a millisecond to create, at import.
class Debt(NamedTuple):
    key: str  # the card's last four, or its id
    owed: int  # fen
    rate: float | None = None  # annual percent, only to order avalanche


class Plan(NamedTuple):
    budget: int
    strategy: str
    cap: int
    months: int  # months laid out: until the last card is paid, or max_rows
    affordable: bool
    complete: bool  # every card is paid within the months laid out
    needed_monthly: int  # the least monthly budget that finishes within the cap
    months_needed: int | None  # months to pay everything at this budget (None: never)
    schedule: list[dict[str, int]]  # month -> card -> fen
    finish: dict[str, int]  # card -> months to pay it
    first: date | None = None

    def due_date(self, month: int) -> date | None:
        return add_months(self.first, month - 1) if self.first else None


def split(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` fen in proportion to weights, largest remainders first: the parts sum to
    total exactly. Zero weights get zero."""
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def installments(owed: int, months: int) -> list[int]:
    """Equal installments that sum exactly to owed: the first (owed mod months) are 1 fen more."""
    q, r = divmod(owed, months)
    return [q + 1 if i < r else q for i in range(months)]


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def make_plan(
    debts: Sequence[Debt],
    budget: int,
    *,
    strategy: str = "proportional",
    cap: int = 60,
    first: date | None = None,
    max_rows: int = 600,
) -> Plan:
    """Schedule `budget` fen a month across `debts` until all are paid (at most max_rows
    months are laid out; a plan longer than the cap is marked unaffordable)."""
    if strategy not in STRATEGIES:
        raise ValueError(strategy)
    total = sum(d.owed for d in debts)
    needed = ceil_div(total, cap) if total else 0
    # Every strategy pays the whole budget each month until the last month, so the length is
    # known without laying the months out (a caller that shows only the first year need not).
    months_needed = ceil_div(total, budget) if budget > 0 else (0 if total == 0 else None)
    schedule: list[dict[str, int]] = []
    finish: dict[str, int] = {}
    if total == 0 or budget <= 0:
        return Plan(
            budget,
            strategy,
            cap,
            0,
            total == 0,
            total == 0,
            needed,
            months_needed,
            schedule,
            finish,
            first,
        )
    remaining = {d.key: d.owed for d in debts}
    if strategy == "avalanche":
        order = sorted(debts, key=lambda d: (-(d.rate or 0.0), d.owed, d.key))
    else:
        order = sorted(debts, key=lambda d: (d.owed, d.key))
    month = 0
    while any(remaining.values()) and month < max_rows:
        month += 1
        row: dict[str, int] = {}
        if strategy == "proportional":
            keys = [d.key for d in debts if remaining[d.key]]
            pay = min(budget, sum(remaining[k] for k in keys))
            parts = split(pay, [remaining[k] for k in keys])
            row = {k: p for k, p in zip(keys, parts, strict=True) if p}
        else:
            left = budget
            for d in order:
                p = min(left, remaining[d.key])
                if p:
                    row[d.key] = p
                    left -= p
        for k, p in row.items():
            remaining[k] -= p
            if remaining[k] == 0 and k not in finish:
                finish[k] = month
        schedule.append(row)
    return Plan(
        budget,
        strategy,
        cap,
        month,
        months_needed is not None and months_needed <= cap,
        not any(remaining.values()),
        needed,
        months_needed,
        schedule,
        finish,
        first,
    )
