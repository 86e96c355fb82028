"""Every command has help text and is named in the README."""

from pathlib import Path

import pytest
import typer

from debtcli.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    cmd = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, sub in cmd.commands.items():
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*prefix, name))
        else:
            yield (*prefix, name), sub


COMMANDS = list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help_and_is_in_readme(path, command):
    assert command.help and len(command.help) > 20
    group, name = (path[0], path[-1]) if len(path) > 1 else (None, path[0])
    if group:
        assert group in README and name in README, path
    else:
        assert f"`{name}" in README, path
