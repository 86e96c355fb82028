"""Every test runs against its own store in tmp_path, in a fixed time zone, on a fixed day,
with a pinned terminal width; none touches the real data or config folders."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from debtcli.cli import app

TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBTCLI_DB", str(tmp_path / "data" / "store.db"))
    monkeypatch.setenv("DEBTCLI_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("DEBTCLI_TODAY", TODAY)
    monkeypatch.setenv("DEBTCLI_LANG", "en")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.setenv("DEBTCLI_NO_BACKGROUND", "1")  # test_stamps runs the background sender
    monkeypatch.delenv("DEBTCLI_RULES", raising=False)
    # A file a command writes under a relative name (the fuzz's `-o --`) lands here, never in
    # the working tree.
    monkeypatch.chdir(tmp_path)
    time.tzset()
    _forget_times()
    yield tmp_path
    monkeypatch.undo()
    time.tzset()
    _forget_times()


def _forget_times() -> None:
    """The texts of days and offsets are cached per process (a long report shows a hundred
    thousand); an offset's note depends on the time zone, which a test sets: each test starts
    without what another worked out (nor what the test run's start did)."""
    from debtcli import dates

    dates.day_text.cache_clear()
    dates._hour_note.cache_clear()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / "store.db"


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None):
        result = self.runner.invoke(app, [str(a) for a in args], input=input, prog_name="debtcli")
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"debtcli {' '.join(map(str, args))} exited {result.exit_code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}"
            )
        return result

    def json(self, *args: str):
        import json

        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def li_wei(cli):
    """Li Wei's three cards from SCENARIOS.md, as a user would type them."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821", "--name", "citic")
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("card", "add", "--bank", "工商银行", "--last4", "5511")
    cli("overdue", "4821", "--since", "2026-08-05", "--amount", "62,400", "--principal", "58000")
    cli("overdue", "7730", "--since", "2026/9/12", "--amount", "¥18300")
    cli("overdue", "5511", "--since", "2026年10月20日", "--amount", "0.905万")
    return cli


def log_add(cli, card: str, at: str, *options: str, channel: str = "call", before=(), **kw):
    """`debtcli BEFORE… log add CARD --channel CHANNEL --at AT OPTIONS…`: one logged contact
    (before: global options such as --today or --rules; kw: cli's, such as ok=False)."""
    return cli(*before, "log", "add", card, "--channel", channel, "--at", at, *options, **kw)


def log_late_call(cli, org: str = "某某资产", *extra: str):
    """The scenarios' 22:40 call from an agency to Li Wei's mother about card 4821: it breaks
    the quiet-hours and third-party rules."""
    return log_add(cli, "4821", "2026-11-10 22:40", "--party", "agency", "--org", org,
                   "--contacted", "family", "--note", "called my mother", *extra)  # fmt: skip


def pack_with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The built-in rule pack with each (old, new) text replaced once (each old must be there),
    written where `--rules` can read it."""
    from debtcli.rules import PACKS_DIR

    text = (PACKS_DIR / "cn.toml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "custom.toml"
    path.write_text(text, encoding="utf-8")
    return path


def zip_members(path: Path) -> dict[str, bytes]:
    """Every member of a zip (a bundle, a backup) by name."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def store_digest(path: Path) -> str:
    """The store's bytes (and any WAL beside it): to prove a refused command wrote nothing."""
    h = hashlib.sha256()
    for p in (path, Path(str(path) + "-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def assert_clean_failure(
    result, *, code: int = 2, says: str | None = None, exact: str | None = None
) -> None:
    """One line on stderr, no traceback, the exit code: `says` is part of the line, `exact`
    the whole of it after debtcli's "error:" prefix (in either language)."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    if says:
        assert says in result.stderr, result.stderr
    if exact:
        assert lines[0] in (f"debtcli: error: {exact}", f"debtcli：错误：{exact}"), lines[0]


# Hypothesis: "ci" (the default) is reproducible, the same examples on every run, so a red CI
# is never luck; HYPOTHESIS_PROFILE=dev explores new examples on every run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def rezip(members: dict[str, bytes], dst: Path) -> Path:
    """A bundle rebuilt from its members with the manifest's digests made to match: what a
    forger does after editing a member."""
    import json
    import zipfile

    manifest = json.loads(members["manifest.json"])
    manifest["files"] = {
        n: hashlib.sha256(d).hexdigest() for n, d in members.items() if n != "manifest.json"
    }
    with zipfile.ZipFile(dst, "w") as z:
        for n, d in members.items():
            z.writestr(n, json.dumps(manifest) if n == "manifest.json" else d)
    return dst


def printed_pages(html: Path, tmp_path: Path) -> int:
    """How many A4 pages headless Chromium prints a page on (its PDF's page objects)."""
    import re
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "no Chromium on this machine (.ci/run installs it)"
    pdf = tmp_path / (html.stem + ".pdf")
    r = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert pdf.is_file(), r.stderr[-2000:]
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def sms_backup(tmp_path: Path, *messages: tuple, start_ms: int = 1_794_000_000_000) -> Path:
    """An "SMS Backup & Restore" file of (sender, text[, type]) a minute apart (type 1:
    received, 2: sent), from 2026-11-06 unless start_ms says otherwise."""
    from xml.sax.saxutils import quoteattr

    rows = "".join(
        f'<sms address={quoteattr(m[0])} date="{start_ms + 60_000 * i}" '
        f'type="{m[2] if len(m) > 2 else 1}" body={quoteattr(m[1])} />'
        for i, m in enumerate(messages)
    )
    f = tmp_path / "inbox.xml"
    f.write_text(f"<?xml version='1.0' encoding='UTF-8'?><smses>{rows}</smses>", encoding="utf-8")
    return f
