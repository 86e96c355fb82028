"""Windows and macOS (issue 41), checked here by simulation: with SIGHUP, fcntl and the fork
start method taken away (what Windows lacks), every everyday and whole-log command still
runs; the parallel paths work with spawned workers, which get what they need as arguments."""

import os
import subprocess
import sys

import pytest
from conftest import log_add

WINDOWS_LIKE = """
import multiprocessing, multiprocessing.context, signal, sys
del signal.SIGHUP
sys.modules["fcntl"] = None  # `import fcntl` fails, as on Windows
multiprocessing.context._concrete_contexts.pop("fork", None)
multiprocessing.context._concrete_contexts.pop("forkserver", None)
multiprocessing.get_all_start_methods = lambda: ["spawn"]
multiprocessing.set_start_method("spawn", force=True)
"""


@pytest.fixture
def windows_like(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(WINDOWS_LIKE)
    env = {**os.environ, "PYTHONPATH": str(site), "DEBTCLI_DB": str(tmp_path / "w.db"),
           "DEBTCLI_NO_BACKGROUND": "1", "DEBTCLI_LANG": "zh"}  # fmt: skip
    env.pop("DEBTCLI_TODAY", None)

    def run(*args, ok=True):
        r = subprocess.run([sys.executable, "-m", "debtcli", *map(str, args)], env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
        assert "Traceback" not in r.stderr and r.returncode != 3, (args, r.stderr)
        if ok:
            assert r.returncode == 0, (args, r.stderr)
        return r

    check = subprocess.run([sys.executable, "-c", "import signal, multiprocessing; "
                            "print(hasattr(signal, 'SIGHUP'), multiprocessing.get_all_start_methods())"],
                           env=env, capture_output=True, text=True)  # fmt: skip
    assert check.stdout.split() == ["False", "['spawn']"], check
    return run


def test_every_everyday_and_whole_log_command_runs_without_sighup_fcntl_or_fork(
    windows_like, tmp_path
):
    run = windows_like
    run("card", "add", "--bank", "中信银行", "--last4", "4821")
    run("overdue", "4821", "--since", "2026-08-05", "--amount", "62400")
    rows = ["card,at,channel,party,note"] + [
        f"4821,2026-09-{1 + i % 28:02d} 10:{i % 60:02d},call,agency,call {i}" for i in range(300)
    ]
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("log", "import", tmp_path / "log.csv")
    for args in (["status"], ["timeline"], ["stage", "4821"], ["log", "list"],
                 ["violations"], ["evidence", "verify"], ["report", "-o", tmp_path / "r.html"],
                 ["evidence", "export", "-o", tmp_path / "e.zip"],
                 ["evidence", "verify", "--bundle", tmp_path / "e.zip"],
                 ["backup", "-o", tmp_path / "b.zip"], ["restore", tmp_path / "b.zip", "--force"],
                 ["visit", "checklist", "4821"]):  # fmt: skip
        run(*args)
    assert "300" in run("evidence", "verify").stdout


def test_the_parallel_paths_work_with_spawned_workers(li_wei, tmp_path, monkeypatch):
    """Import, verify, stamps and backup on every core, with the workers spawned (Windows,
    macOS, Python 3.14's Linux default): nothing they need comes from an inherited global."""
    from debtcli import contactlog, system

    monkeypatch.setattr(system, "start_method", lambda: "spawn")
    monkeypatch.setattr(contactlog, "PARALLEL_FROM", 1)
    monkeypatch.setattr(contactlog, "IMPORT_BATCH", 7)
    monkeypatch.setattr(contactlog, "cores", lambda: 2)
    rows = ["card,at,channel,party,note"] + [
        f"{('4821', '7730')[i % 2]},2026-09-{1 + i % 28:02d} 10:{i % 60:02d},call,agency,call {i}"
        for i in range(40)
    ]
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    li_wei("log", "import", tmp_path / "log.csv")
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--contacted", "family")
    assert "41 entries verified" in li_wei("evidence", "verify").stdout
    li_wei("report", "-o", tmp_path / "r.html")
    li_wei("backup", "-o", tmp_path / "b.zip")
    bad = "card,at,channel\n" + "4821,2026-09-01 10:00,call\n" * 9 + "4821,not a date,call\n"
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    r = li_wei("log", "import", tmp_path / "bad.csv", ok=False)
    assert r.exit_code == 2 and "row 11" in r.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_letter_open_in_another_program_is_said_not_crashed(li_wei, tmp_path, monkeypatch, lang):
    """Windows refuses to replace a file Word holds open (PermissionError): tried again for a
    moment, then said in a line; the old letter is left as it was."""
    from conftest import assert_clean_failure

    from debtcli import system

    out = tmp_path / "letter.md"
    li_wei("letter", "make", "stop-third-party", "4821", "--name", "李伟", "--phone", "138",
           "-o", out)  # fmt: skip
    before = out.read_bytes()
    calls = []

    def held(src, dst):
        calls.append(dst)
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(system, "REPLACE_TRIES", 3)
    monkeypatch.setattr(system.os, "replace", held)
    r = li_wei("--lang", lang, "letter", "make", "stop-third-party", "4821", "--name", "李伟",
               "--phone", "138", "-o", out, "--force", ok=False)  # fmt: skip
    assert_clean_failure(r, says="close it and try again" if lang == "en" else "请关闭它后再试")
    assert len(calls) == 3 and out.read_bytes() == before
    assert not list(tmp_path.glob(".*.part"))


def test_a_store_in_a_folder_with_chinese_and_spaces_works(cli, tmp_path):
    db = tmp_path / "我的 数据" / "债务 记录.db"
    cli("--db", db, "card", "add", "--bank", "中信银行", "--last4", "4821")
    log_add(cli, "4821", "2026-11-10 22:40", before=("--db", str(db)))
    cli("--db", db, "backup", "-o", tmp_path / "备份 文件.zip")
    cli("--db", db, "evidence", "verify")
    assert (tmp_path / "我的 数据" / "债务 记录-evidence").parent.is_dir()
