"""Evidence that holds when someone tries to break it (issue 14). Each test is an attack that
passed before: a forged bundle, a doctored store, a hostile backup, junk that crashed, output
that a spreadsheet or a browser would misread."""

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import assert_clean_failure, store_digest


@pytest.fixture
def logged(li_wei, tmp_path):
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"\x00\x00\x00 ftypM4A recording of the 22:40 call")
    li_wei("log", "add", "4821", "--channel", "call", "--party", "agency", "--org", "某某资产",
           "--contacted", "family", "--at", "2026-11-10 22:40", "--note", "called my mother",
           "--attach", str(rec))
    li_wei("log", "add", "7730", "--channel", "sms", "--party", "bank",
           "--at", "2026-11-12 10:00", "--note", "reminder")
    li_wei("log", "add", "4821", "--channel", "call", "--party", "agency",
           "--at", "2026-11-15 10:00", "--note", "said they will visit")
    return li_wei


def _bundle(cli, tmp_path, *args, name="b.zip"):
    out = tmp_path / name
    cli("evidence", "export", *args, "-o", str(out))
    return out


def _rewrite(src: Path, dst: Path, change) -> Path:
    """Copy a zip member by member; change(name, data) returns new bytes, or None to drop."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w") as b:
        for n in a.namelist():
            data = change(n, a.read(n))
            if data is not None:
                b.writestr(n, data)
    return dst


def _fix_manifest(path: Path) -> None:
    """What a forger does after editing: recompute the manifest's sums."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    m = json.loads(members["manifest.json"])
    m["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()
                  if n != "manifest.json" and n in m["files"]}
    members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)


def _verify(cli, bundle):
    return cli("evidence", "verify", "--bundle", str(bundle), ok=False)


# --- bundles ----------------------------------------------------------------------------------

def test_a_replaced_recording_fails_even_with_the_manifest_updated(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", lambda n, d: b"another recording"
                      if n.startswith("attachments/") else d)
    _fix_manifest(forged)
    r = _verify(logged, forged)
    assert r.exit_code == 1 and "entry 1" in r.stderr and "recording" not in r.stdout


def test_a_deleted_recording_fails_even_with_its_manifest_line(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", lambda n, d: None
                      if n.startswith("attachments/") else d)
    _fix_manifest(forged)
    r = _verify(logged, forged)
    assert r.exit_code == 1 and "call.m4a" in r.stderr


@pytest.mark.parametrize("flag", ["redacted", "subset"])
def test_manifest_flags_never_switch_a_check_off(logged, tmp_path, flag):
    b = _bundle(logged, tmp_path)

    def edit(n, d):
        if n == "entries.json":
            return d.replace(b"said they will visit", b"apologised politely")
        if n == "manifest.json":
            m = json.loads(d)
            m[flag] = True
            return json.dumps(m).encode()
        return d

    forged = _rewrite(b, tmp_path / "f.zip", edit)
    _fix_manifest(forged)
    r = _verify(logged, forged)
    assert r.exit_code == 1 and "entry 3" in r.stderr


def test_a_deleted_entry_fails_in_a_full_bundle(logged, tmp_path):
    b = _bundle(logged, tmp_path)

    def edit(n, d):
        if n == "entries.json":
            return json.dumps([e for e in json.loads(d) if e["id"] != 2]).encode()
        return d

    forged = _rewrite(b, tmp_path / "f.zip", edit)
    _fix_manifest(forged)
    assert _verify(logged, forged).exit_code == 1


def test_a_card_subset_checks_its_chain_from_boundary_hashes(logged, tmp_path):
    b = _bundle(logged, tmp_path, "4821")
    ok = _verify(logged, b)
    assert ok.exit_code == 0 and "2 entries verified" in ok.stdout

    def edit(n, d):
        if n == "entries.json":
            return json.dumps([e for e in json.loads(d) if e["id"] != 3]).encode()
        return d

    forged = _rewrite(b, tmp_path / "f.zip", edit)
    _fix_manifest(forged)
    r = _verify(logged, forged)
    assert r.exit_code == 1 and "entry 3" in r.stderr


def test_a_redacted_bundle_says_what_it_could_not_check(logged, tmp_path):
    b = _bundle(logged, tmp_path, "--redact")
    r = _verify(logged, b)
    assert r.exit_code == 0
    assert "OK: 3 entries verified" not in r.stdout
    assert "redacted" in r.stdout and "could not be checked" in r.stdout


def test_derived_files_are_marked_as_not_evidence(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        manifest = json.loads(z.read("manifest.json"))
        html = z.read("summary.html").decode()
    assert set(manifest["derived"]) == {"summary.html", "entries.csv"}
    assert "not evidence" in html
    forged = _rewrite(b, tmp_path / "f.zip", lambda n, d: d.replace(b"called my mother",
                                                                     b"nothing")
                      if n == "summary.html" else d)
    _fix_manifest(forged)
    r = _verify(logged, forged)
    assert "summary.html" in r.stdout + r.stderr and "not evidence" in r.stdout + r.stderr


def test_a_zip_with_two_members_of_one_name_is_refused(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        entries = z.read("entries.json")
    with zipfile.ZipFile(b, "a") as z, pytest.warns(UserWarning):
        z.writestr("entries.json", entries.replace(b"called my mother", b"nothing"))
    r = _verify(logged, b)
    assert_clean_failure(r, code=2, says="twice")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really", b"\x00" * 100])
def test_malformed_bundles_are_bad_input(cli, tmp_path, content):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(content)
    assert_clean_failure(cli("evidence", "verify", "--bundle", str(bad), ok=False), code=2)


# --- the store --------------------------------------------------------------------------------

def _raw(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER contacts_no_delete")
    conn.execute("DROP TRIGGER contacts_no_update")
    return conn


def test_deleting_the_last_entry_and_the_count_fails(logged, db_path):
    conn = _raw(db_path)
    conn.execute("DELETE FROM contact_attachments WHERE contact_id = 3")
    conn.execute("DELETE FROM contacts WHERE id = 3")
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'chain_count'")
    conn.commit()
    conn.close()
    assert logged("evidence", "verify", ok=False).exit_code == 1


def test_deleting_the_head_record_fails(logged, db_path):
    conn = _raw(db_path)
    conn.execute("DELETE FROM meta WHERE key IN ('chain_count', 'chain_head')")
    conn.commit()
    conn.close()
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "head" in r.stderr


def test_a_corrupt_page_fails_verify_and_backup(logged, db_path, tmp_path):
    logged("evidence", "verify")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    # damage an index page's body (not the header): the table rows still read
    conn = sqlite3.connect(db_path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                        "'contacts_card_at'").fetchone()[0]
    conn.close()
    start = (root - 1) * page
    data[start + page - 200: start + page] = b"\xff" * 200  # its cells, at the page's end
    db_path.write_bytes(bytes(data))
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "integrity" in r.stderr
    b = logged("backup", "-o", str(tmp_path / "b.zip"), ok=False)
    assert b.exit_code == 1 and not (tmp_path / "b.zip").exists()


def test_planted_files_in_the_evidence_folder_are_reported(logged, db_path):
    folder = db_path.with_name("store-evidence")
    (folder / "planted.m4a").write_bytes(b"fake")
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "planted.m4a" in r.stderr


# --- exit codes -------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", [
    [], {"format": "debtcli-export/1"}, {"format": "debtcli-export/1", "tables": []},
    {"format": "debtcli-export/1", "tables": {"cards": "x"}},
    {"format": "debtcli-export/1", "tables": {"cards": [1, 2]}},
    {"format": "debtcli-export/1", "tables": {"cards": [{"id": 1, "bank": "B", "last4": "1234",
                                                         "created_at": "x"}],
                                              "episodes": [{"id": 1, "card_id": 1,
                                                            "since": "2026-08-05",
                                                            "amount": "lots",
                                                            "created_at": "x"}]}},
    {"format": "debtcli-export/1", "tables": {"cards": [{"id": 1, "bank": "B", "last4": "12",
                                                         "created_at": "x"}]}},
    {"format": "debtcli-export/1", "schema": "new", "tables": {}},
])
def test_malformed_json_imports_are_bad_input(cli, tmp_path, doc):
    f = tmp_path / "x.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "new.db"
    r = cli("--db", str(db), "import", "--json", str(f), ok=False)
    assert_clean_failure(r, code=2)


def test_a_ten_megabyte_csv_field_is_refused_by_name(li_wei, tmp_path, db_path):
    f = tmp_path / "big.csv"
    f.write_text("card,at,channel,note\n4821,2026-11-20 10:00,call," + "x" * 10_000_000 + "\n",
                 encoding="utf-8")
    before = store_digest(db_path)
    r = li_wei("log", "import", str(f), ok=False)
    assert_clean_failure(r, code=2, says="note")
    assert store_digest(db_path) == before


def test_a_fifo_is_refused_not_waited_on(li_wei, tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert_clean_failure(li_wei("log", "import", str(fifo), ok=False), says="not a regular file")
    assert_clean_failure(li_wei("log", "import", "/dev/zero", ok=False),
                         says="not a regular file")


@pytest.mark.parametrize("args", [
    ["report", "-o", "/"], ["calendar", "-o", "/"], ["export", "--json", "-o", "/"],
    ["visit", "checklist", "-o", "/"], ["evidence", "export", "-o", "/"],
    ["backup", "-o", "/"],
])
def test_output_to_a_folder_is_bad_input(li_wei, args):
    assert_clean_failure(li_wei(*args, ok=False), code=2)


def test_absurd_inputs_are_bad_input(li_wei):
    assert_clean_failure(li_wei("--today", "9999-12-31", "status", ok=False), code=2)
    assert_clean_failure(li_wei("card", "show", "9" * 10_000, ok=False), code=2)


# --- safe output ------------------------------------------------------------------------------

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(li_wei, tmp_path):
    for note in ("=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)"):
        li_wei("log", "add", "4821", "--channel", "call", "--at", "2026-11-20 10:00",
               "--note", note)
    text = li_wei("log", "list", "--csv").stdout
    for line in text.splitlines()[1:]:
        note = line.rsplit(",", 1)[-1]
        assert note.startswith("'") or note.startswith('"\''), line
    b = _bundle(li_wei, tmp_path)
    with zipfile.ZipFile(b) as z:
        csv = z.read("entries.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv


def test_user_text_cannot_reorder_debtclis_own_labels(li_wei, tmp_path):
    li_wei("log", "add", "4821", "--channel", "call", "--party", "agency", "--contacted",
           "family", "--at", "2026-11-20 22:40", "--note", "abc\u202edef")
    out = tmp_path / "r.html"
    li_wei("report", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<bdi>abc\u202edef</bdi>" in html or "unicode-bidi: isolate" in html


def test_terminal_escapes_from_imported_json_are_not_written_raw(li_wei, tmp_path):
    li_wei("log", "add", "4821", "--channel", "call", "--at", "2026-11-20 10:00",
           "--note", "plain")
    doc = json.loads(li_wei("export", "--json").stdout)
    doc["tables"]["contacts"][0]["org"] = "evil\x1b[2J\x1b]0;owned\x07"
    # a doctored export does not verify, so it never lands: escapes cannot arrive this way
    f = tmp_path / "x.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    r = li_wei("--db", str(tmp_path / "n.db"), "import", "--json", str(f), ok=False)
    assert r.exit_code in (1, 2)
    shown = li_wei("log", "list").stdout
    assert "\x1b[2J" not in shown
