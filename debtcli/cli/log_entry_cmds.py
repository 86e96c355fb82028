"""`log add` and `log amend`: the two commands that take every field of a contact, in a
module of their own so that `log list` and `log import` do not build their forty options."""

import functools
import inspect
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from debtcli.cli.common import CardArg, say, state
from debtcli.cli.evidence_cmds import log_app
from debtcli.dates import show_time

Opt = typer.Option


def _entry_options(
    at: Annotated[
        str | None,
        Opt(
            "--at",
            help="When it happened: '2026-11-20 22:40', "
            "'yesterday 22:40', '3 days ago 22:40', '22:40'. Default now. A date alone means "
            "midday.",
        ),
    ] = None,
    channel: Annotated[
        str | None,
        Opt(
            "--channel",
            help="sms, call, letter, lawyer-letter, visit, email, app, wechat or other.",
        ),
    ] = None,
    missed: Annotated[
        bool,
        Opt("--missed", help="A call you did not answer (counts toward the daily attempts limit)."),
    ] = False,
    direction: Annotated[
        str | None,
        Opt(
            "--direction",
            help="in (they contacted you, default), out (you contacted them), or unknown "
            "(an imported recording: not counted as theirs until you say).",
        ),
    ] = None,
    party: Annotated[
        str | None,
        Opt(
            "--party",
            help="Who: bank, agency, law-firm, court, "
            "unknown, or impostor (someone using the bank's name: "
            "the bank's hotline denied them).",
        ),
    ] = None,
    org: Annotated[str | None, Opt("--org", help="The company, e.g. 某某资产管理有限公司.")] = None,
    agent: Annotated[str | None, Opt("--agent", help="The collector's name as given.")] = None,
    agent_id: Annotated[str | None, Opt("--agent-id", help="Their employee number.")] = None,
    phone: Annotated[str | None, Opt("--phone", help="The number they called from.")] = None,
    minutes: Annotated[str | None, Opt("--minutes", help="How long the call lasted.")] = None,
    contacted: Annotated[
        str | None,
        Opt(
            "--contacted",
            help="Who they reached: self (default), "
            "family, employer, colleague, friend, contacts-list or "
            "other.",
        ),
    ] = None,
    agents: Annotated[str | None, Opt("--agents", help="Visits: how many people came.")] = None,
    credentials: Annotated[
        list[str] | None,
        Opt(
            "--credentials",
            help="Visits: what they "
            "showed: work-id, authorization or none "
            "(repeat or comma-separate).",
        ),
    ] = None,
    demanded: Annotated[str | None, Opt("--demanded", help="The amount they demanded.")] = None,
    pay_to: Annotated[str | None, Opt("--pay-to", help="Where they asked the money to go.")] = None,
    promise: Annotated[
        str | None, Opt("--promise", help="What was promised, by either side.")
    ] = None,
    promise_date: Annotated[
        str | None, Opt("--promise-date", help="The date of the promise.")
    ] = None,
    claim: Annotated[
        list[str] | None,
        Opt(
            "--claim",
            help="What they claimed (see `debtcli "
            "facts`): arrest, criminal-record, blacklist, "
            "family-liable, employer, children-school, "
            "court-today, pay-to-person.",
        ),
    ] = None,
    flag: Annotated[
        list[str] | None,
        Opt("--flag", help="threat, insult, violence, impersonation, repeated, no-seal or other."),
    ] = None,
    no_seal: Annotated[
        bool,
        Opt(
            "--no-seal",
            help="Letters: it carries no bank seal (a "
            "collection letter must; see `debtcli facts letter-check`).",
        ),
    ] = False,
    note: Annotated[str | None, Opt("--note", help="What was said, in your words.")] = None,
    attach: Annotated[
        list[Path] | None,
        Opt(
            "--attach",
            help="A recording, photo or screenshot (repeatable). Copied into the evidence folder.",
        ),
    ] = None,
) -> None:
    """Only its signature is used: the options `log add` and `log amend` share."""


_ENTRY_PARAMS = list(inspect.signature(_entry_options).parameters.values())


def entry_command(func: Any) -> Any:
    """Give a command the shared entry options; they arrive as one dict, `opts`."""
    sig = inspect.signature(func)
    own = [p for p in sig.parameters.values() if p.name != "opts"]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        opts = {p.name: kwargs.pop(p.name) for p in _ENTRY_PARAMS}
        return func(**kwargs, opts=opts)

    wrapper.__signature__ = sig.replace(parameters=own + _ENTRY_PARAMS)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**func.__annotations__, **_entry_options.__annotations__}
    wrapper.__annotations__.pop("opts", None)
    return wrapper


DRAFT = ".debtcli-draft-log-add.json"


def _draft_path() -> Path:
    return state.store_path.parent / DRAFT


def _resume_draft(card: str, opts: dict[str, Any]) -> None:
    """A draft a cancelled `log add` left: offered back, answers filled in where none given."""
    import json

    from debtcli.cli.common import ask
    from debtcli.visit import yes_no

    path = _draft_path()
    try:
        draft = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if draft.get("card") != card:
        return
    t = state.t
    if ask(
        t(
            "A log entry you started and cancelled was kept as a draft. Continue it? (y/n)",
            "有一条之前取消、已保存为草稿的记录。要继续填写吗？（是/否）",
        ),
        lambda a: yes_no(state.pack(), a),
        t("y", "是"),
    ):
        for k, v in draft.get("opts", {}).items():
            if opts.get(k) in (None, [], False, ""):
                opts[k] = [Path(p) for p in v] if k == "attach" else v
    path.unlink(missing_ok=True)


def _save_draft(card: str, opts: dict[str, Any]) -> None:
    """What was typed before Ctrl-C or Ctrl-D, kept beside the store (0600) for next time."""
    import json
    import os

    data = {k: v for k, v in opts.items() if v not in (None, [], False, "") and k != "attach"}
    data["attach"] = [str(p) for p in opts.get("attach") or []]
    if data.get("_asked"):  # the question being answered when it was cancelled: ask it again
        data["_asked"] = data["_asked"][:-1]
    path = _draft_path()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"card": card, "opts": data}, f, ensure_ascii=False)


def _last_caller(card: Any) -> dict[str, Any] | None:
    """Who last contacted the cardholder about this card (party, organisation, agent, number):
    the daily caller is offered as the answer, not typed again."""
    from debtcli import store as st

    for e in reversed(st.contacts(state.store(), card_id=card["id"], latest=20)):
        if e["direction"] != "out" and e["party"] != "unknown" and (e["org"] or e["phone"]):
            return {k: e[k] for k in ("party", "org", "agent", "agent_id", "phone")}
    return None


def _prompt_missing(opts: dict[str, Any], last: dict[str, Any] | None = None) -> None:
    """Ask for what is missing, in the order that matters, in the user's language and words,
    only when a person is at the keyboard; Enter through the rest is fine. last: the card's
    last caller, offered in one question (Enter: the same caller) before asking who it was."""
    from debtcli.cli.common import ask, ask_choice
    from debtcli.contactlog import CHANNELS, CONTACTED, LETTERS, PARTIES
    from debtcli.dates import parse_past_datetime
    from debtcli.visit import yes_no

    t, pack = state.t, state.pack()
    skip = t(" (Enter to skip)", "（回车跳过）")

    def text(a: str) -> str | None:
        return a.strip() or None

    def when(a: str) -> str | None:
        if a.strip().lower() in ("", "now", "现在"):
            return None
        parse_past_datetime(a, state.today)  # checked now, so a typo is asked again
        return a

    asked = opts.setdefault("_asked", [])

    def need(key: str) -> bool:
        """Not given and not yet asked (a resumed draft does not ask again what was skipped)."""
        if opts.get(key) or key in asked:
            return False
        asked.append(key)
        return True

    if need("at"):
        opts["at"] = ask(
            t(
                "When (e.g. 'yesterday 22:40'; Enter: now)",
                "什么时候（例如“昨天 晚上10点40”；回车表示现在）",
            ),
            when,
        )
    if need("channel"):
        opts["channel"] = ask_choice(
            t("How did they contact you", "联系方式"), "channel", CHANNELS, "call"
        )
    given = any(opts.get(k) for k in ("party", "org", "agent", "agent_id", "phone"))
    if last and not given and "same" not in asked:
        asked.append("same")
        who = " ".join(
            x
            for x in (
                pack.word_name("party", last["party"], state.lang),
                last["org"],
                last["agent"],
                last["phone"],
            )
            if x
        )
        if ask(
            t(
                f"The same caller as last time: {who}? (y/n)",
                f"和上次是同一个对方吗：{who}？（是/否）",
            ),
            lambda a: yes_no(pack, a),
            t("y", "是"),
        ):
            opts.update({k: v for k, v in last.items() if v})
            asked.extend(["party", "org", "agent", "phone"])
    if need("party"):
        opts["party"] = ask_choice(t("Who was it", "对方是谁"), "party", PARTIES, "unknown")
    if need("org"):
        opts["org"] = ask(t("Their organisation", "对方机构") + skip, text)
    if need("agent") and not opts.get("agent_id"):
        opts["agent"] = ask(t("Their name and employee number", "对方姓名和工号") + skip, text)
    if need("phone") and opts["channel"] in ("call", "sms", "wechat"):
        opts["phone"] = ask(t("The number they used", "对方的号码") + skip, text)
    if need("contacted"):
        opts["contacted"] = ask_choice(
            t("Whom did they reach", "他们联系了谁"), "contacted", CONTACTED, "self"
        )
    if opts["channel"] in LETTERS and not opts.get("no_seal"):
        opts["no_seal"] = not ask(
            t("Does the letter carry the bank's seal? (y/n)", "信上有银行公章吗？（是/否）"),
            lambda a: yes_no(pack, a),
            t("y", "是"),
        )
    if need("note"):
        opts["note"] = ask(t("What was said", "说了什么") + skip, text)
    if need("claim"):
        names = t(", ", "、").join(
            pack.word_name("claim", k, state.lang) for k in pack.claim_keys()
        )
        opts["claim"] = ask(
            t(f"Did they claim any of: {names}?", f"他们有没有说：{names}？") + skip,
            lambda a: [a] if a.strip() else None,
        )
    if need("attach"):
        opts["attach"] = ask(
            t(
                "A recording or screenshot to attach (drag it here, or type its path)",
                "要附上的录音或截图（把文件拖到这里，或输入文件路径）",
            )
            + skip,
            _attachment_answer,
        )


def _attachment_answer(answer: str) -> list[Path] | None:
    """A dragged file's path, as the terminal pasted it; one that cannot be read is asked
    again, so the answers before it are never lost."""
    from debtcli.errors import BadInput
    from debtcli.files import pasted_path

    if not answer.strip():
        return None
    path = pasted_path(answer)
    if not path.is_file():
        raise BadInput(
            f"cannot find the file {path}: drag it here again, or press Enter to attach nothing",
            f"找不到文件 {path}：请再把它拖到这里，或直接按回车不附文件",
        )
    return [path]


def _split_attach(opts: dict[str, Any]) -> list[str]:
    return [str(p) for p in (opts.pop("attach", None) or [])]


def _rule_text(key: str) -> str:
    pack = state.pack()
    return pack.text(pack.conduct_rule(key), "", state.lang)


@log_app.command("add")
@entry_command
def log_add(card: CardArg, opts: dict[str, Any]) -> None:
    """Record a collector contact as evidence. Prompts for what is missing when run in a
    terminal."""
    from debtcli import contactlog
    from debtcli.flags import entry_violations
    from debtcli.ledger import find_card

    s, pack = state.store(), state.pack()
    c = find_card(s, card, include_archived=False)
    if sys.stdin.isatty():
        if _draft_path().exists():
            _resume_draft(card, opts)
        try:
            _prompt_missing(opts, _last_caller(c))
        except (KeyboardInterrupt, EOFError) as exc:
            _save_draft(card, opts)
            say(
                "\nCancelled; nothing was saved (your answers are kept as a draft: the next "
                "`log add` offers them back).",
                "\n已取消，未保存（已填写的内容保存为草稿，下次 `log add` 会询问是否继续）。",
            )
            raise typer.Exit(130 if isinstance(exc, KeyboardInterrupt) else 1) from None
    opts.pop("_asked", None)
    attach = _split_attach(opts)
    entry = contactlog.add(s, pack, c, opts, attach, state.today)
    flags = entry_violations(s, pack, entry["id"])
    short = entry["hash"][:16]
    when = show_time(entry["at"], state.lang)
    how = pack.word_name("channel", entry["channel"], state.lang)
    if entry.get("answered") == 0:
        how += state.t(", missed", "，未接")
    say(
        f"Logged entry {entry['id']} ({how}, {when}) for ****{c['last4']}; hash {short}…",
        f"已记录第 {entry['id']} 条（{how}，{when}），卡 ****{c['last4']}；哈希 {short}…",
    )
    for a in entry["attachments"]:  # what was kept, by name: the file itself is in the store
        size = file_size(a["size"])
        say(
            f"  attached: {a['name']} ({size}, SHA-256 {a['sha256'][:12]}…)",
            f"  附件：{a['name']}（{size}，SHA-256 {a['sha256'][:12]}…）",
        )
    for key in flags:
        if key == "false-claim" and entry.get("claims"):  # each claim named as what it is
            for claim in entry["claims"].split(","):
                label = pack.claim_label(claim, state.lang)
                say(f"  ⚑ possible violation: {label}", f"  ⚑ 可能违规：{label}")
            continue
        say(f"  ⚑ possible violation: {_rule_text(key)}", f"  ⚑ 可能违规：{_rule_text(key)}")
    if flags:
        say(
            "  See `debtcli violations` for the rules and their sources.",
            "  用 `debtcli violations` 查看相关规定及出处。",
        )


def file_size(n: int) -> str:
    """A file's size as people read it: 812 B, 1.2 MB."""
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= step:
            return f"{n / step:.1f} {unit}"
    return f"{n} B"


@log_app.command("amend")
@entry_command
def log_amend(
    entry_id: Annotated[int, typer.Argument(help="The entry to correct.")],
    opts: dict[str, Any],
) -> None:
    """Correct an entry by appending a correction; the original is kept and still shown with
    `log list --history`."""
    from debtcli import contactlog

    attach = _split_attach(opts)
    opts = {k: v for k, v in opts.items() if not (k in ("missed", "no_seal") and v is False)}
    r = contactlog.amend(state.store(), state.pack(), entry_id, opts, attach, state.today)
    say(
        f"Entry {r['amends']} corrected by entry {r['id']}; the original is kept.",
        f"第 {r['amends']} 条已由第 {r['id']} 条更正；原记录保留。",
    )


@log_app.command("withdraw")
def log_withdraw(
    entry_id: Annotated[
        int | None, typer.Argument(help="The entry to withdraw (its # in `log list`).")
    ] = None,
    why: Annotated[
        str | None,
        typer.Option("--why", help="Why it should never have been logged, e.g. 'a bank advert'."),
    ] = None,
    run: Annotated[
        int | None,
        typer.Option(
            "--import",
            min=1,
            help="Withdraw everything one import logged (its number is said when it ends).",
        ),
    ] = None,
) -> None:
    """Take an entry that should never have been logged out of every count (violations,
    stages, the limitation period, letters, reports). It stays in the chain and in bundles,
    marked withdrawn with when and why (`log list --history`); nothing is deleted."""
    from debtcli import contactlog

    ids = contactlog.withdraw(state.store(), entry_id, run, why)
    shown = contactlog._ranges(ids) if ids else "—"
    say(
        f"Withdrew {len(ids)} {'entry' if len(ids) == 1 else 'entries'} ({shown}): kept in the "
        "chain and in bundles, shown by `log list --history`, counted nowhere.",
        f"已撤回 {len(ids)} 条记录（{contactlog._ranges(ids, '、') if ids else '—'}）：仍保留在哈希链和"
        "证据包中，`log list --history` 可查看，不再计入任何统计。",
    )


log_app.command("撤回", hidden=True)(log_withdraw)
