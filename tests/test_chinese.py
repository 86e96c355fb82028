"""Chinese first (issue 16, the parts built so far): Chinese words accepted for every choice,
answers at the prompts in the user's own words, and a bare `debtcli` that welcomes."""

import json

import pytest
from conftest import assert_clean_failure, log_add, pack_with


def test_log_add_in_chinese_words(li_wei):
    log_add(
        li_wei,
        "4821",
        "2026-11-20 10:00",
        "--party",
        "催收公司",
        "--contacted",
        "母亲",
        "--flag",
        "威胁，骚扰",
        "--claim",
        "黑名单、抓人",
        channel="电话",
    )
    e = li_wei.json("log", "list", "4821")[-1]
    assert (e["channel"], e["party"], e["contacted"]) == ("call", "agency", "family")
    assert e["flags"] == "repeated,threat" and e["claims"] == "arrest,blacklist"
    log_add(
        li_wei,
        "4821",
        "2026-11-21 10:00",
        "--credentials",
        "工作证",
        "--agents",
        "2",
        channel="上门",
    )
    assert li_wei.json("log", "list", "4821")[-1]["credentials"] == "work-id"


def test_a_wrong_word_lists_the_choices_in_chinese(li_wei):
    r = li_wei("--lang", "zh", "log", "add", "4821", "--channel", "飞鸽传书", ok=False)
    assert_clean_failure(r, says="短信、电话、信函、律师函、上门")


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (("plan", "--income", "9000", "--expenses", "6000", "--strategy", "最快"),
         "按比例、利率优先、先还小额"),
        (("timeline", "--kind", "电话"), "逾期、还款、结清"),
        (("letter", "make", "道歉信", "4821"), "个性化分期、停息挂账、"),
        (("letter", "make", "道歉信", "4821"), "信件类型 '道歉信'："),
        (("letter", "make", "installment", "4821", "--hardship", "中彩票", "--name", "李伟",
          "--phone", "138"), "失业、生病、"),
    ],
)  # fmt: skip
def test_every_refused_choice_lists_its_choices_with_the_chinese_comma(li_wei, args, listed):
    r = li_wei("--lang", "zh", *args, ok=False)
    assert_clean_failure(r, says=listed if "：" in listed else f"请从以下选择：{listed}")
    assert ", " not in r.stderr


def test_csv_import_takes_chinese_words(li_wei, tmp_path):
    f = tmp_path / "log.csv"
    f.write_text(
        "card,at,channel,party,contacted,note\n"
        "中信,2026-11-20 22:40,电话,催收公司,妈妈,打给我妈妈\n",
        encoding="utf-8",
    )
    li_wei("log", "import", str(f))
    e = li_wei.json("log", "list", "4821")[-1]
    assert (e["channel"], e["party"], e["contacted"]) == ("call", "agency", "family")


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["facts", "黑名单"], "blacklist"),
        (["facts", "传票"], "summons"),
    ],
)
def test_facts_in_chinese(cli, args, check):
    assert cli.json(*args)[0]["key"] == check


def test_letter_kinds_and_hardships_in_chinese(li_wei):
    text = li_wei(
        "--lang",
        "zh",
        "letter",
        "make",
        "分期",
        "4821",
        "--months",
        "60",
        "--hardship",
        "失业",
        "--name",
        "李伟",
        "--phone",
        "138",
    ).stdout
    assert "个性化分期还款申请" in text and "解除劳动合同证明" in text
    log_add(li_wei, "4821", "2026-11-20 23:10", "--party", "催收公司", channel="电话")
    to_regulator = li_wei("--lang", "zh", "letter", "make", "投诉", "4821", "--to", "监管").stdout
    to_bank = li_wei("--lang", "zh", "letter", "make", "投诉", "4821", "--to", "银行").stdout
    assert "消费者权益保护部门" not in to_regulator and "消费者权益保护部门" in to_bank


def test_visit_answers_in_chinese_words(li_wei, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(
        json.dumps(
            {
                "agents": "一个",
                "work_id": "没有",
                "authorization": "没有",
                "hotline": "银行说不知道",
                "org": "自称法院",
            }
        ),
        encoding="utf-8",
    )
    r = li_wei(
        "--lang",
        "zh",
        "visit",
        "check",
        "4821",
        "--answers",
        str(answers),
        "--at",
        "2026-11-22 15:00",
        "--json",
    )
    v = json.loads(r.stdout)
    assert v["verdict"] == "scam" and "one-visitor" in v["red_flags"] and v["hotline"] == "denied"


def test_bare_debtcli_welcomes_and_creates_nothing(cli, db_path):
    for lang, says in (
        ("zh", "从这里开始，一问一答：debtcli 开始"),
        ("en", "question by question: debtcli setup"),
    ):
        r = cli("--lang", lang)
        assert r.exit_code == 0 and says in r.stdout and "Usage" not in r.stdout
    assert not db_path.exists()
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    assert "Where you stand" in cli().stdout


def test_no_english_codes_in_the_chinese_demo(cli, tmp_path):
    """Channels, parties, who was reached and rule names read in Chinese; only the commands a
    user types (`debtcli visit checklist`) stay in Latin letters."""
    import re
    import zipfile

    from debtcli.rules import load_pack

    pack = load_pack("cn")
    codes = {k for kind, table in pack.data["words"].items() if kind != "yes" for k in table}
    codes |= {c["key"] for c in pack.conduct()}
    codes -= {"other", "in", "out", "app", "none"}
    db = str(tmp_path / "demo.db")
    cli("--lang", "zh", "--db", db, "demo")
    cli(
        "--lang",
        "zh",
        "--db",
        db,
        "log",
        "add",
        "4821",
        "--channel",
        "电话",
        "--party",
        "银行",
        "--at",
        "2026-11-20T10:15:00+09:00",
    )  # logged abroad: its offset is shown
    documents = {}
    cli("--lang", "zh", "--db", db, "report", "-o", tmp_path / "r.html")
    cli("--lang", "zh", "--db", db, "evidence", "export", "-o", tmp_path / "b.zip")
    documents["report"] = (tmp_path / "r.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        documents["summary.html"] = z.read("summary.html").decode()
    for args in (
        ["status"],
        ["stage", "4821"],
        ["log", "list"],
        ["timeline", "--all"],
        ["violations"],
        ["card", "list"],
        ["facts"],
        "report",
        "summary.html",
    ):
        out = (
            documents[args]
            if isinstance(args, str)
            else cli("--lang", "zh", "--db", db, *args).stdout
        )
        out = re.sub(r"<[^>]*>", " ", out)  # HTML tags and their attributes
        out = re.sub(r"debtcli(?:\s+[-\w]+){1,6}", "", out)  # the commands themselves
        found = sorted(c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", out))
        assert not found, (args, found)
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", out), (args, "a raw ISO time")
        if args in (["log", "list"], "report", "summary.html"):
            assert "2026年11月20日 10:15（UTC+09:00）" in out, args
            assert "2026年10月20日 22:40" in out and "22:40（" not in out, args  # local: no offset


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ("log", "list", "--since", "明年"),
            "date '明年' is not understood (examples: 2026-08-05, 2026/8/5, 2026年8月5日, 8月5日, "
            "today)",
            "无法识别日期 '明年'（例如 2026-08-05、2026/8/5、2026年8月5日、8月5日、今天）",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--at", "blah"),
            "--at: time 'blah' is not understood (examples: '2026-11-20 22:40', '昨天 晚上10点40', "
            "'22:40'); nothing was saved",
            "--at：无法识别时间 'blah'（例如 '2026-11-20 22:40'、'昨天 晚上10点40'、'22:40'）；未保存",
        ),
        (
            ("log", "add", "4821", "--channel", "call", "--at", "25:99"),
            "--at: time '25:99' does not exist",
            "--at：时间 '25:99' 不存在",
        ),
    ],
)
def test_a_date_or_time_not_understood_is_told_in_the_users_language(li_wei, args, en, zh):
    for lang, says in (("en", en), ("zh", zh)):
        assert_clean_failure(li_wei("--lang", lang, *args, ok=False), says=says)
    assert li_wei.json("log", "list") == []


def test_a_time_keeps_its_seconds_and_a_foreign_offset_is_shown(li_wei):
    log_add(li_wei, "4821", "2026-11-20 22:40:15")
    log_add(li_wei, "4821", "2026-11-20T10:00:00+09:00")
    assert [e["at"] for e in li_wei.json("log", "list")] == [
        "2026-11-20T10:00:00+09:00",
        "2026-11-20T22:40:15+08:00",
    ]
    en = li_wei("log", "list").stdout
    zh = li_wei("--lang", "zh", "log", "list").stdout
    assert en.count("(UTC+09:00)") == 1 and "UTC+08:00" not in en  # the user's own: no note
    assert zh.count("（UTC+09:00）") == 1 and "UTC+08:00" not in zh


def test_a_time_in_another_iso_form_is_shown_as_a_stored_one_is():
    """Not every time shown was stored by debtcli (a TSA's time has fractions of a second):
    the same wall clock and offset note."""
    from debtcli.dates import show_time

    for at in ("2026-11-20T10:00:00.250+09:00", "2026-11-20T10:00:00+09:00"):
        assert show_time(at, "zh") == "2026年11月20日 10:00（UTC+09:00）", at
        assert show_time(at, "en") == "2026-11-20 10:00 (UTC+09:00)", at
    assert show_time("2026-11-20T22:40:15.5+08:00", "zh") == "2026年11月20日 22:40"


def test_a_time_said_in_words_keeps_its_seconds(li_wei):
    log_add(li_wei, "4821", "11月20日 下午3:20:15")
    assert li_wei.json("log", "list")[0]["at"] == "2026-11-20T15:20:15+08:00"


def test_a_card_not_found_or_ambiguous_lists_the_cards_as_each_language_lists_them(li_wei):
    cards = ["#1 中信银行 ****4821 citic", "#2 招商银行 ****7730", "#3 工商银行 ****5511"]
    for lang, exact in (
        ("en", f"no card matches '9999'; cards: {', '.join(cards)}"),
        ("zh", f"没有与 '9999' 匹配的卡；已有的卡：{'、'.join(cards)}"),
    ):
        r = li_wei("--lang", lang, "pay", "9999", "100", ok=False)
        assert_clean_failure(r, exact=exact)
    li_wei("card", "add", "--bank", "中信银行", "--last4", "1234")
    both = ["#1 中信银行 ****4821 citic", "#4 中信银行 ****1234"]
    for lang, exact in (
        ("en", f"'中信' matches several cards: {'; '.join(both)}; use the id, e.g. #1"),
        ("zh", f"'中信' 匹配多张卡：{'；'.join(both)}；请用编号，例如 #1"),
    ):
        r = li_wei("--lang", lang, "pay", "中信", "100", ok=False)
        assert_clean_failure(r, exact=exact)


def test_a_file_the_system_refuses_is_said_in_chinese(li_wei, tmp_path):
    """The operating system words its reasons in English; a Chinese user reads them in
    Chinese: a backup, an attachment, an SMS backup, a rule pack that is not there."""
    gone, folder = tmp_path / "没有.zip", tmp_path / "pack.toml"
    folder.mkdir()
    for args, says in (
        (("restore", gone), f"无法读取 {gone}：没有这个文件或文件夹"),
        (("log", "add", "4821", "--channel", "电话", "--attach", gone),
         f"无法读取附件 '{gone}'（没有这个文件或文件夹）"),
        (("log", "import-sms", gone), f"{gone}：没有这个文件或文件夹"),
        (("--rules", folder, "status"), f"规则包 {folder}：file：这是一个文件夹"),
        (("--db", tmp_path / "new.db", "import", "--json", gone),
         f"无法读取 {gone}：没有这个文件或文件夹"),
        (("visit", "check", "4821", "--answers", gone), f"无法读取 {gone}：没有这个文件或文件夹"),
    ):  # fmt: skip
        r = li_wei("--lang", "zh", *args, ok=False)
        assert_clean_failure(r, says=says)
        assert "No such file" not in r.stderr and "directory" not in r.stderr
    r = li_wei("--lang", "en", "restore", gone, ok=False)
    assert_clean_failure(r, exact=f"cannot read {gone}: No such file or directory")


def test_a_json_file_that_is_not_json_is_said_plainly(li_wei, tmp_path):
    """An export or a visit's answers that cannot be read as JSON: where, in words, not
    Python's `Expecting value: line 1 column 1 (char 0)`; a folder is refused, not read."""
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    new = ("--db", tmp_path / "new.db")
    for args in ((*new, "import", "--json", bad), ("visit", "check", "4821", "--answers", bad)):
        for lang, exact in (
            ("en", f"{bad} is not valid JSON (line 1, column 1)"),
            ("zh", f"{bad} 不是有效的 JSON（第 1 行第 1 列）"),
        ):
            assert_clean_failure(li_wei("--lang", lang, *args, ok=False), exact=exact)
    assert_clean_failure(
        li_wei(*new, "import", "--json", tmp_path, ok=False),
        exact=f"{tmp_path} is not a regular file",
    )


def test_a_date_in_a_chinese_sentence_reads_as_one(li_wei):
    """Tables keep the compact 2026-11-20; a sentence says 2026年11月20日, in what is shown
    and in what is refused."""
    zh = ("--lang", "zh")
    shown = li_wei(*zh, "card", "show", "4821").stdout
    assert "自 2026年8月5日 逾期" in shown
    r = li_wei(*zh, "pay", "4821", "100", "--date", "2026-08-01", ok=False)
    assert_clean_failure(r, says="早于逾期的还款日 2026年8月5日")
    r = li_wei(*zh, "agree", "7730", "--months", "6", "--monthly", "3050", "--first-due",
               "2026-11-01", ok=False)  # fmt: skip
    assert_clean_failure(r, says="早于协议达成的日期（2026年11月23日）")
    done = li_wei(*zh, "agree", "7730", "--months", "6", "--monthly", "3050",
                  "--first-due", "2026-12-12").stdout  # fmt: skip
    assert "首期 2026年12月12日" in done
    paid = li_wei(*zh, "pay", "5511", "9050", "--date", "2026-11-21").stdout
    assert "于 2026年11月21日 结清" in "".join(paid.split("\n"))
    assert "已于 2026年11月21日 结清" in "".join(li_wei(*zh, "stage", "5511").stdout.split("\n"))
    assert "-11-21" not in li_wei(*zh, "stage", "5511").stdout
    assert "（2026年11月21日 结清）" in li_wei(*zh, "card", "show", "5511").stdout
    li_wei(*zh, "card", "add", "--bank", "广发银行", "--last4", "3306")
    for since, said in (
        ("2025-09-15", "自 2025年9月15日 逾期"),
        ("2025-09-16", "已更正逾期记录：自 2025年9月16日"),
    ):
        out = li_wei(*zh, "overdue", "3306", "--since", since, "--amount", "21000", "--force")
        assert said in "".join(out.stdout.split("\n")), out.stdout
    out = li_wei(*zh, "settle", "3306", "--date", "2026-11-03", "--amount", "12000").stdout
    assert "已于 2026年11月3日 结清" in "".join(out.split("\n")), out


def test_a_pack_without_chinese_words_for_a_value_shows_the_value(li_wei, tmp_path):
    """A custom pack may give no Chinese words for a value (law-firm) or a whole kind
    (channel): Chinese output shows the stored value rather than failing."""
    pack = pack_with(tmp_path, ("\nlaw-firm = [", "\nlaw-firm-renamed = ["),
                     ("[words.channel]", "[words.channel_renamed]"))  # fmt: skip
    log_add(li_wei, "4821", "2026-11-12 10:00", "--party", "law-firm")
    out = li_wei("--rules", pack, "--lang", "zh", "timeline", "4821").stdout
    assert "call：来自law-firm" in out


def test_a_file_that_is_no_store_is_said_in_chinese(cli, db_path):
    """--db pointed at some other file: SQLite's own words are English; the refusal is not."""
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database" * 100)
    r = cli("--lang", "zh", "status", ok=False)
    assert_clean_failure(
        r,
        exact=f"无法使用数据文件 {db_path}：不是 SQLite 数据库（可能不是 debtcli 的数据文件，或已损坏）",
    )
    r = cli("status", ok=False)
    assert_clean_failure(r, exact=f"the store {db_path} cannot be used: file is not a database")


def test_a_store_the_system_refuses_is_said_in_chinese(cli, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")  # a file where a folder should be
    r = cli("--lang", "zh", "--db", blocked / "store.db", "card", "add", "--bank", "中信",
            "--last4", "4821", ok=False)  # fmt: skip
    assert_clean_failure(r, says="无法使用数据文件")
    assert "Not a directory" not in r.stderr and "No such file" not in r.stderr


def test_a_network_failure_is_said_in_chinese():
    """What the system says when a timestamp server cannot be reached: refused, no such name,
    timed out, each in Chinese beside the system's own English."""
    import socket

    from debtcli.errors import os_reason

    assert os_reason(ConnectionRefusedError(111, "Connection refused")) == (
        "Connection refused", "连接被拒绝",
    )  # fmt: skip
    assert os_reason(socket.gaierror(-2, "Name or service not known"))[1] == (
        "找不到这个服务器（域名无法解析）"
    )
    assert os_reason(TimeoutError("timed out")) == ("timed out", "超时")


def test_the_chinese_demo_suggests_the_word_people_type(cli, tmp_path):
    """Issue 42: the Chinese demo suggested `facts arrest`, not `facts 抓人`."""
    out = cli("--lang", "zh", "--db", str(tmp_path / "demo.db"), "demo").stdout
    assert "facts 抓人" in out and "facts arrest" not in out
