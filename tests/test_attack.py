"""Evidence that holds when someone tries to break it (issue 14). Each test is an attack that
passed before: a forged bundle, a doctored store, a hostile backup, junk that crashed, output
that a spreadsheet or a browser would misread."""

import csv
import hashlib
import io
import json
import os
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import assert_clean_failure, log_add, log_late_call, store_digest, zip_members


@pytest.fixture
def logged(li_wei, tmp_path):
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"\x00\x00\x00 ftypM4A recording of the 22:40 call")
    log_late_call(li_wei, "某某资产", "--attach", str(rec))
    log_add(
        li_wei, "7730", "2026-11-12 10:00", "--party", "bank", "--note", "reminder", channel="sms"
    )
    log_add(
        li_wei, "4821", "2026-11-15 10:00", "--party", "agency", "--note", "said they will visit"
    )
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
    m["files"] = {
        n: hashlib.sha256(d).hexdigest()
        for n, d in members.items()
        if n != "manifest.json" and n in m["files"]
    }
    members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)


def _verify(cli, bundle):
    return cli("evidence", "verify", "--bundle", str(bundle), ok=False)


# --- bundles ----------------------------------------------------------------------------------


def test_a_replaced_recording_fails_even_with_the_manifest_updated(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    forged = _rewrite(
        b,
        tmp_path / "f.zip",
        lambda n, d: b"another recording" if n.startswith("attachments/") else d,
    )
    _fix_manifest(forged)
    r = _verify(logged, forged)
    assert r.exit_code == 1 and "entry 1" in r.stderr and "recording" not in r.stdout


def test_a_deleted_recording_fails_even_with_its_manifest_line(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    forged = _rewrite(
        b, tmp_path / "f.zip", lambda n, d: None if n.startswith("attachments/") else d
    )
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


def _without_entry(cli, bundle, tmp_path, entry):
    """The bundle with one entry taken out of entries.json and the manifest made to agree:
    verify's answer."""

    def edit(n, d):
        if n == "entries.json":
            return json.dumps([e for e in json.loads(d) if e["id"] != entry]).encode()
        return d

    forged = _rewrite(bundle, tmp_path / "f.zip", edit)
    _fix_manifest(forged)
    return _verify(cli, forged)


def test_a_deleted_entry_fails_in_a_full_bundle(logged, tmp_path):
    assert _without_entry(logged, _bundle(logged, tmp_path), tmp_path, 2).exit_code == 1


def test_a_bundle_cut_short_at_its_end_fails_on_the_recorded_head(logged, tmp_path):
    """The last entry taken out of the chain and of the entries shown: every link that is left
    still follows, only the head the bundle recorded names the cut."""

    def edit(n, d):
        if n == "chain.json":
            return json.dumps(json.loads(d)[:-1]).encode()
        if n == "entries.json":
            return json.dumps([e for e in json.loads(d) if e["id"] != 3]).encode()
        return d

    forged = _rewrite(_bundle(logged, tmp_path), tmp_path / "f.zip", edit)
    _fix_manifest(forged)
    r = _verify(logged, forged)
    lines = r.stderr.splitlines()  # one problem only: the cut
    assert r.exit_code == 1 and len(lines) == 1 and lines[0].endswith("…, not the recorded head")
    assert lines[0].startswith("debtcli: error: the chain ends at 2 entries and ")
    zh = logged("--lang", "zh", "evidence", "verify", "--bundle", str(forged), ok=False)
    assert "链在第 2 条、" in zh.stderr and "处结束，与记录的链头不符" in zh.stderr


def test_a_card_subset_checks_its_chain_from_boundary_hashes(logged, tmp_path):
    b = _bundle(logged, tmp_path, "4821")
    ok = _verify(logged, b)
    assert ok.exit_code == 0 and "2 entries verified" in ok.stdout
    r = _without_entry(logged, b, tmp_path, 3)
    assert r.exit_code == 1 and "entry 3" in r.stderr


def test_a_one_card_bundle_names_the_entries_it_leaves_out(li_wei, tmp_path):
    for n, card in enumerate(("4821", "7730", "7730", "5511", "4821", "7730"), start=1):
        log_add(li_wei, card, f"2026-11-1{n} 10:00", "--party", "bank", channel="sms")
    b = _bundle(li_wei, tmp_path, "4821")
    en = " ".join(_verify(li_wei, b).stdout.split())
    assert (
        "Entries 2–4, 6 of the chain are not in this bundle, which holds only card ****4821's "
        "entries: their links were checked, not their contents."
    ) in en
    zh = li_wei("--lang", "zh", "evidence", "verify", "--bundle", str(b)).stdout.replace("\n", "")
    assert (
        "链中的记录 2–4、6 不在本证据包中（本包只含 ****4821 的记录）：只校验了衔接，未校验内容。"
        in zh
    )
    doc = li_wei.json("evidence", "verify", "--bundle", str(b))
    assert (doc["card"], doc["entries_of_other_cards"]) == ("4821", [2, 3, 4, 6])
    whole = li_wei.json(
        "evidence", "verify", "--bundle", str(_bundle(li_wei, tmp_path, name="a.zip"))
    )
    assert (whole["card"], whole["entries_of_other_cards"]) == (None, [])


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
    with zipfile.ZipFile(b) as z:  # the evidence is readable in any editor: a line an entry
        lines = z.read("entries.json").decode().splitlines()
        assert lines[0] == "[" and lines[-1] == "]" and lines[1].startswith('{"id": 1, ')
        assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-1]] == [1, 2, 3]
    assert "not evidence" in html
    forged = _rewrite(
        b,
        tmp_path / "f.zip",
        lambda n, d: d.replace(b"called my mother", b"nothing") if n == "summary.html" else d,
    )
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
    assert_clean_failure(
        r, code=2, says="holds entries.json twice: a forged or broken evidence bundle, refused"
    )
    zh = logged("--lang", "zh", "evidence", "verify", "--bundle", str(b), ok=False)
    assert_clean_failure(
        zh, code=2, says="中 entries.json 出现了两次：伪造或损坏的证据包，拒绝读取"
    )


def test_a_bundle_with_a_forged_stamp_description_is_refused_naming_it(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    with zipfile.ZipFile(b, "a") as z:
        z.writestr("stamps/1.json", b"[]")
    _fix_manifest(b)
    for lang, says in (
        ("en", "b.zip: entries.json, chain.json or a stamp is missing or unreadable (stamps/1."
         "json: not a stamp description)"),
        ("zh", "b.zip：entries.json、chain.json 或时间戳缺失或无法读取（stamps/1.json: not a stamp "
         "description）"),
    ):  # fmt: skip
        r = logged("--lang", lang, "evidence", "verify", "--bundle", str(b), ok=False)
        assert_clean_failure(r, code=2, says=says)


def test_a_backup_with_members_twice_names_them_in_both_languages(logged, tmp_path, db_path):
    b = _backup(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        members = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(b, "a") as z, pytest.warns(UserWarning):
        for n in ("store.db", "manifest.json"):
            z.writestr(n, members[n])
    before = _state(db_path)
    for lang, says in (
        ("en", "holds manifest.json, store.db twice: a forged or broken backup, refused"),
        ("zh", "中 manifest.json, store.db 出现了两次：伪造或损坏的备份，拒绝读取"),
    ):
        r = logged("--lang", lang, "restore", str(b), "--force", ok=False)
        assert_clean_failure(r, code=2, says=says)
    assert _state(db_path) == before


def test_a_backup_names_every_member_missing_or_changed(logged, tmp_path, db_path):
    """Each member the manifest lists is checked, past one that is missing."""
    b = _backup(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        members = {n: z.read(n) for n in z.namelist()}
    m = json.loads(members["manifest.json"])
    m["files"] = {"evidence/" + "c" * 64: "0" * 64, **m["files"]}
    members["manifest.json"] = json.dumps(m).encode()
    members["store.db"] += b"x"
    with zipfile.ZipFile(b, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    r = logged("restore", str(b), "--force", ok=False)
    assert r.exit_code == 1
    assert f"damaged or changed: evidence/{'c' * 64}, store.db" in r.stderr
    zh = logged("--lang", "zh", "restore", str(b), "--force", ok=False)
    assert f"已损坏或被修改：evidence/{'c' * 64}、store.db" in zh.stderr


def test_a_backup_whose_manifest_lists_no_table_of_files_is_not_a_backup(logged, tmp_path):
    b = _backup(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        members = {n: z.read(n) for n in z.namelist()}
    m = json.loads(members["manifest.json"])
    m["files"] = sorted(m["files"])
    members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(b, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    for lang, says in (
        ("en", "is not a debtcli backup (files is not a table)"),
        ("zh", "不是 debtcli 备份（files is not a table）"),
    ):
        r = logged("--lang", lang, "restore", str(b), "--force", ok=False)
        assert_clean_failure(r, code=2, says=says)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really", b"\x00" * 100])
def test_malformed_bundles_are_bad_input(cli, tmp_path, content):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(content)
    assert_clean_failure(cli("evidence", "verify", "--bundle", str(bad), ok=False), code=2)
    zh = cli("--lang", "zh", "evidence", "verify", "--bundle", str(bad), ok=False)
    assert_clean_failure(zh, code=2, exact=f"{bad} 不是 debtcli 证据包（不是 zip 文件）")
    en = cli("evidence", "verify", "--bundle", str(bad), ok=False)
    assert_clean_failure(
        en, code=2, exact=f"{bad} is not a debtcli evidence bundle (not a zip file)"
    )


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


def test_a_rehashed_last_entry_that_skips_its_predecessor_fails(logged, db_path):
    """A forger replaces the last entry with one linked to entry 1 (hiding entry 2 from the
    chain), recomputes its hash and the recorded head: every hash checks, only the link
    does not."""
    from debtcli.evidence import entry_hash

    conn = _raw(db_path)
    conn.row_factory = sqlite3.Row
    first = conn.execute("SELECT hash FROM contacts WHERE id = 1").fetchone()[0]
    row = dict(conn.execute("SELECT * FROM contacts WHERE id = 3").fetchone())
    row["prev_hash"] = first
    forged = entry_hash(row, [])
    conn.execute("UPDATE contacts SET prev_hash = ?, hash = ? WHERE id = 3", (first, forged))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'chain_head'", (forged,))
    conn.commit()
    conn.close()
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "entry 3: does not follow the entry before it" in r.stderr
    assert "entry 3: its contents were changed" not in r.stderr  # the forgery is consistent
    problems = json.loads(logged("evidence", "verify", "--json", ok=False).stdout)["problems"]
    assert problems == [
        {
            "entry": 3,
            "kind": "out-of-chain",
            "message": "entry 3: does not follow the entry before it (inserted, reordered or "
            "replaced)",
        }
    ]


def test_a_link_that_is_not_a_hash_is_named_not_a_crash(logged, db_path):
    """An entry whose back-pointer was overwritten with text no hash looks like is hashed the
    documented, slow way (the fast one takes only what debtcli writes): named, never a crash."""
    conn = _raw(db_path)
    conn.execute("UPDATE contacts SET prev_hash = 'not a hash' WHERE id = 2")
    conn.commit()
    conn.close()
    problems = json.loads(logged("evidence", "verify", "--json", ok=False).stdout)["problems"]
    assert [(p["entry"], p["kind"]) for p in problems] == [(2, "changed"), (2, "out-of-chain")]


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
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'contacts_card_at'"
    ).fetchone()[0]
    conn.close()
    start = (root - 1) * page
    data[start + page - 200 : start + page] = b"\xff" * 200  # its cells, at the page's end
    db_path.write_bytes(bytes(data))
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "integrity" in r.stderr
    for lang, says in (
        ("en", "the store file fails SQLite's integrity check (database disk image is "
               "malformed): it was damaged or edited outside debtcli"),
        ("zh", "数据文件未通过 SQLite 完整性检查（database disk image is malformed）：文件损坏或在 "
               "debtcli 之外被修改"),
    ):  # fmt: skip
        r = logged("--lang", lang, "evidence", "verify", "--json", ok=False)
        assert json.loads(r.stdout)["problems"] == [
            {"entry": None, "kind": "integrity", "message": says}
        ]
    b = logged("backup", "-o", str(tmp_path / "b.zip"), ok=False)
    assert b.exit_code == 1 and not (tmp_path / "b.zip").exists()


def test_planted_files_in_the_evidence_folder_are_reported(logged, db_path):
    folder = db_path.with_name("store-evidence")
    (folder / "planted.m4a").write_bytes(b"fake")
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "planted.m4a" in r.stderr


def _recording(db_path):
    folder = db_path.with_name("store-evidence")
    (rec,) = [p for p in folder.iterdir() if len(p.name) == 64]
    return rec


@pytest.mark.parametrize(
    ("damage", "found"),
    [
        (
            lambda db: (db.with_name("store-evidence") / "planted.m4a").write_bytes(b"fake"),
            [(None, "unexpected-file",
              "planted.m4a in the evidence folder belongs to no entry (planted, or left by an "
              "interrupted copy)",
              "证据文件夹中的 planted.m4a 不属于任何记录（被放入，或是中断的复制留下的）")],
        ),
        (
            lambda db: _recording(db).write_bytes(b"edited"),
            [(1, "attachment-changed", "entry 1: attachment call.m4a was changed",
              "记录 1：附件 call.m4a 被修改")],
        ),
        (
            lambda db: _recording(db).unlink(),
            [(1, "attachment-missing", "entry 1: attachment call.m4a ({sha}…) is gone",
              "记录 1：附件 call.m4a（{sha}…）已丢失")],
        ),
        (
            lambda db: _raw(db).executescript(
                "DELETE FROM meta WHERE key IN ('chain_count', 'chain_head');"
            ),
            [(None, "head",
              "the store's record of the chain head (its last entry and count) is missing: it "
              "was removed outside debtcli",
              "数据文件中关于最后一条记录和条数的记录缺失：在 debtcli 之外被删除")],
        ),
        (
            lambda db: _raw(db).executescript(
                "DELETE FROM meta WHERE key = 'chain_count';"
            ),
            [(None, "head",
              "the store's record of the chain head (its last entry and count) is missing: it "
              "was removed outside debtcli",
              "数据文件中关于最后一条记录和条数的记录缺失：在 debtcli 之外被删除")],
        ),
    ],
)  # fmt: skip
def test_each_damage_verify_finds_is_told_whole_in_each_language(logged, db_path, damage, found):
    """What `evidence verify` found, word for word, in each language: the entry, what kind of
    damage and what it means, for the user and for whoever reads the report later."""
    sha = _recording(db_path).name[:12]
    damage(db_path)
    for lang, column in (("en", 2), ("zh", 3)):
        r = logged("--lang", lang, "evidence", "verify", "--json", ok=False)
        assert r.exit_code == 1
        problems = json.loads(r.stdout)["problems"]
        assert problems == [
            {"entry": f[0], "kind": f[1], "message": f[column].format(sha=sha)} for f in found
        ]


# --- exit codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"format": "debtcli-export/1"},
        {"format": "debtcli-export/1", "tables": []},
        {"format": "debtcli-export/1", "tables": {"cards": "x"}},
        {"format": "debtcli-export/1", "tables": {"cards": [1, 2]}},
        {
            "format": "debtcli-export/1",
            "tables": {
                "cards": [{"id": 1, "bank": "B", "last4": "1234", "created_at": "x"}],
                "episodes": [
                    {
                        "id": 1,
                        "card_id": 1,
                        "since": "2026-08-05",
                        "amount": "lots",
                        "created_at": "x",
                    }
                ],
            },
        },
        {
            "format": "debtcli-export/1",
            "tables": {"cards": [{"id": 1, "bank": "B", "last4": "12", "created_at": "x"}]},
        },
        {"format": "debtcli-export/1", "schema": "new", "tables": {}},
    ],
)
def test_malformed_json_imports_are_bad_input(cli, tmp_path, doc):
    f = tmp_path / "x.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "new.db"
    r = cli("--db", str(db), "import", "--json", str(f), ok=False)
    assert_clean_failure(r, code=2)


def test_a_ten_megabyte_csv_field_is_refused_by_name(li_wei, tmp_path, db_path):
    f = tmp_path / "big.csv"
    f.write_text(
        "card,at,channel,note\n4821,2026-11-20 10:00,call," + "x" * 10_000_000 + "\n",
        encoding="utf-8",
    )
    before = store_digest(db_path)
    r = li_wei("log", "import", str(f), ok=False)
    assert_clean_failure(r, code=2, says="note")
    assert store_digest(db_path) == before


def test_a_fifo_is_refused_not_waited_on(li_wei, tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert_clean_failure(li_wei("log", "import", str(fifo), ok=False), says="not a regular file")
    assert_clean_failure(li_wei("log", "import", "/dev/zero", ok=False), says="not a regular file")


@pytest.mark.parametrize(
    "args",
    [
        ["report", "-o", "/"],
        ["calendar", "-o", "/"],
        ["export", "--json", "-o", "/"],
        ["visit", "checklist", "-o", "/"],
        ["evidence", "export", "-o", "/"],
        ["backup", "-o", "/"],
    ],
)
def test_output_to_a_folder_is_bad_input(li_wei, args):
    assert_clean_failure(li_wei(*args, ok=False), code=2)


def test_absurd_inputs_are_bad_input(li_wei):
    assert_clean_failure(li_wei("--today", "9999-12-31", "status", ok=False), code=2)
    assert_clean_failure(li_wei("card", "show", "9" * 10_000, ok=False), code=2)


# --- safe output ------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(li_wei, tmp_path):
    for note in ('=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"):
        log_add(li_wei, "4821", "2026-11-20 10:00", "--note", note)
    text = li_wei("log", "list", "--csv").stdout
    for line in text.splitlines()[1:]:
        note = line.rsplit(",", 1)[-1]
        assert note.startswith("'") or note.startswith("\"'"), line
    b = _bundle(li_wei, tmp_path)
    with zipfile.ZipFile(b) as z:
        csv = z.read("entries.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv


def test_user_text_cannot_reorder_debtclis_own_labels(li_wei, tmp_path):
    log_add(
        li_wei,
        "4821",
        "2026-11-20 22:40",
        "--party",
        "agency",
        "--contacted",
        "family",
        "--note",
        "abc\u202edef",
    )
    out = tmp_path / "r.html"
    li_wei("report", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<bdi>abc\u202edef</bdi>" in html or "unicode-bidi: isolate" in html


def test_terminal_escapes_in_a_consistent_forgery_never_land(li_wei, tmp_path):
    """A forger who recomputes every hash can make an export that verifies; its text values
    are still checked, so escape sequences never reach `log list`."""
    from debtcli.evidence import entry_hash

    log_add(li_wei, "4821", "2026-11-20 10:00", "--note", "plain")
    doc = json.loads(li_wei("export", "--json").stdout)
    rows = doc["tables"]["contacts"]
    rows[0]["org"] = "evil\x1b[2J\x1b]0;owned\x07"
    prev = "0" * 64
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(row, [])
    for m in doc["tables"]["meta"]:
        if m["key"] == "chain_head":
            m["value"] = prev
    f = tmp_path / "x.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    fresh = str(tmp_path / "n.db")
    r = li_wei("--db", fresh, "import", "--json", str(f), ok=False)
    assert_clean_failure(r, code=2, says="control characters")
    assert "\x1b[2J" not in li_wei("--db", fresh, "log", "list", ok=False).stdout


# --- restore trusts nothing -------------------------------------------------------------------


def _backup(cli, tmp_path):
    out = tmp_path / "b.zip"
    cli("backup", "-o", str(out))
    return out


def _doctor_store(backup: Path, dst: Path, tmp_path: Path, sql: str) -> Path:
    """A backup whose store.db was changed with `sql`, its manifest sums made to match."""
    with zipfile.ZipFile(backup) as z:
        members = {n: z.read(n) for n in z.namelist()}
    db = tmp_path / "doctored.db"
    db.write_bytes(members["store.db"])
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    members["store.db"] = db.read_bytes()
    with zipfile.ZipFile(dst, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    _fix_manifest(dst)
    m = json.loads(zipfile.ZipFile(dst).read("manifest.json"))
    m.get("sizes", {})["store.db"] = len(members["store.db"])
    members = {n: zipfile.ZipFile(dst).read(n) for n in zipfile.ZipFile(dst).namelist()}
    members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    return dst


def _state(db_path):
    folder = db_path.with_name("store-evidence")
    files = sorted((p.name, p.read_bytes()) for p in folder.iterdir()) if folder.exists() else []
    return store_digest(db_path), files


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TRIGGER contacts_no_update; DROP TRIGGER contacts_no_delete;",
        "CREATE TRIGGER sneaky AFTER INSERT ON contacts BEGIN "
        "UPDATE contacts SET note = 'x' WHERE id = NEW.id; END;",
        # look-alikes of SQLite's own names, which LIKE 'sqlite_%' let through
        "CREATE TRIGGER sqliteXevil AFTER INSERT ON contacts BEGIN "
        "UPDATE meta SET value = '0' WHERE key = 'chain_count'; END;",
        "CREATE TRIGGER SQLITE1 AFTER INSERT ON contacts BEGIN SELECT RAISE(ABORT, 'x'); END;",
        # a name SQLite keeps for itself, written straight into sqlite_master
        "PRAGMA writable_schema = ON; INSERT INTO sqlite_master VALUES ('trigger', "
        "'sqlite_evil', 'contacts', 0, 'CREATE TRIGGER sqlite_evil AFTER INSERT ON contacts "
        "BEGIN UPDATE cards SET name = ''pwned''; END');",
    ],
)
def test_restore_refuses_a_store_whose_schema_is_not_ours(logged, tmp_path, db_path, sql):
    doctored = _doctor_store(_backup(logged, tmp_path), tmp_path / "d.zip", tmp_path, sql)
    before = _state(db_path)
    r = logged("restore", str(doctored), "--force", ok=False)
    assert r.exit_code == 1 and "not what debtcli makes" in r.stderr
    zh = logged("--lang", "zh", "restore", str(doctored), "--force", ok=False)
    assert "其中的数据文件与 debtcli 生成的结构不符（" in zh.stderr and ", " not in zh.stderr
    assert _state(db_path) == before


def test_restore_names_a_store_of_another_schema_version_in_each_language(
    logged, tmp_path, db_path
):
    doctored = _doctor_store(_backup(logged, tmp_path), tmp_path / "d.zip", tmp_path,
                             "PRAGMA user_version = 99;")  # fmt: skip
    r = logged("restore", str(doctored), "--force", ok=False)
    assert r.exit_code == 1 and "(version 99 differ): refused" in r.stderr
    zh = logged("--lang", "zh", "restore", str(doctored), "--force", ok=False)
    assert "结构不符（版本 99）：拒绝恢复" in zh.stderr


def test_restore_extracts_only_what_the_manifest_lists(logged, tmp_path, db_path):
    b = _backup(logged, tmp_path)
    with zipfile.ZipFile(b, "a") as z:
        z.writestr("evidence/" + "a" * 64, b"planted")
        z.writestr("../../escape.txt", b"x")
    before = _state(db_path)
    r = logged("restore", str(b), "--force", ok=False)
    assert r.exit_code == 1
    assert _state(db_path) == before
    assert not (tmp_path / "escape.txt").exists()


def test_restore_refuses_a_zip_bomb_without_expanding_it(logged, tmp_path, db_path):
    b = _backup(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = "evidence/" + "b" * 64
    bomb = b"\0" * (64 << 20)
    m = json.loads(members["manifest.json"])
    m["files"][name] = hashlib.sha256(bomb).hexdigest()
    members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)
        z.writestr(name, bomb)
    before = _state(db_path)
    r = logged("restore", str(b), "--force", ok=False)
    assert r.exit_code == 2 and "inflates" in r.stderr and "zip bomb" in r.stderr
    assert _state(db_path) == before


def test_restore_of_a_device_or_while_another_runs_is_refused(logged, tmp_path, db_path):
    import fcntl
    import os

    assert_clean_failure(
        logged("restore", "/dev/zero", "--force", ok=False), says="not a regular file"
    )
    b = _backup(logged, tmp_path)
    fd = os.open(db_path.with_name(f".{db_path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert_clean_failure(logged("restore", str(b), "--force", ok=False), says="another restore")
    finally:
        os.close(fd)
    logged("restore", str(b), "--force")


# --- nothing personal left behind --------------------------------------------------------------


def test_backup_and_restore_stage_beside_the_store_not_in_tmp(
    logged, tmp_path, db_path, monkeypatch
):
    tmp = tmp_path / "systemtmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    b = _backup(logged, tmp_path)
    logged("restore", str(b), "--force")
    logged("letter", "make", "complaint", "4821", "--name", "李伟", "--phone", "138", "--record")
    assert list(tmp.iterdir()) == []
    assert not [p for p in db_path.parent.iterdir() if p.name.startswith(".debtcli-staging")]


def test_what_a_killed_debtcli_left_is_swept(logged, db_path):
    dead = 2**22 + 12345  # above any pid this machine hands out
    staged = db_path.parent / f".debtcli-staging-{dead}-abc"
    staged.mkdir()
    (staged / "store.db").write_bytes(b"a copy of someone's debts")
    incoming = db_path.with_name("store-evidence") / f".incoming-{dead}-xyz"
    incoming.write_bytes(b"half a recording")
    logged("status")  # every command sweeps the store's folder
    assert not staged.exists() and incoming.exists()
    rec = db_path.parent / "r.m4a"
    rec.write_bytes(b"a recording")
    log_add(
        logged, "4821", "2026-11-20 10:00", "--attach", str(rec)
    )  # adding an attachment sweeps the evidence folder
    assert not incoming.exists()


def test_folders_are_private_whatever_the_umask(cli, tmp_path):
    import os
    import stat

    old = os.umask(0)
    try:
        db = tmp_path / "a" / "b" / "s.db"
        cli("--db", str(db), "card", "add", "--bank", "中信银行", "--last4", "4821")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "template",
    [
        "{% extends 'letters/base.zh.md.j2' %}{% block body %}{{ sender.name ",  # syntax
        "{{ nosuch.field }}",  # undefined
        "{{ ''.__class__.__mro__ }}",  # sandbox
        "{% include 'nosuch.j2' %}",  # missing file
        "{{ 1 / 0 }}",  # arithmetic
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",  # recursion
        "{{ 'x' * 'y' }}",  # type
    ],
)
def test_every_mistake_in_a_users_template_is_bad_input(li_wei, template, tmp_path):
    li_wei("letter", "template", "installment")
    path = tmp_path / "config" / "templates" / "letters" / "installment.zh.md.j2"
    path.write_text(template, encoding="utf-8")
    r = li_wei(
        "--lang",
        "zh",
        "letter",
        "make",
        "installment",
        "4821",
        "--months",
        "60",
        "--name",
        "李伟",
        "--phone",
        "138",
        ok=False,
    )
    assert_clean_failure(r, code=2, says="模板")


def test_verify_while_log_add_commits_never_cries_wolf(logged, db_path):
    """Writers appending while verify reads: every run sees one consistent snapshot."""
    import subprocess
    import sys
    import time

    code = (
        "import sys; from datetime import date; from debtcli import contactlog, store, "
        "rules; s = store.open_store(sys.argv[1]); p = rules.load_pack('cn'); "
        "c = store.list_cards(s)[0]\n"
        "for i in range(60): contactlog.add(s, p, c, {'channel': 'call', 'at': "
        "'2026-11-20 10:00', 'note': str(i)}, [], date(2026, 11, 23))"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(db_path)])
    try:
        runs = 0
        while writer.poll() is None or runs < 5:
            r = logged("evidence", "verify", ok=False)
            assert r.exit_code == 0, r.stderr
            runs += 1
            time.sleep(0.01)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0 and runs >= 5


def _verified(cli, bundle, *lang):
    r = cli(*lang, "evidence", "verify", "--bundle", str(bundle), "--json", ok=False)
    assert r.exit_code == 1
    return json.loads(r.stdout)


def _problems(cli, bundle, *lang):
    return _verified(cli, bundle, *lang)["problems"]


def _chain_edit(chain_edit, entries_edit=None):
    def edit(n, d):
        if n == "chain.json":
            return json.dumps(chain_edit(json.loads(d))).encode()
        if n == "entries.json" and entries_edit:
            return json.dumps(entries_edit(json.loads(d))).encode()
        return d

    return edit


def test_an_entry_taken_out_of_a_bundles_chain_is_named_with_the_cut(logged, tmp_path):
    """Entry 2 removed from the chain and from the entries shown: entry 3 no longer follows
    the one before it, and the chain is one short of the head the bundle recorded."""
    b = _bundle(logged, tmp_path)
    chain = json.loads(zipfile.ZipFile(b).read("chain.json"))
    forged = _rewrite(
        b,
        tmp_path / "f.zip",
        _chain_edit(
            lambda c: [link for link in c if link[0] != 2],
            lambda es: [e for e in es if e["id"] != 2],
        ),
    )
    _fix_manifest(forged)
    head = chain[-1][2][:12]
    assert _problems(logged, forged) == [
        {
            "entry": 3,
            "kind": "out-of-chain",
            "message": "entry 3: does not follow the entry before it in the chain (removed, "
            "inserted or reordered)",
        },
        {
            "entry": None,
            "kind": "head",
            "message": f"the chain ends at 2 entries and {head}…, not the recorded head",
        },
    ]
    zh = [p["message"] for p in _problems(logged, forged, "--lang", "zh")]
    assert zh == [
        "记录 3：与链中前一条不衔接（被删除、插入或调换）",
        f"链在第 2 条、{head}… 处结束，与记录的链头不符",
    ]


def test_a_bundle_whose_chain_links_are_swapped_names_each_break(logged, tmp_path):
    """Links 2 and 3 swapped: neither follows the one before it; every entry shown is checked
    on (a break does not stop the check)."""
    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", _chain_edit(lambda c: [c[0], c[2], c[1]]))
    _fix_manifest(forged)
    problems = _problems(logged, forged)
    assert [(p["entry"], p["kind"]) for p in problems] == [
        (3, "out-of-chain"),
        (2, "out-of-chain"),
        (None, "head"),
    ]
    # Without --json, every problem on the one line, joined as each language joins them.
    for lang, sep in (("en", "; "), ("zh", "；")):
        r = logged("--lang", lang, "evidence", "verify", "--bundle", str(forged), ok=False)
        message = [p["message"] for p in _problems(logged, forged, "--lang", lang)]
        assert_clean_failure(r, code=1, exact=sep.join(message))


def test_an_entry_shown_but_not_in_the_chain_is_named_and_the_rest_still_checked(logged, tmp_path):
    """The last link dropped from the chain but entry 3 still shown: it is not in the chain,
    and entries 1 and 2 are still verified against theirs."""
    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", _chain_edit(lambda c: c[:-1]))
    _fix_manifest(forged)
    problems = _problems(logged, forged)
    assert problems[-1] == {
        "entry": 3,
        "kind": "out-of-chain",
        "message": "entry 3 is not in the chain",
    }
    assert [p["kind"] for p in problems] == ["head", "out-of-chain"]
    zh = _problems(logged, forged, "--lang", "zh")
    assert zh[-1]["message"] == "记录 3 不在链中"


def test_an_entry_missing_from_the_middle_of_the_chain_leaves_the_later_ones_checked(
    logged, tmp_path
):
    """Link 2 dropped, entry 2 still shown: entry 2 is not in the chain, and entry 3 after it
    is still checked against its own link (verified: 1 and 3)."""
    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", _chain_edit(lambda c: [c[0], c[2]]))
    _fix_manifest(forged)
    out = _verified(logged, forged)
    assert out["entries_verified"] == 2
    assert [(p["entry"], p["kind"]) for p in out["problems"]] == [
        (3, "out-of-chain"),
        (None, "head"),
        (2, "out-of-chain"),
    ]


def test_a_link_whose_own_back_pointer_is_forged_breaks_the_chain(logged, tmp_path):
    """The ids still follow one another, only link 2's hash of the entry before it is
    changed: the link does not follow, and entry 2 no longer matches its link."""

    def chain(c):
        c[1][1] = "0" * 64
        return c

    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", _chain_edit(chain))
    _fix_manifest(forged)
    assert [(p["entry"], p["kind"], p["message"][:30]) for p in _problems(logged, forged)] == [
        (2, "out-of-chain", "entry 2: does not follow the e"),
        (2, "out-of-chain", "entry 2: its hashes differ fro"),
    ]


def test_an_entry_whose_hashes_differ_from_its_link_is_named(logged, tmp_path):
    """Entry 2's hash in entries.json changed (the chain left alone): it differs from the
    chain's, and only that is said of it."""

    def entries(es):
        for e in es:
            if e["id"] == 2:
                e["hash"] = "0" * 64
        return es

    b = _bundle(logged, tmp_path)
    forged = _rewrite(b, tmp_path / "f.zip", _chain_edit(lambda c: c, entries))
    _fix_manifest(forged)
    assert _problems(logged, forged) == [
        {
            "entry": 2,
            "kind": "out-of-chain",
            "message": "entry 2: its hashes differ from the chain's",
        }
    ]
    zh = _problems(logged, forged, "--lang", "zh")
    assert zh[0]["message"] == "记录 2：哈希与链中不一致"


@pytest.mark.parametrize(
    ("gone", "en", "zh"),
    [
        ([2], "entry 2 of the chain is not in the bundle (removed)", "链中的记录 2 不在证据包中"),
        ([2, 3], "entries 2–3 of the chain are not in the bundle (removed)", "链中的记录 2–3"),
    ],
)
def test_entries_taken_out_of_a_full_bundle_are_named(logged, tmp_path, gone, en, zh):
    forged = _rewrite(
        _bundle(logged, tmp_path),
        tmp_path / "f.zip",
        _chain_edit(lambda c: c, lambda es: [e for e in es if e["id"] not in gone]),
    )
    _fix_manifest(forged)
    assert _problems(logged, forged) == [{"entry": None, "kind": "missing", "message": en}]
    assert _problems(logged, forged, "--lang", "zh")[0]["message"].startswith(zh)


def test_entries_taken_out_here_and_there_are_listed_as_each_language_lists(li_wei, tmp_path):
    """Runs of numbers as ranges, each run whole however long, in order."""
    for n in range(1, 9):
        log_add(li_wei, "4821", f"2026-11-1{n} 10:00", "--party", "bank", channel="sms")
    forged = _rewrite(
        _bundle(li_wei, tmp_path),
        tmp_path / "f.zip",
        _chain_edit(lambda c: c, lambda es: [e for e in es if e["id"] not in (7, 2, 4, 3, 5)]),
    )
    _fix_manifest(forged)
    assert [p["message"] for p in _problems(li_wei, forged)] == [
        "entries 2–5, 7 of the chain are not in the bundle (removed)"
    ]
    assert [p["message"] for p in _problems(li_wei, forged, "--lang", "zh")] == [
        "链中的记录 2–5、7 不在证据包中（被删除）"
    ]


def test_a_withheld_list_in_a_bundle_not_redacted_hides_nothing(logged, tmp_path):
    """Only a redacted bundle may withhold entries: a forger who names entry 2 as withheld in a
    full bundle's manifest and removes it is still caught."""

    def edit(n, d):
        if n == "entries.json":
            return json.dumps([e for e in json.loads(d) if e["id"] != 2]).encode()
        if n == "manifest.json":
            return json.dumps({**json.loads(d), "withheld": [2]}).encode()
        return d

    forged = _rewrite(_bundle(logged, tmp_path), tmp_path / "f.zip", edit)
    _fix_manifest(forged)
    out = _verified(logged, forged)
    assert [p["kind"] for p in out["problems"]] == ["missing"]
    assert out["entries_withheld"] == []


def test_an_attachment_changed_without_its_manifest_line_is_named(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    (name,) = [n for n in zip_members(b) if n.startswith("attachments/")]
    forged = _rewrite(b, tmp_path / "f.zip", lambda n, d: b"x" + d if n == name else d)
    problems = _problems(logged, forged)
    assert problems[0] == {
        "entry": None,
        "kind": "attachment-changed",
        "message": f"{name} does not match the manifest",
    }
    assert _problems(logged, forged, "--lang", "zh")[0]["message"] == f"{name} 与清单不符"


def test_a_file_slipped_into_a_bundle_is_named_as_not_evidence(logged, tmp_path):
    members = zip_members(_bundle(logged, tmp_path))
    members["notes.txt"] = b"the collector apologised"
    m = json.loads(members["manifest.json"])
    m["files"]["notes.txt"] = hashlib.sha256(members["notes.txt"]).hexdigest()
    members["manifest.json"] = json.dumps(m).encode()
    forged = tmp_path / "f.zip"
    with zipfile.ZipFile(forged, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    problems = [p for p in _problems(logged, forged) if "notes.txt" in p["message"]]
    assert problems == [
        {
            "entry": None,
            "kind": "out-of-chain",
            "message": "notes.txt is not part of the bundle's evidence",
        }
    ]


def test_a_first_format_bundle_without_chain_json_checks_from_its_entries(logged, tmp_path):
    """Bundles of the first format carried no chain.json: the links are the entries' own."""
    b = _bundle(logged, tmp_path)
    old = _rewrite(b, tmp_path / "old.zip", lambda n, d: None if n == "chain.json" else d)
    _fix_manifest(old)
    r = logged("evidence", "verify", "--bundle", str(old), "--json")
    out = json.loads(r.stdout)
    assert out["ok"] is True and out["entries_verified"] == 3 and out["chain"] == 3


@pytest.mark.parametrize(
    ("member", "content"),
    [
        ("chain.json", [[1, "a"]]),
        ("chain.json", [1, 2, 3]),
        ("chain.json", {"1": "a"}),
        ("entries.json", [1]),
        ("entries.json", {"id": 1}),
    ],
)
def test_a_bundle_whose_entries_or_chain_are_not_lists_is_bad_input(
    logged, tmp_path, member, content
):
    forged = _rewrite(
        _bundle(logged, tmp_path),
        tmp_path / "f.zip",
        lambda n, d: json.dumps(content).encode() if n == member else d,
    )
    _fix_manifest(forged)
    says = "entries.json, chain.json or a stamp is missing or unreadable (entries.json and chain.json must be lists)"
    assert_clean_failure(_verify(logged, forged), code=2, says=says)


# --- what export writes -----------------------------------------------------------------------


def test_a_one_card_bundles_readable_copies_hold_that_card_only(logged, tmp_path):
    """entries.csv and summary.html are made for reading: a bundle of card 7730 lists its one
    SMS, not card 4821's calls nor their violations (the 22:40 call to Li Wei's mother)."""
    m = zip_members(_bundle(logged, tmp_path, "7730"))
    assert m["entries.csv"].startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    assert b"\r" not in m["entries.csv"]  # lines end in \n, as log list --csv writes them
    rows = list(csv.DictReader(io.StringIO(m["entries.csv"].decode("utf-8-sig"))))
    assert [(r["card"], r["note"]) for r in rows] == [("7730", "reminder")]
    html = m["summary.html"].decode()
    assert "reminder" in html and "called my mother" not in html and "22:40" not in html
    assert ": 招商银行 ****7730</p>" in html  # the card it holds, named at the top
    assert m["manifest.json"].decode().startswith('{\n "format": ')  # a key a line, to read
    manifest = json.loads(m["manifest.json"])
    assert (manifest["card"], manifest["subset"], manifest["entries"]) == ("7730", True, 1)
    assert manifest["format"] == "debtcli-evidence-bundle/3"
    assert datetime.fromisoformat(manifest["created"]).utcoffset() is not None
    whole = json.loads(zip_members(_bundle(logged, tmp_path, name="all.zip"))["manifest.json"])
    assert (whole["card"], whole["card_id"], whole["subset"]) == (None, None, False)


def test_a_bundle_is_compressed_and_leaves_no_part_file(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    with zipfile.ZipFile(b) as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".zip", ".part")) == ["b.zip"]


def test_an_attachment_gone_since_verify_stops_the_export_and_writes_nothing(logged, tmp_path):
    """The store is checked before an export; a recording deleted in between still stops it,
    named, and no bundle (nor its .part) is left."""
    from debtcli import contactlog
    from debtcli import store as st
    from debtcli.errors import CheckFailed
    from debtcli.rules import load_pack

    s = st.open_store(Path(os.environ["DEBTCLI_DB"]))
    (sha,) = [p.name for p in s.evidence_dir.iterdir()]
    (s.evidence_dir / sha).unlink()
    with pytest.raises(CheckFailed) as caught:
        contactlog.export_bundle(
            s, load_pack("cn"), tmp_path / "b.zip", None, "en", lambda ctx: "", redacted=False
        )
    s.close()
    assert (caught.value.en, caught.value.zh) == (
        f"attachment {sha} is missing from the evidence folder; run `debtcli evidence verify`",
        f"证据文件夹中缺少附件 {sha}；请运行 `debtcli evidence verify`",
    )
    assert not [p for p in tmp_path.iterdir() if "b.zip" in p.name]


def test_a_bundle_keeps_chinese_readable_and_an_archived_cards_entries(logged, tmp_path):
    logged("card", "archive", "7730")
    m = zip_members(_bundle(logged, tmp_path))
    assert "某某资产".encode() in m["entries.json"]  # not \\u escapes
    rows = list(csv.DictReader(io.StringIO(m["entries.csv"].decode("utf-8-sig"))))
    assert [r["card"] for r in rows] == ["4821", "7730", "4821"]


def test_a_redacted_bundle_lists_its_entries_and_names_each_recording_left_out(logged, tmp_path):
    m = zip_members(_bundle(logged, tmp_path, "--redact"))
    rows = list(csv.DictReader(io.StringIO(m["entries.csv"].decode("utf-8-sig"))))
    assert len(rows) == 3
    manifest = json.loads(m["manifest.json"])
    (sha,) = [a["sha256"] for a in json.loads(m["entries.json"])[0]["attachments"]]
    assert manifest["redacted"] is True
    assert manifest["omitted_attachments"] == [{"entry": 1, "sha256": sha, "name": "***"}]


def test_export_with_a_recording_gone_from_the_evidence_folder_says_so(logged, tmp_path, db_path):
    """The store is checked before anything is written: the recording is named by its file
    name, and no bundle (nor a part of one) is left."""
    from debtcli.store import evidence_dir

    (rec,) = [p for p in evidence_dir(db_path).iterdir() if p.is_file()]
    rec.unlink()
    out = tmp_path / "b.zip"
    r = logged("evidence", "export", "-o", str(out), ok=False)
    assert_clean_failure(r, code=1, says=f"entry 1: attachment call.m4a ({rec.name[:12]}…) is gone")
    assert not out.exists() and not out.with_name("b.zip.part").exists()


def test_a_bundle_gives_a_salt_for_each_field_that_has_a_value_and_no_other(logged, tmp_path):
    """The SMS from the bank has no number, agent or amount: its salts name only what it
    holds, and each salt is a field's own (no two alike)."""
    from debtcli.evidence import COMMITTED

    entries = json.loads(zip_members(_bundle(logged, tmp_path))["entries.json"])
    for e in entries:
        held = {f for f in COMMITTED if e.get(f) is not None and e.get(f) != []}
        assert set(e["salts"]) == held
        assert len(set(e["salts"].values())) == len(held)
    assert "phone" not in entries[1]["salts"] and "note" in entries[1]["salts"]
    (att,) = entries[0]["attachments"]
    assert (att["name"], att["mime"]) == ("call.m4a", "audio/mp4")


def test_a_changed_or_missing_recording_is_named_with_its_entry_in_each_language(logged, tmp_path):
    b = _bundle(logged, tmp_path)
    (name,) = [n for n in zip_members(b) if n.startswith("attachments/")]
    changed = _rewrite(b, tmp_path / "c.zip", lambda n, d: b"x" + d if n == name else d)
    _fix_manifest(changed)
    missing = _rewrite(b, tmp_path / "m.zip", lambda n, d: None if n == name else d)
    _fix_manifest(missing)
    for bundle, kind, en, zh in (
        (changed, "attachment-changed", "entry 1: attachment call.m4a is not the file recorded",
         "记录 1：附件 call.m4a 不是记录时的文件"),
        (missing, "attachment-missing", "entry 1: attachment call.m4a is missing from the bundle",
         "记录 1：证据包中缺少附件 call.m4a"),
    ):  # fmt: skip
        assert _problems(logged, bundle) == [{"entry": 1, "kind": kind, "message": en}]
        assert [p["message"] for p in _problems(logged, bundle, "--lang", "zh")] == [zh]


def test_an_entry_changed_in_a_bundle_is_named_as_changed_in_each_language(logged, tmp_path):
    def entries(es):
        for e in es:
            if e["id"] == 3:
                e["note"] = "apologised politely"
        return es

    forged = _rewrite(
        _bundle(logged, tmp_path), tmp_path / "f.zip", _chain_edit(lambda c: c, entries)
    )
    _fix_manifest(forged)
    assert _problems(logged, forged) == [
        {
            "entry": 3,
            "kind": "changed",
            "message": "entry 3: its contents were changed after recording",
        }
    ]
    assert _problems(logged, forged, "--lang", "zh")[0]["message"] == "记录 3：记录后内容被修改"


@pytest.fixture
def two_files(li_wei, tmp_path):
    """Entry 1 carries a recording and a photo of the letter that followed."""
    (tmp_path / "call.m4a").write_bytes(b"\x00\x00\x00 ftypM4A the call")
    (tmp_path / "letter.jpg").write_bytes(b"\xff\xd8\xff the letter")
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency",
            "--attach", str(tmp_path / "call.m4a"), "--attach", str(tmp_path / "letter.jpg"))  # fmt: skip
    return {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        for name in ("call.m4a", "letter.jpg")
    }


def _omitting(src: Path, dst: Path, omitted: list[str], gone: list[str]) -> Path:
    """The bundle with the attachments `gone` taken out and the manifest's list of attachments
    left out on purpose made `omitted` (each a sha256)."""

    def edit(n, d):
        if n.removeprefix("attachments/") in gone:
            return None
        if n == "manifest.json":
            m = json.loads(d)
            m["omitted_attachments"] = [{"entry": 1, "sha256": s, "name": "***"} for s in omitted]
            return json.dumps(m).encode()
        return d

    _rewrite(src, dst, edit)
    _fix_manifest(dst)
    return dst


def test_a_full_bundle_cannot_declare_a_recording_left_out(li_wei, two_files, tmp_path):
    """Only a redacted bundle leaves attachments out (as only it withholds entries): a forger
    who takes the recording out of a full bundle and lists it as left out is caught."""
    call = two_files["call.m4a"]
    forged = _omitting(_bundle(li_wei, tmp_path), tmp_path / "f.zip", [call], [call])
    missing = {"entry": 1, "kind": "attachment-missing"}
    assert _problems(li_wei, forged) == [
        {**missing, "message": "entry 1: attachment call.m4a is missing from the bundle"}
    ]
    assert _problems(li_wei, forged, "--lang", "zh") == [
        {**missing, "message": "记录 1：证据包中缺少附件 call.m4a"}
    ]


def test_a_redacted_bundle_leaves_out_only_the_attachments_it_names(li_wei, two_files, tmp_path):
    call = two_files["call.m4a"]
    b = _bundle(li_wei, tmp_path, "--redact")
    assert li_wei.json("evidence", "verify", "--bundle", b)["attachments_left_out"] == 2
    forged = _omitting(b, tmp_path / "f.zip", [call], [])
    assert _problems(li_wei, forged) == [
        {
            "entry": 1,
            "kind": "attachment-missing",
            "message": "entry 1: attachment *** is missing from the bundle",  # its name masked too,
        }
    ]
