"""Help in the user's language, wrapped to the terminal.

The English help lives with each command (Typer's annotations); the Chinese is a catalogue
keyed by the English text (debtcli.cli.help_zh), the way gettext keys a translation by its
msgid, so one translation serves every command that says the same thing and a changed English
text shows up as a missing translation in the tests. `localize` runs once per invocation on
the click commands Typer built (one command, except when help is asked): it costs a dict
lookup per option. Help is formatted by click's plain formatter with our wrapping (a Chinese
character is two cells), not by rich's: rich's help formatter costs more to import than the
rest of a command's start-up.
"""

import os
import sys
from typing import Any

from typer import Context

HelpFormatter = Context.formatter_class  # click's (Typer vendors click: no import path to rely on)

# Placeholders for values, by option (or argument) name; `:int` for an integer option that
# shares its name with a text one.
METAVARS = {
    "card": "CARD",
    "cards": "CARD...",
    "file": "FILE",
    "folder": "FOLDER",
    "number": "NUMBER",
    "kind": "KIND",
    "key": "WHAT",
    "amount": "AMOUNT",
    "payment_id": "PAYMENT",
    "entry_id": "ENTRY",
    "--since": "DATE",
    "--until": "DATE",
    "--date": "DATE",
    "--first": "DATE",
    "--first-due": "DATE",
    "--promise-date": "DATE",
    "--at": "WHEN",
    "--amount": "AMOUNT",
    "--principal": "AMOUNT",
    "--interest": "AMOUNT",
    "--fees": "AMOUNT",
    "--income": "AMOUNT",
    "--expenses": "AMOUNT",
    "--monthly": "AMOUNT",
    "--demanded": "AMOUNT",
    "--reduction": "AMOUNT",
    "--limit": "AMOUNT",
    "--limit:int": "N",
    "--months": "N",
    "--agents": "N",
    "--due-day": "DAY",
    "--statement-day": "DAY",
    "--minutes": "MINUTES",
    "--channel": "CHANNEL",
    "--party": "WHO",
    "--contacted": "WHO",
    "--direction": "in|out|unknown",
    "--org": "NAME",
    "--agent": "NAME",
    "--name": "NAME",
    "--agent-id": "ID",
    "--phone": "NUMBER",
    "--id-last4": "DIGITS",
    "--last4": "DIGITS",
    "--bank": "BANK",
    "--currency": "CODE",
    "--credentials": "WHAT",
    "--pay-to": "ACCOUNT",
    "--promise": "TEXT",
    "--note": "TEXT",
    "--reason": "TEXT",
    "--why": "TEXT",
    "--import": "RUN",
    "--address": "TEXT",
    "--claim": "CLAIM",
    "--flag": "FLAG",
    "--attach": "FILE",
    "--output": "FILE",
    "--bundle": "FILE",
    "--mask": "NAME",
    "--tsa": "URL",
    "--ca": "FILE",
    "--rule": "RULE",
    "--answers": "FILE",
    "--card": "CARD",
    "--strategy": "STRATEGY",
    "--rate": "CARD=PERCENT",
    "--kind": "KINDS",
    "--format": "md|html|docx",
    "--hardship": "KIND",
    "--to": "bank|regulator",
}

# What click and Typer write around the help, in Chinese.
_FRAME_ZH = {
    "Usage: ": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "[OPTIONS]": "[选项]",
    "COMMAND": "命令",
    "[ARGS]...": "[参数]...",
    "[env var: ": "[环境变量：",
    "default: ": "默认：",
    "required": "必填",
    "Show this message and exit.": "显示本帮助并退出。",
    "; ": "；",
}


def lang_of(args: list[str]) -> str:
    """The language for this run, known before any command is built: --lang before the
    command, else DEBTCLI_LANG, else the locale (a wrong --lang is refused later, by the
    option itself)."""
    from debtcli.i18n import LANGS, default_lang

    chosen = os.environ.get("DEBTCLI_LANG")
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
        elif not arg.startswith("-") and (
            i == 0 or args[i - 1] not in ("--db", "--lang", "--today", "--rules")
        ):
            break  # the command: options after it are its own
    chosen = (chosen or "").strip().lower()
    return chosen if chosen in LANGS else default_lang()


def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


class Formatter(HelpFormatter):  # type: ignore[valid-type,misc]  # click's, found at run time
    """click's help layout, wrapped by terminal cells, its frame in the user's language."""

    lang = "en"

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        from debtcli.cli.term import _size

        cols = _size(sys.stdout, sys.stdout.isatty())[0]
        super().__init__(indent_increment, width or max(min(cols, 100) - 2, 40), max_width)

    def frame(self, text: str) -> str:
        if self.lang != "zh":
            return text
        for en, zh in _FRAME_ZH.items():
            text = text.replace(en, zh)
        return text

    def _wrapped(self, text: str, width: int) -> list[str]:
        from debtcli.cli.tables import wrap_cells

        out: list[str] = []
        for n, paragraph in enumerate(text.split("\n\n")):
            if n:
                out.append("")
            lines = paragraph.split("\n")
            if all(line.startswith("  ") for line in lines):  # an example: kept as written
                out.extend(lines)
            else:
                out.extend(wrap_cells(" ".join(line.strip() for line in lines), width))
        return out

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = self.frame(prefix or "Usage: ") + prog + " "
        body = self.frame(args.replace("{", "").replace("}", ""))
        pad = " " * _cell_len(head)
        lines = self._wrapped(body, max(self.width - len(pad), 20))
        self.write(head + f"\n{pad}".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        colon = "：" if self.lang == "zh" else ":"
        self.write(f"{'':>{self.current_indent}}{self.frame(heading)}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        lines = self._wrapped(text, self.width - self.current_indent)
        self.write("".join(f"{indent}{line}".rstrip() + "\n" for line in lines))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(self.frame(first), self.frame(second)) for first, second in rows]
        first_col = min(max((_cell_len(f) for f, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            lines = self._wrapped(second, max(self.width - self.current_indent - first_col, 20))
            if _cell_len(first) > first_col - col_spacing:
                self.write(f"{indent}{first}\n")
                head = " " * first_col
            else:
                head = first + " " * (first_col - _cell_len(first))
            self.write(f"{indent}{head}{lines[0] if second else ''}".rstrip() + "\n")
            for line in lines[1:] if second else []:
                self.write(f"{indent}{' ' * first_col}{line}".rstrip() + "\n")


class FormatterZh(Formatter):
    lang = "zh"


class HelpContext(Context):
    formatter_class = Formatter


class HelpContextZh(Context):
    formatter_class = FormatterZh


def _first_sentence(text: str) -> str:
    """The line a command gets in its group's list: its help up to the first full stop."""
    import re

    text = " ".join(text.split("\n\n")[0].split()) + " "
    end = re.search(r"(?<!e\.g)(?<!i\.e)[.?] |。", text)
    return text[: end.end() if end else len(text)].strip()


def key(text: str) -> str:
    """A catalogue key: the English text with its line breaks and runs of blanks collapsed."""
    return " ".join(text.split())


def localize(command: Any, lang: str) -> None:
    """Put the command tree's help, short help and placeholders in `lang` (in place)."""
    text: dict[str, str] = {}
    metavars: dict[str, str] = {}
    if lang == "zh":
        from debtcli.cli import help_zh

        text, metavars = help_zh.TEXT, help_zh.METAVARS
    _localize(command, lang, text, metavars)


def _localize(command: Any, lang: str, text: dict[str, str], metavars: dict[str, str]) -> None:
    command.context_class = HelpContextZh if lang == "zh" else HelpContext
    if command.help:
        command.help = text.get(key(command.help), command.help)
        command.short_help = _first_sentence(command.help)
    for param in command.params:
        if param.param_type_name == "argument":
            name = param.name
        else:
            name = next((o for o in param.opts if o.startswith("--")), param.name)
        if param.metavar is None and not getattr(param, "is_flag", False):
            integer = getattr(param.type, "name", "") in ("integer", "integer range")
            param.metavar = (integer and METAVARS.get(f"{name}:int")) or METAVARS.get(name)
        if param.metavar:
            param.metavar = metavars.get(param.metavar, param.metavar)
        if getattr(param, "help", None):
            param.help = text.get(key(param.help), param.help)
    for sub in getattr(command, "commands", {}).values():
        _localize(sub, lang, text, metavars)


def usage_error(exc: Any, lang: str) -> str:
    """Typer's (click's) refusal of a command line, in the user's language: which argument is
    missing, which option is unknown, which value is wrong, each naming the placeholder the
    help shows."""
    import re

    en = exc.format_message()
    if lang != "zh":
        return en
    kind, message = type(exc).__name__, getattr(exc, "message", "") or ""
    param = getattr(exc, "param", None)
    hint = ""
    if param is not None:
        hint = (
            param.metavar
            if param.param_type_name == "argument" and param.metavar
            else "/".join(param.opts)
        )
    if kind == "MissingParameter":
        return f"缺少{'参数' if getattr(param, 'param_type_name', '') == 'argument' else '选项'} {hint}"
    if kind == "NoSuchOption":
        better = "、".join(sorted(getattr(exc, "possibilities", None) or ()))
        return f"没有这个选项：{exc.option_name}" + (f"（是不是 {better}？）" if better else "")
    if kind == "BadParameter":
        for pattern, zh in (
            (r"^'?(.*?)'? is not a valid (integer|int range|int)\.?$", "“{0}”不是整数"),
            (r"^(.*) is not in the range (.*?)\.?$", "{0} 不在允许范围内（{1}）"),
            (r"^'?(.*?)'? is not one of (.*?)\.?$", "“{0}”不是可选值之一：{1}"),
        ):
            found = re.match(pattern, message)
            if found:
                message = zh.format(*found.groups())
                break
        return f"{hint} 的值无效：{message}" if hint else f"值无效：{message}"
    for pattern, zh in (
        (r"^No such command '(.*)'\.?$", "没有这个命令：{0}"),
        (r"^Option '(.*)' requires an argument\.?$", "选项 {0} 后面需要一个值"),
        (r"^Got unexpected extra argument\(s\) \((.*)\)$", "多余的参数：{0}"),
    ):
        found = re.match(pattern, message)
        if found:
            return zh.format(*found.groups())
    return en
