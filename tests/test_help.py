"""Help in both languages, for every command and option, wrapped to the terminal; and the
README's command and option tables say what --help says."""

import re
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len

from debtcli.cli import app, help_zh
from debtcli.cli.helptext import key, localize

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _tree(lang="en"):
    root = typer.main.get_command(app)
    localize(root, lang)
    return root


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = [(p, c) for p, c in _commands(_tree()) if not c.hidden]
IDS = [" ".join(p) or "debtcli" for p, _ in COMMANDS]


def _texts(command):
    """The English a command's help shows: its text, each option's text and placeholder."""
    yield "help", command.help
    for param in command.params:
        if getattr(param, "help", None):
            yield param.name, param.help
        if param.metavar:
            yield f"{param.name} placeholder", param.metavar


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_and_option_has_help_in_both_languages(path, command):
    assert command.help, path
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        assert getattr(param, "help", None), (path, param.name)
        takes_value = not getattr(param, "is_flag", False) and param.name not in ("help",)
        assert not takes_value or param.metavar, f"{path} {param.name}: no placeholder"
    for what, text in _texts(command):
        translated = help_zh.METAVARS if what.endswith("placeholder") else help_zh.TEXT
        assert (text if what.endswith("placeholder") else key(text)) in translated, (
            f"{' '.join(path)} {what}: no Chinese for {text!r}"
        )


def test_the_catalogue_has_nothing_left_over():
    used_text, used_metavars = set(), set()
    for _, command in _commands(_tree()):
        for what, text in _texts(command):
            (used_metavars if what.endswith("placeholder") else used_text).add(
                text if what.endswith("placeholder") else key(text)
            )
    assert set(help_zh.TEXT) - used_text == set()
    assert set(help_zh.METAVARS) - used_metavars == set()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_chinese_help_is_chinese_and_fits_the_terminal(cli, monkeypatch, path, command):
    monkeypatch.setenv("COLUMNS", "72")
    zh = cli("--lang", "zh", *path, "--help").stdout
    en = cli("--lang", "en", *path, "--help").stdout
    assert zh.startswith("用法：debtcli") and en.startswith("Usage: debtcli")
    assert "选项：" in zh and "Options:" in en
    for _, text in _texts(command):
        for sentence in re.split(r"(?<=[.:;])\s", key(text)):
            words = re.findall(r"[A-Za-z]{3,}", sentence)
            if len(words) >= 4 and not sentence.startswith("debtcli"):  # prose, not an example
                assert sentence not in " ".join(zh.split()), (path, sentence)
    for out in (zh, en):
        too_wide = [line for line in out.splitlines() if cell_len(line) > 72]
        assert not too_wide, too_wide


def test_a_wrong_command_line_is_refused_in_the_users_language(cli):
    r = cli("--lang", "zh", "log", "add", ok=False)
    assert (
        r.exit_code == 2
        and r.stderr.strip() == "debtcli：错误：缺少参数 卡（帮助：debtcli log add -h）"
    )
    r = cli("--lang", "zh", "plan", "--months", "x", ok=False)
    assert "--months 的值无效：“x”不是整数" in r.stderr
    r = cli("--lang", "zh", "pay", "void", "abc", "--why", "typo", ok=False)  # a plain int
    assert "还款号 的值无效：“abc”不是整数" in r.stderr and "valid" not in r.stderr
    r = cli("--lang", "zh", "--bogus", ok=False)
    assert (
        r.exit_code == 2
        and r.stderr.strip() == "debtcli：错误：没有这个选项：--bogus（帮助：debtcli -h）"
    )
    r = cli("--lang", "zh", "card", "list", "extra", ok=False)
    assert "多余的参数：extra" in r.stderr
    r = cli("--bogus", ok=False)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "No such option: --bogus" in r.stderr


NUMBERS = [
    (path, command, param)
    for path, command in COMMANDS
    for param in command.params
    if getattr(param.type, "name", "") in ("int", "int range", "integer", "integer range")
]


@pytest.mark.parametrize(
    ("path", "command", "param"), NUMBERS, ids=[f"{' '.join(p)} {q.name}" for p, _, q in NUMBERS]
)
def test_every_number_typer_refuses_is_refused_in_chinese(cli, path, command, param):
    """Typer (click) checks its own whole-number options and arguments; each refusal of a
    word where a number goes is said in Chinese too, with no English left in it."""
    args = [
        "x" if q is param else "4821"
        for q in command.params
        if q.param_type_name == "argument" and (q.required or q is param)
    ]
    if param.param_type_name == "option":
        args += [param.opts[0], "x"]
    r = cli("--lang", "zh", *path, *args, ok=False)
    said = r.stderr.split("（帮助")[0]
    assert r.exit_code == 2 and "“x”不是整数" in said, r.stderr
    assert re.search(r"[A-Za-z]{3,} [a-z]{2,}", said) is None, r.stderr


def test_help_language_follows_the_environment_and_the_option(cli, monkeypatch):
    monkeypatch.setenv("DEBTCLI_LANG", "zh")
    assert cli("status", "--help").stdout.startswith("用法：")
    assert cli("--lang", "en", "status", "--help").stdout.startswith("Usage:")
    monkeypatch.delenv("DEBTCLI_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    assert cli("-h").stdout.startswith("用法：")


# --- the README's tables ------------------------------------------------------------------


def _table(heading):
    section = README.split(heading, 1)[1]
    rows = []
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        if set(line) <= set("|- "):
            continue
        rows.append(re.split(r"(?<!\\)\|", line)[1])
    return rows


def _fragments(cell):
    """`card add / list` → [["card", "add"], ["card", "list"]]; brackets and ellipses dropped."""
    paths = {p for p, _ in COMMANDS}
    for code in re.findall(r"`([^`]+)`", cell):
        group = None
        for part in code.replace("\\|", "|").split(" / "):
            tokens = [t.strip("[]…") for t in part.split()]
            tokens = [t for t in tokens if t and t != "…"]
            if group and (group, tokens[0]) in paths:
                tokens = [group, *tokens]
            group = tokens[0]
            yield tokens


def _resolve(tokens):
    tree = dict(COMMANDS)
    path = ()
    while tokens and (*path, tokens[0]) in tree:
        path, tokens = (*path, tokens[0]), tokens[1:]
    default = getattr(tree[path], "default_command", None)  # `pay CARD AMOUNT` is `pay add …`
    if default and tokens:
        path = (*path, default)
    return path, tree[path], tokens


def test_the_readme_command_table_matches_help():
    named = set()
    for cell in _table("### Commands"):
        for tokens in _fragments(cell):
            path, command, rest = _resolve(tokens)
            assert path, tokens
            named.add(path)
            options = {o for p in command.params for o in p.opts if o.startswith("-")}
            metavars = {p.metavar for p in command.params if p.metavar}
            for token in rest:
                if token.startswith("-"):
                    assert token in options, f"README: {' '.join(path)} has no {token}"
                else:
                    assert token.rstrip(".") in metavars | {m.rstrip(".") for m in metavars}, (
                        f"README: {' '.join(path)} {token} is not what --help calls it "
                        f"({sorted(metavars)})"
                    )
    leaves = {p for p, c in COMMANDS if p and not hasattr(c, "commands")}
    assert leaves - named == set(), "commands --help lists that the README table does not"


def test_the_readme_global_options_match_help():
    root = dict(COMMANDS)[()]
    section = README.split("### Global options", 1)[1].split("\n#", 1)[0]
    rows = [line.replace("\\|", "|") for line in section.splitlines() if line.startswith("| `")]
    expected = [f"| `{p.opts[0]} {p.metavar}` | `{p.envvar}` |" for p in root.params if p.envvar]
    assert len(rows) == len(expected)
    for start in expected:
        assert any(row.startswith(start) for row in rows), start
