"""Commands that log what the phone already recorded: `log import-calls`, `log import-sms`, and
the number book (`numbers`) that tells them whose number is whose."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from debtcli.cli.common import JsonOpt, app, console, emit_json, say, state, sub_app
from debtcli.cli.evidence_cmds import log_app
from debtcli.dates import show_time

Opt = typer.Option
numbers_app = sub_app(
    "The number book: whose number is whose (your bank's 95558, an agency's "
    "line), so that imported recordings and messages find their card."
)
app.add_typer(numbers_app, name="numbers")

TABLE_ROWS = 40  # a 500 MB backup proposes tens of thousands: a person reads the ends
YesOpt = Annotated[bool, Opt("--yes", help="Log everything shown without asking.")]
DryOpt = Annotated[bool, Opt("--dry-run", help="Show what would be logged; write nothing.")]
CardOpt = Annotated[
    str | None,
    Opt(
        "--card",
        help="The card for a number the book does not "
        "know (otherwise asked, or skipped with --yes).",
    ),
]
AgainOpt = Annotated[
    bool,
    Opt(
        "--again",
        help="Also log what was logged before and withdrawn (e.g. an import made with the "
        "wrong card, withdrawn with log withdraw --import RUN).",
    ),
]
ListOpt = Annotated[
    bool,
    Opt("--list", help="Show every proposal with its reason (not only the ends); write nothing."),
]
ListJsonOpt = Annotated[
    bool,
    Opt(
        "--json",
        help="Every proposal as JSON, with the reasons it was proposed; writes nothing.",
    ),
]


def _known(store: Any, pack: Any) -> dict[str, Any]:
    from debtcli import phone
    from debtcli import store as st

    cards = st.list_cards(store, include_archived=True)
    return phone.number_book(
        st.number_book(store.conn), st.numbers_logged(store.conn), cards, pack.bank
    )


def _card_name(card: Any) -> str:
    return f"****{card['last4']}" if card else state.t("? (unknown caller)", "？（未知号码）")


def _show(proposals: list[Any], every: bool = False) -> None:
    """The table of what an import would log: its ends only when it is long."""
    from debtcli.cli.tables import show_table
    from debtcli.phone import reason_text

    pack, t = state.pack(), state.t
    status = {
        "new": t("new", "新"),
        "logged": t("already logged", "已记录"),
        "withdrawn": t("withdrawn before: not again (--again)", "曾撤回：不再记录（--again）"),
        "future": t("in the future: left out", "时间在未来：不记录"),
    }
    rows = [
        [
            show_time(p.at.isoformat(), state.lang),
            _card_name(p.card),
            p.who,
            pack.word_name("channel", p.raw["channel"], state.lang)
            + {"in": "", "out": " →"}.get(
                p.raw["direction"], t(" (direction unknown)", "（方向未知）")
            ),
            p.what,
            pack.word_names("claim", p.raw.get("claim") or [], state.lang),
            reason_text(list(p.reasons), state.lang),
            status[p.status],
        ]
        for p in proposals
    ]
    shown = (
        rows
        if every or len(rows) <= TABLE_ROWS
        else rows[: TABLE_ROWS // 2] + rows[-TABLE_ROWS // 2 :]
    )
    show_table(
        console(),
        [
            t("when", "时间"),
            t("card", "卡"),
            t("who", "对方"),
            t("how", "方式"),
            t("length or text", "时长或内容"),
            t("claims", "说法"),
            t("why", "理由"),
            t("status", "状态"),
        ],
        shown,
        wrap=frozenset({2, 4, 6}),
    )
    if len(rows) > len(shown):
        say(
            f"(the first and last {TABLE_ROWS // 2} of {len(rows)}; --list shows every one)",
            f"（共 {len(rows)} 条，显示最前和最后各 {TABLE_ROWS // 2} 条；--list 显示全部）",
        )


def _review_by_sender(new: list[Any]) -> list[Any]:
    """At a terminal: one question per sender for all of its messages or calls (a real inbox
    has hundreds from a few numbers): log them, on the card each names or the card typed for
    those that name none, or skip them. Returns what the user accepted."""
    from debtcli.cli.common import ask
    from debtcli.ledger import find_card
    from debtcli.phone import reason_text
    from debtcli.store import list_cards
    from debtcli.visit import yes_no

    s, t, pack = state.store(), state.t, state.pack()
    last4 = [c["last4"] for c in list_cards(s)]
    groups: dict[str, list[Any]] = {}
    for p in new:
        groups.setdefault(p.who, []).append(p)
    kept: list[Any] = []
    for who, ps in groups.items():
        n, first = len(ps), ps[0]
        why = reason_text(list(first.reasons), state.lang)
        say(
            f"{who}: {n} {'entry' if n == 1 else 'entries'}, e.g. “{first.what[:60]}”"
            + (f" ({why})" if why else ""),
            f"{who}：{n} 条，例如“{first.what[:60]}”" + (f"（{why}）" if why else ""),
        )
        if any(p.card is None for p in ps):

            def card_or_skip(answer: str) -> Any:
                return find_card(s, answer) if answer.strip() else None

            card = ask(
                t(
                    f"  Which card are they about ({', '.join(last4)}; Enter skips them)",
                    f"  是哪张卡（{'、'.join(last4)}；回车跳过）",
                ),
                card_or_skip,
            )
            if card is not None:
                kept += [p if p.card else p._replace(card=card) for p in ps]
        elif ask(t("  Log them? (y/n)", "  记录吗？（是/否）"), lambda a: yes_no(pack, a)):
            kept += ps
    return kept


def _say_set_aside(aside: list[tuple[str, str, str]]) -> None:
    """What an import sets aside (a date before 1990, a file gone), each with why."""
    for what, en, zh in aside:
        say(f"Set aside, not logged: {what}: {en}", f"已搁置，未记录：{what}：{zh}")
    if aside:
        n = len(aside)
        say(
            f"{n} set aside; log {'it' if n == 1 else 'them'} by hand with debtcli log add if "
            "they belong in the log.",
            f"共搁置 {n} 条；如应记录，请用 debtcli log add 手动记录。",
        )


def _statuses(again: bool, read: Any, key: Any) -> dict[Any, str]:
    """What the log already holds, by key: "logged", or "withdrawn" (not logged again unless
    --again asks: after withdrawing an import made with the wrong card)."""
    conn = state.store().conn
    out = {} if again else {key(m): "withdrawn" for m in read(conn, withdrawn=True)}
    out.update({key(m): "logged" for m in read(conn, withdrawn=False)})
    return out


def _say_aside(en: str, zh: str) -> None:
    console(stderr=True).print(state.t(en, zh))


def _as_json(proposals: list[Any]) -> list[dict[str, Any]]:
    from debtcli.phone import reason_text

    return [
        {
            "at": p.at.isoformat(),
            "card": p.card["last4"] if p.card else None,
            "who": p.who,
            "channel": p.raw["channel"],
            "direction": p.raw["direction"],
            "party": p.raw["party"],
            "text": p.raw["note"] if p.raw["channel"] == "sms" else p.what,
            "claims": p.raw.get("claim") or [],
            "why": reason_text(list(p.reasons), state.lang),
            "reasons": [{"kind": kind, "word": w} for kind, w in p.reasons],
            "status": p.status,
        }
        for p in proposals
    ]


def _review_and_log(
    proposals: list[Any],
    yes: bool,
    dry_run: bool,
    card: str | None,
    source: tuple[str, Path],
    json_out: bool = False,
    every: bool = False,
    again: bool = False,
) -> None:
    """Show what would be logged, then log it as the user decides: --yes, --dry-run, or at a
    terminal sender by sender (accept, skip, or give the card). All of it in one transaction."""
    from debtcli import contactlog
    from debtcli.dates import latest_allowed
    from debtcli.errors import BadInput
    from debtcli.ledger import find_card
    from debtcli.phone import mark_future

    s, pack = state.store(), state.pack()
    default = find_card(s, card) if card else None
    proposals = mark_future(
        [p if p.named or p.card else p._replace(card=default) for p in proposals],
        latest_allowed(state.today),
    )
    if json_out:  # every proposal with its reasons; nothing written
        emit_json(_as_json(proposals))
        return
    _show(proposals, every)
    if every:  # --list: every proposal, nothing written
        return
    new = [p for p in proposals if p.status == "new"]
    if future := sum(p.status == "future" for p in proposals):
        say(
            f"{future} dated in the future {'was' if future == 1 else 'were'} left out: check "
            "the phone's clock (if it was wrong, log it by hand with debtcli log add --at …).",
            f"{future} 条的时间在未来，未记录：请检查手机时间（如果时间有误，可用 debtcli log add "
            "--at … 手动记录）。",
        )
    if gone := sum(p.status == "withdrawn" for p in proposals):
        say(
            f"{gone} {'was' if gone == 1 else 'were'} logged before and withdrawn, and "
            f"{'is' if gone == 1 else 'are'} not logged again; --again logs "
            f"{'it' if gone == 1 else 'them'} anew (say --card CARD if the card was wrong).",
            f"{gone} 条曾记录并已撤回，不再重复记录；加 --again 可重新记录（如卡记错了，请同时加 --card 卡）。",
        )
    if not new:
        if not future and not gone:
            say(
                f"Nothing new: all {len(proposals)} are already in the log.",
                f"没有新内容：{len(proposals)} 条都已在记录中。",
            )
        return
    if dry_run:  # the checks --yes makes, counted the same way
        unknown_n = sum(p.card is None for p in new)
        _, _, aside = contactlog.checked_proposals(
            pack, [p for p in new if p.card is not None], state.today
        )
        _say_set_aside(aside)
        say(
            f"Dry run: {len(new) - unknown_n - len(aside)} would be logged"
            + (
                f", {unknown_n} from numbers the book does not know skipped (--card CARD, or "
                "debtcli numbers add, logs them)"
                if unknown_n
                else ""
            )
            + "; nothing was written.",
            f"试运行：将记录 {len(new) - unknown_n - len(aside)} 条"
            + (
                f"，{unknown_n} 条来自号码本中没有的号码，将跳过（用 --card 卡 或 debtcli numbers add "
                "可记录它们）"
                if unknown_n
                else ""
            )
            + "；未写入任何内容。",
        )
        return
    interactive = sys.stdin.isatty() and not yes
    if interactive:
        new = _review_by_sender(new)
        if not new:
            say("Nothing was logged.", "未记录任何内容。")
            return
    unknown = [p for p in new if p.card is None]
    new = [p for p in new if p.card is not None]
    if not (interactive or yes):
        raise BadInput(
            f"{len(new)} would be logged ({len(unknown)} from unknown numbers "
            "skipped): add --yes to log them, or --dry-run to only look",
            f"将记录 {len(new)} 条（{len(unknown)} 条来自未知号码，将跳过）：加 --yes 记录，"
            "或用 --dry-run 只查看",
        )
    if unknown:
        say(
            f"{len(unknown)} from numbers the book does not know are skipped: debtcli numbers "
            "add NUMBER --card CARD, or --card CARD for all of them.",
            f"{len(unknown)} 条来自号码本中没有的号码，已跳过：debtcli numbers add 号码 --card 卡，"
            "或用 --card 卡 指定。",
        )
    if not new:
        return
    run = (source[0], str(source[1].resolve()), interactive)
    done = contactlog.import_proposals(s, pack, new, state.today, run, again)
    _say_set_aside(done.set_aside)
    if done.already:
        say(
            f"{done.already} were logged meanwhile by another import and are not logged twice.",
            f"{done.already} 条已由同时进行的另一次导入记录，不再重复记录。",
        )
    ids = done.ids
    if ids:
        say(
            f"Logged {len(ids)} entries (#{ids[0]}–#{ids[-1]}) as import {done.run}. Check "
            "them: debtcli log list",
            f"已记录 {len(ids)} 条（#{ids[0]}–#{ids[-1]}），导入批次 {done.run}。查看：debtcli log list",
        )


@log_app.command("import-calls")
def import_calls(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A folder copied from the phone, e.g. "
            "MIUI/sound_recorder/call_rec or Sounds/CallRecord "
            "(searched with its subfolders)."
        ),
    ],
    yes: YesOpt = False,
    dry_run: DryOpt = False,
    card: CardOpt = None,
    every: ListOpt = False,
    json_out: ListJsonOpt = False,
    again: AgainOpt = False,
) -> None:
    """Log the call recordings your phone made: time and number from each file's name
    (Xiaomi, Huawei/Honor, vivo, OPPO/OnePlus/realme, Samsung, LineageOS, BCR; else the file's
    date, said in the entry), who dialled only where the name says it (else "direction
    unknown", nobody's contact until you say), the length, the recording attached. A
    recording already logged is skipped."""
    from debtcli import phone
    from debtcli import store as st
    from debtcli.errors import BadInput

    s, pack = state.store(), state.pack()
    recordings, skipped = phone.scan_recordings(folder, pack.data["phone"])
    if not recordings:
        raise BadInput(
            f"no call recordings in {folder} (looked for "
            f"{', '.join(pack.data['phone']['audio'])} files)",
            f"{folder} 中没有通话录音（查找的是 {'、'.join(pack.data['phone']['audio'])} 文件）",
        )
    logged = _statuses(again, st.logged_attachment_hashes, lambda h: h)
    proposals = phone.propose_calls(recordings, _known(s, pack), logged, state.lang)
    reasons = {
        "not-audio": ("not a recording (not one of the audio types)", "不是录音（不是音频文件）"),
        "empty": ("empty", "为空"),
        "not-a-call": (
            "too large for a call, or not a regular file",
            "大得不像通话录音或不是普通文件",
        ),
        "unreadable": ("unreadable", "无法读取"),
    }
    for why, n in skipped.items():
        (say if not json_out else _say_aside)(
            f"{n} file{'s' if n > 1 else ''} not taken: {reasons[why][0]}.",
            f"{n} 个文件未导入：{reasons[why][1]}。",
        )
    _review_and_log(proposals, yes, dry_run, card, ("calls", folder), json_out, every, again)


@log_app.command("import-sms")
def import_sms(
    file: Annotated[Path, typer.Argument(help='The .xml that "SMS Backup & Restore" wrote.')],
    yes: YesOpt = False,
    dry_run: DryOpt = False,
    card: CardOpt = None,
    every: ListOpt = False,
    json_out: ListJsonOpt = False,
    again: AgainOpt = False,
) -> None:
    """Log collection messages from an Android SMS backup: only those from a number in the book
    or with a collection word (逾期, 催收, 律师函, a bank's name …); their text becomes the note
    and the claims in it (抓人, 黑名单 …) are flagged. Personal messages are never kept."""
    from debtcli import phone
    from debtcli import store as st

    s, pack = state.store(), state.pack()
    logged = _statuses(again, st.logged_messages, lambda m: phone.message_key(*m))
    undated: list[str] = []
    proposals = phone.propose_sms(
        phone.read_sms_backup(file, undated),
        _known(s, pack),
        logged,
        pack.data["phone"]["sms"],
        st.list_cards(s, include_archived=True),
        pack.data.get("banks", []),
        pack.bank,
    )
    if undated:  # said on stderr beside --json, whose stdout is the data
        n = len(undated)
        (say if not json_out else _say_aside)(
            f"{n} message{'s' if n > 1 else ''} without a readable date set aside, not read "
            f"(from {', '.join(sorted(set(undated))[:5])}).",
            f"{n} 条短信没有可读的日期，已搁置、未读取（来自 {'、'.join(sorted(set(undated))[:5])}）。",
        )
    if not proposals and not json_out:
        say(f"No collection messages in {file}.", f"{file} 中没有催收短信。")
        return
    _review_and_log(proposals, yes, dry_run, card, ("sms", file), json_out, every, again)


log_app.command("导入录音", hidden=True)(import_calls)
log_app.command("导入短信", hidden=True)(import_sms)


@numbers_app.command("add")
def numbers_add(
    number: Annotated[
        str,
        typer.Argument(
            help="The number, as it shows on your phone (95558, 400-812-3456, +86 138 1234 5678)."
        ),
    ],
    card: Annotated[str | None, Opt("--card", help="The card calls from it are about.")] = None,
    bank: Annotated[
        str | None,
        Opt(
            "--bank", help="Or the bank (its card is found when you have one there), e.g. 中信银行."
        ),
    ] = None,
    org: Annotated[
        str | None, Opt("--org", help="Who answers on it, e.g. 某某资产管理有限公司.")
    ] = None,
    party: Annotated[
        str | None,
        Opt(
            "--party",
            help="bank, agency, law-firm, court, unknown or impostor (Chinese words too).",
        ),
    ] = None,
) -> None:
    """Say whose a number is. Numbers you log with --phone are learned without this."""
    from datetime import UTC, datetime

    from debtcli import phone
    from debtcli import store as st
    from debtcli.contactlog import PARTIES, choice
    from debtcli.errors import BadInput
    from debtcli.ledger import find_card

    s, pack = state.store(), state.pack()
    key = phone.number(number)
    if not 3 <= len(key) <= 20:
        raise BadInput(f"{number!r} is not a phone number", f"{number!r} 不是电话号码")
    c = find_card(s, card) if card else None
    if bank and pack.bank(bank) is None and not any(b["bank"] == bank for b in st.list_cards(s)):
        raise BadInput(
            f"--bank {bank!r}: not a bank debtcli knows nor one of your cards'",
            f"--bank {bank!r}：不是 debtcli 知道的银行，也不是你的卡所属银行",
        )
    who = choice(
        "--party",
        party,
        PARTIES,
        "bank" if (bank or c) and not org else "agency" if org else "unknown",
        pack,
    )
    st.add_number(
        s,
        key,
        c["id"] if c else None,
        bank,
        org,
        who,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )
    say(
        f"{key}: {pack.word_name('party', who, 'en')}"
        f"{' ' + org if org else ''}{', card ****' + c['last4'] if c else ''}"
        f"{', ' + bank if bank else ''}.",
        f"{key}：{pack.word_name('party', who, 'zh')}{' ' + org if org else ''}"
        f"{'，卡 ****' + c['last4'] if c else ''}{'，' + bank if bank else ''}。",
    )


@numbers_app.command("list")
def numbers_list(json_out: JsonOpt = False) -> None:
    """The number book, and the numbers the log has learned."""
    from debtcli.cli.tables import show_table

    s, pack, t = state.store(), state.pack(), state.t
    known = _known(s, pack)
    if json_out:
        emit_json(
            [
                {
                    "number": n,
                    "card": k.card["last4"] if k.card else None,
                    "org": k.org,
                    "party": k.party,
                }
                for n, k in sorted(known.items())
            ]
        )
        return
    if not known:
        say(
            "No numbers yet: debtcli numbers add 95558 --bank 中信银行",
            "还没有号码：debtcli numbers add 95558 --bank 中信银行",
        )
        return
    show_table(
        console(),
        [t("number", "号码"), t("card", "卡"), t("who", "对方")],
        [
            [
                n,
                _card_name(k.card) if k.card else "—",
                " ".join(x for x in (pack.word_name("party", k.party, state.lang), k.org) if x),
            ]
            for n, k in sorted(known.items())
        ],
    )
