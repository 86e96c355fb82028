"""Commands that keep the store safe: backup, restore, and the JSON export and import."""

from pathlib import Path
from typing import Annotated

import typer

from debtcli.cli.common import app, say, state

Opt = typer.Option


@app.command("backup")
def backup_cmd(
    output: Annotated[Path, Opt("-o", "--output", help="The backup file to write (.zip).")],
) -> None:
    """A consistent copy of the store and every evidence file, checked after writing. Safe
    while debtcli is in use elsewhere."""
    from debtcli.backup import backup

    m = backup(state.store(), output)
    say(
        f"Backed up {m['entries']} log entries and {len(m['files']) - 1} evidence files to "
        f"{output}; checked. Keep a copy somewhere safe.",
        f"已备份 {m['entries']} 条记录和 {len(m['files']) - 1} 个证据文件到 {output}，并已校验。"
        "请把副本放在安全的地方。",
    )


@app.command("restore")
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="A backup made by `debtcli backup`.")],
    force: Annotated[bool, Opt("--force", help="Replace a store that already has data.")] = False,
) -> None:
    """Restore a backup: its sums and evidence chain are checked before anything is replaced."""
    from debtcli.backup import restore

    m = restore(file, state.store_path, force)
    say(
        f"Restored {m['entries']} log entries into {state.store_path}.",
        f"已将 {m['entries']} 条记录恢复到 {state.store_path}。",
    )
    if m["moved_aside"]:
        say(
            f"The replaced store's own evidence files were moved to {m['moved_aside']}.",
            f"被替换的数据文件自己的证据文件已移到 {m['moved_aside']}。",
        )


@app.command("export")
def export_cmd(
    json_out: Annotated[
        bool, Opt("--json", help="Write the whole store as JSON (the only format for now).")
    ] = False,
    output: Annotated[
        Path | None, Opt("-o", "--output", help="Write to a file instead of the screen.")
    ] = None,
) -> None:
    """Every record in the store as JSON, to keep or move; `debtcli import --json` reads it
    back exactly. Attachments stay in the evidence folder (a backup carries both)."""
    from debtcli.backup import export_json
    from debtcli.documents import write_private
    from debtcli.errors import BadInput

    if not json_out:
        raise BadInput("say the format: debtcli export --json", "请指定格式：debtcli export --json")
    chunks = export_json(state.store())
    if output is None:
        import contextlib

        from debtcli.cli.streams import write_data

        with contextlib.closing(chunks):  # a reader gone (| head) ends it before the store
            for chunk in chunks:
                write_data(chunk)
    else:
        write_private(output, chunks, "debtcli.json")
        say(f"Wrote {output}.", f"已写入 {output}。")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A file written by `debtcli export --json`.")],
    json_in: Annotated[bool, Opt("--json", help="The file is a JSON export.")] = False,
) -> None:
    """Load a JSON export into an empty store (use --db NEW.db); the evidence chain is checked
    before anything lands."""
    from debtcli.backup import import_json_file
    from debtcli.errors import BadInput

    if not json_in:
        raise BadInput(
            "say the format: debtcli import --json FILE", "请指定格式：debtcli import --json 文件"
        )
    counts = import_json_file(state.store(create=True), file)
    say(
        f"Imported {counts.get('cards', 0)} cards and {counts.get('contacts', 0)} log entries.",
        f"已导入 {counts.get('cards', 0)} 张卡和 {counts.get('contacts', 0)} 条记录。",
    )
