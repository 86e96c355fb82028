"""The contact log as evidence: append-only, hash-chained, tamper-evident, with rule flags."""

import csv
import hashlib
import io
import json
import sqlite3
import zipfile

import pytest
from conftest import assert_clean_failure, log_add, log_late_call, store_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debtcli.contactlog import CSV_COLUMNS


@pytest.fixture
def logged(li_wei):
    cli = li_wei
    log_add(
        cli,
        "4821",
        "2026-11-20 10:00",
        "--party",
        "agency",
        "--org",
        "某某资产管理有限公司",
        "--minutes",
        "5",
        "--note",
        "first call",
    )
    log_add(cli, "4821", "2026-11-20 11:00", "--party", "bank", channel="sms")
    log_add(cli, "7730", "2026-11-21 09:00", "--party", "bank")
    return cli


def raw(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute("DROP TRIGGER contacts_no_delete")
    return conn


def test_add_list_and_verify(logged):
    entries = logged.json("log", "list")
    assert [e["id"] for e in entries] == [1, 2, 3]
    assert entries[0]["at"] == "2026-11-20T10:00:00+08:00"
    assert entries[0]["prev_hash"] == "0" * 64 and entries[1]["prev_hash"] == entries[0]["hash"]
    r = logged("evidence", "verify")
    assert "3 entries verified" in r.stdout


def test_log_is_append_only_in_sqlite_too(logged, db_path):
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE contacts SET note = 'x' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM contacts WHERE id = 1")


def test_changed_row_is_named(logged, db_path):
    conn = raw(db_path)
    conn.execute("UPDATE contacts SET note = 'nothing happened' WHERE id = 2")
    conn.commit()
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1
    assert "entry 2: its contents were changed" in r.stderr
    assert "entry 1" not in r.stderr and "entry 3" not in r.stderr
    problems = json.loads(logged("evidence", "verify", "--json", ok=False).stdout)["problems"]
    assert problems == [
        {
            "entry": 2,
            "kind": "changed",
            "message": "entry 2: its contents were changed after recording",
        }
    ]


@pytest.mark.parametrize(("quick_from", "check"), [(3, "quick_check"), (4, "integrity_check")])
def test_a_long_log_is_checked_by_sqlites_quick_check(logged, monkeypatch, quick_from, check):
    """From QUICK_FROM entries on, SQLite's quick_check stands in for integrity_check (which
    also compares every index with its table, too slow for a long log); a clean store still
    verifies."""
    from debtcli import contactlog
    from debtcli import store as store_module

    ran: list[str] = []
    real = store_module.open_store

    def traced(path, **kw):
        s = real(path, **kw)
        s.conn.set_trace_callback(ran.append)
        return s

    monkeypatch.setattr(store_module, "open_store", traced)
    monkeypatch.setattr(contactlog, "QUICK_FROM", quick_from)
    assert "3 entries verified" in logged("evidence", "verify").stdout
    assert [s for s in ran if s.startswith("PRAGMA") and "_check" in s] == [f"PRAGMA {check}(5)"]


def test_deleted_row_is_named(logged, db_path):
    conn = raw(db_path)
    conn.execute("DELETE FROM contacts WHERE id = 2")
    conn.commit()
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "entry 2 is missing" in r.stderr


def test_entries_deleted_together_are_named_as_one_range(logged, db_path):
    log_add(logged, "7730", "2026-11-21 09:00", "--party", "bank", channel="sms")
    log_add(logged, "7730", "2026-11-21 10:00", "--party", "bank", channel="sms")
    conn = raw(db_path)
    conn.execute("DELETE FROM contacts WHERE id IN (2, 3, 4)")
    conn.commit()
    problems = json.loads(logged("evidence", "verify", "--json", ok=False).stdout)["problems"]
    assert problems == [
        {"entry": 5, "kind": "missing", "message": "entry 2–4 is missing (removed)"},
        {"entry": None, "kind": "head", "message": "2 entries found, 5 recorded"},
    ]
    zh = json.loads(logged("--lang", "zh", "evidence", "verify", "--json", ok=False).stdout)
    assert [p["message"] for p in zh["problems"]] == [
        "记录 2–4 缺失（被删除）",
        "找到 2 条记录，记录为 5 条",
    ]
    text = logged("--lang", "zh", "evidence", "verify", ok=False).stderr
    assert "记录 2–4 缺失（被删除）；找到 2 条记录，记录为 5 条" in text


def test_deleted_last_row_is_detected(logged, db_path):
    conn = raw(db_path)
    conn.execute("DELETE FROM contacts WHERE id = 3")
    conn.commit()
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1 and "added or removed at the end" in r.stderr


def test_swapped_rows_are_named(logged, db_path):
    conn = raw(db_path)
    rows = {r[0]: r for r in conn.execute("SELECT id, at, at_utc, note FROM contacts")}
    for a, b in ((1, 2), (2, 1)):
        conn.execute(
            "UPDATE contacts SET at = ?, at_utc = ?, note = ? WHERE id = ?", (*rows[b][1:], a)
        )
    conn.commit()
    r = logged("evidence", "verify", ok=False)
    assert "entry 1: its contents were changed" in r.stderr
    assert "entry 2: its contents were changed" in r.stderr


def test_inserted_row_is_named(logged, db_path):
    conn = raw(db_path)
    cols = [c[1] for c in conn.execute("PRAGMA table_info(contacts)")]
    row = list(conn.execute("SELECT * FROM contacts WHERE id = 3").fetchone())
    row[cols.index("id")] = 4
    row[cols.index("hash")] = "f" * 64
    conn.execute(f"INSERT INTO contacts VALUES ({','.join('?' * len(cols))})", row)
    conn.commit()
    r = logged("evidence", "verify", ok=False)
    assert "entry 4" in r.stderr


def test_attachments_are_content_addressed_and_checked(logged, db_path, tmp_path):
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"recording bytes")
    log_add(logged, "4821", "2026-11-22 10:00", "--attach", str(rec))
    log_add(logged, "4821", "2026-11-22 11:00", "--attach", str(rec))
    folder = db_path.parent / "store-evidence"
    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert len(files) == 1 and len(files[0].name) == 64
    entry = logged.json("log", "list")[-1]
    logged("evidence", "verify")
    files[0].write_bytes(b"edited")
    r = logged("evidence", "verify", ok=False)
    assert "attachment call.m4a was changed" in r.stderr
    problems = json.loads(logged("evidence", "verify", "--json", ok=False).stdout)["problems"]
    assert [(p["entry"], p["kind"]) for p in problems] == [
        (4, "attachment-changed"),
        (5, "attachment-changed"),
    ]
    files[0].unlink()
    r = logged("evidence", "verify", ok=False)
    assert "attachment call.m4a" in r.stderr and "is gone" in r.stderr
    assert entry["id"] == 5


def test_missing_attachment_writes_nothing(logged, db_path, tmp_path):
    before = store_digest(db_path)
    r = logged(
        "log", "add", "4821", "--channel", "call", "--attach", str(tmp_path / "nope.m4a"), ok=False
    )
    assert_clean_failure(r, says="cannot be read")
    assert store_digest(db_path) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--channel", "fax"], "choose one of"),
        (["--channel", "call", "--at", "2030-01-01 10:00"], "in the future"),
        (["--channel", "call", "--contacted", "neighbour"], "choose one of"),
        (["--channel", "call", "--claim", "moon-landing"], "choose one of"),
        (["--channel", "call", "--minutes", "lots"], "whole number"),
        (["--channel", "sms", "--missed"], "only to --channel call"),
        (["--channel", "call", "--demanded", "-1"], "negative"),
    ],
)
def test_bad_log_input_leaves_store_unchanged(logged, db_path, args, says):
    before = store_digest(db_path)
    r = logged("log", "add", "4821", *args, ok=False)
    assert r.exit_code == 2 and says in r.stderr
    assert store_digest(db_path) == before


def test_amend_appends_and_history_shows_original(logged):
    logged("log", "amend", "1", "--note", "first call, they swore", "--flag", "insult")
    current = logged.json("log", "list")
    assert len(current) == 3
    first = current[0]
    assert first["id"] == 1 and first["amended"] and first["note"] == "first call, they swore"
    assert first["violations"] == ["abuse"]
    history = logged.json("log", "list", "--history")
    assert len(history) == 4 and history[0]["note"] == "first call"
    assert history[1]["amends"] == 1 and history[1]["id"] == 4  # shown beside its original
    assert "✎" in logged("log", "list").stdout
    logged("evidence", "verify")
    assert_clean_failure(logged("log", "amend", "1", ok=False), says="nothing to amend")
    assert_clean_failure(logged("log", "amend", "99", "--note", "x", ok=False), says="no log entry")


def test_history_flags_each_version_by_what_it_says(li_wei):
    """The 22:40 call logged as reaching Li Wei's mother, then corrected to Li Wei himself:
    in --history the original is flagged for what it says (late, a third party) and the
    correction for what it says (late only), the same as the log and `violations` now."""
    log_late_call(li_wei)
    li_wei("log", "amend", "1", "--contacted", "self")
    assert [e["violations"] for e in li_wei.json("log", "list")] == [["quiet-hours"]]
    original, correction = li_wei.json("log", "list", "--history")
    assert original["contacted"] == "family" and correction["contacted"] == "self"
    assert original["violations"] == ["quiet-hours", "third-party"]
    assert correction["violations"] == ["quiet-hours"]
    table = li_wei("--lang", "zh", "log", "list", "--history").stdout
    assert table.count("⚑") == 2


OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.sampled_from(["call", "sms", "visit", "letter"]),
            st.text(max_size=30),
        ),
        st.tuples(st.just("amend"), st.integers(min_value=1, max_value=8), st.text(max_size=30)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_any_sequence_of_adds_and_amends_verifies(tmp_path_factory, ops):
    from datetime import date

    from debtcli import contactlog, ledger
    from debtcli.contactlog import verify_store
    from debtcli.rules import load_pack
    from debtcli.store import open_store

    s = open_store(tmp_path_factory.mktemp("h") / "s.db")
    pack, today = load_pack("cn"), date(2026, 11, 23)
    ledger.add_card(s, bank="中信银行", last4="4821")
    card = ledger.find_card(s, "4821")
    n = 0
    for op, a, note in ops:
        clean = "".join(ch for ch in note if ord(ch) >= 32 and ch != "\x7f").strip() or None
        if op == "add":
            contactlog.add(
                s, pack, card, {"channel": a, "at": "2026-11-01 10:00", "note": clean}, [], today
            )
            n += 1
        elif n and a <= n:
            contactlog.amend(s, pack, a, {"note": clean or "corrected"}, [], today)
            n += 1
    seen, _, problems = verify_store(s)
    assert problems == [] and seen == n


def test_rule_flags_at_boundaries(li_wei):
    cli = li_wei
    for day, t in (("10", "21:59"), ("10", "22:00"), ("11", "07:59"), ("11", "08:00")):
        log_add(cli, "4821", f"2026-11-{day} {t}", "--party", "agency", "--note", t)
    flagged = {e["note"]: e["violations"] for e in cli.json("log", "list")}
    assert flagged == {"21:59": [], "22:00": ["quiet-hours"], "07:59": ["quiet-hours"], "08:00": []}


def test_fourth_connected_call_of_a_day_is_flagged(li_wei):
    cli = li_wei
    for hour in (9, 10, 11, 12):
        log_add(cli, "4821", f"2026-11-11 {hour}:00", "--party", "agency", "--note", str(hour))
    for hour in (13, 14):  # missed calls do not count as connected
        log_add(cli, "4821", f"2026-11-11 {hour}:00", "--missed")
    v = {e["note"]: e["violations"] for e in cli.json("log", "list") if e["note"]}
    assert v == {"9": [], "10": [], "11": [], "12": ["calls-per-day"]}


def test_calls_per_day_count_the_banks_calls_on_every_card_and_only_that_day(li_wei):
    """The limit is per bank (and its agencies) and local day: a second card of the same bank
    counts, another bank's card and a text do not, nor the next day; a page of one card still
    counts the other card's calls."""
    li_wei("card", "add", "--bank", "中信银行", "--last4", "1234")
    for card, at, channel in (
        ("4821", "2026-11-11 09:00", "call"),
        ("1234", "2026-11-11 10:00", "call"),
        ("4821", "2026-11-11 11:00", "call"),
        ("7730", "2026-11-11 11:30", "call"),  # another bank
        ("4821", "2026-11-11 11:45", "sms"),
        ("1234", "2026-11-11 12:00", "call"),  # the fourth of 中信's that day
        ("4821", "2026-11-12 09:00", "call"),  # a new day
    ):
        log_add(
            li_wei, card, at, "--party", "agency", "--note", f"{card} {at[11:]}", channel=channel
        )
    flagged = {e["note"] for e in li_wei.json("log", "list") if "calls-per-day" in e["violations"]}
    assert flagged == {"1234 12:00"}
    page = {e["note"]: e["violations"] for e in li_wei.json("log", "list", "1234")}
    assert page == {"1234 10:00": [], "1234 12:00": ["calls-per-day"]}
    assert not any(e["violations"] for e in li_wei.json("log", "list", "4821"))
    assert [v["entry"] for v in li_wei.json("violations", "--rule", "calls-per-day")] == [6]


def test_log_add_says_what_the_new_entry_breaks_counting_its_whole_day(li_wei):
    """log add reads only the new entry's local day, yet counts every call of it: the fourth
    call says so when it is logged, in each language; a call the next morning says nothing."""
    for hour in (9, 10, 11):
        said = log_add(li_wei, "4821", f"2026-11-11 {hour}:00", "--party", "agency").stdout
        assert "possible violation" not in said
    from debtcli.rules import load_pack

    pack = load_pack("cn")
    said = log_add(li_wei, "4821", "2026-11-11 23:30", "--party", "agency").stdout
    rule = pack.conduct_rule("calls-per-day")
    said = " ".join(said.split())  # as one line, however the terminal wrapped it
    quiet = pack.text(pack.conduct_rule("quiet-hours"), "", "en")
    assert said.count("⚑") == 2
    assert (
        f"⚑ possible violation: {quiet} ⚑ possible violation: {pack.text(rule, '', 'en')}" in said
    )
    zh = log_add(li_wei, "4821", "2026-11-11 23:45", "--party", "agency", before=("--lang", "zh"))
    assert "".join(f"⚑可能违规：{pack.text(rule, '', 'zh')}".split()) in "".join(zh.stdout.split())
    assert "⚑" not in log_add(li_wei, "4821", "2026-11-12 09:00", "--party", "agency").stdout


def test_a_page_of_two_banks_counts_each_banks_calls(li_wei):
    """log list shows both banks: each bank's fourth call of the day is flagged (a page reads
    the calls of every bank it shows, not of one of them)."""
    for card in ("4821", "7730"):
        for hour in (9, 10, 11, 12):
            log_add(li_wei, card, f"2026-11-11 {hour}:00", "--party", "agency",
                    "--note", f"{card} {hour}")  # fmt: skip
    flagged = {e["note"] for e in li_wei.json("log", "list") if e["violations"]}
    assert flagged == {"4821 12", "7730 12"}


def test_a_day_is_counted_whole_in_a_zone_behind_utc(li_wei, monkeypatch):
    """In New York (UTC−5) the evening's calls fall on the next UTC day: a page still counts
    the local day through its end."""
    import time

    from conftest import _forget_times

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    _forget_times()
    for hour in (18, 19, 20, 21):  # 23:00–02:00 UTC
        log_add(li_wei, "4821", f"2026-11-11 {hour}:00", "--party", "agency", "--note", str(hour))
    page = {e["note"]: e["violations"] for e in li_wei.json("log", "list", "4821")}
    assert page == {"18": [], "19": [], "20": [], "21": ["calls-per-day"]}


def test_seventh_unanswered_attempt_is_flagged(li_wei):
    for minute in range(7):
        log_add(li_wei, "4821", f"2026-11-12 10:{minute:02d}", "--missed")
    v = [e["violations"] for e in li_wei.json("log", "list")]
    assert v == [[]] * 6 + [["attempts-per-day"]]


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (["--channel", "call", "--contacted", "family"], "third-party"),
        (["--channel", "call", "--contacted", "self"], None),
        (["--channel", "call", "--flag", "threat"], "abuse"),
        (["--channel", "call", "--flag", "impersonation"], "impersonation"),
        (["--channel", "call", "--claim", "blacklist"], "false-claim"),
        (["--channel", "visit", "--agents", "1"], "visit-two-agents"),
        (["--channel", "visit", "--agents", "2", "--credentials", "work-id,authorization"], None),
        (["--channel", "visit", "--agents", "2", "--credentials", "none"], "visit-identification"),
        (["--channel", "call", "--pay-to", "个人账户 6222..."], "pay-to-personal"),
        (["--channel", "call", "--pay-to", "某某资产管理有限公司 对公账户"], "pay-to-personal"),
        (["--channel", "call", "--pay-to", "中信银行官方App"], None),
        # the bank by one of the pack's other names for it (中信银行: 中信, CITIC)
        (["--channel", "call", "--pay-to", "CITIC official app"], None),
        (["--channel", "call", "--pay-to", "   "], None),
        # a QR code the caller sends is not the bank's channel, whatever it is labelled
        (["--channel", "call", "--pay-to", "中信银行信用卡还款二维码"], "pay-to-personal"),
        (["--channel", "wechat", "--party", "agency"], "private-channel"),
        # and where each rule stops
        (["--channel", "wechat", "--party", "bank"], None),  # the bank's own account
        (["--channel", "wechat", "--party", "agency", "--direction", "out"], None),  # you wrote
        (["--channel", "sms", "--party", "agency"], None),
        (["--channel", "visit", "--agents", "2"], None),  # two agents is the rule's minimum
        (["--channel", "visit"], None),  # how many came was not said
        (["--channel", "call", "--agents", "1"], None),  # agents count only at a visit
        (["--channel", "call", "--credentials", "none"], None),  # credentials likewise
        (["--channel", "call", "--flag", "other"], None),
        (["--channel", "letter", "--no-seal"], "letter-no-seal"),
        (["--channel", "call", "--contacted", "family", "--direction", "out"], None),
    ],
)
def test_each_conduct_rule(li_wei, args, rule):
    li_wei("log", "add", "4821", "--at", "2026-11-13 10:00", *args)
    assert li_wei.json("log", "list")[0]["violations"] == ([rule] if rule else [])


def test_violations_command_cites_sources(li_wei):
    log_add(li_wei, "4821", "2026-11-13 22:40", "--contacted", "family")
    rows = li_wei.json("violations")
    assert {r["rule"] for r in rows} == {"quiet-hours", "third-party"}
    assert all(len(r["hash"]) == 64 and r["citation"] for r in rows)
    zh = li_wei.json("--lang", "zh", "violations")
    assert any("第六十八条" in r["citation"] for r in zh)
    assert "可能的违规" in li_wei("--lang", "zh", "violations").stdout


CSV_OK = """card,at,channel,party,org,contacted,minutes,note,claim
4821,2026-11-01 10:00,call,agency,某某资产管理有限公司,self,4,"called, rude",blacklist
7730,2026/11/2 22:30,sms,bank,,,,"reminder",
"""


@pytest.fixture(params=[2000, 1], ids=["one-batch", "batches-on-every-core"])
def batch(request, monkeypatch):
    """Imports as one batch, and as one batch per row: then rows are checked and sealed in
    worker processes and chained here, as a long file is."""
    from debtcli import contactlog

    monkeypatch.setattr(contactlog, "IMPORT_BATCH", request.param)
    return request.param


def test_an_import_reads_relative_days_from_today_and_takes_archived_cards(li_wei, tmp_path, batch):
    """ "昨天 10:00" in a CSV is the day before --today, as at `log add`; a card archived since
    still takes its contacts (its evidence is kept)."""
    li_wei("card", "archive", "5511")
    f = tmp_path / "notes.csv"
    f.write_text("card,at,channel\n4821,昨天 10:00,call\n5511,2026-11-02 09:00,sms\n", "utf-8")
    li_wei("--today", "2026-11-20", "log", "import", str(f))
    entries = li_wei.json("log", "list", "--all")
    assert [(e["card"], e["at"][:16]) for e in entries] == [
        ("5511", "2026-11-02T09:00"),
        ("4821", "2026-11-19T10:00"),
    ]
    from datetime import date, datetime, time

    midnight = datetime.combine(date(2026, 11, 21), time()).astimezone()
    assert all(datetime.fromisoformat(e["recorded_at"]) < midnight for e in entries)


def test_import_and_csv_round_trip(li_wei, tmp_path, batch):
    f = tmp_path / "notes.csv"
    f.write_text(CSV_OK, encoding="utf-8")
    r = li_wei("log", "import", str(f))
    assert "Imported 2" in r.stdout
    entries = li_wei.json("log", "list")
    assert entries[0]["note"] == "called, rude" and entries[0]["claims"] == "blacklist"
    assert [(e["card"], e["channel"]) for e in entries] == [("4821", "call"), ("7730", "sms")]
    out = li_wei("log", "list", "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["card"] == "4821" and rows[0]["channel"] == "call"
    again = tmp_path / "again.csv"
    again.write_text(out, encoding="utf-8")
    li_wei("log", "import", str(again))
    twice = li_wei.json("log", "list")
    fields = ("at", "channel", "party", "org", "note", "claims", "contacted", "minutes")
    assert [{k: e[k] for k in fields} for e in twice[::2]] == [
        {k: e[k] for k in fields} for e in twice[1::2]
    ]
    li_wei("evidence", "verify")


def test_import_keeps_the_file_order(li_wei, db_path, tmp_path, batch):
    f = tmp_path / "notes.csv"
    f.write_text(
        "card,at,channel,note\n"
        + "".join(f"4821,2026-11-{20 - k:02d} 10:00,sms,row {k}\n" for k in range(6)),
        encoding="utf-8",
    )
    li_wei("log", "import", str(f))
    notes = [r[0] for r in raw(db_path).execute("SELECT note FROM contacts ORDER BY id")]
    assert notes[-6:] == [f"row {k}" for k in range(6)]
    li_wei("evidence", "verify")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("card,channel,colour\n4821,call,red\n", "unknown column"),
        ("card,channel\n4821,call\n4821,fax\n4821,telex\n", "row 3, column channel"),
        ("card,channel,at\n4821,call,2031-01-01 10:00\n", "row 2, column at"),
        ("card,channel,demanded\n4821,call,lots\n", "row 2, column demanded"),
        ("card,channel\n9999,call\n", "column card"),
        ("card,channel\n,call\n", "bad.csv row 2, column card: no card matches ''; cards: "),
        ("card,channel,promise_date\n4821,call,someday\n", "bad.csv row 2, column promise_date: "),
        (
            "card,channel,missed\n4821,call,maybe\n",
            "bad.csv row 2, column missed: --missed: answer yes or no, not 'maybe'",
        ),
    ],
)
def test_bad_csv_imports_nothing(li_wei, db_path, tmp_path, text, says, batch):
    f = tmp_path / "bad.csv"
    f.write_text(text, encoding="utf-8")
    before = store_digest(db_path)
    r = li_wei("log", "import", str(f), ok=False)
    assert_clean_failure(r, says=says)
    assert store_digest(db_path) == before


@pytest.mark.parametrize(
    ("content", "en", "zh"),
    [
        (
            b"card,channel,demanded\n4821,call,lots\n",
            "bad.csv row 2, column demanded: ",
            "bad.csv 第 2 行，demanded 列：",
        ),
        (  # the file ends inside a character: neither UTF-8 nor GB18030
            "card,channel,note\n4821,call,催收\n4821,sms,".encode() + b"\xe4",
            "bad.csv row 3: not UTF-8 or GB18030 text (save the spreadsheet as CSV UTF-8)",
            "bad.csv 第 3 行：不是 UTF-8 或 GB18030 文本（请把表格另存为 CSV UTF-8）",
        ),
        (None, "bad.csv: No such file or directory", "bad.csv：没有这个文件或文件夹"),
        (
            b"card,channel,colour,size\n4821,call,red,L\n",
            f"bad.csv: unknown column(s) colour, size; the header needs card and channel, and may use: "
            f"{', '.join(CSV_COLUMNS)}",
            f"bad.csv：未知列 colour, size；表头必须有 card 和 channel，可用的列：{', '.join(CSV_COLUMNS)}",
        ),
        (
            b"card,note\n4821,called\n",
            "bad.csv: no channel column; the header needs card and channel",
            "bad.csv：缺少 channel 列；表头必须有 card 和 channel",
        ),
        (  # an empty file: no header at all
            b"",
            "bad.csv: no card or channel column; the header needs card and channel",
            "bad.csv：缺少 card、channel 列；表头必须有 card 和 channel",
        ),
        (
            b"channel,note\ncall,called\n",
            "bad.csv: no card column; the header needs card and channel",
            "bad.csv：缺少 card 列；表头必须有 card 和 channel",
        ),
        (
            b"card,channel\n4821,call,red\n",
            "bad.csv: a row has more cells than the header has columns",
            "bad.csv：有一行的单元格比表头的列多",
        ),
        (  # the bad byte opens row 2: the row is counted from the newline just before it
            b"card,channel,note\n\xff4821,call,x\n",
            "bad.csv row 2: not UTF-8 or GB18030 text",
            "bad.csv 第 2 行：不是 UTF-8 或 GB18030 文本",
        ),
        (  # past the first megabyte, which is read (and counted) in a piece of its own
            b"card,channel,note\n" + b"4821,call,x\n" * 200_000 + b"4821,call,\xff\n",
            "bad.csv row 200002: not UTF-8 or GB18030 text",
            "bad.csv 第 200002 行：",
        ),
    ],
)
def test_a_csv_that_cannot_be_imported_is_told_in_the_users_language(
    li_wei, db_path, tmp_path, content, en, zh
):
    f = tmp_path / "bad.csv"
    if content is not None:
        f.write_bytes(content)
    before = store_digest(db_path)
    for lang, says in (("en", en), ("zh", zh)):
        assert_clean_failure(li_wei("--lang", lang, "log", "import", str(f), ok=False), says=says)
    assert store_digest(db_path) == before


def test_a_row_whose_card_is_two_cards_names_the_card_column(li_wei, db_path, tmp_path):
    """Two cards end in 4821: a row that says only 4821 is refused naming its card column,
    as a card that matches none is."""
    li_wei("card", "add", "--bank", "招商银行", "--last4", "4821", "--force")
    f = tmp_path / "calls.csv"
    f.write_text("card,channel\n4821,call\n", encoding="utf-8")
    before = store_digest(db_path)
    for lang, says in (
        ("en", "calls.csv row 2, column card: '4821' matches several cards"),
        ("zh", "calls.csv 第 2 行，card 列：'4821' 匹配多张卡"),
    ):
        assert_clean_failure(li_wei("--lang", lang, "log", "import", f, ok=False), says=says)
    assert store_digest(db_path) == before


def test_export_bundle_verifies_on_its_own(logged, tmp_path):
    rec = tmp_path / "letter.jpg"
    rec.write_bytes(b"\xff\xd8 photo")
    log_add(
        logged,
        "4821",
        "2026-11-22 10:00",
        "--party",
        "law-firm",
        "--attach",
        str(rec),
        "--note",
        "<script>x</script>",
        channel="lawyer-letter",
    )
    bundle = tmp_path / "bundle.zip"
    logged("evidence", "export", "-o", str(bundle))
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        html = z.read("summary.html").decode()
    assert {"entries.json", "entries.csv", "summary.html", "manifest.json"} <= names
    assert any(n.startswith("attachments/") for n in names)
    assert manifest["entries"] == 4 and len(manifest["chain_head"]) == 64
    assert "<script>x" not in html and "&lt;script&gt;" in html
    assert "4 entries verified" in logged("evidence", "verify", "--bundle", str(bundle)).stdout
    # one card only: a subset still checks entry by entry
    part = tmp_path / "part.zip"
    logged("evidence", "export", "7730", "-o", str(part))
    logged("evidence", "verify", "--bundle", str(part))
    # tamper with the bundle: rewrite entries.json
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for n in src.namelist():
            data = src.read(n)
            if n == "entries.json":
                data = data.replace(b"first call", b"no call")
            dst.writestr(n, data)
    r = logged("evidence", "verify", "--bundle", str(tampered), ok=False)
    assert r.exit_code == 1 and "entries.json does not match the manifest" in r.stderr
    assert "entry 1: its contents were changed" in r.stderr


def test_parallel_verify_names_tampering_at_range_edges(li_wei, db_path, tmp_path, monkeypatch):
    from debtcli import contactlog

    rows = "".join(f"4821,2026-11-01 10:{m:02d},sms,bank,note {m}\n" for m in range(40))
    f = tmp_path / "many.csv"
    f.write_text("card,at,channel,party,note\n" + rows, encoding="utf-8")
    li_wei("log", "import", str(f))
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"recording")
    log_add(li_wei, "4821", "2026-11-02 10:00", "--attach", str(rec))  # the last range's
    # In this process first: the same answer; and mutmut, which learns which tests reach a
    # function in this process only, then knows this test reaches the workers' function too.
    assert "41 entries verified" in li_wei("evidence", "verify").stdout
    monkeypatch.setattr(contactlog, "PARALLEL_FROM", 2)  # split 41 entries across the cores
    assert "41 entries verified" in li_wei("evidence", "verify").stdout
    conn = raw(db_path)
    conn.execute("UPDATE contacts SET note = 'edited' WHERE id = 20")
    conn.execute("DELETE FROM contacts WHERE id = 21")  # the first entry of a second range
    conn.commit()
    r = li_wei("evidence", "verify", ok=False)
    assert "entry 20: its contents were changed" in r.stderr
    assert "entry 21 is missing" in r.stderr


def test_parallel_verify_names_a_log_cut_short_or_cut_at_its_start(
    li_wei, db_path, tmp_path, monkeypatch
):
    """The ranges are split by id: a range left empty (its entries all removed) still ends the
    chain where the store's record says, and a first range starting past entry 1 names the gap."""
    from debtcli import contactlog

    rows = "".join(f"4821,2026-11-01 10:{m:02d},sms,bank,note {m}\n" for m in range(40))
    f = tmp_path / "many.csv"
    f.write_text("card,at,channel,party,note\n" + rows, encoding="utf-8")
    li_wei("log", "import", str(f))
    monkeypatch.setattr(contactlog, "PARALLEL_FROM", 2)
    conn = raw(db_path)
    conn.execute("DELETE FROM contacts WHERE id > 12")  # every range but the first emptied
    conn.commit()
    r = li_wei("evidence", "verify", ok=False)
    assert "ends at a different entry than recorded (12 found, 40 recorded)" in r.stderr
    problems = json.loads(li_wei("evidence", "verify", "--json", ok=False).stdout)["problems"]
    assert problems == [
        {
            "entry": None,
            "kind": "head",
            "message": "the log ends at a different entry than recorded (12 found, 40 "
            "recorded): entries were added or removed at the end outside debtcli",
        }
    ]
    zh = li_wei("--lang", "zh", "evidence", "verify", "--json", ok=False).stdout
    assert json.loads(zh)["problems"][0]["message"] == (
        "日志的最后一条与记录不符（找到 12 条，记录为 40 条）：末尾有记录在 debtcli 之外被添加或删除"
    )
    conn.execute("DELETE FROM contacts WHERE id < 3")
    conn.commit()
    r = li_wei("evidence", "verify", ok=False)
    assert "entry 1–2 is missing" in r.stderr


def test_a_long_export_is_imported_and_verified_inside_its_transaction(
    li_wei, tmp_path, monkeypatch
):
    """`import --json` checks the chain before it commits, on this process's connection: the
    rows it has not committed yet are invisible to worker processes, so a log long enough to
    be split across the cores is checked here, whole."""
    from debtcli import contactlog

    rows = "".join(f"4821,2026-11-01 10:{m:02d},sms,bank,note {m}\n" for m in range(40))
    f = tmp_path / "many.csv"
    f.write_text("card,at,channel,party,note\n" + rows, encoding="utf-8")
    li_wei("log", "import", str(f))
    export = tmp_path / "export.json"
    export.write_text(li_wei("export", "--json").stdout, encoding="utf-8")
    monkeypatch.setattr(contactlog, "PARALLEL_FROM", 2)  # 40 entries would go to the workers
    fresh = str(tmp_path / "moved.db")
    li_wei("--db", fresh, "import", "--json", str(export))
    assert "40 entries verified" in li_wei("--db", fresh, "evidence", "verify").stdout


LOG = st.lists(
    st.tuples(
        st.sampled_from(["4821", "7730", "5511"]),
        st.integers(min_value=0, max_value=4 * 24 * 60 - 1),  # minute within four days
        st.sampled_from(["call", "call", "sms", "visit"]),
        st.booleans(),  # answered
        st.sampled_from(["self", "self", "family"]),
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=LOG, page=st.integers(min_value=1, max_value=12), amend=st.integers(0, 40))
def test_a_page_of_the_log_shows_the_same_flags_as_the_whole_log(
    tmp_path_factory, log, page, amend
):
    """`log list` and `log add` flag only what they read (the days shown, one bank); the
    per-day counts must come out as they do over every entry of every card."""
    from datetime import date, timedelta

    from debtcli import contactlog, flags, ledger
    from debtcli import store as stt
    from debtcli.rules import load_pack
    from debtcli.store import open_store

    s = open_store(tmp_path_factory.mktemp("p") / "s.db")
    pack, today = load_pack("cn"), date(2026, 11, 23)
    for last4, bank in (("4821", "中信银行"), ("7730", "招商银行"), ("5511", "中信银行")):
        ledger.add_card(s, bank=bank, last4=last4)
    start = date(2026, 11, 1)
    for last4, minute, channel, answered, contacted in log:
        at = f"{start + timedelta(days=minute // 1440)} {minute % 1440 // 60:02}:{minute % 60:02}"
        contactlog.add(
            s,
            pack,
            ledger.find_card(s, last4),
            {
                "channel": channel,
                "at": at,
                "missed": not answered and channel == "call",
                "contacted": contacted,
            },
            [],
            today,
        )
    if amend and amend <= len(log):
        contactlog.amend(s, pack, amend, {"contacted": "family"}, [], today)
    whole = {}
    for v in flags.violations(s, pack):
        whole.setdefault(v["entry"], []).append(v["rule"])
    card = ledger.find_card(s, "4821")
    rows = stt.contacts(s, card_id=card["id"], latest=page)
    shown = flags.flags_for(s, pack, rows)
    assert {r["id"]: shown.get(r["id"], []) for r in rows} == {
        r["id"]: whole.get(r["id"], []) for r in rows
    }
    for r in rows:
        assert flags.entry_violations(s, pack, r["row_id"]) == whole.get(r["id"], [])
    raw = stt.contacts(s, card_id=card["id"], latest=page, history=True)
    shown = flags.flags_for(s, pack, raw)  # each version for what it says: the latest as now
    latest = {r["amends"] or r["id"]: r["id"] for r in sorted(raw, key=lambda r: r["id"])}
    assert {root: shown.get(v, []) for root, v in latest.items()} == {
        root: whole.get(root, []) for root in latest
    }


def test_amending_an_entry_number_beyond_sqlite_integers_is_not_found(logged, db_path):
    """Found by the junk test: 2**63 reached SQLite and came back as an internal error."""
    before = store_digest(db_path)
    r = logged("log", "amend", str(1 << 63), "--note", "x", ok=False)
    assert_clean_failure(r, says="no log entry")
    assert store_digest(db_path) == before


FULL_ENTRY = (
    "--channel", "visit", "--party", "agency", "--org", "某某资产管理有限公司", "--agent", "张经理",
    "--agent-id", "A-1024", "--phone", "13812345678", "--contacted", "family", "--agents", "2",
    "--credentials", "work-id", "--credentials", "authorization", "--demanded", "12,000.50",
    "--pay-to", "某某资产 对公账户", "--promise", "pay 2000 by Friday", "--promise-date",
    "2026-11-27", "--claim", "arrest", "--claim", "employer", "--flag", "threat", "--flag",
    "insult", "--note", "came to my parents' home",
)  # fmt: skip
KEPT = (
    "at", "channel", "direction", "party", "org", "agent", "agent_id", "phone", "minutes",
    "answered", "contacted", "agents", "credentials", "demanded", "pay_to", "promise",
    "promise_date", "claims", "flags", "card",
)  # fmt: skip


MISSED_CALL_OUT = ("--channel", "call", "--direction", "out", "--missed", "--phone", "95558")


@pytest.mark.parametrize("entry", [FULL_ENTRY, MISSED_CALL_OUT], ids=["visit", "missed-call-out"])
def test_every_field_survives_an_amendment_and_a_csv_round_trip(li_wei, tmp_path, entry):
    """An amendment changes what it names and keeps the rest; `log list --csv` read back by
    `log import` gives the same entry: a visit with every field, and a call Li Wei made that
    was not answered."""
    li_wei("log", "add", "4821", "--at", "2026-11-20 19:30", *entry)
    (first,) = li_wei.json("log", "list")
    if entry is FULL_ENTRY:
        assert first["demanded"] == "12000.50" and first["claims"] == "arrest,employer"
    else:
        assert (first["direction"], first["answered"]) == ("out", 0)
    li_wei("log", "amend", "1", "--note", "came to my parents' home at dinner time")
    (amended,) = li_wei.json("log", "list")
    assert amended["note"] == "came to my parents' home at dinner time"
    assert {k: amended[k] for k in KEPT} == {k: first[k] for k in KEPT}
    f = tmp_path / "log.csv"
    f.write_text(li_wei("log", "list", "--csv").stdout, encoding="utf-8")
    li_wei("log", "import", str(f))
    amended, again = li_wei.json("log", "list")
    assert {k: again[k] for k in (*KEPT, "note")} == {k: amended[k] for k in (*KEPT, "note")}


def test_a_csv_over_the_size_limit_is_refused_before_a_row_is_read(
    li_wei, db_path, tmp_path, monkeypatch
):
    """The limit (512 MB) lowered to 1 MB: a file of exactly 1 MB is read (and refused for
    its row), one byte more is refused for its size, naming the limit."""
    from debtcli import contactlog

    monkeypatch.setattr(contactlog, "CSV_MAX_BYTES", 1 << 20)
    start = b"card,channel,note\n4821,sms,"
    f = tmp_path / "big.csv"
    f.write_bytes(start + b"x" * ((1 << 20) - len(start) - 1) + b"\n")
    assert f.stat().st_size == 1 << 20
    r = li_wei("log", "import", str(f), ok=False)  # read: its one note is too long
    assert_clean_failure(r, says="row 2, column note")
    f.write_bytes(f.read_bytes() + b"\n")
    before = store_digest(db_path)
    for lang, says in (
        ("en", f"{f} is larger than 1 MB: split it"),
        ("zh", f"{f} 大于 1 MB：请拆分后再导入"),
    ):
        assert_clean_failure(li_wei("--lang", lang, "log", "import", str(f), ok=False), says=says)
    assert store_digest(db_path) == before


def test_log_list_csv_names_cards_sharing_a_last_four_by_number(li_wei):
    """Two cards end in 4821: the CSV names each by its number, so an import puts each row back
    on its own card; a missed call is "true" in its column; lines end in \\n alone."""
    li_wei("card", "add", "--bank", "平安银行", "--last4", "4821")
    log_add(li_wei, "#1", "2026-11-20 10:00", "--missed")
    log_add(li_wei, "#4", "2026-11-21 10:00", channel="sms")
    out = li_wei("log", "list", "--csv").stdout
    assert "\r" not in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["card"], r["missed"]) for r in rows] == [("#1", "true"), ("#4", "")]


def test_an_entrys_violations_are_named_in_a_list_of_each_language(li_wei):
    log_late_call(li_wei)
    for lang, names in (("en", "⚑ quiet hours, third party"), ("zh", "⚑ 夜间催收、联系第三人")):
        out = li_wei("--lang", lang, "timeline", "4821").stdout
        assert names in " ".join(out.split()), out


def test_facts_of_something_unknown_lists_what_is_known_in_words_it_takes(li_wei):
    """Each name listed is one `facts` takes: the keys in English, the pack's first Chinese
    word in Chinese (上门 points to the visit checklist instead: test_stages)."""
    for lang, says in (
        ("en", "no claim or topic 'moon'; known: arrest, criminal-record, blacklist, "),
        ("zh", "没有说法或主题 '月亮'；已知：抓人、案底、黑名单、家人还、通知单位、孩子上学、法院今天来、"
         "打到个人账户、传票、征信、催收函核对"),
    ):  # fmt: skip
        r = li_wei("--lang", lang, "facts", "moon" if lang == "en" else "月亮", ok=False)
        assert_clean_failure(r, says=says)
    for word in ("抓人", "案底", "孩子上学", "催收函核对"):  # each listed is taken
        assert li_wei.json("--lang", "zh", "facts", word)


def test_an_attachment_on_its_way_in_is_not_planted_and_a_crashed_one_is_swept(logged, db_path):
    """Verify while `log add --attach` copies a file, or after a copy was killed: debtcli's own
    staging name is no planted file; the next command that writes sweeps a dead copy."""
    import os

    folder = db_path.with_name("store-evidence")
    folder.mkdir(exist_ok=True)
    live = folder / f".incoming-{os.getpid()}-abc"
    dead = folder / f".incoming-{2**22 + 12345}-xyz"
    live.write_bytes(b"half a recording, still copying")
    dead.write_bytes(b"half a recording, copy killed")
    logged("evidence", "verify")
    log_add(logged, "4821", "2026-11-22 10:00", channel="sms")
    assert live.exists() and not dead.exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_attachment_row_of_no_entry_fails_verify_and_hides_no_file(
    logged, db_path, monkeypatch, lang
):
    folder = db_path.with_name("store-evidence")
    folder.mkdir(exist_ok=True)
    planted = b"a file someone put there"
    sha = hashlib.sha256(planted).hexdigest()
    (folder / sha).write_bytes(planted)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO contact_attachments VALUES (99, 0, ?, 'x.m4a', ?, NULL)", (sha, len(planted))
    )
    conn.commit()
    monkeypatch.setenv("DEBTCLI_LANG", lang)
    r = logged("evidence", "verify", ok=False)
    assert r.exit_code == 1
    says = "names entry 99, which does not exist" if lang == "en" else "指向不存在的记录 99"
    assert says in r.stderr and sha in r.stderr  # the planted file is named too
