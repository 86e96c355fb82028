"""Commands for negotiating: the affordability plan, letters, and the agreements won."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from debtcli.cli.common import (
    CardArg,
    ForceOpt,
    JsonOpt,
    Refining,
    app,
    confirmed,
    console,
    day,
    emit_document,
    emit_json,
    say,
    state,
    sub_app,
)
from debtcli.cli.tables import show_table


class _LetterCommand(Refining):
    """`letter make 中信`: one word, and no letter kind. Asked which letter, where click would
    say the card is missing."""

    def refine(self, ctx: Any, kind: str, exc: Any, typed: list[str]) -> None:
        from debtcli import letters

        first = ctx.params.get("kind")
        missing_card = kind == "MissingParameter" and exc.param.name == "card"
        if missing_card and first and not letters.is_kind(state.pack(), first):
            raise letters.which_letter(state.pack(), first)


letter_app = sub_app(
    "Letters to your bank or the regulator, filled from your records: "
    "installment requests, fee waivers, complaints and more."
)
app.add_typer(letter_app, name="letter")
Opt = typer.Option


def _amount(text: str | None) -> int | None:
    from debtcli.money import parse_amount

    return None if text is None else parse_amount(text)


def _rates(values: list[str] | None, cards: list[Any]) -> dict[int, float]:
    from debtcli.cards import resolve
    from debtcli.errors import BadInput

    rates = {}
    for v in values or []:
        ref, _, pct = v.partition("=")
        try:
            rate = float(pct)
        except ValueError:
            rate = -1.0
        if not 0 <= rate <= 100:
            raise BadInput(
                f"--rate {v!r}: write CARD=PERCENT, e.g. 4821=18.25",
                f"--rate {v!r}：格式为 卡号=年利率百分比，例如 4821=18.25",
            )
        rates[resolve(ref, cards)["id"]] = rate
    return rates


def _budget(income: str, expenses: str) -> tuple[int, int, int]:
    from debtcli.money import parse_amount

    inc, exp = parse_amount(income), parse_amount(expenses, allow_zero=True)
    return inc, exp, inc - exp


@app.command("plan")
def plan_cmd(
    cards: Annotated[
        list[str] | None,
        typer.Argument(
            help="The cards to include (default: every card with an open overdue episode)."
        ),
    ] = None,
    income: Annotated[str, Opt("--income", help="Your household's monthly income.")] = "",
    expenses: Annotated[
        str, Opt("--expenses", help="Essential monthly expenses: rent, food, school, medicine.")
    ] = "",
    months: Annotated[
        int | None,
        Opt(
            "--months",
            min=1,
            help="Pay every card in this many equal monthly installments instead.",
        ),
    ] = None,
    strategy: Annotated[
        str,
        Opt(
            "--strategy",
            help="proportional (all finish together), "
            "avalanche (highest --rate first) or snowball (smallest "
            "first).",
        ),
    ] = "proportional",
    rate: Annotated[
        list[str] | None,
        Opt(
            "--rate", help="For avalanche: CARD=annual percent, e.g. 4821=18.25 (repeat per card)."
        ),
    ] = None,
    first: Annotated[
        str | None, Opt("--first", help="The first payment date (default: a month from today).")
    ] = None,
    all_cards: Annotated[bool, Opt("--all", help="Every overdue card (the default).")] = False,
    monthly: Annotated[
        str | None,
        Opt(
            "--monthly",
            help="Or simply what you can pay each month, e.g. 3000 (instead of --income and "
            "--expenses).",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """What you can afford each month, split across your overdue cards, and the month-by-month
    schedule, capped at the rule pack's longest installment term (60 months in China)."""
    from debtcli.cards import resolve
    from debtcli.dates import add_months, parse_date
    from debtcli.errors import BadInput
    from debtcli.ledger import open_debts
    from debtcli.plan import MAX_ROWS, household_json, household_plan
    from debtcli.store import list_cards

    if monthly and (income or expenses):
        raise BadInput(
            "give --monthly, or --income and --expenses, not both",
            "请给出 --monthly，或 --income 和 --expenses，不要同时给出",
        )
    if monthly:  # what the person can pay: the budget itself, nothing to subtract
        income, expenses = monthly, "0"
    if not income or not expenses:
        raise BadInput(
            "plan needs what you can pay each month: --monthly AMOUNT, or --income and "
            "--expenses (monthly amounts)",
            "plan 需要每月能还多少：--monthly 金额，或 --income 和 --expenses（每月金额）",
        )
    s, pack = state.store(), state.pack()
    every = list_cards(s)
    chosen = [resolve(c, every, pack.bank) for c in cards] if cards and not all_cards else every
    inc, exp, _ = _budget(income, expenses)
    owing = open_debts(s, pack, state.today, chosen, rates=_rates(rate, every))
    h = household_plan(
        [(c["currency"], d) for c, d in owing],
        inc,
        exp,
        strategy=pack.word("strategy", strategy).lower(),  # 按比例, 先还小额 …
        months=months,
        cap=pack.max_installment_months,
        first=parse_date(first, state.today, future=True) if first else add_months(state.today, 1),
        # The terminal shows at most the first two years and who finishes within the cap;
        # only --json needs every month laid out.
        max_rows=MAX_ROWS if json_out else max(pack.max_installment_months, 24),
    )
    if json_out:
        emit_json(household_json(h, state.lang))
        return
    from debtcli.letters import time_barred

    barred = [(d.key, ended) for c, d in owing if (ended := time_barred(s, pack, c, state.today))]
    render_plan(h, barred)


def render_plan(h: Any, barred: list[tuple[str, str]] | None = None) -> None:
    """A household's plan (plan.household_plan) as `debtcli plan` shows it: the budget, each
    card's first payment and months, the first months of the schedule, warnings, next step.
    barred: (card, day) of the cards whose limitation period may have ended by the records:
    an installment letter for them is not the next step."""
    from debtcli.money import format_amount

    pack, t = state.pack(), state.t
    plan, cur = h.plan, h.currency
    out = console()
    if h.expenses == 0:  # --monthly: what the person said they can pay
        say(
            f"Available each month: {format_amount(h.budget, cur)}. Owed: "
            f"{format_amount(h.total, cur)}.",
            f"每月可用于还款：{format_amount(h.budget, cur)}。欠款合计：{format_amount(h.total, cur)}。",
        )
    else:
        say(
            f"Available each month: {format_amount(h.budget, cur)} (income "
            f"{format_amount(h.income, cur)} − essentials {format_amount(h.expenses, cur)}). "
            f"Owed: {format_amount(h.total, cur)}.",
            f"每月可用于还款：{format_amount(h.budget, cur)}（收入 {format_amount(h.income, cur)} − "
            f"必要开支 {format_amount(h.expenses, cur)}）。欠款合计：{format_amount(h.total, cur)}。",
        )
    beyond = f"> {plan.months}"
    show_table(
        out,
        [t("card", "卡"), t("owed", "欠款"), t("first month", "首月"), t("months", "期数")],
        [
            [
                f"****{d.key}",
                format_amount(d.owed, cur),
                format_amount(plan.schedule[0].get(d.key, 0), cur) if plan.schedule else "—",
                plan.finish.get(d.key) or (beyond if plan.schedule else "—"),
            ]
            for d in h.debts
        ]
        + [  # paid as agreed, not planned
            [
                f"****{d.key}",
                format_amount(d.owed, cur),
                format_amount(d.agreed or 0, cur),
                t("as agreed", "按协议"),
            ]
            for d in h.agreed
        ],
        right=frozenset({1, 2, 3}),
    )
    if plan.schedule:
        _show_schedule(out, h)
    for en, zh in h.warnings:
        say("! " + en, "！" + zh)
    barred = barred or []
    for key, ended in barred:
        say(
            f"! ****{key}: by your records the limitation period may have ended on {ended}. A "
            "plan or an installment letter acknowledges the debt and gives that defence up: ask "
            f"legal aid ({pack.line('legal aid')}) before writing to the bank about this card.",
            f"！****{key}：按你的记录，诉讼时效可能已于 {day(ended)} 届满。还款方案或分期申请会确认欠款、"
            f"放弃时效抗辩：就这张卡给银行写信之前，请先咨询法律援助（{pack.line('legal aid')}）。",
        )
    if plan.affordable and len(h.debts) > len(barred):  # a card kept to its agreement: none
        say(
            "Next: debtcli letter make installment CARD --income … --expenses … (one per bank)",
            "下一步：debtcli letter make installment 卡号 --income … --expenses …（每家银行一封）",
        )
    from debtcli.letters import limitation_notes

    for note in limitation_notes(pack, state.lang):
        say(note, note)


def _show_schedule(out: Any, h: Any) -> None:
    """The first months of the schedule: a column per card when they fit the terminal, else
    each month's payments as one wrapped line."""
    from debtcli.money import format_amount
    from debtcli.plan import MAX_ROWS

    t, plan, cur, keys = state.t, h.plan, h.currency, [d.key for d in h.debts]
    total = plan.months_needed
    shown = plan.schedule if total <= 24 else plan.schedule[:12]
    budget = format_amount(h.planned, cur)
    if plan.strategy.startswith("equal-"):
        title = t(f"Schedule in {total:,} equal installments", f"还款计划：{total:,} 期等额分期")
    else:
        title = t(
            f"Schedule at {budget} a month: {total:,} months",
            f"每月 {budget} 的还款计划：{total:,} 个月",
        )
    lead = [[i + 1, plan.due_date(i + 1).isoformat()] for i in range(len(shown))]
    heads = [t("month", "月"), t("due", "日期")]
    wide = show_table(
        out,
        heads + [f"****{k}" for k in keys] + [t("total", "合计")],
        [
            m
            + [format_amount(row[k], cur) if k in row else "" for k in keys]
            + [format_amount(sum(row.values()), cur)]
            for m, row in zip(lead, shown, strict=True)
        ],
        right=frozenset(range(2, len(keys) + 3)),
        title=title,
        only_if_fits=True,
    )
    if not wide:
        show_table(
            out,
            [*heads, t("total", "合计"), t("payments", "各卡")],
            [
                [
                    *m,
                    format_amount(sum(row.values()), cur),
                    "  ".join(f"****{k}\u00a0{format_amount(v, cur)}" for k, v in row.items()),
                ]
                for m, row in zip(lead, shown, strict=True)
            ],
            right=frozenset({2}),
            wrap=frozenset({3}),
            title=title,
        )
    if len(shown) < total:
        more = (
            t("--json gives all", "--json 输出全部")
            if total <= MAX_ROWS
            else t(f"--json gives the first {MAX_ROWS}", f"--json 输出前 {MAX_ROWS} 个月")
        )
        say(
            f"(first {len(shown)} of {total:,} months; {more})",
            f"（显示前 {len(shown)} 个月，共 {total:,} 个月；{more}）",
        )


@letter_app.command("list")
def letter_list(json_out: JsonOpt = False) -> None:
    """The letters debtcli writes, and what each needs."""
    from debtcli.letters import kinds

    pack = state.pack()
    known = kinds(pack).values()
    if json_out:
        emit_json(
            [
                {"kind": k["key"], "zh": k["title_zh"], "en": k["title_en"]}
                | {"needs_zh": k["needs_zh"], "needs_en": k["needs_en"]}
                for k in known
            ]
        )
        return
    show_table(
        console(),
        [state.t("kind", "类型"), state.t("letter", "信件"), state.t("needs", "需要")],
        [
            [
                pack.word_name("kind", k["key"], state.lang),
                state.t(k["title_en"], k["title_zh"]),
                state.t(k["needs_en"], k["needs_zh"]),
            ]
            for k in known
        ],
    )
    say(
        "Make one: debtcli letter make KIND CARD --name … --phone … (your name and phone are "
        "remembered)",
        "生成：debtcli letter make 类型 卡号 --name … --phone …（姓名和电话会被记住）",
    )


def _ask_profile(profile: dict[str, str], missing: list[str]) -> dict[str, str]:
    from rich.prompt import Prompt

    labels = {"name": ("Your full name", "你的姓名"), "phone": ("Your phone number", "你的电话")}
    from debtcli.cli.term import rich_console

    return {k: Prompt.ask(state.t(*labels[k]), console=rich_console()) for k in missing}


@letter_app.command("make", cls=_LetterCommand)
def letter_make(
    kind: Annotated[
        str,
        typer.Argument(
            help="Which letter: installment, complaint, fee-waiver … (debtcli letter list "
            "shows them all)."
        ),
    ],
    card: CardArg,
    fmt: Annotated[str | None, Opt("--format", help="md (default), html or docx.")] = None,
    output: Annotated[Path | None, Opt("-o", "--output", help="Write to this file.")] = None,
    name: Annotated[str | None, Opt("--name", help="Your name (remembered).")] = None,
    id_last4: Annotated[
        str | None, Opt("--id-last4", help="The last 4 of your ID number (remembered).")
    ] = None,
    phone: Annotated[str | None, Opt("--phone", help="Your phone (remembered).")] = None,
    address: Annotated[str | None, Opt("--address", help="Your address (remembered).")] = None,
    hardship: Annotated[
        str | None,
        Opt("--hardship", help="job-loss, illness, business-failure, income-cut, family or other."),
    ] = None,
    reason: Annotated[
        str | None,
        Opt(
            "--reason", help="In your own words: what happened, or (credit-dispute) what is wrong."
        ),
    ] = None,
    months: Annotated[
        int | None,
        Opt("--months", help="Installments (at most 60), or (deferral) months to defer."),
    ] = None,
    monthly: Annotated[str | None, Opt("--monthly", help="The monthly amount you propose.")] = None,
    first: Annotated[
        str | None, Opt("--first", help="First payment date (default: in a month).")
    ] = None,
    income: Annotated[
        str | None, Opt("--income", help="Monthly income, to compute the proposal.")
    ] = None,
    expenses: Annotated[str | None, Opt("--expenses", help="Essential monthly expenses.")] = None,
    to: Annotated[str, Opt("--to", help="complaint: bank or regulator.")] = "bank",
    record: Annotated[
        bool,
        Opt(
            "--record",
            help="Log the letter as sent, with the file attached, so what you sent is provable.",
        ),
    ] = False,
    force: Annotated[
        bool,
        Opt(
            "--force",
            help="Write it even so: above your budget, on a "
            "time-barred debt, or over an existing -o file.",
        ),
    ] = False,
) -> None:
    """Write a letter from your records: amounts, dates, your proposal, the legal basis with
    article numbers."""
    from debtcli import letters
    from debtcli.dates import parse_date
    from debtcli.documents import choose_format, letter_body
    from debtcli.errors import BadInput
    from debtcli.ledger import find_card

    s, pack, lang = state.store(), state.pack(), state.lang
    kind, card = letters.kind_then_card(pack, kind, card)
    k = letters.check_kind(pack, pack.word("kind", kind))
    to = pack.word("to", to)
    if to not in ("bank", "regulator"):
        raise BadInput(
            f"--to {to!r}: choose bank or regulator", f"--to {to!r}：请选择 银行 或 监管"
        )
    if (income is None) != (expenses is None):
        raise BadInput("give both --income and --expenses", "请同时提供 --income 和 --expenses")
    c = find_card(s, card)
    kind_fmt = choose_format(fmt, output)
    opts: dict[str, Any] = {
        "hardship": pack.word("hardship", hardship) if hardship else None,
        "reason": reason,
        "months": months,
        "monthly": _amount(monthly),
        "to": to,
        "force": force,
        "first": parse_date(first, state.today, future=True) if first else None,
    }
    if income is not None and expenses is not None:
        inc, exp, available = _budget(income, expenses)
        opts["budget"] = {"income": inc, "expenses": exp, "available": available}
    if (
        k in ("installment", "interest-freeze")
        and not (months or monthly or opts.get("budget"))
        and sys.stdin.isatty()
    ):
        _ask_proposal(opts, pack)  # asked before anything else, so no answer is lost after
    profile = _profile(s, {"name": name, "id_last4": id_last4, "phone": phone, "address": address})
    ctx = letters.build_context(s, pack, c, k, lang, state.today, opts, profile)
    body = letter_body(letters.render_markdown(k, lang, ctx, pack), kind_fmt, ctx["title"], lang)
    emit_document(body, output, "the letter", "信件", force)
    if output is not None and (plan := ctx.get("plan")):  # what the letter proposes, in a line
        say(
            f"It proposes {plan['months']} × {plan['monthly']}, the first on {plan['first']}.",
            f"信中提出的方案：{plan['months']} 期 × {plan['monthly']}，首期 {plan['first']}。",
        )
    letters.save_profile(s, profile)  # asked once, remembered: only now that the letter exists
    for w in letters.warnings(pack, k, lang, ctx.get("agreement_in_force")):
        sys.stderr.write(w + "\n")
    if record:
        _record_letter(c, k, ctx, body, output, kind_fmt)


def _ask_proposal(opts: dict[str, Any], pack: Any) -> None:
    """At a terminal, the proposal an installment letter needs, in one question: a number of
    months (≤ the pack's cap) or a monthly amount (with 元 or ¥)."""
    from debtcli.cli.common import ask
    from debtcli.errors import BadInput
    from debtcli.money import parse_amount

    cap = pack.max_installment_months

    def parse(answer: str) -> tuple[str, int]:
        a = answer.strip().removesuffix("期").removesuffix("个月").strip()
        if a.isdigit() and 1 <= int(a) <= cap:
            return "months", int(a)
        if a.isdigit() and int(a) <= cap:
            raise BadInput(f"1 to {cap} months", f"1 到 {cap} 期")
        try:
            return "monthly", parse_amount(answer)
        except BadInput:
            raise BadInput(
                f"a number of months (1 to {cap}) or a monthly amount, e.g. 60 or ¥1,040",
                f"期数（1 到 {cap}）或每月金额，例如 60 或 1040元",
            ) from None

    key, value = ask(
        state.t(
            f"Your proposal: how many months (up to {cap}), or how much a month (e.g. ¥1,040)",
            f"你的还款方案：分多少期（最多 {cap} 期），或每月还多少（例如 1040元）",
        ),
        parse,
    )
    opts[key] = value


def _profile(store: Any, given: dict[str, str | None]) -> dict[str, str]:
    """The sender's details: given now, remembered, or asked at a terminal (a script is told
    which options are missing)."""
    from debtcli import letters
    from debtcli.errors import BadInput

    profile = letters.merge_profile(store, given)
    missing = letters.missing_profile(profile)
    if not missing:
        return profile
    if not sys.stdin.isatty():
        raise BadInput(
            "the letter needs your "
            + " and ".join(f"--{m.replace('_', '-')}" for m in missing)
            + " (asked once, then remembered)",
            "信件需要你的 "
            + "、".join(f"--{m.replace('_', '-')}" for m in missing)
            + "（只需提供一次）",
        )
    return letters.merge_profile(store, {**given, **_ask_profile(profile, missing)})


def _record_letter(
    card: Any, kind: str, ctx: dict, body: Any, output: Path | None, fmt: str
) -> None:
    """Log the letter as an outgoing entry with the exact file attached."""
    from contextlib import ExitStack

    from debtcli import contactlog
    from debtcli.store import staging

    s, pack = state.store(), state.pack()
    with ExitStack() as stack:
        path = output
        if path is None:  # the letter (name, phone, address) waits beside the store, not in /tmp
            path = stack.enter_context(staging(s.path)) / f"letter-{kind}-{state.today}.{fmt}"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(body if isinstance(body, bytes) else body.encode())
        raw = {
            "channel": "letter",
            "direction": "out",
            "party": "unknown" if ctx["recipient"].startswith(("国家", "National")) else "bank",
            "org": ctx["recipient"],
            "note": f"letter sent: {kind} — {ctx['title']}",
        }
        entry = contactlog.add(s, pack, card, raw, [str(path)], state.today)
    say(
        f"Recorded as log entry {entry['id']} with the letter attached ({entry['hash'][:16]}…).",
        f"已记录为第 {entry['id']} 条，并附上信件（{entry['hash'][:16]}…）。",
    )


@letter_app.command("template")
def letter_template(
    kind: Annotated[str, typer.Argument(help="The kind of letter to copy out.")],
    force: Annotated[bool, Opt("--force", help="Replace a copy you already have.")] = False,
) -> None:
    """Copy a letter's templates (Chinese and English) into your config folder to edit them;
    your copy is then used instead."""
    from debtcli import letters

    for path in letters.copy_template(letters.check_kind(state.pack(), kind), force):
        say(f"Copied to {path}", f"已复制到 {path}")


@app.command("agree")
def agree_cmd(
    card: CardArg,
    months: Annotated[int, Opt("--months", min=1, max=120, help="How many installments.")],
    monthly: Annotated[str, Opt("--monthly", help="The monthly installment agreed.")],
    first_due: Annotated[str, Opt("--first-due", help="The first installment's due date.")],
    reduction: Annotated[
        str | None, Opt("--reduction", help="What the bank waived, if anything (for your records).")
    ] = None,
    on: Annotated[
        str | None, Opt("--date", help="When the agreement was made (default today).")
    ] = None,
    note: Annotated[
        str | None, Opt("--note", help="e.g. the agreement's reference number.")
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Record an installment agreement the bank granted; status and stage then track each
    installment against your payments and warn before and after a due date."""
    from debtcli.dates import parse_date, parse_past_date
    from debtcli.ledger import record_agreement
    from debtcli.money import format_amount, parse_amount

    agreed_on = parse_past_date(on, state.today) if on else state.today
    due = parse_date(first_due, state.today, near=True)  # an agreement may be logged late
    per_month = parse_amount(monthly)
    terms = {"months": months, "monthly": per_month, "reduction": _amount(reduction), "note": note}
    c, fields, short = confirmed(
        lambda f: record_agreement(state.store(), card, terms, agreed_on, due, force=f), force
    )
    cur = c["currency"]
    total, each = format_amount(months * per_month, cur), format_amount(per_month, cur)
    say(
        f"Agreement recorded for ****{c['last4']}: {months} × {each} = {total}, first due "
        f"{fields['first_due']}. `debtcli status` will warn before each due date.",
        f"已记录 ****{c['last4']} 的分期协议：{months} 期 × {each} = {total}，"
        f"首期 {day(fields['first_due'])}。`debtcli status` 会在每期到期前提醒。",
    )
    if (cap := state.pack().max_installment_months) < months:
        say(
            f"Note: {months} months is longer than the {cap} the rule allows for a personalised "
            "installment plan; check the agreement.",
            f"注意：{months} 期超过规定的个性化分期上限 {cap} 期；请核对协议。",
        )
    if short:
        covered, owed = (format_amount(x, cur) for x in short)
        say(
            f"Note: {months} × {each} = {total} covers {covered} of the {owed} owed when it was "
            "made. If the bank waived the rest, give it with --reduction; otherwise check "
            "--months and --monthly.",
            f"注意：{months} 期 × {each} = {total}，只覆盖达成协议时欠款 {owed} 中的 {covered}。"
            "如银行减免了其余部分，请用 --reduction 记录；否则请核对 --months 和 --monthly。",
        )
