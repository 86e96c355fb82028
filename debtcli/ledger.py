"""Cards, overdue episodes and payments: the operations commands call, with their checks.

Everything is validated before the one write, so a refused command leaves the store as it was.
"""

from datetime import UTC, date, datetime
from typing import Any

from debtcli import store as st
from debtcli.cards import check_day, normalize_last4, position, resolve
from debtcli.dates import day_text, show_day
from debtcli.errors import BadInput, NeedsConfirmation, NotFound
from debtcli.money import format_amount


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find_card(store: st.Store, ref: str, *, include_archived: bool = True) -> Any:
    """A card as the user names it; bank names through the store's rule pack, if it has one."""
    pack = store.pack_loader() if store.pack_loader else None
    return resolve(
        ref, st.list_cards(store, include_archived=include_archived), pack.bank if pack else None
    )


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
    *,
    bank: str | None = None,
    last4: str | None = None,
    name: str | None = None,
    credit_limit: int | None = None,
    due_day: int | None = None,
    statement_day: int | None = None,
    currency: str | None = None,
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


def _check_card(store: st.Store, card: dict[str, Any], force: bool, own_id: int | None) -> None:
    """What a card added or edited must be: a name that cannot be taken for an id or a last
    four, and not a second card of the same bank and last four unless --force says it is
    another card (each is then named by its #id). own_id: the card being edited."""
    if card.get("name") and card["name"].isdigit():
        raise BadInput(
            "--name cannot be only digits (it would look like an id or last four)",
            "--name 不能只包含数字（会与编号或后四位混淆）",
        )
    same = [
        c
        for c in st.list_cards(store, include_archived=True)
        if c["last4"] == card.get("last4") and c["bank"] == card.get("bank") and c["id"] != own_id
    ]
    if same and not force:
        raise NeedsConfirmation(
            f"you already have a {card['bank']} card ending {card['last4']} "
            f"(#{same[0]['id']}); if this is another card, add --force (each is then named "
            "by its #id)",
            f"已有一张 {card['bank']} 尾号 {card['last4']} 的卡（#{same[0]['id']}）；"
            "如确实是另一张卡，请加 --force（之后用 #编号 区分）",
        )


def add_card(store: st.Store, force: bool = False, **given: Any) -> int:
    fields = card_fields(**given)
    _check_card(store, fields, force, None)
    return st.add_card(store, fields, now_iso())


def edit_card(store: st.Store, ref: str, force: bool = False, **given: Any) -> Any:
    card = find_card(store, ref)
    fields = card_fields(**given)
    if not fields:
        raise BadInput(
            "nothing to change: give at least one option such as --name or --limit",
            "没有要修改的内容：请至少提供一个选项，例如 --name 或 --limit",
        )
    _check_card(store, {**dict(card), **fields}, force, card["id"])
    st.update_card(store, card["id"], fields)
    return st.get_card(store, card["id"])


def archive_card(store: st.Store, ref: str, today: date) -> Any:
    card = find_card(store, ref)
    if card["archived_on"]:
        raise BadInput(
            f"card ****{card['last4']} is already archived", f"卡 ****{card['last4']} 已经归档"
        )
    st.update_card(store, card["id"], {"archived_on": today.isoformat()})
    return st.get_card(store, card["id"])


def within_owed(amount: int, *parts: int | None) -> int | None:
    """The parts of what is owed (principal, interest, fees: those known) cannot add up to more
    than the amount owed. Returns the first part, for a question that asks for one."""
    known = [p for p in parts if p is not None]
    if sum(known) > amount:
        raise BadInput(
            f"principal + interest + fees ({format_amount(sum(known))}) exceed the amount owed "
            f"({format_amount(amount)})",
            f"本金 + 利息 + 费用（{format_amount(sum(known))}）超过欠款总额（{format_amount(amount)}）",
        )
    return parts[0] if parts else None


# An overdue episode's fields as a correction names them.
EPISODE_FIELDS = {
    "since": ("overdue since", "逾期起始日"),
    "amount": ("amount owed", "欠款金额"),
    "principal": ("principal", "本金"),
    "interest": ("interest", "利息"),
    "fees": ("fees", "费用和违约金"),
}


def change_text(field: str, old: Any, new: Any, lang: str, currency: str) -> str:
    """One correction of an overdue episode as people read it, from the stored values (a day,
    fen, or None): `amount owed ¥7,800.00 → ¥7,900.00`, `本金：— → ¥7,000.00`."""

    def shown(v: Any) -> str:
        if v is None:
            return "—"
        return day_text(str(v), lang) if field == "since" else format_amount(int(v), currency)

    en, zh = EPISODE_FIELDS.get(field, (field, field))
    values = f"{shown(old)} → {shown(new)}"
    return f"{zh}：{values}" if lang == "zh" else f"{en} {values}"


def record_overdue(
    store: st.Store,
    ref: str,
    since: date,
    amount: int,
    *,
    principal: int | None = None,
    interest: int | None = None,
    fees: int | None = None,
    force: bool = False,
) -> tuple[Any, int, bool]:
    """Open an overdue episode, or correct the open one. A correction that moves its start
    date or amount is shown old → new and needs confirmation; the change is kept."""
    card = find_card(store, ref, include_archived=False)
    within_owed(amount, principal, interest, fees)
    fields = {
        "since": since.isoformat(),
        "amount": amount,
        "principal": principal,
        "interest": interest,
        "fees": fees,
    }
    current = st.open_episode(store, card["id"])
    if current is not None and not force:
        changed = [k for k in ("since", "amount") if current[k] != fields[k]]
        if changed:
            cur = card["currency"]
            en = "; ".join(change_text(k, current[k], fields[k], "en", cur) for k in changed)
            zh = "；".join(change_text(k, current[k], fields[k], "zh", cur) for k in changed)
            raise NeedsConfirmation(
                f"****{card['last4']} already has an open overdue episode; this would change "
                f"it: {en}. If that is right, add --force (the old values are kept as "
                "history)",
                f"****{card['last4']} 已有未结清的逾期记录；这会修改{zh}。"
                "如确实要改，请加 --force（原值会保留为历史）",
            )
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


def record_agreement(
    store: st.Store,
    ref: str,
    terms: dict[str, Any],
    agreed_on: date,
    first_due: date,
    *,
    force: bool = False,
) -> tuple[Any, dict[str, Any], tuple[int, int] | None]:
    """Record the installment agreement the bank granted for a card's open episode. terms:
    months, monthly, reduction (what the bank waived) and note. A second agreement for the
    same debt replaces the first from now on (the first is kept): it is shown and needs
    confirmation. Returns the card, what was stored, and (covered, owed) when the installments
    and the reduction fall short of what was owed on the day it was made (a typo, most
    likely; a bank may agree to less, so it is pointed out, not refused)."""
    from debtcli.agreements import check_dates

    terms = {**terms, "note": _check_text(terms.get("note"), "--note", 500)}
    card = find_card(store, ref, include_archived=False)
    episode = _open_episode_or_fail(store, card)
    check_dates(agreed_on, first_due)
    cur = card["currency"]
    old = st.current_agreement(store, card["id"], episode["id"])
    if old is not None and not force:
        terms_en = f"{old['months']} × {format_amount(old['monthly'], cur)}"
        terms_zh = f"{old['months']} 期 × {format_amount(old['monthly'], cur)}"
        raise NeedsConfirmation(
            f"****{card['last4']} already has an agreement, made {old['agreed_on']} ({terms_en}, "
            f"first due {old['first_due']}); this one would replace it from now on. If that is "
            "right, add --force (the first is kept as history)",
            f"****{card['last4']} 已有 {day_text(old['agreed_on'], 'zh')} 达成的分期协议（{terms_zh}，"
            f"首期 {day_text(old['first_due'], 'zh')}）；这会从现在起取代它。"
            "如确实要改，请加 --force（原协议会保留为历史）",
        )
    fields = {
        "card_id": card["id"],
        "episode_id": episode["id"],
        "agreed_on": agreed_on.isoformat(),
        "first_due": first_due.isoformat(),
        **terms,
    }
    st.add_agreement(store, fields, now_iso())
    paid = sum(
        p["amount"]
        for p in st.payments(store, card["id"])
        if p["episode_id"] == episode["id"] and p["paid_on"] <= fields["agreed_on"]
    )
    owed = max(0, int(episode["amount"]) - paid)
    covered = terms["months"] * terms["monthly"] + (terms.get("reduction") or 0)
    return card, fields, (covered, owed) if covered < owed else None


def record_payment(
    store: st.Store,
    ref: str,
    amount: int,
    paid_on: date,
    note: str | None,
    force: bool = False,
) -> dict:
    card = find_card(store, ref, include_archived=False)
    episode = _open_episode_or_fail(store, card)
    _not_before_the_episode(episode, paid_on, "payment date", "还款日期")
    paid_before = st.paid_in_episode(store, episode["id"])
    owed_before = max(0, int(episode["amount"]) - paid_before)
    if amount > owed_before and not force:
        cur = card["currency"]
        raise NeedsConfirmation(
            f"{format_amount(amount, cur)} is more than the {format_amount(owed_before, cur)} "
            f"still owed on ****{card['last4']}; if you really paid that much, add --force",
            f"{format_amount(amount, cur)} 超过 ****{card['last4']} 尚欠的 "
            f"{format_amount(owed_before, cur)}；如确实付了这么多，请加 --force",
        )
    settles = amount >= owed_before
    note = _check_text(note, "--note", 500)
    st.add_payment(
        store, card["id"], episode["id"], paid_on.isoformat(), amount, note, now_iso(), settles
    )
    return {
        "card": card,
        "owed": max(0, owed_before - amount),
        "settled": settles,
        "overpaid": max(0, amount - owed_before),
    }


def void_payment(store: st.Store, payment_id: int, why: str | None) -> dict:
    """Void a payment entered by mistake: it is kept, marked with when, by whom and why, and no
    longer counts. If it was the payment that settled its episode, the episode reopens."""
    import getpass

    why_text = _check_text(why, "--why", 300)
    if not why_text:
        raise BadInput(
            "--why is required: say why this payment is void (e.g. a typo)",
            "必须提供 --why：说明作废原因（例如输错了）",
        )
    p = st.payment(store, payment_id)
    if p is None:
        raise NotFound(
            f"no payment {payment_id}; see `debtcli pay list CARD`",
            f"没有编号为 {payment_id} 的还款；见 `debtcli pay list 卡号`",
        )
    if p["voided_at"]:
        raise BadInput(
            f"payment {payment_id} was already voided on {p['voided_at'][:10]}",
            f"第 {payment_id} 笔还款已于 {day_text(p['voided_at'][:10], 'zh')} 作废",
        )
    episode = next(
        (e for e in st.episodes(store, p["card_id"]) if e["id"] == p["episode_id"]), None
    )
    reopen = (
        episode["id"] if episode is not None and episode["settled_on"] == p["paid_on"] else None
    )
    try:
        who = getpass.getuser()
    except Exception:  # no user name to be had (some containers): the field stays honest
        who = "unknown"
    st.void_payment(store, payment_id, now_iso(), who, why_text, reopen)
    return {
        "payment": dict(p),
        "reopened": reopen is not None,
        "card": st.get_card(store, p["card_id"]),
    }


def _not_before_the_episode(episode: Any, day: date, what: str, what_zh: str) -> None:
    """A payment or settlement counts toward the overdue episode from its missed due date on:
    one dated before it was already in the amount recorded as owed then (or belongs to
    another episode), and counting it again would understate the debt."""
    if day < date.fromisoformat(episode["since"]):
        raise BadInput(
            f"{what} {day} is before the missed due date {episode['since']}",
            f"{what_zh} {show_day(day, 'zh')} 早于逾期的还款日 {day_text(episode['since'], 'zh')}",
        )


def settle(store: st.Store, ref: str, on: date, amount: int | None = None) -> Any:
    """Settle the open episode on a day, for what was paid to settle it (if given): that
    payment is recorded with it. A settled card owes nothing, whatever the balance was."""
    card = find_card(store, ref, include_archived=False)
    episode = _open_episode_or_fail(store, card)
    _not_before_the_episode(episode, on, "settlement date", "结清日期")
    st.settle_episode(store, card["id"], episode["id"], on.isoformat(), amount, now_iso())
    return card


def card_position(store: st.Store, card: Any, today: date) -> tuple[Any, Any]:
    episode = st.latest_episode(store, card["id"])
    paid = st.paid_in_episode(store, episode["id"]) if episode else 0
    return episode, position(episode, paid, today)


def open_debts(
    store: st.Store,
    pack: Any,
    today: date,
    cards: list[Any] | None = None,
    *,
    currency: str | None = None,
    rates: dict[int, float] | None = None,
) -> list[tuple[Any, Any]]:
    """(card, plan.Debt) for each card still owing (an open, unsettled episode), of `cards`
    (default: every card in use) and of one currency when given. The one list of debts the
    payoff plan, a letter's share of the budget and the demo all plan over: each debt keyed by
    the card's name as `cards.names` tells cards apart (two cards may share a last four), and
    a card under a current installment agreement carries its monthly installment (plan.Debt.
    agreed: paid first, never re-planned)."""
    from debtcli.cards import names
    from debtcli.plan import Debt
    from debtcli.standing import agreement_in_force

    every = st.list_cards(store)
    named = names(every)
    out = []
    for card in every if cards is None else cards:
        if currency is not None and card["currency"] != currency:
            continue
        episode, pos = card_position(store, card, today)
        if pos.owed and not pos.settled_on:
            key = named.get(card["id"], card["last4"])
            kept = agreement_in_force(store, pack, card, episode, today)
            agreed = kept["monthly"] if kept else None
            out.append((card, Debt(key, pos.owed, (rates or {}).get(card["id"]), agreed)))
    return out
