"""The store, cards, episodes, payments and the dashboard, driven as a user would."""

import os
import sqlite3
import stat
import subprocess
import sys

import pytest
from conftest import assert_clean_failure, store_digest

from debtcli.store import SCHEMA_VERSION, migrate, open_store


def test_store_created_private_on_first_use(cli, db_path):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert names == [
        "m001_cards_episodes_payments",
        "m002_contact_log",
        "m003_agreements",
        "m004_payment_indexes",
        "m005_settlement_amount",
        "m006_corrections",
        "m007_salted_commitments",
        "m008_number_book",
        "m009_stamp_request_ids",
        "m010_import_runs",
        "m011_withdrawals",
    ]


def test_path_shows_store_and_evidence(cli, db_path):
    out = cli.json("path")
    assert out["store"] == str(db_path)
    assert out["evidence"].endswith("store-evidence")


def test_default_location_is_the_user_data_dir(cli, monkeypatch, tmp_path):
    monkeypatch.delenv("DEBTCLI_DB")
    out = cli.json("path")
    assert out["store"].startswith(str(tmp_path / "xdg-data"))


def test_store_at_first_version_migrates_and_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    s = open_store(path, upto=1)
    s.conn.execute("INSERT INTO cards (bank, last4, created_at) VALUES ('中信银行','4821','x')")
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 1
    s.close()
    s = open_store(path)
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert s.conn.execute("SELECT last4 FROM cards").fetchone()[0] == "4821"
    assert s.conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 0
    assert migrate(s.conn) == []  # nothing left to apply


def test_newer_store_is_refused_unchanged(cli, db_path):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = store_digest(db_path)
    r = cli("card", "list", ok=False)
    assert_clean_failure(r, says="newer debtcli")
    assert store_digest(db_path) == before


def test_corrupt_store_is_reported_not_overwritten(cli, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database" * 100)
    before = store_digest(db_path)
    assert_clean_failure(cli("status", ok=False), says="cannot be used")
    assert store_digest(db_path) == before


def test_unwritable_store_location(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli(
        "--db",
        str(blocker / "sub" / "store.db"),
        "card",
        "add",
        "--bank",
        "中信银行",
        "--last4",
        "4821",
        ok=False,
    )
    assert_clean_failure(r, says="cannot be used")


def test_card_lifecycle(cli):
    cli(
        "card",
        "add",
        "--bank",
        "中信银行",
        "--last4",
        "4821",
        "--name",
        "citic",
        "--limit",
        "6万",
        "--due-day",
        "5",
    )
    cards = cli.json("card", "list")
    assert cards[0]["last4"] == "4821" and cards[0]["credit_limit"] == "60000.00"
    cli("card", "edit", "citic", "--limit", "70000")
    assert cli.json("card", "show", "#1")["credit_limit"] == "70000.00"
    cli("card", "archive", "4821")
    assert cli.json("card", "list") == []
    assert cli.json("card", "list", "--archived")[0]["archived_on"] == "2026-11-23"
    assert cli.json("status") == []


def test_full_card_number_refused_with_reason(cli, db_path):
    open_store(db_path).close()
    before = store_digest(db_path)
    r = cli("card", "add", "--bank", "中信银行", "--last4", "6225 8812 3456 4821", ok=False)
    assert_clean_failure(r, says="only the last four digits")
    assert store_digest(db_path) == before


def test_ambiguous_card_lists_candidates(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("card", "add", "--bank", "招商银行", "--last4", "4821")
    r = cli("card", "show", "4821", ok=False)
    assert_clean_failure(r, says="matches several cards")
    assert "#1" in r.stderr and "#2" in r.stderr
    assert cli.json("card", "show", "#2")["bank"] == "招商银行"


def test_overdue_pay_settle_and_status(li_wei):
    cli = li_wei
    rows = {r["last4"]: r for r in cli.json("status")}
    assert rows["4821"]["days_overdue"] == 110  # 2026-08-05 to 2026-11-23
    assert rows["4821"]["owed"] == "62400.00" and rows["4821"]["currency"] == "CNY"
    assert rows["5511"]["owed"] == "9050.00"
    cli("pay", "7730", "3,000", "--date", "2026-11-01", "--note", "app")
    rows = {r["last4"]: r for r in cli.json("status")}
    assert rows["7730"]["owed"] == "15300.00" and rows["7730"]["paid"] == "3000.00"
    r = cli("pay", "7730", "15300")
    assert "settled" in r.stdout
    rows = {r["last4"]: r for r in cli.json("status")}
    assert rows["7730"]["settled_on"] == "2026-11-23" and rows["7730"]["stage"] is None
    cli("settle", "5511", "--date", "2026-11-20")
    show = cli.json("card", "show", "5511")
    assert show["episodes"][0]["settled_on"] == "2026-11-20"


def test_overdue_corrects_the_open_episode(li_wei):
    li_wei("overdue", "4821", "--since", "2026-08-05", "--amount", "63000", "--force")
    show = li_wei.json("card", "show", "4821")
    assert len(show["episodes"]) == 1 and show["episodes"][0]["amount"] == "63000.00"
    # a correction that changes nothing needs no --force
    li_wei("overdue", "4821", "--since", "2026-08-05", "--amount", "63000")


def test_today_option_answers_where_will_i_be(li_wei):
    rows = {r["last4"]: r for r in li_wei.json("--today", "2027-03-01", "status")}
    assert rows["4821"]["days_overdue"] == 208
    assert rows["4821"]["stage"] == "litigation"


def test_status_table_in_both_languages(li_wei):
    en = li_wei("status").stdout
    assert "中信银行 ****4821" in en and "¥62,400.00" in en and "Where you stand" in en
    zh = li_wei("--lang", "zh", "status").stdout
    assert "现状" in zh and "逾期天数" in zh


BAD_INPUTS = [
    (["pay", "9999", "100"], "no card matches"),
    (["pay", "4821", "--", "-5"], "negative"),
    (["pay", "4821", "-5"], "amount '-5' is negative"),
    (["pay", "add", "4821", "-1,200.50"], "amount '-1,200.50' is negative"),
    (["pay", "4821", "abc"], "not a number"),
    (["pay", "4821", "1.001"], "two decimals"),
    (["pay", "4821", "100", "--date", "2026-02-30"], "does not exist"),
    (["pay", "4821", "100", "--date", "2027-01-01"], "in the future"),
    (["overdue", "4821", "--since", "tomorrow-ish", "--amount", "5"], "not understood"),
    (
        ["overdue", "4821", "--since", "2026-08-05", "--amount", "100", "--principal", "200"],
        "exceed",
    ),
    (["card", "add", "--bank", "X", "--last4", "48"], "exactly four digits"),
    (["card", "add", "--bank", "X", "--last4", "4821", "--due-day", "32"], "1 to 31"),
    (["card", "add", "--bank", "X", "--last4", "4821", "--currency", "yuan"], "three-letter"),
    (["--lang", "fr", "status"], "choose zh or en"),
    (["--today", "someday", "status"], "not understood"),
    (["card", "edit", "4821"], "nothing to change"),
    (["settle", "4821", "--date", "2026-01-01"], "before the missed due date"),
]


@pytest.mark.parametrize(("args", "says"), BAD_INPUTS)
def test_bad_input_catalogue(li_wei, db_path, args, says):
    before = store_digest(db_path)
    assert_clean_failure(li_wei(*args, ok=False), says=says)
    assert store_digest(db_path) == before


def test_errors_in_chinese(li_wei):
    r = li_wei("--lang", "zh", "pay", "9999", "100", ok=False)
    assert_clean_failure(r, says="没有与")


def test_a_negative_amount_is_refused_as_an_amount_not_as_an_option(li_wei):
    """`pay 4821 -5` reads to the command line like an option named -5; the person typed an
    amount, and is told what is wrong with it, in their language."""
    r = li_wei("--lang", "zh", "pay", "4821", "-5", ok=False)
    assert_clean_failure(r, says="金额 '-5' 是负数")
    assert "选项" not in r.stderr
    # a real unknown option is still named as one
    assert_clean_failure(li_wei("pay", "4821", "-x", ok=False), says="No such option: -x")


def test_payment_without_overdue_episode(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    assert_clean_failure(cli("pay", "4821", "100", ok=False), says="no open overdue episode")


def test_demo_builds_three_stages(cli, tmp_path):
    r = cli("--db", str(tmp_path / "demo.db"), "demo")
    assert "Where you stand" in r.stdout
    rows = cli.json("--db", str(tmp_path / "demo.db"), "status")
    stages = {r["last4"]: r["stage"] for r in rows}
    # 招商 granted an installment plan a week ago: under agreement, nothing escalates
    assert stages == {"4821": "visit", "7730": "agreement", "5511": "reminder"}
    assert any(r["risk"] for r in rows)
    again = cli("--db", str(tmp_path / "demo.db"), "demo", ok=False)
    assert_clean_failure(again, says="already has cards")


def test_help_teaches_and_has_short_flag(cli):
    assert "Keep control" in cli("-h").stdout
    assert "--since" in cli("overdue", "--help").stdout


def test_two_processes_writing_at_once_both_succeed(tmp_path):
    db = tmp_path / "c.db"
    env = {**os.environ, "DEBTCLI_DB": str(db)}
    code = "import sys; from debtcli.cli import main; sys.argv=['debtcli']+sys.argv[1:]; main()"
    subprocess.run(
        [sys.executable, "-c", code, "card", "add", "--bank", "A", "--last4", "1111"],
        env=env,
        check=True,
        capture_output=True,
    )
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                code,
                "card",
                "add",
                "--bank",
                f"B{i}",
                "--last4",
                f"{2000 + i}",
            ],
            env=env,
            stderr=subprocess.PIPE,
        )
        for i in range(4)
    ]
    for p in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 5


def test_a_store_from_the_last_release_gains_the_payments_index_and_keeps_its_sums(cli, db_path):
    s = open_store(db_path, upto=3)
    s.conn.execute("INSERT INTO cards (bank, last4, created_at) VALUES ('中信银行','4821','x')")
    s.close()
    cli("overdue", "4821", "--since", "2026-08-05", "--amount", "10000")
    cli("pay", "4821", "1200")
    cli("pay", "4821", "300.50")
    conn = sqlite3.connect(db_path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "payments_episode_amount" in indexes and "payments_episode" not in indexes
    assert "payments_card_paid" in indexes
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT SUM(amount) FROM payments WHERE "
        "episode_id = 1 AND voided_at IS NULL"
    ).fetchall()
    assert "COVERING INDEX payments_episode_amount" in plan[0][3]
    assert cli.json("status")[0]["paid"] == "1500.50"


@pytest.mark.parametrize(
    "args, says",
    [
        (
            ["plan", "--income", "9000", "--expenses", "6000", "--months", "0"],
            "Invalid value for '--months'",
        ),
        (["log", "list", "--bogus"], "No such option: --bogus"),
        (["log", "amend"], "Missing argument"),
        (["nosuch"], "No such command 'nosuch'"),
    ],
)
def test_typers_own_refusals_are_one_line_too(cli, db_path, args, says):
    """An option out of range or unknown is bad input like any other: one line, exit 2, the
    command's help named — not a framed panel."""
    r = cli(*args, ok=False)
    assert_clean_failure(r, says=says)
    assert "-h" in r.stderr and "╭" not in r.output
    zh = cli("--lang", "zh", *args, ok=False)
    assert_clean_failure(zh, says="debtcli：错误：")
