"""Nothing lost, nothing leaked: crashes, concurrency, junk input, a full disk, privacy,
backups and the JSON round-trip."""

import hashlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import assert_clean_failure, store_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RUN = [
    sys.executable,
    "-c",
    "import sys; from debtcli.cli import main; sys.argv = ['debtcli'] + sys.argv[1:]; main()",
]


def debtcli(db, *args, check=True, **kw):
    env = {**os.environ, "DEBTCLI_DB": str(db)}
    r = subprocess.run([*RUN, *args], env=env, capture_output=True, text=True, **kw)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def count(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    finally:
        conn.close()


def big_csv(path: Path, n: int) -> Path:
    lines = ["card,at,channel,party,note"]
    lines += [
        f"4821,2026-10-{1 + i % 28:02d} {8 + i % 12:02d}:{i % 60:02d},call,agency,n{i}"
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def orphans(pid: int, arg: str) -> list[int]:
    """Processes the killed debtcli (run with arg) forked, its workers, alive a moment later."""
    time.sleep(0.5)
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
                args = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if (
                arg.encode() in args.split(b"\x00")
                and "State:\tZ" not in status
                and proc.name != str(pid)
            ):
                found.append(int(proc.name))
    return found


def test_killed_import_is_all_or_nothing(tmp_path):
    db = tmp_path / "crash.db"
    debtcli(db, "card", "add", "--bank", "中信银行", "--last4", "4821")
    debtcli(db, "log", "add", "4821", "--channel", "sms", "--at", "2026-09-01 10:00")
    csv_file = big_csv(tmp_path / "big.csv", 100_000)
    env = {**os.environ, "DEBTCLI_DB": str(db)}
    for delay in (0.5, 2.0, 4.0, 6.5):
        p = subprocess.Popen(
            [*RUN, "log", "import", str(csv_file)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert not orphans(p.pid, str(csv_file)), "workers outlived the killed import"
        n = count(db)
        assert n in (1, 100_001), (delay, n)
        assert "verified" in debtcli(db, "evidence", "verify").stdout
        if n == 100_001:
            break
    else:
        debtcli(db, "log", "import", str(csv_file))
        assert count(db) == 100_001
    assert "100001 entries verified" in debtcli(db, "evidence", "verify").stdout


WRITER = """
import sys
from debtcli.cli import load
app = load(["log"])
for i in range(200):
    try:
        app(["log", "add", "4821", "--channel", "call", "--party", "agency",
             "--note", f"writer {sys.argv[1]} #{i}"], prog_name="debtcli")
    except SystemExit as exc:
        if exc.code:
            raise
"""


def test_eight_writers_at_once_lose_nothing(tmp_path):
    db = tmp_path / "busy.db"
    debtcli(db, "card", "add", "--bank", "中信银行", "--last4", "4821")
    env = {**os.environ, "DEBTCLI_DB": str(db)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(k)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(8)
    ]
    errors = [p.communicate(timeout=600)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    assert not any("locked" in e for e in errors)
    assert count(db) == 1600
    assert "1600 entries verified" in debtcli(db, "evidence", "verify").stdout


# --- junk to every command's options ----------------------------------------------------------

JUNK = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e308",
            "nan",
            "inf",
            "9" * 40,
            "2026-02-30",
            "'; DROP TABLE cards; --",
            "\x1b[31mred",
            "１２３４",
            "3.2万万",
            "¥-5",
            "../../etc/passwd",
            "%s%s%s",
            "{{ 7*7 }}",
            "\n\n",
            "x" * 5000,
            # issue 13: what people type, and what must never be half-read
            "2026-11-20 22,40",
            "2026-11-20 22.4",
            "晚上25点",
            "８月５日",
            "0001-01-01",
            "1900-01-01",
            "9999-12-31",
            "48-21",
            "2026年8月5号",
            "下午3点",
            "183000",
            "#99",
            "中信",
            "--force",
        ]
    ),
)
COMMANDS = [
    ["card", "add", "--bank", "{}", "--last4", "{}"],
    ["card", "edit", "{}", "--limit", "{}"],
    ["card", "show", "{}"],
    ["overdue", "4821", "--since", "{}", "--amount", "{}"],
    ["pay", "4821", "{}", "--date", "{}"],
    ["settle", "{}", "--date", "{}"],
    ["log", "add", "4821", "--channel", "{}", "--at", "{}"],
    ["log", "add", "4821", "--channel", "call", "--minutes", "{}", "--demanded", "{}"],
    ["log", "add", "4821", "--channel", "visit", "--agents", "{}", "--credentials", "{}"],
    ["log", "add", "4821", "--channel", "call", "--claim", "{}", "--flag", "{}"],
    ["log", "add", "4821", "--channel", "call", "--note", "{}", "--pay-to", "{}"],
    ["log", "amend", "{}", "--note", "{}"],
    ["log", "list", "{}", "--since", "{}"],
    ["stage", "{}"],
    ["facts", "{}"],
    ["timeline", "--kind", "{}", "--until", "{}"],
    ["plan", "--income", "{}", "--expenses", "{}"],
    ["letter", "make", "{}", "4821", "--months", "{}"],
    ["letter", "make", "installment", "4821", "--monthly", "{}", "--name", "{}"],
    ["agree", "4821", "--months", "12", "--monthly", "{}", "--first-due", "{}"],
    ["visit", "check", "4821", "--answers", "{}", "--at", "{}"],
    ["--today", "{}", "--lang", "{}", "status"],
    ["log", "add", "4821", "--channel", "call", "--at", "{}", "--note", "{}"],
    ["pay", "void", "{}", "--why", "{}"],
    ["pay", "list", "{}", "--history"],
    ["settle", "7730", "--amount", "{}", "--date", "{}"],
    ["overdue", "{}", "--since", "2026-08-05", "--amount", "{}"],
    ["--db", "{}", "card", "list"],
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(COMMANDS), JUNK, JUNK)
def test_junk_never_crashes_and_a_refusal_writes_nothing(li_wei, db_path, command, a, b):
    values = iter([a, b])
    args = [next(values) if part == "{}" else part for part in command]
    before = store_digest(db_path)
    r = li_wei(*args, ok=False)
    assert r.exit_code in (0, 2), (args, r.exit_code, r.output)
    assert "Traceback" not in r.output
    if r.exit_code == 2:
        assert store_digest(db_path) == before, args


# --- a full disk ------------------------------------------------------------------------------


def test_full_store_is_reported_and_loses_nothing(li_wei, db_path):
    li_wei("log", "add", "4821", "--channel", "call", "--note", "kept")
    conn = sqlite3.connect(db_path)
    conn.execute("VACUUM")  # no free pages left (a migration that drops an index leaves some)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    # Cap the file at its current size, as a full disk would, for the next connection.
    from debtcli import store as store_module

    real_open = store_module.open_store

    def capped(path, **kw):
        s = real_open(path, **kw)
        s.conn.execute(f"PRAGMA max_page_count = {pages}")
        return s

    original = store_module.open_store
    store_module.open_store = capped
    try:
        r = li_wei("log", "add", "4821", "--channel", "call", "--note", "x" * 4000, ok=False)
    finally:
        store_module.open_store = original
    assert_clean_failure(r, says="is full")
    assert [e["note"] for e in li_wei.json("log", "list")] == ["kept"]
    li_wei("evidence", "verify")


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tiny tmpfs needs root")
def test_full_tmpfs_disk(tmp_path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        db = mnt / "store.db"
        debtcli(db, "card", "add", "--bank", "中信银行", "--last4", "4821")
        rec = tmp_path / "recording.m4a"
        rec.write_bytes(os.urandom(150_000))
        last_ok, failure = 0, None
        for i in range(20):
            r = debtcli(
                db,
                "log",
                "add",
                "4821",
                "--channel",
                "call",
                "--attach",
                str(rec),
                "--note",
                f"call {i}",
                check=False,
            )
            rec.write_bytes(os.urandom(150_000))
            if r.returncode:
                failure = r
                break
            last_ok = i + 1
        assert failure is not None, "the disk never filled"
        assert failure.returncode == 2 and "full" in failure.stderr
        assert "Traceback" not in failure.stderr
        assert count(db) == last_ok
        v = debtcli(db, "evidence", "verify", check=False)
        assert v.returncode == 0, v.stderr
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


# --- privacy ----------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_is_owner_only_and_stays_in_its_folders(cli, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DEBTCLI_DB")
    monkeypatch.delenv("DEBTCLI_CONFIG")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"audio")
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2026-08-05", "--amount", "62400")
    cli("log", "add", "4821", "--channel", "call", "--attach", str(rec))
    cli(
        "letter",
        "make",
        "fee-waiver",
        "4821",
        "--name",
        "李伟",
        "--phone",
        "13800000000",
        "-o",
        str(tmp_path / "letter.docx"),
    )
    cli("evidence", "export", "-o", str(tmp_path / "bundle.zip"))
    cli("backup", "-o", str(tmp_path / "backup.zip"))
    paths = cli.json("path")
    store, evidence = Path(paths["store"]), Path(paths["evidence"])
    assert _mode(store) == 0o600 and _mode(store.parent) == 0o700 and _mode(evidence) == 0o700
    assert all(_mode(p) == 0o600 for p in evidence.iterdir())
    for name in ("letter.docx", "bundle.zip", "backup.zip"):
        assert _mode(tmp_path / name) == 0o600, name
    written = {p for p in home.rglob("*") if p.is_file()}
    allowed = (home / ".local/share/debtcli", home / ".config/debtcli")
    assert all(any(a in p.parents for a in allowed) for p in written), written


def test_errors_do_not_echo_stored_data(li_wei):
    li_wei(
        "log", "add", "4821", "--channel", "call", "--phone", "13912345678", "--note", "secret note"
    )
    r = li_wei("log", "amend", "1", "--channel", "fax", ok=False)
    assert "13912345678" not in r.stderr and "secret note" not in r.stderr


def test_redacted_export_masks_people(li_wei, tmp_path):
    rec = tmp_path / "photo.jpg"
    rec.write_bytes(b"face")
    li_wei(
        "log",
        "add",
        "4821",
        "--channel",
        "call",
        "--phone",
        "13912345678",
        "--agent",
        "张经理",
        "--agent-id",
        "A0137",
        "--note",
        "call back on 138 1234 5678",
        "--attach",
        str(rec),
    )
    out = tmp_path / "public.zip"
    li_wei("evidence", "export", "--redact", "-o", str(out))
    with zipfile.ZipFile(out) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
        assert not any(n.startswith("attachments/") for n in z.namelist())
    for secret in ("13912345678", "张经理", "A0137", "138 1234 5678"):
        assert secret.encode() not in blob, secret
    assert "verified" in li_wei("evidence", "verify", "--bundle", str(out)).stdout


# --- backup, restore, export and import -------------------------------------------------------


def test_backup_and_restore(li_wei, tmp_path):
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"audio bytes")
    li_wei("log", "add", "4821", "--channel", "call", "--attach", str(rec))
    backup = tmp_path / "b.zip"
    li_wei("backup", "-o", str(backup))
    target = tmp_path / "restored" / "s.db"
    li_wei("--db", str(target), "restore", str(backup))
    assert "1 entries verified" in li_wei("--db", str(target), "evidence", "verify").stdout
    assert li_wei.json("--db", str(target), "status") == li_wei.json("status")
    r = li_wei("--db", str(target), "restore", str(backup), ok=False)
    assert_clean_failure(r, says="--force")
    li_wei("--db", str(target), "restore", str(backup), "--force")


def test_restore_refuses_a_damaged_backup_before_touching_anything(li_wei, tmp_path, db_path):
    backup = tmp_path / "b.zip"
    li_wei("log", "add", "4821", "--channel", "call")
    li_wei("backup", "-o", str(backup))
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(damaged, "w") as dst:
        for n in src.namelist():
            data = src.read(n)
            dst.writestr(n, data + b"x" if n == "store.db" else data)
    before = store_digest(db_path)
    r = li_wei("restore", str(damaged), "--force", ok=False)
    assert r.exit_code == 1 and "damaged or changed: store.db" in r.stderr
    assert store_digest(db_path) == before


def test_restore_verifies_the_chain_of_a_backup_whose_sums_were_forged(li_wei, tmp_path, db_path):
    """A backup checks its own chain once, before writing; a backup read back is checked in
    full: an entry edited inside it, with the manifest's sums made to match, is refused."""
    backup = tmp_path / "b.zip"
    li_wei("log", "add", "4821", "--channel", "call", "--note", "threatened my mother")
    li_wei("backup", "-o", str(backup))
    with zipfile.ZipFile(backup) as z:
        manifest = json.loads(z.read("manifest.json"))
        (tmp_path / "store.db").write_bytes(z.read("store.db"))
    conn = sqlite3.connect(tmp_path / "store.db")
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'contacts_no_update'"
    ).fetchone()[0]
    with conn:
        conn.execute("DROP TRIGGER contacts_no_update")
        conn.execute("UPDATE contacts SET note = 'polite reminder'")
        conn.execute(trigger)
    conn.close()
    edited = (tmp_path / "store.db").read_bytes()
    manifest["files"]["store.db"] = hashlib.sha256(edited).hexdigest()
    manifest["sizes"]["store.db"] = len(edited)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as z:
        z.writestr("store.db", edited)
        z.writestr("manifest.json", json.dumps(manifest))
    before = store_digest(db_path)
    r = li_wei("restore", str(forged), "--force", ok=False)
    assert r.exit_code == 1 and "the evidence does not verify" in r.stderr
    assert store_digest(db_path) == before


def test_json_export_import_round_trips_exactly(li_wei, tmp_path, db_path):
    """Every table of the store is in the export (it lost an episode's corrections and the
    number book), and an import gives back the same export."""
    li_wei("log", "add", "4821", "--channel", "call", "--note", "一")
    li_wei("log", "amend", "1", "--note", "二")
    li_wei("pay", "4821", "100")
    li_wei("agree", "7730", "--months", "6", "--monthly", "3050", "--first-due", "2026-12-01")
    li_wei("overdue", "5511", "--since", "2026-10-21", "--amount", "9050", "--force")
    li_wei("numbers", "add", "400-812-3456", "--card", "4821", "--party", "agency")
    first = li_wei("export", "--json").stdout
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        kept = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(json.loads(first)["tables"]) == kept - {"migrations"}
    f = tmp_path / "e.json"
    f.write_text(first, encoding="utf-8")
    new = tmp_path / "new.db"
    li_wei("--db", str(new), "import", "--json", str(f))
    assert li_wei("--db", str(new), "export", "--json").stdout == first
    li_wei("--db", str(new), "evidence", "verify")
    shown = li_wei("--db", str(new), "card", "show", "5511").stdout
    assert "overdue since 2026-10-20 → 2026-10-21" in shown
    assert "4008123456" in li_wei("--db", str(new), "numbers", "list").stdout
    r = li_wei("--db", str(new), "import", "--json", str(f), ok=False)
    assert_clean_failure(r, says="not empty")
    doc = json.loads(first)
    doc["tables"]["contacts"][0]["note"] = "doctored"
    f.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "other.db"
    r = li_wei("--db", str(other), "import", "--json", str(f), ok=False)
    assert r.exit_code == 1 and "does not verify" in r.stderr
    assert li_wei.json("--db", str(other), "card", "list") == []


@pytest.mark.parametrize(
    ("args", "example"),
    [
        (("evidence", "export"), "evidence.zip"),
        (("backup",), "backup.zip"),
        (("calendar",), "debtcli.ics"),
        (("export", "--json"), "debtcli.json"),
        (("report",), "out.html"),
    ],
)
def test_a_folder_given_as_output_is_refused_with_a_file_of_the_right_kind(
    li_wei, tmp_path, args, example
):
    """-o FOLDER: the refusal suggests a file in it of the kind the command writes (a bundle
    is a .zip, not out.html), and the root folder is not doubled (//out.html)."""
    r = li_wei(*args, "-o", tmp_path, ok=False)
    assert_clean_failure(r, exact=f"-o {tmp_path}: that is a folder; give a file name, e.g. "
                                  f"{tmp_path / example}")  # fmt: skip
    r = li_wei(*args, "-o", "/", ok=False)
    assert_clean_failure(r, says=f"e.g. /{example}")


def test_a_backup_that_is_not_there_is_said_before_the_store_in_the_way(li_wei, tmp_path):
    r = li_wei("restore", tmp_path / "nofile.zip", ok=False)
    assert_clean_failure(r, says="nofile.zip")
    assert "--force" not in r.stderr
