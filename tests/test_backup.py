"""Restore (issue 34): a good backup repairs damaged evidence files, the replaced store's own
files do not stay behind to look planted, a store row debtcli never writes is refused like an
export's, and a command writing to the store is waited for, never written under."""

import sqlite3
import threading

import pytest
from conftest import assert_clean_failure, log_add, store_digest


@pytest.fixture
def backed_up(li_wei, tmp_path):
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"\x00\x00\x00\x20ftypM4A the 22:40 call")
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--attach", rec)
    li_wei("backup", "-o", tmp_path / "b.zip")
    return li_wei, tmp_path / "b.zip"


def _evidence(db_path):
    return db_path.with_name("store-evidence")


def test_a_good_backup_repairs_a_damaged_evidence_file(backed_up, db_path):
    cli, backup = backed_up
    [recording] = list(_evidence(db_path).iterdir())
    recording.write_bytes(b"damaged")
    assert cli("evidence", "verify", ok=False).exit_code == 1
    cli("restore", backup, "--force")
    assert recording.read_bytes().endswith(b"the 22:40 call")
    cli("evidence", "verify")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_replaced_stores_own_files_are_moved_aside_not_left_to_look_planted(
    backed_up, db_path, tmp_path, lang
):
    cli, backup = backed_up
    letter = tmp_path / "letter.jpg"
    letter.write_bytes(b"\xff\xd8 a letter logged after the backup")
    log_add(cli, "4821", "2026-11-12 10:00", "--attach", letter, channel="letter")
    r = cli("--lang", lang, "restore", backup, "--force")
    aside = [p for p in db_path.parent.iterdir() if p.name.startswith("store-evidence-replaced-")]
    assert len(aside) == 1 and len(list(aside[0].iterdir())) == 1
    assert str(aside[0]) in r.stdout
    assert ("moved to" if lang == "en" else "已移到") in r.stdout
    cli("evidence", "verify")


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("UPDATE payments SET amount = 'abc'", "table payments, row 1, amount"),
        ("UPDATE episodes SET since = 'not a date'", "table episodes, row 1, since"),
        ("UPDATE cards SET credit_limit = 'lots'", "table cards, row 1, credit_limit"),
        # values of the right type that later commands could not read (found by an attack)
        ("UPDATE episodes SET since = '9999-12-31'", "table episodes, row 1, since"),
        ("UPDATE episodes SET since = '20260730'", "table episodes, row 1, since"),
        ("UPDATE episodes SET since = '2026-W31-4'", "table episodes, row 1, since"),
        ("UPDATE payments SET amount = 1000000000000000", "table payments, row 1, amount"),
        ("UPDATE cards SET created_at = 'x'", "table cards, row 1, created_at"),
        ("INSERT INTO meta VALUES ('profile', '{not json')", "value"),
        ("INSERT OR REPLACE INTO meta VALUES ('chain_count', 'x')", "value"),
    ],
)
def test_a_backup_holding_a_row_debtcli_never_writes_is_refused(
    li_wei, tmp_path, db_path, sql, says
):
    from test_attack import _doctor_store

    li_wei("card", "edit", "4821", "--limit", "50000")
    li_wei("pay", "4821", "100")
    li_wei("backup", "-o", tmp_path / "b.zip")
    doctored = _doctor_store(tmp_path / "b.zip", tmp_path / "d.zip", tmp_path, sql)
    before = store_digest(db_path)
    r = li_wei("restore", doctored, "--force", ok=False)
    assert_clean_failure(r, code=1, says=says)
    zh = li_wei("--lang", "zh", "restore", doctored, "--force", ok=False)
    assert "备份：其数据文件" in zh.stderr
    assert store_digest(db_path) == before


def test_a_restore_waits_for_a_writer_then_refuses_and_loses_nothing(
    backed_up, db_path, monkeypatch
):
    from debtcli import backup

    cli, b = backed_up
    monkeypatch.setattr(backup, "STORE_WAIT", 0.5)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cards SET name = 'written meanwhile' WHERE last4 = '7730'")
    r = cli("restore", b, "--force", ok=False)
    writer.execute("COMMIT")
    writer.close()
    assert_clean_failure(r, says="in use by another debtcli command")
    names = sqlite3.connect(db_path).execute("SELECT name FROM cards WHERE last4 = '7730'")
    assert names.fetchone()[0] == "written meanwhile"


def test_a_restore_replaces_the_store_once_a_writer_has_finished(backed_up, db_path):
    cli, b = backed_up
    writer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    done = threading.Timer(0.5, lambda: writer.execute("COMMIT"))
    done.start()
    cli("restore", b, "--force")
    done.join()
    writer.close()
    cli("evidence", "verify")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_command_whose_store_was_restored_under_it_writes_nothing(
    backed_up, db_path, monkeypatch, lang
):
    """log add asks its questions; meanwhile a restore replaces the store. Its entry would
    land in the old, unlinked file and be lost while it said 'Logged': it is refused."""
    from debtcli import store as st

    cli, b = backed_up
    open_before = st.open_store(db_path)  # the command, at its prompts
    cli("restore", b, "--force")
    with pytest.raises(st.StoreError) as refused, open_before.write() as c:
        c.execute("UPDATE cards SET name = 'lost' WHERE last4 = '4821'")
    said = refused.value.text(lang)
    assert ("was replaced (restored)" if lang == "en" else "被替换（恢复）") in said
    open_before.close()
    cli("evidence", "verify")


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("agreements", "months", 1_000_000_000), ("episodes", "since", "9999-12-31"),
     ("agreements", "first_due", "9999-12-01"), ("contacts", "salt", "zz"),
     ("contacts", "agents", 2**62), ("contact_attachments", "sha256", "../../../etc/hostname"),
     ("meta", "value", '{"name": ["a"], "phone": {"x": 1}}')],
)  # fmt: skip
def test_an_export_holding_a_value_later_commands_cannot_read_is_refused(
    li_wei, tmp_path, table, column, value
):
    import json

    li_wei("agree", "5511", "--months", "12", "--monthly", "500", "--first-due", "2027-01-05")
    (tmp_path / "a.txt").write_text("a letter")
    log_add(li_wei, "4821", "2026-11-10 22:40", "--attach", tmp_path / "a.txt")
    li_wei("letter", "make", "stop-third-party", "4821", "--name", "李伟", "--phone", "138")
    doc = json.loads(li_wei("export", "--json").stdout)
    rows = doc["tables"][table]
    row = next(r for r in rows if table != "meta" or r["key"] == "profile")
    row[column] = value
    (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    r = li_wei("--db", tmp_path / "new.db", "import", "--json", tmp_path / "x.json", ok=False)
    assert_clean_failure(r, says=f"row {rows.index(row) + 1}, {column}")


def test_a_backup_whose_index_was_swapped_is_restored_with_its_indexes_rebuilt(
    li_wei, tmp_path, db_path, monkeypatch
):
    """An index b-tree swapped for one that lacks a card's entries (writable_schema) hides
    them from that card's views; quick_check, which a long log gets, does not see it."""
    import zipfile

    from debtcli import contactlog

    monkeypatch.setattr(contactlog, "QUICK_FROM", 1)
    for n in range(4):
        log_add(li_wei, ("4821", "7730")[n % 2], f"2026-11-1{n} 10:00", "--note", f"call {n}")
    li_wei("backup", "-o", tmp_path / "b.zip")
    work = tmp_path / "doctor"
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        z.extractall(work)
    c = sqlite3.connect(work / "store.db")
    c.executescript(
        "CREATE TABLE junk(card_id, at_utc); INSERT INTO junk(rowid, card_id, at_utc) "
        "SELECT id, card_id, at_utc FROM contacts WHERE card_id != 1; "
        "CREATE INDEX junk_idx ON junk(card_id, at_utc);"
    )
    real, junk = (c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (n,)).fetchone()[0]
                  for n in ("contacts_card_at", "junk_idx"))  # fmt: skip
    c.execute("PRAGMA writable_schema = ON")
    c.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = 'contacts_card_at'", (junk,))
    c.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = 'junk_idx'", (real,))
    c.commit()
    c.close()
    c = sqlite3.connect(work / "store.db")
    c.execute("DROP TABLE junk")
    c.commit()
    c.close()
    import hashlib
    import json

    manifest = json.loads((work / "manifest.json").read_text())
    data = (work / "store.db").read_bytes()
    manifest["files"]["store.db"] = hashlib.sha256(data).hexdigest()
    manifest["sizes"]["store.db"] = len(data)
    (work / "manifest.json").write_text(json.dumps(manifest))
    with zipfile.ZipFile(tmp_path / "d.zip", "w") as z:
        for f in work.rglob("*"):
            if f.is_file():
                z.write(f, f.relative_to(work).as_posix())
    li_wei("restore", tmp_path / "d.zip", "--force")
    assert len(li_wei.json("log", "list", "4821")) == 2
