"""`debtcli setup` (开始): a first run, question by question, ending where the user stands."""

from typing import Any

from debtcli.cli.common import app, ask, day, say, state


@app.command("setup")
def setup_cmd() -> None:
    """A first run, one question at a time: your cards and since when each is overdue, then
    where you stand. Asks in your language; Ctrl-C stops (cards already added stay)."""
    import sys

    import typer

    from debtcli.cli.status_cmds import render_status, status_rows
    from debtcli.errors import BadInput

    if not sys.stdin.isatty():
        raise BadInput(
            "setup asks questions in a terminal; in a script use `debtcli card add` "
            "and `debtcli overdue`",
            "setup 需要在终端中回答问题；脚本中请用 `debtcli card add` 和 `debtcli overdue`",
        )
    s = state.store(create=True)
    say(
        "Let's add your cards. Only the last four digits of each card are kept, on this "
        "computer only. Ctrl-C stops at any time.",
        "我们来添加你的卡。每张卡只保存卡号后四位，而且只保存在这台电脑上。随时可按 Ctrl-C 停止。",
    )
    first = True
    try:
        while _ask_card(s, first):  # one card after another, until the bank is left empty
            first = False
    except (KeyboardInterrupt, EOFError) as exc:  # said, not a silent exit
        say(
            "\nStopped. The cards already added are kept; run `debtcli setup` again to add more.",
            "\n已停止。已添加的卡仍保留；再次运行 `debtcli 开始` 可以继续添加。",
        )
        raise typer.Exit(130 if isinstance(exc, KeyboardInterrupt) else 1) from None
    say("", "")
    render_status(status_rows())
    say(
        "Next: when a collector contacts you, record it: debtcli log add CARD",
        "接下来：每次有人催收，都记录下来：debtcli log add 卡号",
    )


def _optional(parse: Any) -> Any:
    """An answer that may be left empty (Enter): None."""
    return lambda a: parse(a) if a.strip() else None


def _text(a: str) -> str:
    from debtcli.errors import BadInput

    if not a.strip():
        raise BadInput("please answer", "请回答")
    return a.strip()


def _ask_card(s: Any, first: bool) -> bool:
    """One card: its bank and last four, and if it is overdue, since when and how much (the
    principal too, if known, where the amount comes near the criminal threshold: only there
    does it matter). After the first card an empty bank ends it: returns whether one was
    added."""
    from debtcli.cards import normalize_last4
    from debtcli.dates import parse_past_date
    from debtcli.ledger import add_card, record_overdue, within_owed
    from debtcli.money import format_amount, parse_amount
    from debtcli.stages import criminal_threshold

    t, pack = state.t, state.pack()
    if first:
        bank = ask(
            t("Which bank is the card from? (e.g. 中信银行)", "哪家银行的卡？（例如 中信银行）"),
            _text,
        )
    else:
        bank = ask(
            t(
                "The next card's bank (Enter: no more cards)",
                "下一张卡是哪家银行的？（没有了就回车）",
            ),
            lambda a: a.strip() or None,
        )
        if bank is None:
            return False
    last4 = ask(t("The card number's last four digits", "卡号最后四位"), normalize_last4)
    card_id = add_card(s, True, bank=bank, last4=last4)
    since = ask(
        t(
            "Since when is it overdue: the due date you missed (e.g. 8月5日; Enter if "
            "it is not overdue)",
            "从哪天开始逾期：错过的那个还款日（例如 8月5日；没有逾期就回车）",
        ),
        _optional(lambda a: parse_past_date(a, state.today, "due date", "还款日")),
    )
    if since is None:
        say(f"Added {bank} ****{last4}.", f"已添加 {bank} ****{last4}。")
        return True
    amount = ask(
        t(
            "How much is owed now, in all (e.g. 62400 or 6.24万)",
            "现在一共欠多少（例如 62400 或 6.24万）",
        ),
        parse_amount,
    )
    rule = pack.indicator("malicious-overdraft")
    threshold = criminal_threshold(pack)
    near = threshold - threshold * int(rule["show_within_percent"]) // 100
    principal = (
        ask(
            t("Of which principal, if you know it", "其中本金多少（不知道就回车）"),
            _optional(lambda a: within_owed(amount, parse_amount(a))),
        )
        if amount >= near  # below, no legal reading turns on the principal
        else None
    )
    record_overdue(s, f"#{card_id}", since, amount, principal=principal, force=True)
    say(
        f"Added {bank} ****{last4}: {format_amount(amount)} overdue since {since}.",
        f"已添加 {bank} ****{last4}：自 {day(str(since))} 逾期，欠款 {format_amount(amount)}。",
    )
    return True


# The Chinese name a user may type for it.
app.command("开始", hidden=True)(setup_cmd)
