"""Card references and what a card's open episode means today. Pure: plain data in, data out."""

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from debtcli.dates import days_overdue, normalize
from debtcli.errors import BadInput, NotFound


def normalize_last4(text: str) -> str:
    """Exactly four digits (full-width ones folded); a whole card number is refused."""
    given = normalize(text)
    digits = re.sub(r"[\s\-]", "", given)
    if digits.isascii() and digits.isdigit() and len(digits) >= 12:
        raise BadInput(
            "that looks like a full card number; debtcli stores only the last four digits, so a "
            "lost or shared store never reveals your card — enter just the last 4",
            "这看起来是完整卡号；debtcli 只保存卡号后四位，即使文件丢失或被分享也不会泄露卡号——"
            "请只输入后四位",
        )
    if not (given.isascii() and given.isdigit() and len(given) == 4):
        raise BadInput(
            f"--last4 {text!r} must be exactly four digits (the end of the card number)",
            f"--last4 {text!r} 必须是四位数字（卡号最后四位）",
        )
    return given


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


def names(cards: Sequence[Any]) -> dict[int, str]:
    """How each card is told apart where several are shown: its last four, and its #id too
    when another card has the same last four."""
    seen: dict[str, int] = {}
    for c in cards:
        seen[c["last4"]] = seen.get(c["last4"], 0) + 1
    return {
        c["id"]: f"{c['last4']} #{c['id']}" if seen[c["last4"]] > 1 else c["last4"] for c in cards
    }


def resolve(ref: str, cards: Sequence[Any], bank_of: Callable[[str], Any] | None = None) -> Any:
    """A card by id (#3 or 3), last four digits (4821), name, or its bank: as it was typed when
    the card was added, or as people name it (中信, 招行, CITIC: any alias in the rule pack,
    through bank_of); ambiguity lists the candidates."""
    r = normalize(ref)
    want_id = None
    digits = r[1:] if r.startswith("#") else r
    # An id has at most 18 digits: a longer number is no card (and int() of 10,000 digits
    # is refused by Python itself).
    if (
        digits.isascii()
        and digits.isdigit()
        and len(digits) <= 18
        and (r.startswith("#") or len(r) != 4)
    ):
        want_id = int(digits)
    matches = [
        c
        for c in cards
        if (want_id is not None and c["id"] == want_id)
        or c["last4"] == r
        or (c["name"] and normalize(c["name"]).casefold() == r.casefold())
    ]
    if not matches and len(r) <= 60:
        # the bank as it was typed when the card was added, or any of its names in the pack
        entry = bank_of(r) if bank_of is not None else None
        matches = [
            c
            for c in cards
            if normalize(c["bank"]).casefold() == r.casefold()
            or (entry is not None and bank_of is not None and bank_of(c["bank"]) is entry)
        ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = [describe(c) for c in cards]
        raise NotFound(
            f"no card matches {ref!r}; cards: {', '.join(known) or 'none yet'}",
            f"没有与 {ref!r} 匹配的卡；已有的卡：{'、'.join(known) or '暂无'}",
        )
    listed = [describe(c) for c in matches]
    raise BadInput(
        f"{ref!r} matches several cards: {'; '.join(listed)}; use the id, e.g. #{matches[0]['id']}",
        f"{ref!r} 匹配多张卡：{'；'.join(listed)}；请用编号，例如 #{matches[0]['id']}",
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
        days_overdue=0 if settled else days_overdue(since, today),
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
