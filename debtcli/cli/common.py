"""The Typer application, its global options and the one place errors become exit codes."""

import errno
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from debtcli import __version__
from debtcli.errors import BadInput, DebtcliError, StoreError, not_one_of, os_reason
from debtcli.i18n import LANGS, default_lang, pick


class State:
    """This run's global options, and the store and pack opened once for it."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.lang = default_lang()
        self.today = date.today()
        self.rules = "cn"
        self._store: Any = None
        self._pack: Any = None

    def t(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    @property
    def store_path(self) -> Path:
        from debtcli.store import resolve_store_path

        return resolve_store_path(self.db)

    def store(self, create: bool = False) -> Any:
        """The store, opened once. Only commands that write a first record (`card add`,
        `demo`, `import`) pass create: a read command on a mistyped --db makes nothing."""
        if self._store is None:
            from debtcli.store import open_store

            self._store = open_store(self.store_path, create=create)
            self._store.pack_loader = self.pack
            from debtcli.store import sweep_orphans

            sweep_orphans(self.store_path.parent)  # a killed backup's staging: a few names
        return self._store

    def pack(self) -> Any:
        if self._pack is None:
            from debtcli.rules import load_pack

            # Parsed once and kept beside the store (its folder is the user's data folder, or
            # the one they chose), so no command pays to find another folder.
            self._pack = load_pack(self.rules, self.store_path.parent / ".debtcli-cache")
        return self._pack

    def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            try:
                if store.wrote:
                    send_stamps_in_background(store)
            finally:
                store.close()


def send_stamps_in_background(store: Any) -> None:
    """After a command that wrote: if timestamp requests wait (a TSA is configured), a
    detached `evidence stamp --background` sends them. The command that wrote never waits for
    the network, and never fails because of it."""
    import sqlite3 as _sqlite3
    import subprocess

    from debtcli.store import stamps_pending

    if os.environ.get("DEBTCLI_NO_BACKGROUND"):
        return
    try:
        if not stamps_pending(store.conn):
            return
    except _sqlite3.Error:  # a store too old for stamps, or one the command could not use
        return
    devnull = subprocess.DEVNULL
    subprocess.Popen(
        [
            sys.executable,
            "-m",
            "debtcli",
            "--db",
            str(store.path),
            "evidence",
            "stamp",
            "--background",
        ],
        stdin=devnull,
        stdout=devnull,
        stderr=devnull,
        start_new_session=True,
        close_fds=True,
        env={**os.environ, "DEBTCLI_NO_BACKGROUND": "1"},
    )  # it sends; no relay


state = State()


DISK_FULL_EN = (
    "the disk holding {path} is full: nothing was written, and everything recorded "
    "before is intact. Free some space and try again"
)
DISK_FULL_ZH = "{path} 所在磁盘已满：本次未写入任何内容，之前的记录完好。请腾出空间后重试"


def fail_message(text: str) -> None:
    prefix = state.t("debtcli: error: ", "debtcli：错误：")
    sys.stderr.write(prefix + text.replace("\n", " ") + "\n")


def usage_failed(exc: Any) -> NoReturn:
    """A refused command line: one line in the user's language naming where help is, exit 2."""
    from debtcli.cli.helptext import usage_error

    where = getattr(getattr(exc, "ctx", None), "command_path", None)
    hint = state.t(f" (help: {where} -h)", f"（帮助：{where} -h）") if where else ""
    fail_message(usage_error(exc, state.lang) + hint)
    raise typer.Exit(getattr(exc, "exit_code", 2)) from None


class Refining(TyperCommand):
    """A command that can say better than click why its command line is refused: refine()
    raises a refusal of its own, or returns and click's stands."""

    def refine(self, ctx: Any, kind: str, exc: Any, typed: list[str]) -> None:
        """kind: click's exception's name (Typer carries its own copy of click's classes);
        typed: the command's arguments as given."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        typed = list(args)  # click's parser empties args as it reads them
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            self.refine(ctx, type(exc).__name__, exc, typed)
            raise


class DebtcliGroup(TyperGroup):
    """Catches our error family once: a one-line message on stderr and a documented exit code.
    Exit 2: bad input or an unusable store (nothing was written). Exit 1: a check failed."""

    def main(  # type: ignore[override]  # click's other arguments pass through **extra
        self, args: Any = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        """Every run starts here (the console script and tests alike): the language is read
        from the command line before anything else, so help and Typer's own messages are in
        it."""
        from debtcli.cli.helptext import lang_of, localize

        args = list(sys.argv[1:] if args is None else args)
        state.lang = lang_of(args)
        localize(self, state.lang)
        _refuse_bytes_that_are_not_text(args)
        return super().main(args, prog_name, **extra)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """debtcli's own options (`debtcli --bogus`) are refused like a command's."""
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            if not hasattr(exc, "format_message"):
                raise
            raise usage_failed(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DebtcliError as exc:
            fail_message(exc.text(state.lang))
            raise typer.Exit(exc.exit_code) from None
        except sqlite3.DatabaseError as exc:
            if "full" in str(exc):
                err = StoreError(
                    DISK_FULL_EN.format(path=state.store_path),
                    DISK_FULL_ZH.format(path=state.store_path),
                )
            else:
                from debtcli.store import store_error

                err = store_error(state.store_path, exc)
            fail_message(err.text(state.lang))
            raise typer.Exit(2) from None
        except BrokenPipeError:
            # `debtcli log list --all | head`: the reader has what it wanted. No message, and
            # stdout pointed at /dev/null so that Python's exit flush does not complain.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                # No file named: the output (stdout) is what could not be written, not the
                # store, whose full disk SQLite reports itself (above).
                output = getattr(exc, "debtcli_output", False)  # cli.streams marks it
                fail_message(
                    state.t(
                        "the output could not be written: no space left on its disk; the "
                        "store was not changed"
                        if output
                        else DISK_FULL_EN.format(path=exc.filename or state.store_path),
                        "输出无法写入：其所在磁盘已满；数据文件未作任何修改"
                        if output
                        else DISK_FULL_ZH.format(path=exc.filename or state.store_path),
                    )
                )
                raise typer.Exit(2) from None
            where = f" ({exc.filename})" if exc.filename else ""
            en, zh = os_reason(exc)
            fail_message(state.t(f"{en}{where}", f"{zh}{where}"))
            raise typer.Exit(2) from None
        except typer.TyperException as exc:
            # Typer's own refusals (a value out of range, an unknown option, a missing
            # argument) as one line like ours, naming where help is. The help a bare group
            # shows (`debtcli log`) is not an error.
            if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
                raise
            usage_failed(exc)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, EOFError):
            raise
        except Exception as exc:
            raise _internal(exc) from None
        finally:
            state.close()


def _refuse_bytes_that_are_not_text(args: list[str]) -> None:
    """A value typed in a terminal set to another encoding (a GBK byte on a UTF-8 system)
    reaches Python as surrogates, which no note, name or letter can hold. Refused here, before
    any command runs; a file's own name (one that exists) may be any bytes."""
    for arg in args:
        if not any("\ud800" <= ch <= "\udfff" for ch in arg) or os.path.lexists(arg):
            continue
        shown = arg.encode("utf-8", "backslashreplace").decode()[:60]
        fail_message(
            state.t(
                f"{shown} is not UTF-8 text "
                "(perhaps typed in a terminal set to another encoding): retype it; nothing was "
                "changed",
                f"{shown} 不是 UTF-8 文本（可能是在"
                "其他编码的终端中输入的）：请重新输入；未做任何修改",
            )
        )
        raise SystemExit(2)


def _internal(exc: Exception) -> Any:
    """A bug. One line, never a traceback full of someone's debts; DEBTCLI_DEBUG=1 shows it
    for a report. Nothing half-done was committed: writes are transactions."""
    if os.environ.get("DEBTCLI_DEBUG"):
        raise exc
    fail_message(
        state.t(
            f"internal error ({type(exc).__name__}); nothing was changed. Set "
            "DEBTCLI_DEBUG=1 to see the details for a bug report",
            f"内部错误（{type(exc).__name__}）；未做任何修改。设置 DEBTCLI_DEBUG=1 可查看详情以便报告问题",
        )
    )
    return typer.Exit(3)


CONTEXT = {"help_option_names": ["-h", "--help"]}
LIMIT_MAX = 1_000_000_000  # --limit: a count of rows, within what SQLite takes

app = typer.Typer(
    cls=DebtcliGroup,
    context_settings=CONTEXT,
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=False,
    help=(
        "Keep control of an overdue credit card, on your own machine.\n\n"
        "Record your cards, what you owe and what you pay; log every collector contact as "
        "evidence; see which collection stage comes next and when; write letters to the bank.\n\n"
        "Start with: debtcli demo    Then: debtcli card add --bank 中信银行 --last4 4821"
    ),
)


def sub_app(help_text: str, cls: Any = None) -> typer.Typer:
    return typer.Typer(
        context_settings=CONTEXT,
        no_args_is_help=True,
        help=help_text,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        **({"cls": cls} if cls else {}),
    )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"debtcli {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="DEBTCLI_DB",
            metavar="PATH",
            help="The store file (default: your user data folder; see `debtcli path`).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="DEBTCLI_LANG",
            metavar="zh|en",
            help="Output language: zh or en (default: from your locale).",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar="DEBTCLI_TODAY",
            metavar="DATE",
            help="Pretend today is DATE for every computation, e.g. to ask "
            "'where will I be on 1 March?'.",
        ),
    ] = None,
    rules: Annotated[
        str,
        typer.Option(
            "--rules",
            envvar="DEBTCLI_RULES",
            metavar="PACK",
            help="Rule pack: a built-in name (cn) or a path to a .toml file.",
        ),
    ] = "cn",
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    state.db, state.rules, state._store, state._pack = db, rules, None, None
    state.lang = default_lang()
    if lang is not None:
        if lang.strip().lower() not in LANGS:
            raise BadInput(f"--lang {lang!r}: choose zh or en", f"--lang {lang!r}：请选择 zh 或 en")
        state.lang = lang.strip().lower()
    state.today = date.today()
    if today:
        from debtcli.dates import parse_date

        state.today = parse_date(today, date.today())
    if ctx.invoked_subcommand is None:
        welcome()


WELCOME = (
    (
        "debtcli keeps, on this computer only, your overdue credit cards, what you owe and pay, "
        "and every collector contact as evidence; it tells you what typically comes next.\n"
        "Your records live in {path} (nothing leaves this machine).\n\n"
        "Start here, question by question: debtcli setup\n\n"
        "Or one command at a time:\n"
        "  debtcli card add --bank 中信银行 --last4 4821      a card (only the last four digits)\n"
        "  debtcli overdue 4821 --since 2026-08-05 --amount 62400   what you owe since when\n"
        "  debtcli log add 4821                              a call, SMS, letter or visit\n"
        "See an example first: debtcli demo    All commands: debtcli -h"
    ),
    (
        "debtcli 只在这台电脑上记录你逾期的信用卡、欠款和还款，并把每一次催收联系保存为证据；"
        "它会告诉你接下来通常会发生什么。\n"
        "你的记录保存在 {path}（不会离开这台电脑）。\n\n"
        "从这里开始，一问一答：debtcli 开始\n\n"
        "或者逐条命令：\n"
        "  debtcli card add --bank 中信银行 --last4 4821      添加一张卡（只保存后四位）\n"
        "  debtcli overdue 4821 --since 2026-08-05 --amount 62400   从哪天起欠多少\n"
        "  debtcli log add 4821                              记录一次电话、短信、信函或上门\n"
        "先看看示例：debtcli demo    全部命令：debtcli -h"
    ),
)


def welcome() -> None:
    """Bare `debtcli`: where you stand when there are cards, else a short welcome. Creates
    nothing."""
    try:
        has_cards = state.store().conn.execute("SELECT 1 FROM cards LIMIT 1").fetchone()
    except StoreError:
        has_cards = None
    if has_cards:
        from debtcli.cli.status_cmds import render_status, status_rows

        render_status(status_rows())
        return
    console().print(state.t(*WELCOME).format(path=state.store_path))


# --- output helpers shared by commands --------------------------------------------------------


def console(stderr: bool = False) -> Any:
    """Where commands print: plain, wrapped lines (debtcli.cli.term), not rich's console."""
    from debtcli.cli.term import Out

    return Out(stderr=stderr)


def emit_json(obj: Any) -> None:
    import json

    from debtcli.cli.streams import write_data

    write_data(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def day(iso: str | None) -> str:
    """A stored date (2026-12-05) in a sentence: 2026年12月5日 in Chinese. Tables keep the
    compact ISO form."""
    from debtcli.dates import day_text

    return day_text(iso, state.lang) if iso else ""


def say(en: str, zh: str) -> None:
    """Print a message that may hold user text: never interpreted as rich markup."""
    console().print(state.t(en, zh))


def ask(question: str, parse: Any, default: str = "") -> Any:
    """One question, answered in the user's own words; a wrong answer is told why in their
    language and asked again (rich's own checks answer in English)."""
    from rich.prompt import Prompt

    from debtcli.cli.term import rich_console

    out = rich_console()
    while True:
        answer = Prompt.ask(question, console=out, default=default, show_default=bool(default))
        try:
            return parse(answer)
        except (DebtcliError, ValueError, TypeError) as exc:
            text = (
                exc.text(state.lang)
                if isinstance(exc, DebtcliError)
                else state.t(
                    f"{answer!r} is not an answer to this question",
                    f"没看懂“{answer}”，请按括号里的选项回答",
                )
            )
            out.print("  " + text, markup=False, highlight=False)


def ask_choice(question: str, kind: str, choices: tuple[str, ...], default: str) -> str:
    """A choice asked with its options in the user's language, answered with any word the
    pack knows for them (电话, 来电, call)."""
    pack, lang = state.pack(), state.lang
    names = [pack.word_name(kind, c, lang) for c in choices]

    def parse(answer: str) -> str:
        key = pack.word(kind, answer).lower()
        if key not in choices:
            raise not_one_of("", names)
        return key

    sep = state.t(", ", "、")
    return ask(
        f"{question} ({sep.join(names)})" if lang == "en" else f"{question}（{sep.join(names)}）",
        parse,
        pack.word_name(kind, default, lang),
    )


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Do it without asking, even if it looks like a typo.")
]


def confirmed(action: Any, force: bool) -> Any:
    """Run action(force). If the core asks for confirmation (NeedsConfirmation), a person at a
    terminal is asked, in their language and words (no: nothing is changed, exit 2); a script
    gets the one-line refusal, which names --force."""
    from debtcli.errors import NeedsConfirmation

    try:
        return action(force)
    except NeedsConfirmation as exc:
        if force or not sys.stdin.isatty():
            raise
        from debtcli.visit import yes_no

        question = exc.text(state.lang)
        for hint in ("; if ", ". If ", "；如", "。如", " To replace", "脚本中"):  # for scripts
            if hint in question:
                question = question[: question.rindex(hint)].rstrip("；;。.?？ ")
                break
        if not ask(
            question + state.t(". Go ahead? (y/n)", "。继续吗？（是/否）"),
            lambda a: yes_no(state.pack(), a),
            state.t("n", "否"),
        ):  # their answer, not a script's refusal: no hint of --force
            sys.stderr.write(
                state.t("Not done: nothing was changed.\n", "已取消：未做任何更改。\n")
            )
            raise typer.Exit(2) from None
        return action(True)


CardArg = Annotated[
    str,
    typer.Argument(
        help="The card: its id (#3), last four digits (4821), name or bank (中信, CITIC)."
    ),
]


def render_agreement_notes(rows: list[dict]) -> None:
    """Warnings before a due installment and after a missed one: a missed installment can
    void an agreement."""
    from datetime import date

    from debtcli.money import format_amount, from_decimal_str

    for r in rows:
        a = r.get("agreement")
        if not a or r.get("settled_on"):  # a settled card owes no installment
            continue
        cur, card = r["currency"], f"****{r['last4']}"
        if a["status"] == "broken":  # as stage says it: broken, not "may lapse"
            m = next((x for x in a["missed"] if x["n"] == a["broken_by"]), a["missed"][0])
            say(
                f"! {card}: by your records the agreement broke on {day(a['broken_on'])}: "
                f"installment {m['n']} of {a['months']} was not paid within its grace. Call the "
                "bank now to ask it to keep the agreement, and keep paying what you can.",
                f"！{card}：按你的记录，协议已于 {day(a['broken_on'])} 违约：第 {m['n']}/{a['months']} 期"
                "在宽限期内没有还足，银行可能恢复催收。请立即联系银行，请求继续履行协议，并尽量按期还款。",
            )
        nxt = a["next"]
        if nxt:
            amount = format_amount(from_decimal_str(nxt["amount"]), cur)
            if nxt["status"] == "grace":
                late = state.today - date.fromisoformat(nxt["due"])
                say(
                    f"! {card}: installment {nxt['n']} of {a['months']}, {amount}, was due "
                    f"{day(nxt['due'])}: overdue {late.days} days (grace until "
                    f"{day(nxt['grace_until'])}). Pay it before then to keep the agreement.",
                    f"！{card}：第 {nxt['n']}/{a['months']} 期，{amount}，{day(nxt['due'])} 到期："
                    f"已逾期 {late.days} 天（宽限至 {day(nxt['grace_until'])}）。请在此之前还足，以免协议中断。",
                )
                continue
            soon_en, soon_zh = ("Soon: ", "即将到期：") if nxt["status"] == "due-soon" else ("", "")
            say(
                f"{soon_en}{card}: installment {nxt['n']} of {a['months']}, {amount}, due "
                f"{day(nxt['due'])}.",
                f"{soon_zh}{card}：第 {nxt['n']}/{a['months']} 期，{amount}，{day(nxt['due'])} 到期。",
            )
        elif a["complete"]:
            say(
                f"{card}: every installment of the agreement is paid.",
                f"{card}：协议的所有分期均已还清。",
            )


def emit_document(
    text_or_bytes: Any, output: Path | None, what_en: str, what_zh: str, force: bool = False
) -> None:
    """Print a document, or write it to the file the user named (owner-only). An existing
    file (perhaps an earlier, more detailed letter) is replaced only after a yes or --force."""
    from debtcli.documents import check_target, write_private

    if output is not None:
        confirmed(lambda f: check_target(output, f), force)
    if output is None:
        if isinstance(text_or_bytes, bytes):
            from debtcli.errors import BadInput

            raise BadInput(
                "a .docx file cannot go to the terminal: add -o FILE.docx",
                ".docx 文件无法输出到终端：请加 -o 文件.docx",
            )
        sys.stdout.write(text_or_bytes)
        return
    data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
    write_private(output, data)
    say(f"Wrote {what_en} to {output}.", f"已将{what_zh}写入 {output}。")
