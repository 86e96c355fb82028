"""Commands for cards, overdue episodes, payments, the dashboard, paths and the demo."""

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from debtcli.cli.common import (
    CardArg,
    ForceOpt,
    JsonOpt,
    Refining,
    app,
    confirmed,
    console,
    day,
    emit_json,
    say,
    state,
    sub_app,
)
from debtcli.money import format_amount, parse_amount

card_app = sub_app("Your cards: add, list, show, edit, archive.")
app.add_typer(card_app, name="card")


def _amount(text: str | None) -> int | None:
    return None if text is None else parse_amount(text)


def _date(text: str | None, what: str = "date", what_zh: str = "日期") -> Any:
    from debtcli.dates import parse_past_date

    return state.today if text is None else parse_past_date(text, state.today, what, what_zh)


@app.command("path")
def path_cmd(json_out: JsonOpt = False) -> None:
    """Show where your store and evidence files are kept."""
    from debtcli.store import config_dir, evidence_dir

    where = {
        "store": str(state.store_path),
        "evidence": str(evidence_dir(state.store_path)),
        "config": str(config_dir()),
    }
    if json_out:
        emit_json(where)
        return
    say(
        f"store     {where['store']}\nevidence  {where['evidence']}\nconfig    {where['config']}",
        f"数据文件  {where['store']}\n证据文件  {where['evidence']}\n配置目录  {where['config']}",
    )


BankOpt = Annotated[str, typer.Option("--bank", help="The bank's name, e.g. 中信银行 or CMB.")]
Last4Opt = Annotated[
    str, typer.Option("--last4", help="The last four digits of the card. Never the full number.")
]
NameOpt = Annotated[str | None, typer.Option("--name", help="A short name you will recognise.")]
LimitOpt = Annotated[str | None, typer.Option("--limit", help="The credit limit, e.g. 50000.")]
DueOpt = Annotated[int | None, typer.Option("--due-day", help="Day of the month payment is due.")]
StmtOpt = Annotated[int | None, typer.Option("--statement-day", help="Statement day of month.")]
CurOpt = Annotated[str | None, typer.Option("--currency", help="Currency code (default CNY).")]


def _card_given(
    bank: str | None,
    last4: str | None,
    name: str | None,
    limit: str | None,
    due_day: int | None,
    statement_day: int | None,
    currency: str | None,
) -> dict[str, Any]:
    """A card's options as card add and card edit take them (the limit read as money)."""
    return {
        "bank": bank,
        "last4": last4,
        "name": name,
        "credit_limit": _amount(limit),
        "due_day": due_day,
        "statement_day": statement_day,
        "currency": currency,
    }


@card_app.command("add")
def card_add(
    bank: BankOpt,
    last4: Last4Opt,
    name: NameOpt = None,
    limit: LimitOpt = None,
    due_day: DueOpt = None,
    statement_day: StmtOpt = None,
    currency: CurOpt = None,
    force: ForceOpt = False,
) -> None:
    """Add a card. Only the last four digits are stored; a second card with the same bank and
    last four needs --force and is then named by its #id."""
    from debtcli.ledger import add_card
    from debtcli.store import get_card

    s = state.store(create=True)
    given = _card_given(bank, last4, name, limit, due_day, statement_day, currency)
    card_id = confirmed(lambda f: add_card(s, f, **given), force)
    c = get_card(s, card_id)
    ref = (
        c["last4"]
        if sum(x["last4"] == c["last4"] for x in s.conn.execute("SELECT last4 FROM cards")) == 1
        else f"#{card_id}"
    )
    say(
        f"Added card #{card_id}: {c['bank']} ****{c['last4']}. Next: record what is overdue "
        f"with `debtcli overdue {ref} --since DATE --amount AMOUNT`.",
        f"已添加卡 #{card_id}：{c['bank']} ****{c['last4']}。下一步：用 "
        f"`debtcli overdue {ref} --since 日期 --amount 金额` 记录逾期。",
    )


def _card_json(card: Any) -> dict:
    from debtcli.money import to_decimal_str

    d = dict(card)
    d["credit_limit"] = to_decimal_str(d["credit_limit"]) if d["credit_limit"] else None
    return d


@card_app.command("list")
def card_list(
    json_out: JsonOpt = False,
    archived: Annotated[bool, typer.Option("--archived", help="Include archived cards.")] = False,
) -> None:
    """List your cards."""
    from debtcli.store import list_cards

    cards = list_cards(state.store(), include_archived=archived)
    if json_out:
        emit_json([_card_json(c) for c in cards])
        return
    if not cards:
        say(
            "No cards yet. Add one: debtcli card add --bank 中信银行 --last4 4821",
            "还没有卡。添加一张：debtcli card add --bank 中信银行 --last4 4821",
        )
        return
    from debtcli.cli.tables import show_table

    t = state.t
    headers = [
        t("id", "编号"),
        t("bank", "银行"),
        t("card", "卡号"),
        t("name", "名称"),
        t("limit", "额度"),
        t("due day", "还款日"),
        t("archived", "已归档"),
    ]
    rows = [
        [
            f"#{c['id']}",
            c["bank"],
            f"****{c['last4']}",
            c["name"],
            format_amount(c["credit_limit"], c["currency"]) if c["credit_limit"] else "",
            c["due_day"] or "",
            c["archived_on"],
        ]
        for c in cards
    ]
    show_table(console(), headers, rows, right=frozenset({4}))


@card_app.command("show")
def card_show(card: CardArg, json_out: JsonOpt = False) -> None:
    """Show one card with its overdue episodes and payments."""
    from debtcli import store as st
    from debtcli.ledger import change_text, find_card
    from debtcli.money import to_decimal_str

    s = state.store()
    c = find_card(s, card)
    eps = [
        {**dict(e), "changes": [dict(x) for x in st.episode_changes(s, e["id"])]}
        for e in st.episodes(s, c["id"])
    ]
    pays = [dict(p) for p in st.payments(s, c["id"])]
    if json_out:
        for e in eps:
            for k in ("amount", "principal", "interest", "fees", "settled_amount"):
                e[k] = to_decimal_str(e[k]) if e[k] is not None else None
            for x in e["changes"]:  # an amount's old and new as every amount in --json
                for k in ("old", "new"):
                    if x["field"] != "since" and x[k] is not None:
                        x[k] = to_decimal_str(int(x[k]))
        for p in pays:
            p["amount"] = to_decimal_str(p["amount"])
        emit_json({**_card_json(c), "episodes": eps, "payments": pays})
        return
    cur = c["currency"]
    out = console()
    out.print(f"#{c['id']} {c['bank']} ****{c['last4']} {c['name'] or ''}", style="bold")
    if c["credit_limit"]:
        out.print(state.t("limit ", "额度 ") + format_amount(c["credit_limit"], cur))
    if c["archived_on"]:
        out.print(
            state.t(f"archived on {day(c['archived_on'])}", f"已于 {day(c['archived_on'])} 归档")
        )
    for e in eps:
        status = (
            state.t(f"settled {e['settled_on']}", f"{day(e['settled_on'])} 结清")
            if e["settled_on"]
            else state.t("open", "未结清")
        )
        out.print(
            state.t(
                f"overdue since {day(e['since'])}: {format_amount(e['amount'], cur)} ({status})",
                f"自 {day(e['since'])} 逾期：{format_amount(e['amount'], cur)}（{status}）",
            )
        )
        for x in e["changes"]:
            what = change_text(x["field"], x["old"], x["new"], state.lang, cur)
            on = day(x["changed_at"][:10])
            out.print(state.t(f"  corrected {on}: {what}", f"  {on} 更正{what}"))
    if pays:
        from debtcli.cli.tables import show_table

        show_table(
            out,
            [state.t("paid on", "还款日期"), state.t("amount", "金额"), state.t("note", "备注")],
            [[p["paid_on"], format_amount(p["amount"], cur), p["note"]] for p in pays],
            right=frozenset({1}),
        )
    if not eps:
        out.print(state.t("No overdue episode recorded.", "没有逾期记录。"))


@card_app.command("edit")
def card_edit(
    card: CardArg,
    bank: Annotated[str | None, typer.Option("--bank", help="New bank name.")] = None,
    last4: Annotated[str | None, typer.Option("--last4", help="New last four.")] = None,
    name: NameOpt = None,
    limit: LimitOpt = None,
    due_day: DueOpt = None,
    statement_day: StmtOpt = None,
    currency: CurOpt = None,
    force: ForceOpt = False,
) -> None:
    """Change a card's details. Making it a second card of the same bank and last four needs
    --force, as adding one does."""
    from debtcli.ledger import edit_card

    given = _card_given(bank, last4, name, limit, due_day, statement_day, currency)
    c = confirmed(lambda f: edit_card(state.store(), card, f, **given), force)
    say(
        f"Updated card #{c['id']} ({c['bank']} ****{c['last4']}).",
        f"已更新卡 #{c['id']}（{c['bank']} ****{c['last4']}）。",
    )


@card_app.command("archive")
def card_archive(card: CardArg) -> None:
    """Hide a card from the dashboard; its history is kept."""
    from debtcli.ledger import archive_card

    c = archive_card(state.store(), card, state.today)
    say(
        f"Archived card #{c['id']} ****{c['last4']}; its history is kept.",
        f"已归档卡 #{c['id']} ****{c['last4']}；历史记录保留。",
    )


@app.command("overdue")
def overdue_cmd(
    card: CardArg,
    since: Annotated[
        str,
        typer.Option("--since", help="The due date you missed (day 1 overdue is the day after)."),
    ],
    amount: Annotated[
        str, typer.Option("--amount", help="Everything owed now, e.g. 62400 or 6.24万.")
    ],
    principal: Annotated[
        str | None, typer.Option("--principal", help="The principal (本金) within the amount.")
    ] = None,
    interest: Annotated[str | None, typer.Option("--interest", help="Interest within it.")] = None,
    fees: Annotated[
        str | None, typer.Option("--fees", help="Fees and penalties (违约金) within it.")
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Record (or correct) a card's overdue episode. Correcting its start date or amount shows
    old → new and asks first (--force in a script); the old values are kept."""
    from debtcli.dates import days_overdue
    from debtcli.ledger import record_overdue

    since_d = _date(since, "--since", "--since")
    amt = parse_amount(amount)
    c, _, created = confirmed(
        lambda f: record_overdue(
            state.store(),
            card,
            since_d,
            amt,
            principal=_amount(principal),
            interest=_amount(interest),
            fees=_amount(fees),
            force=f,
        ),
        force,
    )
    days = days_overdue(since_d, state.today)
    money = format_amount(amt, c["currency"])
    shown = day(since_d.isoformat())
    if created:
        say(
            f"****{c['last4']}: overdue since {since_d} ({days} days), {money} owed. "
            f"See where you stand: debtcli status",
            f"****{c['last4']}：自 {shown} 逾期（{days} 天），欠款 {money}。查看现状：debtcli status",
        )
    else:
        say(
            f"****{c['last4']}: open overdue episode corrected: since {since_d}, {money}.",
            f"****{c['last4']}：已更正逾期记录：自 {shown}，{money}。",
        )


class _PayGroup(TyperGroup):
    """`pay CARD AMOUNT` is `pay add CARD AMOUNT`: the everyday form stays short."""

    default_command = "add"

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [self.default_command, *args]
        return super().resolve_command(ctx, args)


class _AmountCommand(Refining):
    """A command whose argument is an amount: `pay 4821 -5` typed a negative amount, and is
    refused as one, where click would call -5 an unknown option."""

    def refine(self, ctx: Any, kind: str, exc: Any, typed: list[str]) -> None:
        import re

        if kind != "NoSuchOption":
            return
        for arg in typed:
            if re.match(r"-\d", arg):
                parse_amount(arg)  # refuses it: negative


pay_app = sub_app(
    "Payments: record one (`pay CARD AMOUNT`), list them, or void one entered by mistake.",
    cls=_PayGroup,
)
app.add_typer(pay_app, name="pay")


@pay_app.command("add", cls=_AmountCommand)
def pay_cmd(
    card: CardArg,
    amount: Annotated[str, typer.Argument(help="What you paid, e.g. 3000.")],
    on: Annotated[str | None, typer.Option("--date", help="When you paid (default today).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note, e.g. the receipt no.")] = None,
    force: ForceOpt = False,
) -> None:
    """Record a payment; paying everything owed settles the episode. More than is owed asks
    first (--force in a script)."""
    from debtcli.ledger import record_payment

    amt = parse_amount(amount)
    paid_on = _date(on, "payment date", "还款日期")
    r = confirmed(lambda f: record_payment(state.store(), card, amt, paid_on, note, f), force)
    cur = r["card"]["currency"]
    if r["settled"]:
        say(
            f"Payment of {format_amount(amt, cur)} recorded; ****{r['card']['last4']} is settled "
            f"as of {day(str(paid_on))}. Ask the bank for a settlement certificate (结清证明).",
            f"已记录还款 {format_amount(amt, cur)}；****{r['card']['last4']} 于 {day(str(paid_on))} 结清。"
            f"请向银行索取结清证明。",
        )
    else:
        say(
            f"Payment of {format_amount(amt, cur)} recorded; still owed "
            f"{format_amount(r['owed'], cur)}.",
            f"已记录还款 {format_amount(amt, cur)}；尚欠 {format_amount(r['owed'], cur)}。",
        )


@pay_app.command("list")
def pay_list(
    card: CardArg,
    history: Annotated[
        bool,
        typer.Option("--history", help="Show voided payments too, with when, by whom and why."),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """A card's payments, with the ids `pay void` takes."""
    from debtcli import store as st
    from debtcli.ledger import find_card
    from debtcli.money import to_decimal_str

    s, t = state.store(), state.t
    c = find_card(s, card)
    pays = [dict(p) for p in st.payments(s, c["id"], history=history)]
    if json_out:
        emit_json([{**p, "amount": to_decimal_str(p["amount"])} for p in pays])
        return
    from debtcli.cli.tables import show_table

    cur = c["currency"]
    rows = [
        [
            p["id"],
            p["paid_on"],
            format_amount(p["amount"], cur),
            p["note"] or "",
            t(
                f"VOID {p['voided_at'][:10]}: {p['voided_why']}",
                f"已作废 {p['voided_at'][:10]}：{p['voided_why']}",
            )
            if p["voided_at"]
            else "",
        ]
        for p in pays
    ]
    if not rows:
        say("No payments recorded for this card.", "这张卡没有还款记录。")
        return
    show_table(
        console(),
        ["#", t("paid on", "还款日期"), t("amount", "金额"), t("note", "备注"), t("void", "作废")],
        rows,
        right=frozenset({2}),
    )


@pay_app.command("void")
def pay_void(
    payment_id: Annotated[int, typer.Argument(help="The payment's # from `pay list CARD`.")],
    why: Annotated[
        str | None, typer.Option("--why", help="Why it is void, e.g. 'typed the wrong amount'.")
    ] = None,
) -> None:
    """Void a payment entered by mistake. It is kept (shown by `pay list --history`) but no
    longer counts; status recomputes."""
    from debtcli.ledger import void_payment

    r = void_payment(state.store(), payment_id, why)
    c, p = r["card"], r["payment"]
    amount = format_amount(p["amount"], c["currency"])
    say(
        f"Payment {payment_id} ({amount} on {p['paid_on']}) of ****{c['last4']} is void; it is "
        "kept in `pay list --history`.",
        f"****{c['last4']} 的第 {payment_id} 笔还款（{day(p['paid_on'])}，{amount}）已作废；"
        "`pay list --history` 中仍可查看。",
    )
    if r["reopened"]:
        say(
            "It was the payment that settled the card: the card is open again.",
            "这笔还款曾使该卡结清：该卡已恢复为未结清。",
        )


@app.command("settle")
def settle_cmd(
    card: CardArg,
    on: Annotated[
        str | None, typer.Option("--date", help="Settlement date (default today).")
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help="What you paid to settle, e.g. 12000 (a discounted settlement is "
            "common); recorded as a payment.",
        ),
    ] = None,
) -> None:
    """Mark a card's overdue episode settled (e.g. after a settlement agreement): it then owes
    ¥0."""
    from debtcli.ledger import settle

    amt = parse_amount(amount) if amount is not None else None
    d = _date(on, "settlement date", "结清日期")
    c = settle(state.store(), card, d, amt)
    years = state.pack().indicator("credit-record")["years"]
    paid = (
        state.t(
            f" for {format_amount(amt, c['currency'])}",
            f"，结清金额 {format_amount(amt, c['currency'])}",
        )
        if amt
        else ""
    )
    say(
        f"****{c['last4']} settled on {d}{paid}. Your credit record typically shows it for "
        f"{years} years from settlement; see `debtcli stage {c['last4']}`. Ask the bank for a "
        "sealed settlement certificate (结清证明), and for a discounted settlement the waiver "
        "of the rest in writing.",
        f"****{c['last4']} 已于 {day(d.isoformat())} 结清{paid}。征信不良记录通常自结清起保存 {years} 年；见 "
        f"`debtcli stage {c['last4']}`。请向银行索取盖章的结清证明；如为减免结清，请索取书面减免确认。",
    )


def _demo_letter(folder: Any) -> None:
    """The demo's plan and the installment letter it leads to, written beside the store."""
    from debtcli import letters
    from debtcli.ledger import find_card, open_debts
    from debtcli.plan import make_plan, reserve_agreed
    from debtcli.store import get_meta_json

    s, pack = state.store(), state.pack()
    budget = 300_000  # Li Wei's ¥3,000 a month once he starts his new job
    debts, agreed, left = reserve_agreed(
        [d for _, d in open_debts(s, pack, state.today, currency="CNY")], budget
    )
    plan = make_plan(debts, left, cap=pack.max_installment_months)
    kept = "".join(f" (****{d.key}: {format_amount(d.agreed or 0)} as agreed)" for d in agreed)
    kept_zh = "".join(f"（****{d.key} 按协议每月 {format_amount(d.agreed or 0)}）" for d in agreed)
    say(
        f"\nPlan: with {format_amount(budget)} a month{kept}, the other cards are paid in "
        f"{plan.months} months (debtcli plan --income 9000 --expenses 6000).",
        f"\n计划：每月 {format_amount(budget)}{kept_zh}，其他卡 {plan.months} 个月还清（debtcli plan "
        "--income 9000 --expenses 6000）。",
    )
    card = find_card(s, "4821")
    ctx = letters.build_context(
        s,
        pack,
        card,
        "installment",
        state.lang,
        state.today,
        {"hardship": "job-loss", "months": plan.finish.get("4821")},
        get_meta_json(s, "profile"),
    )
    path = folder / f"installment-4821.{state.lang}.md"
    from debtcli.documents import write_private

    write_private(path, letters.render_markdown("installment", state.lang, ctx).encode())
    say(
        f"Letter: the 个性化分期 request to 中信 is in {path}",
        f"信件：给中信的个性化分期申请已写入 {path}",
    )


@app.command("demo")
def demo_cmd() -> None:
    """Build a realistic sample store and show the dashboard, to see what debtcli does.
    Uses a throwaway folder unless --db is given."""
    import tempfile
    from pathlib import Path

    from debtcli.demo import build_demo

    if not state.db:
        state.db = str(Path(tempfile.mkdtemp(prefix="debtcli-demo-")) / "demo.db")
    s = state.store(create=True)
    if s.conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0]:
        from debtcli.errors import BadInput

        raise BadInput(
            f"the store {state.store_path} already has cards; the demo needs an "
            "empty store (omit --db to use a throwaway one)",
            f"数据文件 {state.store_path} 已有数据；演示需要空文件（不加 --db 即使用临时文件）",
        )
    build_demo(s, state.today, state.pack())
    from debtcli.cli.status_cmds import render_status, status_rows

    say(
        f"Demo store: {state.store_path}\n(Li Wei: three overdue cards. Try the commands below "
        f"with --db {state.store_path})\n",
        f"演示数据：{state.store_path}\n（李伟：三张逾期的卡。可加 --db {state.store_path} "
        f"试用下面的命令）\n",
    )
    render_status(status_rows())
    from debtcli.cli.evidence_cmds import render_violations

    render_violations(limit=6, sources=False)
    _demo_letter(Path(state.store_path).parent)
    say(
        "\nNext: debtcli --db … stage 4821 | log list | violations | evidence verify | "
        "facts arrest | visit checklist 4821 | report -o report.html",
        "\n接下来：debtcli --db … stage 4821 | log list | violations | evidence verify | "
        "facts 抓人 | visit checklist 4821 | report -o 报告.html",
    )
    from debtcli.cli.timeline_cmds import timeline_cmd

    say(
        "\nThe story so far, and what comes next (debtcli timeline):",
        "\n到目前为止的经过，以及接下来会发生什么（debtcli timeline）：",
    )
    timeline_cmd(
        card=None, since=None, until=None, kind=None, limit=12, show_all=False, json_out=False
    )
