"""Command-line interface: thin Typer commands over the core. `main` is the console script."""

from debtcli.cli import accounts, evidence_cmds, stage_cmds  # noqa: F401  (registers commands)
from debtcli.cli.app import app


def main() -> None:
    app(prog_name="debtcli")
