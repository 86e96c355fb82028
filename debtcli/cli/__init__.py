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
    "path": "accounts",
    "card": "accounts",
    "overdue": "accounts",
    "pay": "accounts",
    "settle": "accounts",
    "status": "status_cmds",
    "demo": "accounts",
    "log": "evidence_cmds",
    "evidence": "evidence_cmds",
    "violations": "evidence_cmds",
    "stage": "stage_cmds",
    "facts": "stage_cmds",
    "help-lines": "stage_cmds",
    "求助电话": "stage_cmds",
    "setup": "setup_cmds",
    "开始": "setup_cmds",
    "visit": "visit_cmds",
    "plan": "letters_cmds",
    "letter": "letters_cmds",
    "agree": "letters_cmds",
    "timeline": "timeline_cmds",
    "report": "timeline_cmds",
    "calendar": "timeline_cmds",
    "backup": "backup_cmds",
    "restore": "backup_cmds",
    "export": "backup_cmds",
    "import": "backup_cmds",
    "numbers": "phone_cmds",
}
# Subcommands in a module of their own; any other `log …` (help, a typo) loads them too.
SUBCOMMAND_MODULES = {
    ("log", "add"): "log_entry_cmds",
    ("log", "amend"): "log_entry_cmds",
    ("log", "withdraw"): "log_entry_cmds",
    ("log", "撤回"): "log_entry_cmds",
    ("log", "import-calls"): "phone_cmds",
    ("log", "import-sms"): "phone_cmds",
    ("log", "导入录音"): "phone_cmds",
    ("log", "导入短信"): "phone_cmds",
}
LIGHT_SUBCOMMANDS = {("log", "list"), ("log", "import")}
_GLOBAL_WITH_VALUE = {"--db", "--lang", "--today", "--rules"}


def command_names(argv: list[str]) -> list[str]:
    """The command and subcommand named on the command line, skipping the global options."""
    skip, names = False, list[str]()
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE and not names:
            skip = True
        elif not arg.startswith("-"):
            names.append(arg)
            if len(names) == 2:
                break
    return names


def load(argv: list[str] | None = None) -> Any:
    """Register the commands needed for argv (all of them when argv is None or unknown)."""
    names = command_names(argv) if argv is not None else []
    wanted = COMMAND_MODULES.get(names[0]) if names else None
    if wanted:
        modules = [wanted]
        pair = tuple(names[:2])
        if pair in SUBCOMMAND_MODULES:
            modules.append(SUBCOMMAND_MODULES[pair])
        elif names[0] in {p[0] for p in SUBCOMMAND_MODULES} and pair not in LIGHT_SUBCOMMANDS:
            modules.extend(m for p, m in SUBCOMMAND_MODULES.items() if p[0] == names[0])
    else:
        modules = sorted({*COMMAND_MODULES.values(), *SUBCOMMAND_MODULES.values()})
    for module in modules:
        importlib.import_module(f"debtcli.cli.{module}")
    from debtcli.cli.common import app

    return app


def _only(app: Any, names: list[str]) -> None:
    """Keep just the command named on the command line (and, in a group, the subcommand), so
    that Typer turns only it into a click command: the others' options cost a millisecond.
    Names that match nothing prune nothing, so help and "no such command" list them all."""
    top = [c for c in app.registered_commands if c.name == names[0]]
    groups = [g for g in app.registered_groups if g.name == names[0]]
    if not (top or groups):
        return
    app.registered_commands, app.registered_groups = top, groups
    if groups and len(names) > 1:
        sub = groups[0].typer_instance
        keep = [c for c in sub.registered_commands if c.name == names[1]]
        if keep:
            sub.registered_commands = keep


def _exit_on_signal(signum: int, frame: Any) -> None:
    """SIGTERM, SIGHUP and SIGBREAK (system.exit_signals) end debtcli like Ctrl-C does:
    through every `finally`, so staging copies of the store are removed and worker processes
    end with it."""
    raise SystemExit(128 + signum)


GLOBAL_OPTIONS = ("--db", "--lang", "--today", "--rules")


def hoist_globals(argv: list[str]) -> list[str]:
    """The global options given after the command (`debtcli status --lang zh`, as people type
    them) moved before it, where the parser reads them; nothing after `--` is touched."""
    out, moved, i, command_seen = [], [], 0, False
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out += argv[i:]
            break
        name = arg.split("=", 1)[0]
        if command_seen and name in GLOBAL_OPTIONS:
            if "=" in arg or i + 1 >= len(argv):
                moved.append(arg)
            else:
                moved += [arg, argv[i + 1]]
                i += 1
        else:
            if not command_seen and name in GLOBAL_OPTIONS and "=" not in arg:
                out.append(arg)
                if i + 1 < len(argv):
                    out.append(argv[i + 1])
                    i += 1
                i += 1
                continue
            if not arg.startswith("-"):
                command_seen = True
            out.append(arg)
        i += 1
    return moved + out


def main() -> None:
    import signal

    from debtcli.cli.streams import install

    install()

    from debtcli.system import exit_signals

    for sig in exit_signals():
        signal.signal(sig, _exit_on_signal)
    argv = hoist_globals(sys.argv[1:])
    app = load(argv)
    names = command_names(argv)
    if names and "--help" not in argv and "-h" not in argv:
        _only(app, names)
    app(args=argv, prog_name="debtcli")


def __getattr__(name: str) -> Any:
    if name == "app":
        return load()
    raise AttributeError(name)
