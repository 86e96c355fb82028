"""Bundles at any size (issue 35): export, verify --bundle and import --json stream, so a long
log's bundle is made and checked in bounded memory; the streamed bundle is still the JSON the
README's own checking script reads, and a bundle written before still verifies."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import zip_members

README = Path(__file__).resolve().parent.parent / "README.md"
sys.path.insert(0, str(README.parent / "benchmarks"))  # the benchmark builds and measures
ENTRIES = 20_000


def _peak_mib(cmd: list[str], env: dict) -> tuple[int, float]:
    """Exit status and peak memory (MiB) of a command with every process it starts: the
    benchmark's own measure."""
    import run

    code, _, peak, _ = run.measure(cmd, env)
    return code, peak


@pytest.fixture(scope="module")
def long_log(tmp_path_factory):
    """A store of 20 cards and 20,000 logged contacts, as the benchmark builds it."""
    import run

    folder = tmp_path_factory.mktemp("long")
    db = folder / "long.db"
    run.build_cards(db, 100)
    run.write_csv(folder / "c.csv", ENTRIES)
    env = {**os.environ, "DEBTCLI_DB": str(db), "DEBTCLI_NO_BACKGROUND": "1",
           "DEBTCLI_LANG": "en"}  # fmt: skip
    env.pop("DEBTCLI_TODAY", None)
    subprocess.run([sys.executable, "-m", "debtcli", "log", "import", folder / "c.csv"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    return folder, env


def _debtcli(env, *args):
    return [sys.executable, "-m", "debtcli", *map(str, args)]


def test_a_long_logs_bundle_is_made_and_checked_in_bounded_memory(long_log):
    """At 20,000 entries the export took 341 MiB and verify --bundle 123 MiB before they
    streamed (1.5 GiB and 575 MiB at 100,000). verify --bundle now hashes on every core (its
    workers counted), flat in the size of the bundle."""
    folder, env = long_log
    code, peak = _peak_mib(_debtcli(env, "evidence", "export", "-o", folder / "b.zip"), env)
    assert code == 0 and peak < 150, peak
    code, peak = _peak_mib(_debtcli(env, "evidence", "verify", "--bundle", folder / "b.zip"), env)
    assert code == 0 and peak < 120, peak
    summary = zip_members(folder / "b.zip")["summary.html"]
    assert len(summary) < 3 << 20 and b"entries.csv" in summary


def test_a_long_export_imports_in_bounded_memory(long_log, tmp_path):
    _, env = long_log
    subprocess.run(_debtcli(env, "export", "--json", "-o", tmp_path / "x.json"), env=env,
                   check=True)  # fmt: skip
    fresh = {**env, "DEBTCLI_DB": str(tmp_path / "new.db")}
    code, peak = _peak_mib(_debtcli(fresh, "import", "--json", tmp_path / "x.json"), fresh)
    assert code == 0 and peak < 70, peak  # 85 MiB when it parsed the file whole
    r = subprocess.run(_debtcli(fresh, "evidence", "verify"), env=fresh, capture_output=True,
                       text=True)  # fmt: skip
    assert r.returncode == 0 and f"{ENTRIES} entries verified" in r.stdout


def test_an_interrupted_export_leaves_no_file(long_log, tmp_path):
    _, env = long_log
    out = tmp_path / "cut.zip"
    p = subprocess.Popen(_debtcli(env, "evidence", "export", "-o", out), env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(1.0)
    p.send_signal(signal.SIGTERM)
    p.wait()
    assert not out.exists() and not list(tmp_path.glob(".*part*")), list(tmp_path.iterdir())


def _readme_check(bundle: Path) -> None:
    """The README's stdlib script, run as it is printed, on a bundle."""
    script = re.search(r"```python\n(import hashlib, json, zipfile.*?)```", README.read_text(),
                       re.S).group(1)  # fmt: skip
    subprocess.run([sys.executable, "-c", script.replace('"bundle.zip"', repr(str(bundle)))],
                   check=True)  # fmt: skip


def test_a_streamed_bundle_is_what_the_readmes_script_checks(li_wei, tmp_path):
    from conftest import log_add

    for n, card in enumerate(("4821", "7730", "4821")):
        log_add(li_wei, card, f"2026-11-1{n} 10:00", "--note", f"call {n}", "--phone", "95558")
    for args, name in (([], "all"), (["4821"], "one"), (["--redact"], "redacted")):
        li_wei("evidence", "export", *args, "-o", tmp_path / f"{name}.zip")
        _readme_check(tmp_path / f"{name}.zip")


def test_a_bundle_in_the_layout_written_before_still_verifies(li_wei, tmp_path):
    """Before streaming, entries.json and chain.json were one JSON document, indented."""
    from conftest import log_add, rezip

    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--note", "called")
    log_add(li_wei, "7730", "2026-11-11 10:00")
    li_wei("evidence", "export", "-o", tmp_path / "b.zip")
    members = zip_members(tmp_path / "b.zip")
    for name in ("entries.json", "chain.json"):
        members[name] = json.dumps(json.loads(members[name]), ensure_ascii=False,
                                   indent=1).encode()  # fmt: skip
    old = rezip(members, tmp_path / "old.zip")
    doc = li_wei.json("evidence", "verify", "--bundle", old)
    assert doc["ok"] and doc["entries_verified"] == 2


@pytest.mark.skipif(
    not (shutil.which("chromium") or os.environ.get("DEBTCLI_REQUIRE_BROWSER")),
    reason="no Chromium on this machine (.ci/run installs it)",
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_of_a_thousand_entries_prints_on_ten_pages(li_wei, tmp_path, lang):
    """Li Wei's three cards with a thousand logged contacts (several hundred possible
    violations): the report summarises, lists the latest 200 violations, and prints on at
    most ten A4 pages; --full still lists every one."""
    import csv
    from datetime import datetime, timedelta

    from conftest import printed_pages

    start = datetime(2026, 8, 10, 9, 0)
    with (tmp_path / "log.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["card", "at", "channel", "party", "org", "contacted", "note"])
        for i in range(1000):
            w.writerow([("4821", "7730", "5511")[i % 3],
                        (start + timedelta(minutes=127 * i)).strftime("%Y-%m-%d %H:%M"),
                        ("call", "sms", "call", "app")[i % 4], "agency" if i % 3 else "bank",
                        "某某资产管理有限公司", "family" if i % 13 == 0 else "self", f"contact {i}"])  # fmt: skip
    li_wei("log", "import", tmp_path / "log.csv")
    found = len(li_wei.json("violations"))
    assert found > 200
    li_wei("--lang", lang, "report", "-o", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('<td class="flag">') <= 200 + 10 and f"({found})" in page
    assert printed_pages(tmp_path / "r.html", tmp_path) <= 10
    li_wei("--lang", lang, "report", "--full", "-o", tmp_path / "full.html")
    full = (tmp_path / "full.html").read_text(encoding="utf-8")
    assert full.count('<td class="flag">') >= found
