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
from typing import Any, NamedTuple

from debtcli.dates import add_months

STRATEGIES = ("proportional", "avalanche", "snowball")


# NamedTuples rather than dataclasses: a dataclass costs a millisecond to create, at import.
class Debt(NamedTuple):
    key: str  # the card's last four, or its id
    owed: int  # fen
    rate: float | None = None  # annual percent, only to order avalanche
    agreed: int | None = None  # fen a month under a current installment agreement: not planned


def reserve_agreed(debts: Sequence[Debt], budget: int) -> tuple[list[Debt], list[Debt], int]:
    """(the debts to plan, those under a current agreement, the budget left for the first): an
    agreement fixes what its card is paid each month, so its installment comes out of the
    budget first. A plan that split the budget over it too would tell the user to pay less
    than the installment, which breaks the agreement, and collection resumes."""
    agreed = [d for d in debts if d.agreed]
    return [d for d in debts if not d.agreed], agreed, budget - sum(d.agreed or 0 for d in agreed)


class Plan(NamedTuple):
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
    cap: int,
    first: date | None = None,
    max_rows: int = 600,
) -> Plan:
    """Schedule `budget` fen a month across `debts` until all are paid (at most max_rows
    months are laid out; a plan longer than the cap is marked unaffordable)."""
    if strategy not in STRATEGIES:
        raise ValueError(strategy)
    total = sum(d.owed for d in debts)
    needed = ceil_div(total, cap)
    # Every strategy pays the whole budget each month until the last month, so the length is
    # known without laying the months out (a caller that shows only the first year need not).
    months_needed = ceil_div(total, budget) if budget > 0 else (0 if total == 0 else None)
    schedule: list[dict[str, int]] = []
    finish: dict[str, int] = {}
    if total == 0 or budget <= 0:
        return Plan(
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


MAX_ROWS = 600  # months a plan lays out at most (50 years)


def equal_plan(
    debts: Sequence[Debt], months: int, budget: int, cap: int, first: date | None = None
) -> Plan:
    """Every debt paid in `months` (one or more) equal monthly installments (installments()),
    whatever the budget: affordable when within the cap and the first month fits the budget."""
    rows: list[dict[str, int]] = [{} for _ in range(months)]
    for d in debts:
        for i, part in enumerate(installments(d.owed, months)):
            if part:
                rows[i][d.key] = part
    first_total = sum(rows[0].values())
    return Plan(
        strategy=f"equal-{months}",
        cap=cap,
        months=months,
        affordable=months <= cap and first_total <= budget,
        complete=True,
        needed_monthly=first_total,
        months_needed=months,
        schedule=rows,
        finish={d.key: months for d in debts},
        first=first,
    )


class Household(NamedTuple):
    """A household's plan: its monthly income and essential expenses, the debts (one
    currency), the plan, and what it should be told about it ((en, zh) pairs)."""

    income: int
    expenses: int
    currency: str
    debts: list[Debt]  # the debts planned
    plan: Plan
    warnings: list[tuple[str, str]]
    agreed: list[Debt]  # under a current agreement: their installments come first

    @property
    def budget(self) -> int:
        return self.income - self.expenses

    @property
    def planned(self) -> int:
        """What is left each month for the debts planned, once the agreed installments are
        paid."""
        return self.budget - sum(d.agreed or 0 for d in self.agreed)

    @property
    def total(self) -> int:
        return sum(d.owed for d in (*self.debts, *self.agreed))


def household_plan(
    owing: Sequence[tuple[str, Debt]],
    income: int,
    expenses: int,
    *,
    strategy: str,
    months: int | None = None,
    cap: int,
    first: date | None = None,
    max_rows: int = MAX_ROWS,
) -> Household:
    """owing: (currency, debt) for each card still owing. The plan `debtcli plan` shows: at
    the household's budget by a strategy, or in `months` equal installments; refused (BadInput)
    when there is nothing to plan, the debts are in two currencies, avalanche lacks a rate."""
    from debtcli.errors import BadInput, not_one_of
    from debtcli.money import format_amount

    if strategy not in STRATEGIES:
        raise not_one_of(f"--strategy {strategy!r}", STRATEGIES, ["按比例", "利率优先", "先还小额"])
    debts, currencies = [d for _, d in owing], sorted({c for c, _ in owing})
    if strategy == "avalanche" and any(d.rate is None for d in debts if not d.agreed):
        raise BadInput(
            "avalanche orders cards by interest rate: give --rate CARD=PERCENT for each card",
            "avalanche 按利率排序：请为每张卡提供 --rate 卡号=年利率",
        )
    if not debts:
        raise BadInput(
            "no overdue card with an amount owed: record one with `debtcli overdue`",
            "没有欠款的逾期卡：请先用 `debtcli overdue` 记录",
        )
    if len(currencies) > 1:
        raise BadInput(
            f"these cards are in different currencies ({', '.join(currencies)}); money in two "
            "currencies cannot be added: plan each currency's cards on their own, "
            "e.g. debtcli plan CARD CARD --income … --expenses …",
            f"这些卡的币种不同（{'、'.join(currencies)}），不能相加：请按币种分别计划，例如 "
            "debtcli plan 卡号 卡号 --income … --expenses …",
        )
    if months is not None and months > MAX_ROWS:
        raise BadInput(
            f"--months {months}: at most {MAX_ROWS}", f"--months {months}：最多 {MAX_ROWS} 个月"
        )
    cur, budget = currencies[0], income - expenses
    debts, agreed, left = reserve_agreed(debts, budget)
    if months is not None:
        plan = equal_plan(debts, months, left, cap, first)
    else:
        plan = make_plan(debts, left, strategy=strategy, cap=cap, first=first, max_rows=max_rows)

    def money(fen: int) -> str:
        return format_amount(fen, cur)

    warnings = []
    if agreed:
        cards = ", ".join(f"****{d.key}" for d in agreed)
        cards_zh = "、".join(f"****{d.key}" for d in agreed)
        kept = money(budget - left)
        one = len(agreed) == 1
        if not debts:
            rest = ("there is nothing else to plan.", "没有其他需要计划的卡。")
        elif left <= 0:
            rest = ("nothing is left for the other cards.", "其他卡已没有余额可分。")
        else:
            rest = (
                f"the plan splits the {money(left)} left across the other cards.",
                f"其余 {money(left)} 分给其他卡。",
            )
        warnings.append(
            (
                f"{cards} {'is' if one else 'are'} under an installment agreement: "
                f"{'its' if one else 'their'} {kept} a month is kept first; {rest[0]}",
                f"{cards_zh} 已有分期协议：每月 {kept} 先按协议还；{rest[1]}",
            )
        )
    if budget <= 0:
        warnings.append(
            (
                f"Your expenses ({money(expenses)}) use all your income ({money(income)}): no "
                "plan is affordable now. Write to the banks about deferral (debtcli letter "
                "make deferral CARD).",
                f"必要开支（{money(expenses)}）用尽了收入（{money(income)}）：目前无法负担任何"
                "方案。可以向银行申请延期还款（debtcli letter make deferral 卡号）。",
            )
        )
    elif left <= 0 < sum(d.owed for d in debts):
        take = ("all", "用尽了") if left == 0 else ("more than", "超过")
        warnings.append(
            (
                f"The installments you agreed ({money(budget - left)} a month) take {take[0]} "
                f"you have ({money(budget)}): keep paying them first (a missed one breaks the "
                "agreement and collection resumes), and ask the other banks for a deferral "
                "(debtcli letter make deferral CARD).",
                f"已约定的分期（每月 {money(budget - left)}）{take[1]}可用金额（{money(budget)}）："
                "请先按协议还款（漏还一期会使协议违约、催收恢复），并向其他银行申请延期还款"
                "（debtcli letter make deferral 卡号）。",
            )
        )
    elif not plan.affordable:
        warnings.append(
            (
                f"No plan within {cap} months is affordable: it needs at least "
                f"{money(plan.needed_monthly)} a month, and you have {money(left)}. Ask "
                "for a fee waiver or an interest freeze as well, and tell the banks what you "
                "can pay.",
                f"{cap} 个月内的方案都负担不起：每月至少需要 {money(plan.needed_monthly)}，而你"
                f"可用 {money(left)}。可同时申请减免罚息或停息挂账，并告诉银行你能还多少。",
            )
        )
    return Household(income, expenses, cur, debts, plan, warnings, agreed)


def household_json(h: Household, lang: str) -> dict[str, Any]:
    """A household's plan as `plan --json` gives it: amounts as decimal strings."""
    from debtcli.i18n import pick
    from debtcli.money import to_decimal_str

    plan = h.plan
    return {
        "income": to_decimal_str(h.income),
        "expenses": to_decimal_str(h.expenses),
        "available": to_decimal_str(h.budget),
        "available_after_agreements": to_decimal_str(h.planned),
        "agreed": [
            {
                "card": d.key,
                "last4": d.key[:4],
                "owed": to_decimal_str(d.owed),
                "monthly": to_decimal_str(d.agreed or 0),
            }
            for d in h.agreed
        ],
        "currency": h.currency,
        "strategy": plan.strategy,
        "cap_months": plan.cap,
        "months": plan.months,
        "months_needed": plan.months_needed,
        "affordable": plan.affordable,
        "needed_monthly": to_decimal_str(plan.needed_monthly),
        "total": to_decimal_str(h.total),
        "cards": [
            {
                "card": d.key,
                "last4": d.key[:4],
                "owed": to_decimal_str(d.owed),
                "months": plan.finish.get(d.key),
                "first_payment": to_decimal_str(plan.schedule[0].get(d.key, 0))
                if plan.schedule
                else "0.00",
            }
            for d in h.debts
        ],
        "schedule": [
            {
                "month": i + 1,
                "due": str(plan.due_date(i + 1)),
                "payments": {k: to_decimal_str(v) for k, v in row.items()},
                "total": to_decimal_str(sum(row.values())),
            }
            for i, row in enumerate(plan.schedule)
        ],
        "warnings": [pick(lang, en, zh) for en, zh in h.warnings],
    }
