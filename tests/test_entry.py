"""Records that are right when they go in (issue 13): times and dates as people write them,
nothing silently truncated, mistakes correctable with a trace, cards found as people name
them, and a store that is never made by a typo."""

import sqlite3
from datetime import date

import pytest
from conftest import assert_clean_failure, log_add, store_digest
from hypothesis import given, settings
from hypothesis import strategies as hs

from debtcli.contactlog import build_entry
from debtcli.dates import add_months, parse_date, parse_datetime
from debtcli.errors import BadInput
from debtcli.money import parse_amount
from debtcli.rules import load_pack

TODAY = date(2026, 11, 23)
PACK = load_pack("cn")


# --- one parser for what people type ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hm"),
    [
        ("2026-11-20 22:40", "22:40"),
        ("2026-11-20 22.40", "22:40"),
        ("2026-11-20 22：40", "22:40"),
        ("2026-11-20 晚上10点40", "22:40"),
        ("2026-11-20 22点40分", "22:40"),
        ("2026-11-20 下午3点", "15:00"),
        ("2026-11-20 上午9点半", "09:30"),
        ("2026年11月20日 晚上10点40分", "22:40"),
        ("昨天 22:40", "22:40"),
        ("２０２６－１１－２０ ２２：４０", "22:40"),
        ("11月20日 22:40", "22:40"),
    ],
)
def test_times_as_people_write_them(text, hm):
    dt = parse_datetime(text, TODAY)
    assert dt.strftime("%H:%M") == hm


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-20 22,40",
        "2026-11-20 22.4",
        "2026-11-20 2240x",
        "2026-11-20 25:00",
        "2026-11-20 22:40:99",
        "晚上25点",
    ],
)
def test_a_time_it_cannot_read_exactly_is_refused(text):
    with pytest.raises(BadInput):
        parse_datetime(text, TODAY)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("8月5日", date(2026, 8, 5)),
        ("2026年8月5号", date(2026, 8, 5)),
        ("２０２６－０８－０５", date(2026, 8, 5)),
        ("2026/8/5", date(2026, 8, 5)),
        ("2026.8.5", date(2026, 8, 5)),
        ("今天", TODAY),
        ("前天", date(2026, 11, 21)),
    ],
)
def test_dates_as_people_write_them(text, day):
    assert parse_date(text, TODAY) == day


@pytest.mark.parametrize("text", ["0001-01-01", "1900-05-05", "1989-12-31"])
def test_implausible_dates_are_refused(text):
    with pytest.raises(BadInput, match="1990"):
        parse_date(text, TODAY)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("１８３００", 1_830_000),
        ("１．５万", 1_500_000),
        ("¥18,300", 1_830_000),
        ("18300元", 1_830_000),
    ],
)
def test_full_width_amounts(text, fen):
    assert parse_amount(text) == fen


def test_log_add_keeps_the_time_typed_and_the_quiet_hours_flag(li_wei):
    r = log_add(li_wei, "4821", "2026-11-20 22.40", "--party", "agency")
    assert "22:40" in r.stdout and "22:00" in r.stdout
    entry = li_wei.json("log", "list", "4821")[-1]
    assert entry["at"].startswith("2026-11-20T22:40")
    bad = li_wei("log", "add", "4821", "--channel", "call", "--at", "2026-11-20 22,40", ok=False)
    assert_clean_failure(bad, says="22,40")


def test_log_import_refuses_an_unreadable_time(li_wei, tmp_path, db_path):
    csv = tmp_path / "log.csv"
    csv.write_text("card,at,channel\n4821,2026-11-20 22,40,call\n", encoding="utf-8")
    before = store_digest(db_path)
    assert_clean_failure(li_wei("log", "import", str(csv), ok=False))
    assert store_digest(db_path) == before
    csv.write_text('card,at,channel\n4821,"2026-11-20 22.40",call\n', encoding="utf-8")
    li_wei("log", "import", str(csv))
    assert li_wei.json("log", "list", "4821")[-1]["at"].startswith("2026-11-20T22:40")


def test_a_fixed_today_means_the_whole_day(li_wei, tmp_path):
    csv = tmp_path / "log.csv"
    csv.write_text("card,at,channel\n4821,2026-11-20 23:50,call\n", encoding="utf-8")
    li_wei("--today", "2026-11-20", "log", "import", str(csv))
    bad = log_add(li_wei, "4821", "2026-11-21 00:05", before=("--today", "2026-11-20"), ok=False)
    assert_clean_failure(bad, says="future")


def test_a_due_date_in_the_future_is_refused(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    r = cli("overdue", "4821", "--since", "2026-12-01", "--amount", "100", ok=False)
    assert_clean_failure(r, says="future")


def test_full_width_last_four_is_stored_as_digits(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "４８２１")
    assert cli.json("card", "list")[0]["last4"] == "4821"
    assert cli("card", "show", "４８２１").exit_code == 0


def test_a_hyphenated_last_four_is_refused(cli):
    r = cli("card", "add", "--bank", "中信银行", "--last4", "48-21", ok=False)
    assert_clean_failure(r, says="48-21")


# --- corrections with a trace -----------------------------------------------------------------


def test_an_overpayment_needs_force_and_a_payment_can_be_voided(li_wei):
    r = li_wei("pay", "7730", "183000", ok=False)
    assert_clean_failure(r, says="--force")
    li_wei("pay", "7730", "1830", "--date", "2026-11-01")
    pays = li_wei.json("pay", "list", "7730")
    assert [p["amount"] for p in pays] == ["1830.00"]
    pid = pays[0]["id"]
    li_wei("pay", "void", str(pid), "--why", "typed the wrong card")
    assert li_wei.json("pay", "list", "7730") == []
    history = li_wei.json("pay", "list", "7730", "--history")
    assert history[0]["voided_why"] == "typed the wrong card" and history[0]["voided_at"]
    row = next(r for r in li_wei.json("status") if r["last4"] == "7730")
    assert row["paid"] == "0.00" and row["owed"] == "18300.00"
    again = li_wei("pay", "void", str(pid), "--why", "x", ok=False)
    assert_clean_failure(again, says="already")


def test_voiding_the_payment_that_settled_reopens_the_card(li_wei):
    li_wei("pay", "5511", "9050", "--date", "2026-11-20")
    pid = li_wei.json("pay", "list", "5511")[0]["id"]
    li_wei("pay", "void", str(pid), "--why", "the transfer bounced")
    row = next(r for r in li_wei.json("status") if r["last4"] == "5511")
    assert row["settled_on"] is None and row["owed"] == "9050.00"


def test_overdue_that_moves_an_episode_needs_force_and_keeps_history(li_wei, db_path):
    before = store_digest(db_path)
    r = li_wei("overdue", "4821", "--since", "today", "--amount", "62400", ok=False)
    assert_clean_failure(r, says="2026-08-05 → 2026-11-23")
    assert store_digest(db_path) == before
    li_wei("overdue", "4821", "--since", "2026-08-06", "--amount", "62400", "--force")
    shown = li_wei.json("card", "show", "4821")
    assert shown["episodes"][-1]["since"] == "2026-08-06"
    changes = shown["episodes"][-1]["changes"]
    assert changes[0]["field"] == "since" and changes[0]["old"] == "2026-08-05"


def test_a_corrected_episode_shows_what_changed_as_amounts_and_dates(li_wei, monkeypatch):
    """The corrections card show lists were the stored fen and Python's None (amount 6240000
    → 6300000, principal None → …): amounts and days as everywhere else, in either language,
    and --json's amounts as decimal strings like every other amount it gives."""
    monkeypatch.setenv("COLUMNS", "200")
    li_wei("card", "add", "--bank", "农业银行", "--last4", "1234")
    li_wei("overdue", "1234", "--since", "2026-07-19", "--amount", "7800")
    r = li_wei("--lang", "zh", "overdue", "1234", "--since", "2026-07-20", "--amount", "7900",
               ok=False)  # fmt: skip
    assert_clean_failure(
        r, says="逾期起始日：2026年7月19日 → 2026年7月20日；欠款金额：¥7,800.00 → ¥7,900.00"
    )
    li_wei("overdue", "1234", "--since", "2026-07-20", "--amount", "7900", "--principal", "7000",
           "--force")  # fmt: skip
    en = li_wei("card", "show", "1234").stdout
    for line in ("overdue since 2026-07-19 → 2026-07-20", "amount owed ¥7,800.00 → ¥7,900.00",
                 "principal — → ¥7,000.00"):  # fmt: skip
        assert line in en, en
    zh = li_wei("--lang", "zh", "card", "show", "1234").stdout
    for line in ("逾期起始日：2026年7月19日 → 2026年7月20日", "欠款金额：¥7,800.00 → ¥7,900.00",
                 "本金：— → ¥7,000.00"):  # fmt: skip
        assert line in zh, zh
    assert "None" not in en + zh and "780000" not in en + zh
    changes = li_wei.json("card", "show", "1234")["episodes"][0]["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [
        ("since", "2026-07-19", "2026-07-20"),
        ("amount", "7800.00", "7900.00"),
        ("principal", None, "7000.00"),
    ]


def test_editing_a_card_into_another_ones_bank_and_last_four_needs_force_too(li_wei, db_path):
    """card edit keeps the rules card add has: a second 中信银行 ****4821 needs --force, and a
    name of digits alone (it would be taken for a last four) is refused."""
    before = store_digest(db_path)
    r = li_wei("card", "edit", "7730", "--bank", "中信银行", "--last4", "4821", ok=False)
    assert_clean_failure(
        r,
        exact="you already have a 中信银行 card ending 4821 (#1); if this is another card, add "
        "--force (each is then named by its #id)",
    )
    assert_clean_failure(
        li_wei("card", "edit", "7730", "--name", "5511", ok=False),
        exact="--name cannot be only digits (it would look like an id or last four)",
    )
    assert store_digest(db_path) == before
    li_wei("card", "edit", "7730", "--name", "招行")  # its own bank and last four: no question
    li_wei("card", "edit", "7730", "--bank", "中信银行", "--last4", "4821", "--force")
    assert [c["last4"] for c in li_wei.json("card", "list")] == ["4821", "4821", "5511"]


def test_same_bank_and_last_four_needs_force_and_is_told_apart(cli, tmp_path):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    r = cli("card", "add", "--bank", "中信银行", "--last4", "4821", ok=False)
    assert_clean_failure(r, says="--force")
    cli("card", "add", "--bank", "中信银行", "--last4", "4821", "--force")
    cli("overdue", "#1", "--since", "2026-08-05", "--amount", "62400")
    cli("overdue", "#2", "--since", "2026-09-05", "--amount", "1000")
    out = cli("status").stdout
    assert "#1" in out and "#2" in out
    plan = cli.json("plan", "--income", "9000", "--expenses", "6000")
    assert sum(float(c["owed"]) for c in plan["cards"]) == 63400
    log_add(cli, "#2", "2026-11-20 10:00", "--party", "agency", "--contacted", "family")
    assert [v["card"] for v in cli.json("violations", "#2")] == ["4821 #2"]
    assert not [v for v in cli.json("violations", "#1")]
    report = tmp_path / "r.html"
    cli("report", "#1", "-o", str(report))
    assert "unrelated third party" not in report.read_text(encoding="utf-8")
    cli("report", "#2", "-o", str(report))
    assert "unrelated third party" in report.read_text(encoding="utf-8")
    cards = {e["card"] for e in cli.json("timeline", "--all")}
    assert {"4821 #1", "4821 #2"} <= cards


def test_plan_never_adds_two_currencies(cli):
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("card", "add", "--bank", "招商银行", "--last4", "1111", "--currency", "USD")
    cli("overdue", "7730", "--since", "2026-09-12", "--amount", "18300")
    cli("overdue", "1111", "--since", "2026-09-12", "--amount", "500")
    r = cli("plan", "--income", "9000", "--expenses", "6000", ok=False)
    assert_clean_failure(r, says="e.g. debtcli plan CARD CARD --income … --expenses …")
    r = cli("--lang", "zh", "plan", "--income", "9000", "--expenses", "6000", ok=False)
    assert_clean_failure(r, says="例如 debtcli plan 卡号 卡号 --income … --expenses …")
    assert cli.json("plan", "7730", "--income", "9000", "--expenses", "6000")["cards"]


# --- cards found as people name them ----------------------------------------------------------


@pytest.mark.parametrize("ref", ["中信", "中信银行", "CITIC", "citic"])
def test_a_card_by_its_banks_names(cli, ref):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    assert cli.json("card", "show", ref)["last4"] == "4821"


@pytest.mark.parametrize(
    ("ref", "last4"),
    [("招行", "7730"), ("招商银行", "7730"), ("工行", "5511"), ("工商银行", "5511")],
)
def test_short_bank_names_find_cards(li_wei, ref, last4):
    assert li_wei.json("card", "show", ref)["last4"] == last4


@pytest.mark.parametrize("bank", ["宁波农商行", "招商", "Wells Fargo"])
def test_a_card_is_found_by_the_bank_name_it_was_added_with(cli, bank):
    """Whatever the bank was typed as, in the pack or not, that name finds the card again: a
    card added as 招商 was refused by `overdue 招商` (no card matches '招商'; cards: #1 招商
    ****1234), the error naming the very card it could not find."""
    cli("card", "add", "--bank", bank, "--last4", "1234")
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", bank.lower(), "--since", "2026-10-05", "--amount", "1.2万")
    assert cli.json("card", "show", bank)["last4"] == "1234"


@pytest.mark.parametrize(("typed", "bank"), [("招商", "招商银行"), ("工商", "中国工商银行")])
def test_everyday_short_names_are_their_banks(cli, typed, bank):
    """招商 and 工商 are what people call 招商银行 and 工商银行: a card added under either is
    found by the bank's other names, and its hotline is the bank's."""
    cli("card", "add", "--bank", typed, "--last4", "1234")
    assert cli.json("card", "show", bank)["last4"] == "1234"
    assert PACK.bank(typed)["zh"] == bank


def test_every_bank_alias_finds_its_own_hotline():
    for entry in PACK.data["banks"]:
        for alias in entry["match"]:
            assert PACK.bank(alias) is entry, alias
            assert PACK.bank(alias + " 信用卡中心") is entry, alias
    assert PACK.bank("BOCOM")["hotline"] == "95559"
    assert PACK.bank("Bank of Communications of China")["hotline"] == "95559"


def test_a_name_holding_two_banks_equally_goes_to_the_one_listed_first():
    """The longest alias wins; between aliases of one length the pack's order decides, so the
    same name finds the same bank on every run (a card typed as 招商银行/工商银行)."""
    banks = PACK.data["banks"]
    cmb, icbc = (next(b for b in banks if name in b["match"]) for name in ("招商银行", "工商银行"))
    first = cmb if banks.index(cmb) < banks.index(icbc) else icbc
    assert PACK.bank("招商银行/工商银行") is first and PACK.bank("工商银行/招商银行") is first


# --- the store at open ------------------------------------------------------------------------


def test_a_read_command_on_a_missing_store_creates_nothing(cli, tmp_path):
    missing = tmp_path / "typo" / "stroe.db"
    r = cli("--db", str(missing), "status", ok=False)
    assert_clean_failure(r, says="no store at")
    assert not missing.exists() and not missing.parent.exists()


def test_another_applications_sqlite_file_is_refused_unchanged(cli, tmp_path):
    other = tmp_path / "photos.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for args in (("status",), ("card", "add", "--bank", "中信银行", "--last4", "4821")):
        r = cli("--db", str(other), *args, ok=False)
        assert_clean_failure(r, says="not a debtcli store")
    assert other.read_bytes() == before


def test_a_new_store_carries_our_application_id(cli, db_path):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] != 0


# --- imports in the encodings people have -----------------------------------------------------


def test_a_csv_saved_by_excel_on_chinese_windows_imports(li_wei, tmp_path):
    csv = tmp_path / "gbk.csv"
    csv.write_bytes(
        "card,at,channel,note\n4821,2026-11-20 10:00,call,催收员说要上门\n".encode("gb18030")
    )
    li_wei("log", "import", str(csv))
    assert li_wei.json("log", "list", "4821")[-1]["note"] == "催收员说要上门"


def test_a_csv_in_another_encoding_is_refused_naming_the_row(li_wei, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_bytes(b"card,at,channel,note\n4821,2026-11-20 10:00,call,\xff\xfe\xfa\n")
    assert_clean_failure(li_wei("log", "import", str(csv), ok=False), says="row 2")


# --- calendar months --------------------------------------------------------------------------


@given(hs.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), hs.integers(0, 700))
@settings(max_examples=300)
def test_add_months_is_calendar_months(d, n):
    got = add_months(d, n)
    assert (got.year - d.year) * 12 + got.month - d.month == n
    assert got.day == d.day or (
        got.day < d.day
        and (got.replace(day=1) + __import__("datetime").timedelta(days=32)).replace(day=1).day == 1
        and got.day >= 28
    )


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ("log", "add", "4821", "--channel", "fax"),
            "--channel 'fax': choose one of sms, call, letter, lawyer-letter, visit, email, app, "
            "wechat, other",
            "--channel 'fax'：请从以下选择：短信、电话、信函、律师函、上门、电子邮件、App推送、微信、其他",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--minutes", "abc"),
            "--minutes 'abc': a whole number from 0 to 1440",
            "--minutes 'abc'：应为 0 到 1440 之间的整数",
        ),
        *(  # each text option is named by its refusal
            (
                ("log", "add", "4821", "--channel", "call", option, "9" * (limit + 1)),
                f"{option} '{'9' * 20}…': at most {limit} characters",
                f"{option} '{'9' * 20}…'：最多 {limit} 个字符",
            )
            for option, limit in (
                ("--agent-id", 100),
                ("--phone", 40),
                ("--pay-to", 300),
                ("--promise", 1000),
            )
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--no-seal"),
            "--no-seal applies only to a letter received (--channel letter or lawyer-letter)",
            "--no-seal 只适用于收到的信函（--channel letter 或 lawyer-letter）",
        ),
        (
            ("log", "add", "4821", "--channel", "visit", "--agents", "60"),
            "--agents '60': a whole number from 1 to 50",
            "--agents '60'：应为 1 到 50 之间的整数",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--org", "x" * 300),
            f"--org '{'x' * 20}…': at most 200 characters",
            f"--org '{'x' * 20}…'：最多 200 个字符",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--org", "a\x07b"),
            "--org 'a\\x07b': control characters are not allowed",
            "--org 'a\\x07b'：不能含控制字符",
        ),
        (
            ("log", "add", "4821"),
            "--channel is required: one of sms, call, letter, lawyer-letter, visit, email, app, "
            "wechat, other",
            "必须提供 --channel：短信、电话、信函、律师函、上门、电子邮件、App推送、微信、其他之一",
        ),
        (
            ("log", "add", "4821", "--channel", "sms", "--missed"),
            "--missed applies only to --channel call",
            "--missed 只适用于 --channel call",
        ),
        (  # an entry has three dates and amounts: the refusal says which one
            (
                "log",
                "add",
                "4821",
                "--channel",
                "call",
                "--at",
                "2026-11-20 10:00",
                "--demanded",
                "lots",
            ),
            "--demanded: amount 'lots' is not a number (examples: 32000, 32,000.50, ¥32000, 3.2万)",
            "--demanded：金额 'lots' 不是有效数字（例如 32000、32,000.50、¥32000、3.2万）",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--promise-date", "someday"),
            "--promise-date: date 'someday' is not understood (examples: 2026-08-05, 2026/8/5, "
            "2026年8月5日, 8月5日, today)",
            "--promise-date：无法识别日期 'someday'（例如 2026-08-05、2026/8/5、2026年8月5日、"
            "8月5日、今天）",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--at", "2031-01-01 10:00"),
            "--at: time 2031-01-01 10:00 is in the future; log contacts after they happen",
            "--at：时间 2031年1月1日 10:00 在未来；请在联系发生后记录",
        ),
        (
            ("log", "amend", "999", "--note", "x"),
            "no log entry 999; see `debtcli log list`",
            "没有编号为 999 的记录；见 `debtcli log list`",
        ),
        (
            ("log", "amend", "1"),
            "nothing to amend: give the options to correct, e.g. --note or --at",
            "没有要更正的内容：请给出要更正的选项，例如 --note 或 --at",
        ),
    ],
)
def test_a_refused_entry_is_told_whole_in_each_language(li_wei, db_path, args, en, zh):
    """What was wrong, and why, in the user's language: the reason too (it was English in
    the Chinese message)."""
    log_add(li_wei, "4821", "2026-11-20 10:00", channel="sms")
    before = store_digest(db_path)
    for lang, says in (("en", en), ("zh", zh)):
        assert_clean_failure(li_wei("--lang", lang, *args, ok=False), exact=says)
    assert store_digest(db_path) == before


def test_yes_no_and_empty_cells_of_a_spreadsheet_mean_what_they_say(li_wei, tmp_path):
    """A spreadsheet's yes/no column takes the words people put in it, in any case and in
    Chinese; an empty number cell is nothing said, not a number refused."""
    sheet = tmp_path / "log.csv"
    words = ["0", "false", "FALSE", "no", "NO", "n", "否", "没有", "1", "true", "Yes", "y", " Y ",
             "是", "有"]  # fmt: skip
    sheet.write_text(
        "card,at,channel,missed,minutes,agents,demanded,promise_date\n"
        + "".join(f"4821,2026-11-21 10:{i:02},call,{w},,,,\n" for i, w in enumerate(words)),
        encoding="utf-8",
    )
    li_wei("log", "import", str(sheet))
    entries = li_wei.json("log", "list")
    assert [e["answered"] for e in entries] == [1] * 8 + [0] * 7
    empty = {(e["minutes"], e["agents"], e["demanded"], e["promise_date"]) for e in entries}
    assert empty == {(None, None, None, None)}
    sheet.write_text("card,channel,credentials\n4821,visit,工作证、授权书\n", encoding="utf-8")
    li_wei("log", "import", str(sheet))  # a cell holds several values as one text
    assert li_wei.json("log", "list")[-1]["credentials"] == "authorization,work-id"
    sheet.write_text("card,channel,missed\n4821,call,未接\n", encoding="utf-8")
    for lang, says in (
        ("en", f"{sheet} row 2, column missed: --missed: answer yes or no, not '未接'"),
        ("zh", f"{sheet} 第 2 行，missed 列：--missed：请回答“是”或“否”，而不是 '未接'"),
    ):
        r = li_wei("--lang", lang, "log", "import", str(sheet), ok=False)
        assert_clean_failure(r, exact=says)


def test_a_contact_after_the_clock_an_import_read_is_refused():
    """An import reads the clock once, at its start, and checks every row against that
    reading: a row timed after it is in the future, even once the clock has moved past it."""
    read = parse_datetime("2026-11-20 09:00", TODAY)
    raw = {"channel": "call", "at": "2026-11-20 09:00"}
    assert build_entry(raw, {"id": 1}, PACK, TODAY, limit=read)["at"].startswith("2026-11-20T09")
    raw["at"] = "2026-11-20 09:01"
    with pytest.raises(BadInput, match=r"^--at: time 2026-11-20 09:01 is in the future"):
        build_entry(raw, {"id": 1}, PACK, TODAY, limit=read)


def test_a_log_import_of_a_folder_is_refused(li_wei, tmp_path):
    for lang, says in (
        ("en", f"{tmp_path} is not a regular file"),
        ("zh", f"{tmp_path} 不是普通文件"),
    ):
        r = li_wei("--lang", lang, "log", "import", str(tmp_path), ok=False)
        assert_clean_failure(r, exact=says)


SAID = {"org": None, "agent": None, "agent_id": None, "phone": None, "minutes": None,
        "agents": None, "credentials": None, "demanded": None, "pay_to": None, "promise": None,
        "promise_date": None, "claims": None, "flags": None, "note": None}  # fmt: skip


@pytest.mark.parametrize(
    ("args", "stored"),
    [
        # nothing said: from them, to you, by someone not named; a call was answered
        (["--channel", "sms"], {"direction": "in", "party": "unknown", "contacted": "self",
                                "answered": None}),
        (["--channel", "call"], {"answered": 1}),
        (["--channel", "call", "--missed"], {"answered": 0}),
        (["--channel", "visit", "--agents", "2", "--credentials", "work-id,authorization"],
         {"agents": 2, "credentials": "authorization,work-id", "answered": None}),  # sorted
        (["--channel", "letter", "--no-seal"], {"flags": "no-seal"}),
        (["--channel", "call", "--flag", "threat", "--no-seal"], None),
        (["--channel", "sms", "--missed"], None),
        (["--channel", "call", "--minutes", "0"], {"minutes": 0}),
        (["--channel", "call", "--minutes", "1440"], {"minutes": 1440}),
        (["--channel", "call", "--minutes", "1441"], None),
        (["--channel", "visit", "--agents", "50"], {"agents": 50}),
        (["--channel", "visit", "--agents", "0"], None),
        (["--channel", "call", "--demanded", "¥12,000.50", "--promise", "pay 500",
          "--promise-date", "2026-12-01"],
         {"demanded": "12000.50", "promise": "pay 500", "promise_date": "2026-12-01"}),
        (["--channel", "call", "--org", "  某某资产  ", "--note", "   "],
         {"org": "某某资产", "note": None}),  # trimmed; blank is nothing said
        (["--channel", "call", "--promise-date", "今天"], {"promise_date": "2026-11-23"}),
    ],
)  # fmt: skip
def test_what_log_add_stores_and_what_it_refuses(li_wei, db_path, args, stored):
    before = store_digest(db_path)
    r = li_wei("log", "add", "4821", "--at", "2026-11-20 10:00", *args, ok=stored is not None)
    if stored is None:
        assert_clean_failure(r)
        assert store_digest(db_path) == before
        return
    (entry,) = li_wei.json("log", "list")
    defaults = {"direction": "in", "party": "unknown", "contacted": "self"}
    want = {**SAID, **defaults, "channel": args[1], **stored}
    assert {k: entry[k] for k in want} == want
    assert entry["recorded_at"].endswith("+00:00")  # when it was logged, in UTC wherever that was


@pytest.mark.parametrize(
    ("lang", "option", "exact"),
    [
        ("zh", ("--credentials", "工作证，飞机票"), "--credentials '飞机票'：请从以下选择：工作证、授权书、没有"),
        ("zh", ("--flag", "威胁、跳舞"),
         "--flag '跳舞'：请从以下选择：威胁、侮辱、暴力、冒充公检法、骚扰、没有公章、其他"),
        ("en", ("--claim", "arrest,moon"),
         "--claim 'moon': choose one of arrest, criminal-record, blacklist, family-liable, "
         "employer, children-school, court-today, pay-to-person"),
        ("zh", ("--contacted", "外星人"),
         "--contacted '外星人'：请从以下选择：本人、家人、单位、同事、朋友、通讯录联系人、其他人"),
    ],
)  # fmt: skip
def test_a_value_not_among_the_choices_is_refused_with_them(li_wei, db_path, lang, option, exact):
    """The one value of several that is not a choice is named, with every choice in the
    user's language; nothing is logged."""
    before = store_digest(db_path)
    r = log_add(li_wei, "4821", "2026-11-20 10:00", *option, channel="visit",
                before=("--lang", lang), ok=False)  # fmt: skip
    assert_clean_failure(r, exact=exact)
    assert store_digest(db_path) == before


def test_several_values_in_chinese_words_are_stored_once_each_as_keys(li_wei):
    log_add(li_wei, "4821", "2026-11-20 10:00", "--credentials", "工作证，，授权书、工作证",
            "--claim", "抓人", "--claim", "黑名单,抓人", channel="visit")  # fmt: skip
    entry = li_wei.json("log", "list")[-1]
    assert entry["credentials"] == "authorization,work-id"
    assert entry["claims"] == "arrest,blacklist"


def test_text_fields_keep_their_limits_and_only_a_note_keeps_lines(li_wei, tmp_path, db_path):
    """A note or a promise may hold lines and tabs (what was said); a name, a number or an
    account may not. Each field takes exactly its limit, and one character more is refused
    (shown by its first 20). Empty and yes/no cells of a spreadsheet mean what they say."""
    ok = log_add(li_wei, "4821", "2026-11-20 10:00", "--org", "某" * 200,
                 "--note", "第一行\n第二行\t完", "--promise", "下周\n再打")  # fmt: skip
    assert ok.exit_code == 0
    entry = li_wei.json("log", "list")[-1]
    assert entry["org"] == "某" * 200 and entry["note"] == "第一行\n第二行\t完"
    before = store_digest(db_path)
    for args, exact in (
        (("--org", "某" * 201), f"--org '{'某' * 20}…': at most 200 characters"),
        (("--agent", "张\n经理"), "--agent '张\\n经理': control characters are not allowed"),
        (("--note", "bell\x07" + "x" * 30), f"--note 'bell\\x07{'x' * 15}': control characters "
         "are not allowed"),
    ):  # fmt: skip
        r = log_add(li_wei, "4821", "2026-11-20 10:00", *args, ok=False)
        assert_clean_failure(r, exact=exact)
    assert store_digest(db_path) == before
    sheet = tmp_path / "log.csv"
    sheet.write_text(
        "card,at,channel,direction,party,missed\n"
        "4821,2026-11-21 10:00,call,,,YES\n"
        "4821,2026-11-21 11:00,call,,,\n",
        encoding="utf-8",
    )
    li_wei("log", "import", str(sheet))
    missed, answered = li_wei.json("log", "list")[-2:]
    assert (missed["answered"], missed["direction"], missed["party"]) == (0, "in", "unknown")
    assert answered["answered"] == 1


def test_every_option_of_log_add_is_stored_as_given(li_wei, db_path):
    """Each option lands in its own field, as the key its words stand for; those given wrong
    are refused naming the option and its range, and nothing is logged."""
    log_add(li_wei, "4821", "2026-11-20 10:00", "--no-seal", "--direction", "来",
            "--party", "律所", "--org", "某律所", "--agent", "王律师", "--agent-id", "L01",
            "--phone", "4008123456", "--contacted", "家人", "--credentials", "没有",
            "--demanded", "1.5万", "--pay-to", "个人账户 6222", "--promise", "下周还",
            "--promise-date", "2026-12-15", "--claim", "抓人", "--flag", "威胁",
            "--note", "律师函", channel="信函")  # fmt: skip
    e = li_wei.json("log", "list")[-1]
    assert {k: e[k] for k in e if k not in ("hash", "prev_hash", "recorded_at", "id")} == {
        "card_id": 1, "at": "2026-11-20T10:00:00+08:00", "at_utc": "2026-11-20T02:00:00+00:00",
        "channel": "letter", "direction": "in", "party": "law-firm", "org": "某律所",
        "agent": "王律师", "agent_id": "L01", "phone": "4008123456", "minutes": None,
        "answered": None, "contacted": "family", "agents": None, "credentials": "none",
        "demanded": "15000.00", "pay_to": "个人账户 6222", "promise": "下周还",
        "promise_date": "2026-12-15", "claims": "arrest", "flags": "no-seal,threat",
        "note": "律师函", "amends": None, "attachments": [], "amended": False, "card": "4821",
        "violations": ["third-party", "abuse", "false-claim", "pay-to-personal", "letter-no-seal"],
        "withdrawn": None,
    }  # fmt: skip
    log_add(li_wei, "4821", "2026-11-20 11:00", "--missed", "--minutes", "0", "--agents", "50")
    call = li_wei.json("log", "list")[-1]
    assert (call["answered"], call["minutes"], call["agents"]) == (0, 0, 50)
    before = store_digest(db_path)
    for args, exact in (
        (("--minutes", "1441"), "--minutes '1441': a whole number from 0 to 1440"),
        (("--agents", "0"), "--agents '0': a whole number from 1 to 50"),
        (("--minutes", "三"), "--minutes '三': a whole number from 0 to 1440"),
        (("--channel", "sms", "--missed"), "--missed applies only to --channel call"),
        (("--no-seal",), "--no-seal applies only to a letter received (--channel letter or "
         "lawyer-letter)"),
        (("--direction", "sideways"), "--direction 'sideways': choose one of in, out, unknown"),
        (("--missed", "--missed", "--party", "boss"), "--party 'boss': choose one of bank, "
         "agency, law-firm, court, unknown, impostor"),
    ):  # fmt: skip
        r = log_add(li_wei, "4821", "2026-11-20 12:00", *args, ok=False)
        assert_clean_failure(r, exact=exact)
    r = li_wei("log", "add", "4821", "--at", "2026-11-20 12:00", ok=False)
    assert_clean_failure(r, says="--channel is required")
    assert store_digest(db_path) == before
