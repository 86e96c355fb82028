"""Commands for a home visit: the printable checklist and the walk through it at the door."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from debtcli.cli.common import (
    ForceOpt,
    app,
    console,
    emit_document,
    emit_json,
    say,
    state,
    sub_app,
)

visit_app = sub_app(
    "Someone at the door claiming to collect? A checklist to verify them, "
    "printable or walked through step by step."
)
app.add_typer(visit_app, name="visit")

FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="md (default), html (print it: A4, big type) or docx."),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to this file (the format follows its ending)."),
]


@visit_app.command("checklist")
def visit_checklist(
    card: Annotated[
        str | None,
        typer.Argument(help="The card, so the checklist shows its bank's official hotline."),
    ] = None,
    fmt: FormatOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """A one-page checklist for the door: what to ask, what to check, your rights, the red
    flags of a scam, and the bank's official number. Print it and keep it by the door."""
    from debtcli.documents import blocks_md, choose_format, docx_bytes
    from debtcli.ledger import find_card
    from debtcli.visit import checklist, checklist_blocks

    bank = find_card(state.store(), card)["bank"] if card else None
    data = checklist(state.pack(), bank, state.lang)
    kind = choose_format(fmt, output)
    body: Any
    if kind == "html":
        from debtcli.templating import render

        body = render("visit_checklist.html.j2", data)
    elif kind == "docx":
        body = docx_bytes(checklist_blocks(data), big=True)
    else:
        body = blocks_md(checklist_blocks(data))  # no template engine for the terminal: 10 ms
    emit_document(body, output, "the checklist", "核验清单", force)


QUESTIONS = [
    # key, kind, English, Chinese
    ("agents", "int", "How many people are at the door?", "门口有几个人？"),
    ("work_id", "yes", "Did each of them show a work ID?", "每个人都出示了工作证吗？"),
    (
        "authorization",
        "yes",
        "Did they show the bank's letter of authorisation or introduction naming their agency?",
        "他们出示了银行的授权委托书或介绍信（写明催收机构）吗？",
    ),
    (
        "org",
        "text",
        "Which agency do they say they are from? (Enter to skip)",
        "他们说自己来自哪家机构？（回车跳过）",
    ),
    ("agent", "text", "Names they gave (Enter to skip)", "他们报的姓名（回车跳过）"),
    ("agent_id", "text", "Employee numbers (Enter to skip)", "工号（回车跳过）"),
    (
        "hotline",
        "hotline",
        "Call {hotline} now — the number on your card, never one they give "
        "you. Did the bank confirm this agency and this visit?",
        "现在拨打 {hotline}——卡片上的号码，绝不用他们给的号码。银行确认了这家机构和这次上门吗？",
    ),
    (
        "personal_account",
        "yes",
        "Did they ask you to pay into a personal account, by QR code, "
        "or to an account not in the bank's name?",
        "他们要求你把钱打到个人账户、扫二维码，或打到不是银行名下的账户吗？",
    ),
    (
        "police_claim",
        "yes",
        "Did they claim to be police, court or government, or threaten arrest?",
        "他们自称公安、法院或政府人员，或威胁要抓你吗？",
    ),
    (
        "asked_secrets",
        "yes",
        "Did they ask for ID photos, passwords, SMS codes or your contacts?",
        "他们索要身份证照片、密码、短信验证码或通讯录吗？",
    ),
    ("threats", "yes", "Did they threaten, insult or use force?", "他们有威胁、辱骂或动手吗？"),
]


def _ask_all(hotline: str) -> dict[str, Any]:
    """One question at a time, answered in the user's words (一个, 没有, 银行说不知道). Nothing
    is written until every answer is in, so Ctrl-C at any point leaves the store as it was."""
    from debtcli.cli.common import ask, ask_choice
    from debtcli.visit import HOTLINE_ANSWERS, head_count, yes_no

    t, pack = state.t, state.pack()
    answers: dict[str, Any] = {}
    for key, kind, en, zh in QUESTIONS:
        q = t(en, zh).replace("{hotline}", hotline)
        if kind == "int":
            answers[key] = ask(q, head_count, "2")
        elif kind == "yes":
            answers[key] = ask(
                q + t(" (y/n)", "（是/否）"), lambda a: yes_no(pack, a), t("n", "否")
            )
        elif kind == "hotline":
            answers[key] = ask_choice(q, "hotline", HOTLINE_ANSWERS, "not-called")
        else:
            answers[key] = ask(q, lambda a: a.strip() or None)
        if key == "personal_account" and answers[key]:
            answers["pay_to"] = ask(
                t(
                    "Where did they ask the money to go? (Enter to skip)",
                    "他们要求把钱打到哪里？（回车跳过）",
                ),
                lambda a: a.strip() or None,
            )
    return answers


VERDICTS = {
    "scam": (
        "SCAM RED FLAGS — do not open the door and do not pay anything. Call the bank on "
        "its official hotline and tell them what happened. If you feel unsafe, ask the "
        "police for help.",
        "诈骗警示——不要开门，不要付任何钱。拨打银行官方客服说明情况。如感到不安全，请向警方求助。",
    ),
    "unverified": (
        "NOT VERIFIED — do not pay and do not open the door. Ask them to leave their "
        "names, agency and a letter; check with the bank's official hotline first.",
        "未核实——不要付钱，不要开门。请他们留下姓名、机构和书面材料；先通过银行官方客服核实。",
    ),
    "confirmed-violations": (
        "THE BANK'S AGENCY, BREAKING THE RULES — the bank confirmed them, so this is its "
        "agency, and what is flagged below breaks the collection rules: it is recorded for your "
        "complaint. You still need not open the door or pay anything at it.",
        "银行委托的机构，但有违规——银行已确认，这是它委托的机构；下面标出的行为违反催收规定，已记录，"
        "可用于投诉。你仍然不必开门，也不必当场付钱。",
    ),
    "verified": (
        "VERIFIED by the bank — you may talk to them, through the door if you prefer. "
        "You still need not let them in. Pay only to the bank's own accounts; an agreement "
        "is one the bank puts in writing, not a paper signed at the door.",
        "银行已确认——可以和他们沟通（可以隔着门）。你仍然不必让他们进门。只向银行自己的账户还款；"
        "协议应由银行出具书面文件，而不是在门口签的纸。",
    ),
}


def _answers(answers_file: Path | None, hotline: dict[str, Any]) -> dict[str, Any]:
    """The answers at the door: from --answers FILE.json, or asked one at a time at a
    terminal; a script without a file is told to give one."""

    from debtcli.errors import BadInput

    t = state.t
    if answers_file is not None:
        from debtcli.files import read_json

        answers = read_json(answers_file)
        if not isinstance(answers, dict):
            raise BadInput(
                f"{answers_file} must hold a JSON object of answers",
                f"{answers_file} 必须是一个 JSON 对象",
            )
        return answers
    if not sys.stdin.isatty():
        raise BadInput(
            "visit check asks questions in a terminal; in a script give --answers FILE.json",
            "visit check 需要在终端中回答问题；脚本中请使用 --answers 文件.json",
        )
    console().print(
        t(
            "Stay calm. You do not have to open the door. Ctrl-C stops at any "
            "time; nothing is saved until the end.",
            "保持冷静。你不必开门。随时可按 Ctrl-C 停止；结束前不会保存任何内容。",
        )
    )
    try:
        return _ask_all(
            hotline["text"]
            if hotline["known"]
            else t("the number on the back of your card", "卡片背面的号码")
        )
    except (KeyboardInterrupt, EOFError) as exc:  # stopped at the door: say so, keep nothing
        say(
            "\nStopped; nothing was saved. You still need not open the door: call the bank's "
            "official hotline, or 110 if you feel unsafe.",
            "\n已停止，未保存任何内容。你仍然不必开门：拨打银行官方客服；如感到不安全，请拨打 110。",
        )
        raise typer.Exit(130 if isinstance(exc, KeyboardInterrupt) else 1) from None


@visit_app.command("check")
def visit_check(
    card: Annotated[str, typer.Argument(help="The card they say they are collecting.")],
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers", help="A JSON file of answers, to run without prompts (scripts, tests)."
        ),
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="When the visit is (default now).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
) -> None:
    """Walk through the checklist at the door, one question at a time; get a verdict (verified
    / not verified: do not pay or open / scam red flags) and what to do, and save the visit in
    the evidence log. Ctrl-C at any point saves nothing."""
    from debtcli import contactlog
    from debtcli.dates import local_now, parse_past_datetime
    from debtcli.flags import entry_violations
    from debtcli.ledger import find_card
    from debtcli.visit import assess, hotline_for, red_flag_text

    s, pack, t = state.store(), state.pack(), state.t
    c = find_card(s, card, include_archived=False)
    when = parse_past_datetime(at, state.today) if at else local_now(state.today)
    hotline = hotline_for(pack, c["bank"], state.lang)
    answers = _answers(answers_file, hotline)
    result = assess(pack, answers, when, state.lang, c["bank"])
    raw = dict(result["entry"])
    entry = contactlog.add(s, pack, c, raw, [], state.today)
    flags = entry_violations(s, pack, entry["id"])
    if json_out:
        emit_json(
            {
                **{k: v for k, v in result.items() if k != "entry"},
                "entry": entry["id"],
                "violations": flags,
            }
        )
        return
    en, zh = VERDICTS[result["verdict"]]
    out = console()
    out.print(t(en, zh), style="bold")
    for flag in result["red_flags"]:
        fen, fzh = red_flag_text(pack, flag)
        out.print("  ⚑ " + t(fen, fzh))
    if not hotline["known"] or result["hotline"] != "confirmed":
        out.print(t("Official number: ", "官方号码：") + hotline["text"])
    out.print(hotline["always"])
    out.print(
        pack.text(pack.data["visit"], "sign", state.lang).format(
            police=pack.line("police"), antifraud=pack.line("anti-fraud")
        ),
        style="bold",
    )
    say(f"Saved as log entry {entry['id']}.", f"已保存为第 {entry['id']} 条记录。")
    for key in flags:
        rule = pack.conduct_rule(key)
        say(
            f"  possible violation: {pack.text(rule, '', 'en')}",
            f"  可能违规：{pack.text(rule, '', 'zh')}",
        )
