"""Cards, overdue episodes and payments: the operations commands call, with their checks.

Everything is validated before the one write, so a refused command leaves the store as it was.
"""

from datetime import UTC, date, datetime
from typing import Any

from debtcli import store as st
from debtcli.cards import check_day, normalize_last4, position, resolve
from debtcli.errors import BadInput, NotFound
from debtcli.money import format_amount


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find_card(store: st.Store, ref: str, *, include_archived: bool = True) -> Any:
    return resolve(ref, st.list_cards(store, include_archived=include_archived))


def _check_currency(currency: str | None) -> str | None:
    if currency is None:
        return None
    c = currency.strip().upper()
    if not (len(c) == 3 and c.isalpha()):
        raise BadInput(
            f"--currency {currency!r} must be a three-letter code such as CNY or USD",
            f"--currency {currency!r} 必须是三个字母的货币代码，例如 CNY",
        )
    return c


def _check_text(value: str | None, option: str, limit: int = 200) -> str | None:
    if value is None:
        return None
    v = value.strip()
    if not v or len(v) > limit or any(ord(ch) < 32 for ch in v):
        raise BadInput(
            f"{option} must be 1 to {limit} printable characters",
            f"{option} 必须是 1 到 {limit} 个可打印字符",
        )
    return v


def card_fields(
    *, bank: str | None = None, last4: str | None = None, name: str | None = None,
    credit_limit: int | None = None, due_day: int | None = None,
    statement_day: int | None = None, currency: str | None = None,
) -> dict:
    """Validated card fields; only those given."""
    fields = {
        "bank": _check_text(bank, "--bank", 60),
        "last4": normalize_last4(last4) if last4 is not None else None,
        "name": _check_text(name, "--name", 60),
        "credit_limit": credit_limit,
        "due_day": check_day(due_day, "--due-day"),
        "statement_day": check_day(statement_day, "--statement-day"),
        "currency": _check_currency(currency),
    }
    return {k: v for k, v in fields.items() if v is not None}


def add_card(store: st.Store, **given: Any) -> int:
    fields = card_fields(**given)
    if "name" in fields and fields["name"].isdigit():
        raise BadInput("--name cannot be only digits (it would look like an id or last four)",
                       "--name 不能只包含数字（会与编号或后四位混淆）")
    return st.add_card(store, fields, now_iso())


def edit_card(store: st.Store, ref: str, **given: Any) -> Any:
    card = find_card(store, ref)
    fields = card_fields(**given)
    if not fields:
        raise BadInput("nothing to change: give at least one option such as --name or --limit",
                       "没有要修改的内容：请至少提供一个选项，例如 --name 或 --limit")
    st.update_card(store, card["id"], fields)
    return st.get_card(store, card["id"])


def archive_card(store: st.Store, ref: str, today: date) -> Any:
    card = find_card(store, ref)
    if card["archived_on"]:
        raise BadInput(f"card ****{card['last4']} is already archived",
                       f"卡 ****{card['last4']} 已经归档")
    st.update_card(store, card["id"], {"archived_on": today.isoformat()})
    return st.get_card(store, card["id"])


def record_overdue(
    store: st.Store, ref: str, since: date, amount: int, *, principal: int | None = None,
    interest: int | None = None, fees: int | None = None,
) -> tuple[Any, int, bool]:
    card = find_card(store, ref, include_archived=False)
    parts = [p for p in (principal, interest, fees) if p is not None]
    if sum(parts) > amount:
        raise BadInput(
            f"principal + interest + fees ({format_amount(sum(parts))}) exceed the amount owed "
            f"({format_amount(amount)})",
            f"本金 + 利息 + 费用（{format_amount(sum(parts))}）超过欠款总额（{format_amount(amount)}）",
        )
    fields = {"since": since.isoformat(), "amount": amount, "principal": principal,
              "interest": interest, "fees": fees}
    episode_id, created = st.save_episode(store, card["id"], fields, now_iso())
    return card, episode_id, created


def _open_episode_or_fail(store: st.Store, card: Any) -> Any:
    episode = st.open_episode(store, card["id"])
    if episode is None:
        raise NotFound(
            f"card ****{card['last4']} has no open overdue episode; record one first with "
            f"`debtcli overdue {card['last4']} --since DATE --amount AMOUNT`",
            f"卡 ****{card['last4']} 没有未结清的逾期记录；请先用 "
            f"`debtcli overdue {card['last4']} --since 日期 --amount 金额` 记录",
        )
    return episode


def record_payment(
    store: st.Store, ref: str, amount: int, paid_on: date, note: str | None
) -> dict:
    card = find_card(store, ref, include_archived=False)
    episode = _open_episode_or_fail(store, card)
    paid_before = st.paid_in_episode(store, episode["id"])
    owed_before = max(0, int(episode["amount"]) - paid_before)
    settles = amount >= owed_before
    note = _check_text(note, "--note", 500)
    st.add_payment(store, card["id"], episode["id"], paid_on.isoformat(), amount, note,
                   now_iso(), settles)
    return {"card": card, "owed": max(0, owed_before - amount), "settled": settles,
            "overpaid": max(0, amount - owed_before)}


def settle(store: st.Store, ref: str, on: date, amount: int | None = None) -> Any:
    """Settle the open episode on a day, for what was paid to settle it (if given): that
    payment is recorded with it. A settled card owes nothing, whatever the balance was."""
    card = find_card(store, ref, include_archived=False)
    episode = _open_episode_or_fail(store, card)
    if on < date.fromisoformat(episode["since"]):
        raise BadInput(
            f"settlement date {on} is before the missed due date {episode['since']}",
            f"结清日期 {on} 早于逾期的还款日 {episode['since']}",
        )
    st.settle_episode(store, card["id"], episode["id"], on.isoformat(), amount, now_iso())
    return card


def card_position(store: st.Store, card: Any, today: date) -> tuple[Any, Any]:
    episode = st.latest_episode(store, card["id"])
    paid = st.paid_in_episode(store, episode["id"]) if episode else 0
    return episode, position(episode, paid, today)
