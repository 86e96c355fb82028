"""Every command driven with hostile arguments and files (the guide's standing fuzz): whatever
it is given, debtcli answers with exit 0, 1 or 2 and never a traceback. Exit 3 is a bug."""

import os

import pytest
import typer
from conftest import log_add
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from debtcli.cli import app


def _commands() -> list[tuple[list[str], object]]:
    """Every command of the CLI, by its path, with its click command."""
    root = typer.main.get_command(app)
    out = []

    def walk(group, path):
        for name, cmd in sorted(group.commands.items()):
            if getattr(cmd, "hidden", False):
                continue
            if hasattr(cmd, "commands"):
                walk(cmd, [*path, name])
            else:
                out.append(([*path, name], cmd))

    walk(root, [])
    return out


COMMANDS = _commands()
SKIP = {"demo", "setup"}  # they replace or walk the whole store; tested on their own


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    os.mkfifo(d / "pipe")
    (d / "deep.json").write_text("[" * 50_000 + "]" * 50_000)
    (d / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (d / "big.json").write_text('{"format": "debtcli-export/1", "tables": {"cards": [{"id": '
                                + str(2**70) + "}]}}")  # fmt: skip
    (d / "empty").write_bytes(b"")
    (d / "folder").mkdir()
    (d / "zero.toml").symlink_to("/dev/zero")
    return d


VALUES = [
    "", "-", "--", "x\udcffy", str(2**70), str(-(2**70)), "-5", "0", "1e9", "abc", "9" * 40,
    "\u202e", "\x1b[2J", "2026-02-30", "13月1日", "NaN", "inf", "¥-0", "0x10", "4821", "1",
    "3天前", "1月7日", "中信", "/dev/zero", "{d}/pipe", "{d}/deep.json", "{d}/binary.bin",
    "{d}/big.json", "{d}/empty", "{d}/folder", "{d}/missing", "{d}/zero.toml", "{d}/out.zip",
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "command"),
    [c for c in COMMANDS if c[0][0] not in SKIP],
    ids=lambda c: " ".join(c) if isinstance(c, list) else "",
)
@settings(
    max_examples=int(os.environ.get("DEBTCLI_FUZZ_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=hs.data())
def test_no_hostile_command_line_is_an_internal_error(li_wei, files, path, command, data):
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--contacted", "family")
    options = [o for p in command.params for o in p.opts if o.startswith("-")]
    token = hs.one_of(
        hs.sampled_from(VALUES).map(lambda v: v.format(d=files)),
        hs.sampled_from(options or ["--help"]),
    )
    args = data.draw(hs.lists(token, max_size=6))
    r = li_wei(*path, *args, ok=False, input="")
    assert r.exit_code != 3 and "Traceback" not in r.output, (path, args, r.output)
