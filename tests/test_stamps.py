"""Proof from outside the machine (issue 17): RFC 3161 timestamps over the chain head, from a
real TSA (openssl ts -reply on the loopback address), queued when offline, checked by verify
and carried in bundles that openssl alone can check."""

import json
import re
import sqlite3
import subprocess
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import assert_clean_failure, log_add, rezip, zip_members
from tsa import LocalTsa, free_port


@pytest.fixture
def tsa(tmp_path):
    with LocalTsa(tmp_path / "tsa") as t:
        yield t


@pytest.fixture
def three(li_wei):
    for n, at in enumerate(("2026-11-10 22:40", "2026-11-12 10:00", "2026-11-15 10:00")):
        log_add(li_wei, "4821", at, "--party", "agency", "--note", f"call {n}")
    return li_wei


def test_stamp_then_verify_says_by_when_each_entry_existed(three, tsa):
    r = three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    assert "Stamped entries 1–3" in r.stdout and tsa.requests == 1
    out = three("evidence", "verify").stdout
    assert "Entries 1–3 existed, as recorded, no later than 2026-" in out
    assert "Not pinned" not in out
    doc = three.json("evidence", "verify")
    assert doc["ok"] and doc["existed_by"][0]["first"] == 1 and doc["existed_by"][0]["last"] == 3
    assert doc["stamps"][0]["pinned"] and doc["stamps"][0]["ok"]
    # Nothing new: nothing sent.
    assert "already timestamped" in three("evidence", "stamp").stdout and tsa.requests == 1
    time.sleep(1.1)  # a later second, so the two stamps prove different times
    three("log", "add", "4821", "--channel", "sms", "--at", "2026-11-16 10:00")
    three("evidence", "stamp")
    covered = three.json("evidence", "verify")["existed_by"]
    assert [(c["first"], c["last"]) for c in covered] == [(1, 3), (4, 4)]


def _rewrite_note(db, entry, note):
    """Someone with the file rewrites an entry and every hash after it, consistently."""
    from debtcli import store as st
    from debtcli.evidence import entry_hash

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER contacts_no_update")
    prev = st.GENESIS
    for row in [dict(r) for r in conn.execute("SELECT * FROM contacts ORDER BY id")]:
        if row["id"] == entry:
            row["note"] = note
        row["prev_hash"] = prev
        prev = entry_hash(row, [])
        conn.execute(
            "UPDATE contacts SET note = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (row["note"], row["prev_hash"], prev, row["id"]),
        )
    conn.execute("UPDATE meta SET value = ? WHERE key = 'chain_head'", (prev,))
    conn.commit()


def test_a_log_rewritten_after_a_stamp_is_caught_by_the_stamp(three, tsa, db_path):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    _rewrite_note(db_path, 2, "they were polite")
    r = three("evidence", "verify", ok=False)
    assert r.exit_code == 1
    assert "stamp 1" in r.stderr and "entries 1–3 were changed after the stamp" in r.stderr


def test_log_add_queues_and_never_waits(three, tsa, monkeypatch):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    three("log", "add", "4821", "--channel", "sms", "--at", "2026-11-16 10:00")
    assert tsa.requests == 1  # queued, not sent by the command that wrote
    assert "1 entries not yet timestamped since" in three("status").stdout
    monkeypatch.setenv("DEBTCLI_LANG", "zh")
    assert "条记录尚无时间戳" in three("status").stdout


def test_offline_the_request_waits_then_goes(three, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/tsr"
    from tsa import make_pki

    make_pki(tmp_path / "tsa")
    r = three("evidence", "stamp", "--tsa", url, "--ca", tmp_path / "tsa" / "ca.crt", ok=False)
    assert r.exit_code == 2 and "did not answer" in r.stderr and "stays queued" in r.stderr
    assert r.stderr.count("\n") == 1
    r = three("--lang", "zh", "evidence", "stamp", ok=False)  # the system's reason in Chinese
    assert_clean_failure(r, exact=f"{url} 没有响应（连接被拒绝）；请求保留在队列中")
    assert "3 entries not yet timestamped" in three("status").stdout
    with LocalTsa(tmp_path / "tsa", port=port) as t:
        assert "Stamped entries 1–3" in three("evidence", "stamp").stdout
        assert t.requests == 1
    assert "not yet timestamped" not in three("status").stdout


def test_the_next_write_sends_in_the_background(three, tsa, monkeypatch, db_path):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    monkeypatch.delenv("DEBTCLI_NO_BACKGROUND")
    started = time.monotonic()
    three("log", "add", "4821", "--channel", "sms", "--at", "2026-11-16 10:00")
    assert time.monotonic() - started < 5
    for _ in range(100):
        if (
            sqlite3.connect(db_path)
            .execute("SELECT COUNT(*) FROM stamps WHERE token IS NOT NULL")
            .fetchone()[0]
            == 2
        ):
            break
        time.sleep(0.1)
    monkeypatch.setenv("DEBTCLI_NO_BACKGROUND", "1")
    covered = three.json("evidence", "verify")["existed_by"]
    assert covered[-1]["last"] == 4


def test_an_expired_tsa_certificate_is_judged_at_the_stamps_time(three, tmp_path):
    with LocalTsa(tmp_path / "tsa", tsa_valid_for=timedelta(seconds=3)) as t:
        three("evidence", "stamp", "--tsa", t.url, "--ca", t.folder / "ca.crt")
    time.sleep(3.5)
    r = three("evidence", "verify")
    assert "Entries 1–3 existed" in r.stdout and "has expired since" in r.stdout
    assert three.json("evidence", "verify")["stamps"][0]["certificate_expired"]


def test_unpinned_tokens_are_checked_against_the_root_they_carry(three, tmp_path):
    with LocalTsa(tmp_path / "tsa", chain=True) as t:  # certificates in chain order (BER)
        three("evidence", "stamp", "--tsa", t.url)
    out = three("evidence", "verify").stdout
    assert "Entries 1–3 existed" in out and "nothing is pinned" in out
    with LocalTsa(tmp_path / "other") as t:  # only the TSA's own certificate
        three("log", "add", "4821", "--channel", "sms", "--at", "2026-11-16 10:00")
        r = three("evidence", "stamp", "--tsa", t.url, ok=False)  # the first TSA is gone
        assert "Stamped entries 1–4" in r.stdout and "did not answer" in r.stderr
    out = three("evidence", "verify").stdout
    assert "carry no root certificate" in out


def test_a_bundle_carries_its_tokens_and_openssl_alone_checks_them(three, tsa, tmp_path):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    three("evidence", "export", "-o", tmp_path / "b.zip")
    out = tmp_path / "b"
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        z.extractall(out)
        assert {"stamps/1.tsr", "stamps/1.msg", "stamps/1.json", "stamps/1-ca.pem"} <= set(
            z.namelist()
        )
    info = json.loads((out / "stamps" / "1.json").read_text())
    chain = json.loads((out / "chain.json").read_text())
    assert (out / "stamps" / "1.msg").read_bytes() == f"3:{chain[-1][2]}".encode()
    assert info["entries"] == 3 and info["chain_head"] == chain[-1][2]
    ok = subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-in",
            out / "stamps" / "1.tsr",
            "-data",
            out / "stamps" / "1.msg",
            "-CAfile",
            out / "stamps" / "1-ca.pem",
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "Verification: OK" in ok.stdout
    r = three("evidence", "verify", "--bundle", tmp_path / "b.zip")
    assert "Entries 1–3 existed" in r.stdout
    three("evidence", "export", "--redact", "-o", tmp_path / "r.zip")
    assert (
        "Entries 1–3 existed" in three("evidence", "verify", "--bundle", tmp_path / "r.zip").stdout
    )


def test_bad_tsa_input_is_one_line(three, tmp_path):
    for args, says in (
        (["--tsa", "ftp://x"], "http://"),
        (["--ca", "x.pem"], "--tsa"),
        (["--tsa", "http://127.0.0.1:9/tsr", "--ca", str(tmp_path)], ""),
    ):
        r = three("evidence", "stamp", *args, ok=False)
        assert r.exit_code == 2 and r.stderr.count("\n") == 1 and says in r.stderr, r.stderr
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    r = three("evidence", "stamp", "--tsa", "http://127.0.0.1:9/tsr", "--ca", bad, ok=False)
    assert r.exit_code == 2 and "not a PEM certificate" in r.stderr
    assert three("evidence", "stamp", ok=False).exit_code == 2  # no TSA yet


def test_stamps_survive_export_and_import(three, tsa, tmp_path):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    doc = three("export", "--json").stdout
    (tmp_path / "x.json").write_text(doc, encoding="utf-8")
    assert json.loads(doc)["tables"]["stamps"][0]["token"]  # base64
    fresh = str(tmp_path / "n.db")
    three("--db", fresh, "import", "--json", tmp_path / "x.json")
    assert "Entries 1–3 existed" in three("--db", fresh, "evidence", "verify").stdout
    broken = json.loads(doc)
    broken["tables"]["stamps"][0]["token"] = "not base64!"
    (tmp_path / "y.json").write_text(json.dumps(broken), encoding="utf-8")
    r = three("--db", str(tmp_path / "m.db"), "import", "--json", tmp_path / "y.json", ok=False)
    assert r.exit_code == 2 and "token" in r.stderr


def test_many_tokens_are_checked_on_every_core_with_the_same_result(three, tsa, db_path):
    from debtcli import contactlog
    from debtcli import store as st

    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    s = st.open_store(db_path)
    token = dict(st.stamp_tokens(s.conn)[0])
    hashes = dict(s.conn.execute("SELECT id, hash FROM contacts").fetchall())
    s.close()
    forged = {**token, "id": 99, "token": token["token"][:-8] + b"\x00" * 8}
    tokens = [{**token, "id": i} for i in range(1, 70)] + [forged]
    one = contactlog.check_stamps(tokens, hashes.get)
    many = contactlog.check_stamps(tokens, hashes.get, parallel=True)
    assert one == many and len(many.problems) == 1 and "stamp 99" in many.problems[0].en


def _stamped(three, tsa):
    """Three entries stamped once by a pinned TSA; the stamp's time and the head it covers."""
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    stamp = three.json("evidence", "verify")["stamps"][0]
    return stamp["time"], stamp["chain_head"]


def test_verify_json_gives_each_stamp_whole(three, tsa):
    when, head = _stamped(three, tsa)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", when)
    doc = three.json("evidence", "verify")
    _assert_one_good_stamp(doc, tsa, head, when)
    assert head == doc["chain_head"]


def _assert_one_good_stamp(doc, tsa, head, when, bundle=False):
    """verify --json (of the store or a bundle) gives stamp 1 whole, and what it proves. A
    bundle's stamp is named by the certificate that signed it (the bundle's own label is not
    evidence), and the root the bundle brings pins nothing."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    root = x509.load_pem_x509_certificate((tsa.folder / "ca.crt").read_bytes())
    assert doc["stamps"] == [
        {
            "id": 1,
            "tsa": "CN=Test TSA" if bundle else tsa.url,
            "entries": 3,
            "chain_head": head,
            "time": when,
            "ok": True,
            "pinned": not bundle,
            "unchecked": False,
            "certificate_expired": None,
            "signer": "CN=Test TSA",
            "root": "CN=Test TSA Root",
            "root_sha256": root.fingerprint(hashes.SHA256()).hex(),
        }
    ]
    assert doc["existed_by"] == [{"first": 1, "last": 3, "time": when, "tsa": "CN=Test TSA"}]


def _tamper(db_path, sql: str, *args) -> None:
    """Someone with the file changes it behind debtcli's back (its guards dropped)."""
    conn = sqlite3.connect(db_path)
    for trigger in ("contacts_no_delete", "stamps_token_fixed"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute(sql, args)
    conn.commit()
    conn.close()


def _local(when: str, lang: str) -> str:
    """A stamp's time (UTC, as --json gives it) as a problem names it: the user's own clock."""
    d = datetime.fromisoformat(when).astimezone()
    assert d.utcoffset() == timedelta(hours=8)  # the tests' TZ is Asia/Shanghai
    return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}" if lang == "zh" else f"{d:%Y-%m-%d %H:%M}"


def _stamp_problems(three, monkeypatch, lang):
    monkeypatch.setenv("DEBTCLI_LANG", lang)
    r = three("evidence", "verify", "--json", ok=False)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    return doc, [p for p in doc["problems"] if p["kind"] == "stamp"]


def test_a_log_rewritten_after_a_stamp_is_named_whole_in_each_language(
    three, tsa, db_path, monkeypatch
):
    when, head = _stamped(three, tsa)
    _rewrite_note(db_path, 2, "they were polite")
    doc, problems = _stamp_problems(three, monkeypatch, "en")
    now = doc["chain_head"]
    assert doc["stamps"][0]["ok"] is False and doc["existed_by"] == []
    assert problems == [
        {
            "entry": 3,
            "kind": "stamp",
            "message": f"stamp 1 ({tsa.url}, {_local(when, 'en')}) proves entries 1–3 existed "
            f"with head "
            f"{head[:12]}…, but entry 3 now hashes to {now[:12]}…: entries 1–3 were changed "
            "after the stamp",
        }
    ]
    _, problems = _stamp_problems(three, monkeypatch, "zh")
    assert problems[0]["message"] == (
        f"时间戳 1（{tsa.url}，{_local(when, 'zh')}）证明第 1–3 条记录当时的链头为 {head[:12]}…，"
        f"但第 3 条现在的哈希为 {now[:12]}…：第 1–3 条记录在时间戳之后被修改"
    )


def test_a_stamped_entry_removed_hashes_to_nothing(three, tsa, db_path, monkeypatch):
    when, head = _stamped(three, tsa)
    _tamper(db_path, "DELETE FROM contacts WHERE id = 3")
    _, problems = _stamp_problems(three, monkeypatch, "en")
    assert problems == [
        {
            "entry": 3,
            "kind": "stamp",
            "message": f"stamp 1 ({tsa.url}, {_local(when, 'en')}) proves entries 1–3 existed "
            f"with head "
            f"{head[:12]}…, but entry 3 now hashes to nothing…: entries 1–3 were changed "
            "after the stamp",
        }
    ]
    _, problems = _stamp_problems(three, monkeypatch, "zh")
    assert "但第 3 条现在的哈希为 无…：" in problems[0]["message"]


def test_a_later_stamp_names_only_the_entries_changed_since_the_last_good_one(
    three, tsa, db_path, monkeypatch
):
    _stamped(three, tsa)
    time.sleep(1.1)
    log_add(three, "4821", "2026-11-16 10:00", channel="sms")
    three("evidence", "stamp")
    _rewrite_note(db_path, 4, "no message at all")
    doc, problems = _stamp_problems(three, monkeypatch, "en")
    assert [s["ok"] for s in doc["stamps"]] == [True, False]
    assert [(c["first"], c["last"]) for c in doc["existed_by"]] == [(1, 3)]
    assert len(problems) == 1 and problems[0]["entry"] == 4
    assert problems[0]["message"].endswith(": entries 4–4 were changed after the stamp")


@pytest.mark.parametrize(
    ("token", "en", "zh"),
    [
        (
            b"not a token",
            "(TSA, no time): not a timestamp token (",
            "（TSA，无时间）：不是时间戳令牌（",
        ),
        (None, "(TSA, WHEN): its signature does not check (", "（TSA，WHEN）：签名校验失败（"),
    ],
    ids=["garbage", "forged signature"],
)
def test_a_token_that_does_not_check_is_named_with_its_tsa_and_time(
    three, tsa, db_path, monkeypatch, token, en, zh
):
    when, _ = _stamped(three, tsa)
    raw = sqlite3.connect(db_path).execute("SELECT token FROM stamps").fetchone()[0]
    _tamper(db_path, "UPDATE stamps SET token = ?", token or raw[:-8] + b"\x00" * 8)
    for lang, says in (("en", f"stamp 1 {en}"), ("zh", f"时间戳 1{zh}")):
        doc, problems = _stamp_problems(three, monkeypatch, lang)
        assert doc["stamps"][0]["ok"] is False and doc["existed_by"] == []
        assert len(problems) == 1 and problems[0]["entry"] is None
        assert problems[0]["message"].startswith(
            says.replace("TSA", tsa.url).replace("WHEN", _local(when, lang))
        )


def _members_without(src, dst, *gone):
    """The bundle copied without some members, and its manifest no longer listing them (what a
    careful forger does)."""
    members = {n: d for n, d in zip_members(src).items() if n not in gone}
    manifest = json.loads(members["manifest.json"])
    manifest["files"] = {n: s for n, s in manifest["files"].items() if n not in gone}
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    return dst


def test_a_bundle_gives_its_stamps_whole(three, tsa, tmp_path):
    when, head = _stamped(three, tsa)
    three("evidence", "export", "-o", tmp_path / "b.zip")
    described = json.loads(zip_members(tmp_path / "b.zip")["stamps/1.json"])
    assert described == {"tsa": tsa.url, "entries": 3, "chain_head": head, "time": when}
    doc = three.json("evidence", "verify", "--bundle", tmp_path / "b.zip")
    _assert_one_good_stamp(doc, tsa, head, when, bundle=True)


def test_a_bundle_of_an_unpinned_tsa_is_checked_against_the_root_its_token_carries(three, tmp_path):
    with LocalTsa(tmp_path / "tsa", chain=True) as t:
        three("evidence", "stamp", "--tsa", t.url)
    three("evidence", "export", "-o", tmp_path / "b.zip")
    assert not any(n.endswith("-ca.pem") for n in zip_members(tmp_path / "b.zip"))
    doc = three.json("evidence", "verify", "--bundle", tmp_path / "b.zip")
    assert doc["ok"] and [(s["ok"], s["pinned"]) for s in doc["stamps"]] == [(True, False)]
    out = three("evidence", "verify", "--bundle", tmp_path / "b.zip").stdout
    assert "Entries 1–3 existed" in out and "Stamp 1: nothing is pinned" in out


def test_a_bundle_whose_token_was_taken_out_says_there_is_no_token(three, tsa, tmp_path):
    _stamped(three, tsa)
    three("evidence", "export", "-o", tmp_path / "b.zip")
    cut = _members_without(tmp_path / "b.zip", tmp_path / "cut.zip", "stamps/1.tsr")
    for lang, says in (
        ("en", "stamp 1 (?, no time): its token is missing"),
        ("zh", "时间戳 1（?，无时间）：时间戳令牌缺失"),
    ):
        r = three("--lang", lang, "evidence", "verify", "--bundle", cut, "--json", ok=False)
        doc = json.loads(r.stdout)
        assert r.exit_code == 1 and doc["existed_by"] == []
        assert [p["message"] for p in doc["problems"]] == [says]


def test_a_bundles_stamp_files_renamed_still_prove_what_they_prove(three, tsa, tmp_path):
    """The token is the evidence, not its file's name: stamps/a.* checks like stamps/1.*."""
    _stamped(three, tsa)
    three("evidence", "export", "-o", tmp_path / "b.zip")
    members = zip_members(tmp_path / "b.zip")
    renamed = {n.replace("stamps/1", "stamps/a"): d for n, d in members.items()}
    manifest = json.loads(renamed["manifest.json"])
    manifest["files"] = {n.replace("stamps/1", "stamps/a"): h for n, h in manifest["files"].items()}
    renamed["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "r.zip", "w") as z:
        for n, d in renamed.items():
            z.writestr(n, d)
    doc = three.json("evidence", "verify", "--bundle", tmp_path / "r.zip")
    assert doc["ok"] and [s["id"] for s in doc["stamps"]] == ["a"]
    assert [(c["first"], c["last"]) for c in doc["existed_by"]] == [(1, 3)]


# --- forgeries (issue 34): a pin that pins, a token on its own request, stamps not removable ---


def _openssl_verifies(token: bytes, message: bytes, ca: Path, work: Path) -> bool:
    """`openssl ts -verify -data MSG -CAfile ROOT`: what an outside checker says of a token."""
    (work / "t.tsr").write_bytes(token)
    (work / "t.msg").write_bytes(message)
    r = subprocess.run(
        ["openssl", "ts", "-verify", "-in", work / "t.tsr", "-data", work / "t.msg",
         "-CAfile", ca],
        capture_output=True, text=True,
    )  # fmt: skip
    return r.returncode == 0 and "Verification: OK" in r.stdout


def test_debtcli_and_openssl_give_each_token_the_same_verdict(tmp_path):
    """A genuine token, one from a second unrelated TSA that carries its own root (with the
    same names as the pinned one, and with other names), and a genuine token checked against
    another head: debtcli under the pin says exactly what openssl says with -CAfile."""
    from debtcli.stamps import check_token, message, request_for

    head, other = "ab" * 32, "cd" * 32
    pinned = LocalTsa(tmp_path / "pinned")
    look_alike = LocalTsa(tmp_path / "alike", chain=True)  # same subject names, other keys
    laptop = LocalTsa(tmp_path / "laptop", chain=True, name="Laptop TSA")
    root = tmp_path / "pinned" / "ca.crt"
    cases = {
        "genuine": (pinned.reply(request_for(3, head)), 3, head, True),
        "look-alike CA": (look_alike.reply(request_for(3, head)), 3, head, False),
        "laptop CA": (laptop.reply(request_for(3, head)), 3, head, False),
        "another head": (pinned.reply(request_for(3, head)), 2, other, False),
    }
    for name, (token, count, covers, expected) in cases.items():
        ours = check_token(token, count, covers, root.read_text())
        theirs = _openssl_verifies(token, message(count, covers), root, tmp_path)
        assert (ours.ok, theirs) == (expected, expected), (name, ours)
        assert ours.pinned
    refused = check_token(cases["laptop CA"][0], 3, head, root.read_text())
    assert "CN=Laptop TSA" in refused.en and "does not chain to the pinned root" in refused.en


def _forge_with(db_path, token: bytes, count: int, head: str) -> None:
    """A forger's store: the stamps replaced by one token of their own, guards dropped."""
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS stamps_keep_tokens")
    conn.execute("DELETE FROM stamps")
    conn.execute(
        "INSERT INTO stamps (tsa, chain_count, chain_head, requested_at, token, gen_time) "
        "SELECT url, ?, ?, '2026-11-20T00:00:00+00:00', ?, '2026-11-20T00:00:00+00:00' "
        "FROM tsas",
        (count, head, token),
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_consistent_rewrite_with_another_cas_token_fails_under_the_pin(
    three, tsa, tmp_path, db_path, monkeypatch, lang
):
    from debtcli.stamps import request_for

    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    _rewrite_note(db_path, 2, "they were polite")
    head = sqlite3.connect(db_path).execute("SELECT hash FROM contacts WHERE id = 3").fetchone()
    forged = LocalTsa(tmp_path / "laptop", chain=True, name="Laptop TSA")
    _forge_with(db_path, forged.reply(request_for(3, head[0])), 3, head[0])
    monkeypatch.setenv("DEBTCLI_LANG", lang)
    r = three("evidence", "verify", "--json", ok=False)
    doc = json.loads(r.stdout)
    assert r.exit_code == 1 and not doc["ok"] and doc["existed_by"] == []
    assert [(s["ok"], s["pinned"]) for s in doc["stamps"]] == [(False, True)]
    says = "does not chain to the pinned root" if lang == "en" else "不能追溯到已固定的根证书"
    assert any(says in p["message"] and "CN=Laptop TSA" in p["message"] for p in doc["problems"])


def test_a_genuine_token_moved_to_another_head_is_refused(three, tsa, db_path):
    """The token's imprint is compared with the head its row claims: the library's own check
    compares the token with itself."""
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    token = sqlite3.connect(db_path).execute("SELECT token FROM stamps").fetchone()[0]
    head2 = sqlite3.connect(db_path).execute("SELECT hash FROM contacts WHERE id = 2").fetchone()
    _forge_with(db_path, token, 2, head2[0])
    r = three("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "covers something else than entries 1–2" in r.stderr


def test_an_unpinned_stamp_names_the_root_it_was_checked_against(three, tmp_path):
    with LocalTsa(tmp_path / "tsa", chain=True) as t:
        three("evidence", "stamp", "--tsa", t.url)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    root = x509.load_pem_x509_certificate((t.folder / "ca.crt").read_bytes())
    fp = root.fingerprint(hashes.SHA256()).hex()
    stamp = three.json("evidence", "verify")["stamps"][0]
    assert (stamp["pinned"], stamp["root"], stamp["root_sha256"]) == (False, "CN=Test TSA Root", fp)
    assert stamp["signer"] == "CN=Test TSA"
    out = three("evidence", "verify").stdout
    assert "nothing is pinned" in out and "CN=Test TSA Root" in out and fp in out
    zh = three("--lang", "zh", "evidence", "verify").stdout
    assert "未固定根证书" in zh and fp in zh


def test_a_bundles_own_root_is_no_pin_and_its_tsa_label_is_not_believed(three, tsa, tmp_path):
    _stamped(three, tsa)
    three("evidence", "export", "-o", tmp_path / "b.zip")
    members = zip_members(tmp_path / "b.zip")
    info = json.loads(members["stamps/1.json"])
    members["stamps/1.json"] = json.dumps({**info, "tsa": "https://freetsa.org/tsr"}).encode()
    relabelled = rezip(members, tmp_path / "relabelled.zip")
    doc = three.json("evidence", "verify", "--bundle", relabelled)
    assert doc["ok"] and [s["pinned"] for s in doc["stamps"]] == [False]
    assert [c["tsa"] for c in doc["existed_by"]] == ["CN=Test TSA"]
    out = three("evidence", "verify", "--bundle", relabelled).stdout
    assert "freetsa" not in out and "CN=Test TSA Root" in out
    pinned = three.json("evidence", "verify", "--bundle", relabelled, "--ca", tsa.folder / "ca.crt")
    assert pinned["ok"] and [s["pinned"] for s in pinned["stamps"]] == [True]
    other = LocalTsa(tmp_path / "other", name="Other TSA")
    r = three("evidence", "verify", "--bundle", relabelled, "--ca", other.folder / "ca.crt",
              ok=False)  # fmt: skip
    assert r.exit_code == 1 and "does not chain to the pinned root" in r.stderr


def test_a_token_lands_on_the_request_it_answers(three, tsa, db_path):
    """A newer head replaces a pending request while its token is on the way (the rowid is
    re-used): the token is still recorded for the head it covers, and verify holds."""
    from debtcli import store as st
    from debtcli.stamps import request_for

    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    log_add(three, "4821", "2026-11-16 10:00", channel="sms")
    s = st.open_store(db_path)
    with s.write() as c:
        [asked] = st.ensure_stamp_requests(c, "2026-11-23T00:00:00+00:00")
    token = tsa.reply(request_for(asked["chain_count"], asked["chain_head"]))
    log_add(three, "4821", "2026-11-17 10:00", channel="sms")  # replaces the pending request
    with s.write() as c:
        st.record_stamp(c, asked, token, "2026-11-23T00:00:00+00:00", None)
    rows = s.conn.execute(
        "SELECT chain_count, token IS NOT NULL FROM stamps ORDER BY id"
    ).fetchall()
    s.close()
    assert sorted(tuple(r) for r in rows) == [(3, 1), (4, 1), (5, 0)]
    three("evidence", "verify")


def test_a_dozen_writes_with_the_background_sender_leave_every_token_true(
    three, tsa, monkeypatch, db_path
):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    monkeypatch.delenv("DEBTCLI_NO_BACKGROUND")
    for n in range(12):
        log_add(three, "4821", f"2026-11-16 10:{n:02d}", channel="sms")
    monkeypatch.setenv("DEBTCLI_NO_BACKGROUND", "1")
    for _ in range(150):
        if (
            sqlite3.connect(db_path)
            .execute("SELECT COUNT(*) FROM stamps WHERE token IS NULL")
            .fetchone()[0]
            == 0
        ):
            break
        time.sleep(0.1)
    time.sleep(0.5)  # a sender still on its way
    three("evidence", "stamp")
    doc = three.json("evidence", "verify")
    assert doc["ok"] and all(s["ok"] for s in doc["stamps"]) and len(doc["stamps"]) >= 2
    assert doc["existed_by"][-1]["last"] == 15


def test_stamp_records_removed_while_a_tsa_is_configured_fail_verify(three, tsa, db_path):
    three("evidence", "stamp", "--tsa", tsa.url, "--ca", tsa.folder / "ca.crt")
    _rewrite_note(db_path, 2, "they were polite")
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER stamps_keep_tokens")
    conn.execute("DELETE FROM stamps")
    conn.commit()
    r = three("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "entries 1–3" in r.stderr and "stamp" in r.stderr
    r = three("--lang", "zh", "evidence", "verify", ok=False)
    assert r.exit_code == 1 and "时间戳记录" in r.stderr


def test_a_bundle_with_its_stamps_taken_out_fails_under_ca(three, tsa, tmp_path):
    _stamped(three, tsa)
    three("evidence", "export", "-o", tmp_path / "b.zip")
    members = {n: d for n, d in zip_members(tmp_path / "b.zip").items() if "stamps/" not in n}
    cut = rezip(members, tmp_path / "cut.zip")
    r = three("evidence", "verify", "--bundle", cut, "--ca", tsa.folder / "ca.crt", ok=False)
    assert r.exit_code == 1 and "holds no timestamp" in r.stderr


def test_a_pinned_root_is_shown_by_its_fingerprint_and_not_silently_replaced(three, tsa, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    _stamped(three, tsa)
    root = x509.load_pem_x509_certificate((tsa.folder / "ca.crt").read_bytes())
    out = three("evidence", "verify").stdout
    assert "pinned root CN=Test TSA Root" in out and root.fingerprint(hashes.SHA256()).hex() in out
    other = LocalTsa(tmp_path / "other", name="Other TSA")
    r = three("evidence", "stamp", "--tsa", tsa.url, "--ca", other.folder / "ca.crt", ok=False)
    assert_clean_failure(r, says="already pinned to another root")
    three("evidence", "verify")  # still the honest store it was
