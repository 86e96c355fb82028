"""Card references and what a card's open episode means today. Pure: plain data in, data out."""

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from debtcli.errors import BadInput, NotFound


def normalize_last4(text: str) -> str:
    digits = re.sub(r"[\s\-]", "", str(text))
    if digits.isdigit() and len(digits) >= 12:
        raise BadInput(
            "that looks like a full card number; debtcli stores only the last four digits, so a "
            "lost or shared store never reveals your card — enter just the last 4",
            "这看起来是完整卡号；debtcli 只保存卡号后四位，即使文件丢失或被分享也不会泄露卡号——"
            "请只输入后四位",
        )
    if not (digits.isdigit() and len(digits) == 4):
        raise BadInput(
            f"--last4 {text!r} must be exactly four digits (the end of the card number)",
            f"--last4 {text!r} 必须是四位数字（卡号最后四位）",
        )
    return digits


def check_day(value: int | None, option: str) -> int | None:
    if value is not None and not 1 <= value <= 31:
        raise BadInput(
            f"{option} {value} must be a day of the month, 1 to 31",
            f"{option} {value} 必须是每月的某一天（1 到 31）",
        )
    return value


def describe(card: Any) -> str:
    name = f" {card['name']}" if card["name"] else ""
    return f"#{card['id']} {card['bank']} ****{card['last4']}{name}"


def resolve(ref: str, cards: Sequence[Any]) -> Any:
    """A card by id (#3 or 3), last four digits (4821) or name; ambiguity lists the candidates."""
    r = str(ref).strip()
    want_id = None
    if r.startswith("#") and r[1:].isdigit():
        want_id = int(r[1:])
    elif r.isdigit() and len(r) != 4:
        want_id = int(r)
    matches = [
        c
        for c in cards
        if (want_id is not None and c["id"] == want_id)
        or c["last4"] == r
        or (c["name"] and c["name"].casefold() == r.casefold())
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(describe(c) for c in cards) or "none yet"
        raise NotFound(
            f"no card matches {ref!r}; cards: {known}",
            f"没有与 {ref!r} 匹配的卡；已有的卡：{known.replace('none yet', '暂无')}",
        )
    listed = "; ".join(describe(c) for c in matches)
    raise BadInput(
        f"{ref!r} matches several cards: {listed}; use the id, e.g. #{matches[0]['id']}",
        f"{ref!r} 匹配多张卡：{listed}；请用编号，例如 #{matches[0]['id']}",
    )


class Position(NamedTuple):
    """Where one card stands on a given day."""

    since: date | None
    days_overdue: int
    amount: int
    paid: int
    owed: int
    principal: int | None
    principal_unpaid: int
    principal_recorded: bool
    settled_on: date | None
    settled_amount: int | None = None  # what was paid to settle, when the user said
    waived: int = 0  # what the bank let go at settlement: owed before, not paid


def position(episode: Any | None, paid: int, today: date) -> Position:
    """A settled episode owes nothing: what was left when it was settled was waived."""
    if episode is None:
        return Position(None, 0, 0, paid, 0, None, 0, False, None)
    since = date.fromisoformat(episode["since"])
    settled = date.fromisoformat(episode["settled_on"]) if episode["settled_on"] else None
    amount = int(episode["amount"])
    principal = episode["principal"]
    # Payments reduce principal first (facts §4, 第九条); with no principal recorded, the whole
    # amount stands in for it.
    base = int(principal) if principal is not None else amount
    left = max(0, amount - paid)
    return Position(
        since=since,
        days_overdue=0 if settled else max(0, (today - since).days),
        amount=amount,
        paid=paid,
        owed=0 if settled else left,
        principal=principal,
        principal_unpaid=0 if settled else max(0, base - paid),
        principal_recorded=principal is not None,
        settled_on=settled,
        settled_amount=episode["settled_amount"] if settled else None,
        waived=left if settled else 0,
    )
