"""Taking back what should never have been logged (issue 36): `log withdraw` keeps the entry in
the chain and in bundles, marked with when and why, and takes it out of every count."""

import json
import zipfile

from conftest import assert_clean_failure, log_add, log_late_call, sms_backup, store_digest


def _inbox(tmp_path, *texts: str):
    return sms_backup(tmp_path, *(("95558", t) for t in texts))


def test_a_withdrawn_entry_leaves_every_count_and_stays_in_the_chain(li_wei, tmp_path):
    log_late_call(li_wei)
    assert li_wei.json("violations")  # the 22:40 call to his mother breaks two rules
    r = li_wei("log", "withdraw", "1", "--why", "logged on the wrong card")
    assert "Withdrew 1 entry (1)" in r.stdout
    assert li_wei.json("violations") == [] and li_wei.json("log", "list") == []
    assert "1 withdrawn entry is not shown: --history shows them." in li_wei("log", "list").stdout
    (kept,) = li_wei.json("log", "list", "--history")
    assert kept["withdrawn"]["why"] == "logged on the wrong card" and kept["note"]
    assert li_wei.json("evidence", "verify")["ok"]
    bundle = tmp_path / "b.zip"
    li_wei("evidence", "export", "-o", bundle)
    with zipfile.ZipFile(bundle) as z:
        assert [e["id"] for e in json.loads(z.read("entries.json"))] == [1]
        (w,) = json.loads(z.read("withdrawn.json"))
        assert (w["entry"], w["why"]) == (1, "logged on the wrong card")
        assert "withdrawn.json" in json.loads(z.read("manifest.json"))["files"]
    assert li_wei.json("evidence", "verify", "--bundle", bundle)["ok"]


def test_withdrawing_twice_an_unknown_entry_or_without_a_reason_is_refused(li_wei, db_path):
    log_late_call(li_wei)
    li_wei("log", "withdraw", "1", "--why", "test entry")
    before = store_digest(db_path)
    for args, says in (
        (("1", "--why", "again"), "entry 1 was withdrawn already"),
        (("7", "--why", "x"), "no log entry 7"),
        (("1",), "say why with --why"),
        (("1", "--why", "   "), "say why with --why"),
        (("--why", "x"), "give an entry's number, or --import RUN"),
        (("1", "--import", "1", "--why", "x"), "give an entry's number, or --import RUN"),
        (("--import", "9", "--why", "x"), "no import 9"),
    ):
        assert_clean_failure(li_wei("log", "withdraw", *args, ok=False), says=says)
        assert store_digest(db_path) == before
    r = li_wei("--lang", "zh", "log", "撤回", "1", "--why", "再一次", ok=False)
    assert_clean_failure(r, says="已于")


def test_a_whole_import_is_withdrawn_by_its_number(li_wei, tmp_path):
    f = _inbox(
        tmp_path,
        "【中信银行】您尾号4821的信用卡已逾期。",
        "【中信银行】您的信用卡欠款已逾期，请还款。",
    )
    assert "as import 1." in li_wei("log", "import-sms", f, "--yes").stdout
    log_late_call(li_wei)
    r = li_wei("--lang", "zh", "log", "撤回", "--import", "1", "--why", "测试导入")
    assert "已撤回 2 条记录（1–2）" in r.stdout
    assert [e["id"] for e in li_wei.json("log", "list")] == [3]
    # A withdrawn message is not logged again by a second import of the file.
    r = li_wei("log", "import-sms", f, "--yes")
    assert "2 were logged before and withdrawn" in r.stdout and "Logged" not in r.stdout


def test_a_bundle_whose_withdrawals_name_no_entry_of_the_chain_fails(li_wei, tmp_path):
    log_late_call(li_wei)
    li_wei("log", "withdraw", "1", "--why", "test")
    bundle, forged = tmp_path / "b.zip", tmp_path / "forged.zip"
    li_wei("evidence", "export", "-o", bundle)
    import hashlib

    with zipfile.ZipFile(bundle) as z, zipfile.ZipFile(forged, "w") as out:
        manifest = json.loads(z.read("manifest.json"))
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "withdrawn.json":
                data = b'[\n{"entry": 99, "at": "2026-12-01T00:00:00+00:00", "why": "x"}\n]\n'
                manifest["files"]["withdrawn.json"] = hashlib.sha256(data).hexdigest()
            if item.filename != "manifest.json":
                out.writestr(item, data)
        out.writestr("manifest.json", json.dumps(manifest))
    r = li_wei("evidence", "verify", "--bundle", forged, ok=False)
    assert r.exit_code == 1 and "not a withdrawal of an entry the bundle shows" in r.output


def test_a_withdrawn_call_is_no_notice_no_stage_evidence_and_restarts_no_limitation(li_wei):
    """A call logged by mistake must not count as an effective notice (the criminal countdown),
    as evidence of the agency stage, or as a demand that restarted the limitation period."""
    li_wei(
        "log", "add", "4821", "--channel", "call", "--party", "agency", "--at", "2026-11-10 15:00"
    )

    def facts():
        s = li_wei.json("stage", "4821")
        risks = {r["key"]: r for r in s["risks"]}
        return (
            s["stage_by_evidence"],
            risks["malicious-overdraft"]["effective_notices"],
            risks["limitation"].get("restarted_on"),
        )

    assert facts() == ("agency", 1, "2026-11-10")
    li_wei("log", "withdraw", "1", "--why", "a call to my own number, logged by mistake")
    assert facts() == (None, 0, "2026-08-05")  # from the day it fell overdue again


# --- what a fresh-context attack found (each failed before its fix) --------------------------


def test_the_latest_entries_shown_are_the_latest_that_count(li_wei):
    for d in ("01", "02", "03"):
        log_add(li_wei, "4821", f"2026-11-{d} 10:00", "--party", "bank")
    li_wei("log", "withdraw", "3", "--why", "test")
    r = li_wei("log", "list", "--limit", "1")
    assert "2026-11-02" in r.stdout or "11月2日" in r.stdout
    assert "latest 1 of 2" in r.stdout


def test_an_import_withdrawn_for_the_wrong_card_is_logged_again_only_when_asked(li_wei, tmp_path):
    f = _inbox(tmp_path, "您的信用卡已逾期，请尽快还款。", "您的信用卡欠款已逾期60天。")
    li_wei("log", "import-sms", f, "--yes", "--card", "7730")
    li_wei("log", "withdraw", "--import", "1", "--why", "wrong card")
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    assert "2 were logged before and withdrawn, and are not logged again" in r.stdout
    assert li_wei.json("log", "list") == []
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821", "--again")
    assert "Logged 2 entries" in r.stdout
    assert {e["card_id"] for e in li_wei.json("log", "list")} == {1}
    assert "Nothing new" in li_wei("log", "import-sms", f, "--yes", "--again").stdout


def test_withdrawing_a_run_again_takes_what_is_left_of_it(li_wei, tmp_path):
    f = _inbox(tmp_path, "您的信用卡已逾期。", "您的信用卡欠款已逾期60天。", "您已严重逾期。")
    li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    li_wei("log", "withdraw", "2", "--why", "one of them")
    assert (
        "Withdrew 2 entries (1, 3)"
        in li_wei("log", "withdraw", "--import", "1", "--why", "all").stdout
    )
    r = li_wei("log", "withdraw", "--import", "1", "--why", "again", ok=False)
    assert_clean_failure(r, says="was withdrawn already")


def test_a_withdrawn_entry_is_not_amended(li_wei, db_path):
    log_late_call(li_wei)
    li_wei("log", "withdraw", "1", "--why", "test")
    before = store_digest(db_path)
    r = li_wei("log", "amend", "1", "--note", "x", ok=False)
    assert_clean_failure(r, says="was withdrawn on")
    assert store_digest(db_path) == before


def _rewrite(bundle, out, name, data):
    import hashlib

    with zipfile.ZipFile(bundle) as z, zipfile.ZipFile(out, "w") as w:
        manifest = json.loads(z.read("manifest.json"))
        manifest["files"][name] = hashlib.sha256(data).hexdigest()
        for item in z.infolist():
            if item.filename not in ("manifest.json", name):
                w.writestr(item, z.read(item))
        w.writestr(name, data)
        w.writestr("manifest.json", json.dumps(manifest))


def test_a_malformed_withdrawn_json_is_a_problem_never_an_internal_error(li_wei, tmp_path):
    log_late_call(li_wei)
    li_wei("log", "add", "7730", "--channel", "sms", "--party", "bank", "--at", "2026-11-11 10:00")
    li_wei("log", "withdraw", "1", "--why", "test")
    bundle = tmp_path / "b.zip"
    li_wei("evidence", "export", "-o", bundle)
    said = li_wei("evidence", "verify", "--bundle", bundle).stdout
    assert "not covered by it" in " ".join(said.split())
    assert li_wei.json("evidence", "verify", "--bundle", bundle)["entries_withdrawn"] == [1]
    one_card = tmp_path / "c.zip"
    li_wei("evidence", "export", "7730", "-o", one_card)
    for data, source in (
        (b'{"entry": 1}', bundle),
        (b"\xff\xfe\x00garbage", bundle),
        (b'[\n{"entry": 1, "at": "yesterday", "why": "x"}\n]\n', bundle),
        (b'[\n{"entry": 1, "at": "2026-12-01T00:00:00+00:00", "why": " "}\n]\n', bundle),
        (b'[\n{"entry": 1, "at": "2026-12-01T00:00:00+00:00", "why": "x"}\n]\n', one_card),
    ):
        forged = tmp_path / "f.zip"
        _rewrite(source, forged, "withdrawn.json", data)
        r = li_wei("evidence", "verify", "--bundle", forged, ok=False)
        assert r.exit_code == 1 and "withdrawn.json" in r.output, (data, r.output)


def test_a_withdrawal_written_outside_debtcli_fails_verify_and_import(li_wei, tmp_path, db_path):
    import sqlite3

    log_late_call(li_wei)
    li_wei("log", "amend", "1", "--note", "corrected")
    export = tmp_path / "x.json"
    li_wei("export", "--json", "-o", export)
    doc = json.loads(export.read_text(encoding="utf-8"))
    for rows in (
        [{"contact_id": 2, "at": "2026-12-01T00:00:00+00:00", "why": "names the correction"}],
        [{"contact_id": 9, "at": "2026-12-01T00:00:00+00:00", "why": "names nothing"}],
        [{"contact_id": 1, "at": "2026-12-01T00:00:00+00:00", "why": ""}],
        [{"contact_id": 1, "at": "last week", "why": "no time"}],
    ):
        doc["tables"]["withdrawals"] = rows
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc), encoding="utf-8")
        r = li_wei("--db", tmp_path / "new.db", "import", "--json", bad, ok=False)
        assert r.exit_code in (1, 2) and "withdrawal" in r.stderr, (rows, r.stderr)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO withdrawals VALUES (2, '2026-12-01T00:00:00+00:00', 'x')")
    conn.commit()
    conn.close()
    r = li_wei("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "names a correction" in r.output
