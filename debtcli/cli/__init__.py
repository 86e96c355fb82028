"""Command-line interface: thin Typer commands over the core. `main` is the console script.

Commands live in a few modules. `main` imports only the module of the command being run, so
`debtcli status` does not pay for building the other twenty commands; help, completion and
anything unrecognised load them all.
"""

import importlib
import sys
from typing import Any

# Which module registers which top-level command.
COMMAND_MODULES = {
    "path": "accounts", "card": "accounts", "overdue": "accounts", "pay": "accounts",
    "settle": "accounts", "status": "status_cmds", "demo": "accounts",
    "log": "evidence_cmds", "evidence": "evidence_cmds", "violations": "evidence_cmds",
    "stage": "stage_cmds", "facts": "stage_cmds",
    "visit": "visit_cmds",
    "plan": "letters_cmds", "letter": "letters_cmds", "agree": "letters_cmds",
    "timeline": "timeline_cmds", "report": "timeline_cmds", "calendar": "timeline_cmds",
    "backup": "backup_cmds", "restore": "backup_cmds", "export": "backup_cmds",
    "import": "backup_cmds",
}
_GLOBAL_WITH_VALUE = {"--db", "--lang", "--today", "--rules"}


def command_name(argv: list[str]) -> str | None:
    """The subcommand named on the command line, skipping the global options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def load(argv: list[str] | None = None) -> Any:
    """Register the commands needed for argv (all of them when argv is None or unknown)."""
    name = command_name(argv) if argv is not None else None
    wanted = COMMAND_MODULES.get(name or "")
    modules = [wanted] if wanted else sorted(set(COMMAND_MODULES.values()))
    for module in modules:
        importlib.import_module(f"debtcli.cli.{module}")
    from debtcli.cli.common import app

    return app


def main() -> None:
    load(sys.argv[1:])(prog_name="debtcli")


def __getattr__(name: str) -> Any:
    if name == "app":
        return load()
    raise AttributeError(name)
