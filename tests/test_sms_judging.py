"""Imports that judge a real phone as a careful person would (issue 36): collection messages in,
alerts, advertising, greetings and scams out, each proposal with its reason; the card read from
the text; numbers matched however they are spelled; a book that learns only from what a person
confirmed."""

import pytest
from conftest import sms_backup
from sms_cases import messages

from debtcli.phone import judge_sms, number
from debtcli.rules import load_pack

SMS = load_pack("cn").data["phone"]["sms"]
DAY = 1_794_000_000_000  # 2026-11-06, in milliseconds


def backup(tmp_path, *messages):
    return sms_backup(tmp_path, *messages, start_ms=DAY)


def test_our_own_inbox_is_judged_with_precision_and_recall_of_at_least_095():
    """A labelled set of our own (tests/sms_cases.py), kinds the development corpus lacks."""
    judged = [(judge_sms(text, SMS).collection, label) for text, label in messages()]
    assert len(judged) >= 200
    tp = sum(got and label for got, label in judged)
    precision = tp / sum(got for got, _ in judged)
    recall = tp / sum(label for _, label in judged)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_the_whole_own_inbox_through_the_command_proposes_what_the_judge_does(li_wei, tmp_path):
    cases = messages()
    f = backup(tmp_path, *(("13800138000", text) for text, _ in cases))
    proposed = li_wei.json("log", "import-sms", f, "--json")
    wanted = [text for text, label in cases if label]
    assert sorted(p["text"] for p in proposed) == sorted(wanted)


@pytest.mark.parametrize(
    "text",
    [
        "祝你平安，新年快乐！",
        "【平安保险】您的保单即将到期，续保请回复1，退订回T。",
        "周六上门看房可以吗？",
        "【58到家】上门保洁服务明天开始。",
        "【中信银行】您尾号4821的信用卡12月01日消费人民币356.00元。",
        "【中信银行】您尾号4821信用卡本期账单8,200元，最低还款额820元，到期还款日12月25日。",
        "【中信银行】您尾号4821信用卡还款2,000元已入账。",
        "【中信银行】您的信用卡可申请账单分期，手续费低至0.5折，回T退订。",
        "【某某贷】最高20万额度，秒批放款，退订回T。",
    ],
)
def test_alerts_statements_and_advertising_are_not_collection(text):
    """Each of these was logged as collection before (平安, 上门, 分期, 还款, 信用卡, a bank's name)."""
    assert not judge_sms(text, SMS).collection


@pytest.mark.parametrize(
    "text, claim",
    [
        ("你的恶意透支已经在公安备案，准备坐牢吧", "arrest"),
        ("经侦已经介入，明天就来抓人", "arrest"),
        ("老赖，再不处理就公布个人信息", "blacklist"),
        ("我们已经联系你户籍所在地村委会", None),
        ("下周通知单位领导，让大家都知道", "employer"),
        ("法院传票已寄出，你的信用卡欠的钱下周开庭", None),
    ],
)
def test_a_threat_with_no_collection_word_from_an_unknown_number_is_proposed(
    li_wei, tmp_path, text, claim
):
    f = backup(tmp_path, ("+86 177 0000 1144", text))
    (p,) = li_wei.json("log", "import-sms", f, "--json")
    assert p["why"].startswith("threat: ") and p["card"] is None
    assert claim is None or claim in p["claims"]


def test_the_reason_is_in_the_review_table_in_both_languages(li_wei, tmp_path):
    f = backup(tmp_path, ("95558", "【中信银行】您尾号4821的信用卡已逾期30天，请尽快还款。"))
    zh = " ".join(li_wei("--lang", "zh", "log", "import-sms", f, "--dry-run").stdout.split())
    assert "理由" in zh and "已逾期 + 中信银行 + 尾号4821" in zh
    en = " ".join(li_wei("log", "import-sms", f, "--dry-run").stdout.split())
    assert "why" in en and "已逾期 + 中信银行 + ending 4821" in en


def test_the_card_is_read_from_the_text_and_card_never_overrides_it(li_wei, tmp_path):
    f = backup(
        tmp_path,
        ("95558", "【中信银行】您尾号4821的信用卡已逾期，请尽快还款。"),
        ("106980095555", "【招商银行】您的信用卡欠款已逾期，请尽快处理。"),
        ("10690000000", "【浦发银行】您的信用卡已逾期，请尽快还款。"),
        ("13900001111", "你欠的钱再不还就上门催收。"),
    )
    cards = [p["card"] for p in li_wei.json("log", "import-sms", f, "--json")]
    assert cards == ["4821", "7730", None, None]  # 浦发: none of Li Wei's cards
    cards = [p["card"] for p in li_wei.json("log", "import-sms", f, "--json", "--card", "5511")]
    assert cards == ["4821", "7730", None, "5511"]  # --card only where the text names none
    r = li_wei("log", "import-sms", f, "--yes", "--card", "5511")
    assert "Logged 3 entries" in r.stdout and "1 from numbers the book does not know" in r.stdout
    logged = {e["note"][:6]: e["card_id"] for e in li_wei.json("log", "list")}
    assert logged == {"【中信银行】": 1, "【招商银行】": 2, "你欠的钱再不": 3}  # 4821, 7730, 5511


def test_a_card_named_by_its_last_four_at_another_bank_is_not_taken_for_yours(li_wei, tmp_path):
    f = backup(tmp_path, ("95528", "【浦发银行】您尾号4821的信用卡已逾期，请尽快还款。"))
    (p,) = li_wei.json("log", "import-sms", f, "--json", "--card", "4821")
    assert p["card"] is None


@pytest.mark.parametrize(
    "spelled", ["95558", "+8695558", "+86 95558", "0086 95558", "＋８６ ９５５５８", "0086-95558"]
)
def test_a_number_however_spelled_is_the_books(spelled):
    assert number(spelled) == "95558"


def test_mobile_numbers_keep_working():
    assert number("+86 138-1234-5678") == number("8613812345678") == "13812345678"
    assert number("010-12345678") == "01012345678"


def test_a_banks_106_sender_is_its_hotline_in_the_book(li_wei, tmp_path):
    li_wei(
        "numbers", "add", "95558", "--card", "4821", "--party", "bank", "--org", "中信信用卡中心"
    )
    f = backup(tmp_path, ("1065895558", "您的信用卡已逾期，请尽快还款。"))
    (p,) = li_wei.json("log", "import-sms", f, "--json")
    assert p["card"] == "4821" and "中信信用卡中心" in p["who"]


def test_a_reply_to_the_bank_about_the_debt_is_kept_and_other_replies_are_not(li_wei, tmp_path):
    f = backup(
        tmp_path,
        ("95558", "我已申请个性化分期，请回复", 2),
        ("95558", "CXYE", 2),
        ("13900001111", "晚上回家吃饭", 2),
    )
    proposed = li_wei.json("log", "import-sms", f, "--json")
    assert [(p["text"], p["direction"]) for p in proposed] == [
        ("我已申请个性化分期，请回复", "out")
    ]


def test_the_book_learns_from_what_a_person_gave_not_from_a_bulk_import(li_wei, tmp_path):
    """A bulk --yes import must not make a sender known: the next import would take in every
    message from it (its alerts and ads too)."""
    f = backup(tmp_path, ("13512345678", "【某某小贷】您的借款已逾期，请还款。"))
    li_wei("log", "import-sms", f, "--yes", "--card", "7730")
    assert "13512345678" not in {n["number"] for n in li_wei.json("numbers", "list")}
    g = backup(tmp_path, ("13512345678", "【某某小贷】新春福利，最高20万额度，退订回T"))
    assert li_wei.json("log", "import-sms", g, "--json") == []
    li_wei("log", "add", "7730", "--channel", "call", "--phone", "13612345678", "--party", "agency",
           "--org", "某某资产")  # fmt: skip
    book = {n["number"]: n for n in li_wei.json("numbers", "list")}
    assert book["13612345678"]["card"] == "7730" and book["13612345678"]["party"] == "agency"


def test_a_message_from_a_number_the_book_knows_as_an_agency_is_proposed(li_wei, tmp_path):
    li_wei("numbers", "add", "4008123456", "--card", "4821", "--party", "催收公司")
    f = backup(tmp_path, ("400-812-3456", "请今天回电，谢谢"), ("95558", "您的验证码是 123456"))
    (p,) = li_wei.json("log", "import-sms", f, "--json")
    assert p["why"] == "number book: agency" and p["card"] == "4821"


def test_each_import_is_a_run_named_when_it_finishes(li_wei, tmp_path):
    f = backup(tmp_path, ("95558", "【中信银行】您尾号4821的信用卡已逾期，请尽快还款。"))
    assert "as import 1." in li_wei("log", "import-sms", f, "--yes").stdout
    zh = li_wei(
        "--lang", "zh", "log", "import-sms", backup(tmp_path, ("95558", "逾期催收")), "--yes"
    )
    assert "导入批次 2" in zh.stdout


def test_json_of_an_inbox_with_nothing_to_propose_is_an_empty_list(li_wei, tmp_path):
    f = backup(tmp_path, ("13900001111", "周末回家吃饭吗"))
    assert li_wei.json("log", "import-sms", f, "--json") == []


def test_emoji_saved_as_surrogate_references_do_not_refuse_the_backup(li_wei, tmp_path):
    f = tmp_path / "inbox.xml"
    f.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><smses>"
        f'<sms address="95558" date="{DAY}" type="1" body="&#55357;&#56396;您已逾期，请还款" />'
        f'<sms address="95558" date="{DAY + 60_000}" type="1" body="&#xD83D;欠款逾期&#56396;" />'
        "</smses>",
        encoding="utf-8",
    )
    texts = [p["text"] for p in li_wei.json("log", "import-sms", f, "--json")]
    assert texts == ["👌您已逾期，请还款", "\ufffd欠款逾期\ufffd"]


def test_the_text_of_an_mms_is_read(li_wei, tmp_path):
    f = tmp_path / "inbox.xml"
    f.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><smses>"
        f'<mms date="{DAY}" msg_box="1" address="10690000123"><parts>'
        '<part ct="application/smil" text="&lt;smil/&gt;" />'
        '<part ct="image/jpeg" name="seal.jpg" />'
        '<part ct="text/plain" text="律师函：受中信银行委托，请于七日内处理您的信用卡欠款。" />'
        "</parts></mms></smses>",
        encoding="utf-8",
    )
    (p,) = li_wei.json("log", "import-sms", f, "--json")
    assert p["text"].startswith("律师函：受中信银行委托") and p["card"] == "4821"


def test_messages_without_a_date_are_counted_not_lost(li_wei, tmp_path):
    f = tmp_path / "inbox.xml"
    f.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><smses>"
        '<sms address="95558" type="1" body="您已逾期" />'
        '<sms address="95559" date="soon" type="1" body="您已逾期" />'
        f'<sms address="95558" date="{DAY}" type="1" body="您已逾期" />'
        "</smses>",
        encoding="utf-8",
    )
    r = li_wei("log", "import-sms", f, "--dry-run")
    assert "2 messages without a readable date set aside" in " ".join(r.stdout.split())


def test_at_a_terminal_a_real_inbox_is_reviewed_sender_by_sender(li_wei, tmp_path, db_path):
    """One question per sender, whatever the number of its messages: a card for those that name
    none, yes or no for the rest; what the user confirmed teaches the number book."""
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    f = backup(
        tmp_path,
        *[("13512345678", f"你欠的钱第{i}次提醒，再不还就上门催收") for i in range(30)],
        ("95558", "【中信银行】您尾号4821的信用卡已逾期，请尽快还款。"),
        ("95558", "【中信银行】您尾号4821的信用卡欠款已逾期60天。"),
    )
    env = {**os.environ, "DEBTCLI_DB": str(db_path), "DEBTCLI_LANG": "zh", "COLUMNS": "160",
           "DEBTCLI_NO_BACKGROUND": "1"}  # fmt: skip
    child = pexpect.spawn(
        sys.executable, ["-m", "debtcli", "log", "import-sms", str(f)], env=env, timeout=30,
        encoding="utf-8",
    )  # fmt: skip
    child.expect("13512345678：30 条")
    child.expect("是哪张卡")
    child.sendline("7730")
    child.expect("95558：2 条")
    child.expect("记录吗")
    child.sendline("否")
    child.expect("已记录 30 条")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert {e["card_id"] for e in li_wei.json("log", "list", "--all")} == {2}  # 7730, all 30
    book = {n["number"]: n["card"] for n in li_wei.json("numbers", "list")}
    assert book.get("13512345678") == "7730"  # confirmed at the terminal: learned


# --- what a fresh-context attack found (each failed before its fix) --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "【招商银行】您尾号7730信用卡已逾期3天，欠款2,312.00元，如您已还款请忽略。",
        "【中信银行】您尾号4821信用卡已逾期，逾期金额5,000元，可用余额0.00元，请尽快还款。",
        "【中信银行】您尾号4821信用卡已逾期，请登录手机银行APP还款，或下载动卡空间APP查看。",
        "【招商银行】您的信用卡目前处于逾期状态，请尽快处理。拒收请回复R",
        "你已经逾期90天了，经侦那边已经立案，加我QQ 88888 谈还款方案",
        "你已严重逾期，不处理我们就通知你单位和村委会。联系微信或QQ都行",
        "CITIC Bank: your credit card ending 4821 is past due and was referred to a collection agency.",
        "再不还钱，就去你公司闹",
    ],
)
def test_real_overdue_notices_and_threats_are_not_ruled_out_by_a_footer_or_a_word(text):
    assert judge_sms(text, SMS).collection, judge_sms(text, SMS)


@pytest.mark.parametrize(
    "text",
    [
        "你家人还好吧？好久没见了",
        "我父母还在老家，过年回去",
        "【幸福里社区居委会】明天上午9点至12点小区停水，请提前储水。",
        "【社保中心】请联系单位人事部门办理社保转移。",
        "【派出所】请携带身份证到户籍所在地派出所办理换证。",
        "【中国电信】您的宽带已欠费，工程师将上门拆机回收光猫。",
        "您的信用卡已逾期，征信将受影响，加QQ 123456 办理逾期消除，可修复征信。",
        "快递拖了三天才到，气死了",
    ],
)
def test_a_word_that_means_something_else_here_lets_nothing_in(text):
    assert not judge_sms(text, SMS).collection, judge_sms(text, SMS)


def test_a_saved_contacts_message_is_personal_unless_the_name_is_a_creditors():
    said = "听说你信用卡逾期了？要不要我先借你点"
    assert judge_sms(said, SMS).collection  # from a stranger it may be a collector
    assert not judge_sms(said, SMS, contact="老王").collection
    assert judge_sms(said, SMS, contact="中信信用卡中心").collection
    assert judge_sms("再不还就通知你单位", SMS, contact="老王").collection  # a threat stands


def test_your_own_messages_to_anyone_but_a_creditor_are_personal(li_wei, tmp_path):
    f = backup(tmp_path, ("13812345678", "最近被催收搞得好烦，信用卡欠款还不上了", 2))
    assert li_wei.json("log", "import-sms", f, "--json") == []


@pytest.mark.parametrize(
    "text, card",
    [
        ("浦发信用卡尾号4821已逾期，请尽快还款", None),  # 浦发: not Li Wei's 4821 at 中信
        ("SPDB card ending 4821 is overdue, please repay.", None),
        ("平安信用卡尾号4821严重逾期，请处理", None),
        ("CMB信用卡已逾期", "7730"),
        ("China Merchants Bank: your credit card is overdue.", "7730"),
        ("中信的卡已逾期，请尽快还款", "4821"),
        ("【中信银行】您卡号6225****4821的信用卡已逾期", "4821"),
        ("您的信用卡账户5511元已逾期", None),  # an amount, not a card
        ("【工商银行】您的信用卡2025年10月账单已逾期", "5511"),  # a year, not a card
    ],
)
def test_the_bank_and_card_a_message_names_are_read_as_a_person_reads_them(
    li_wei, tmp_path, text, card
):
    f = backup(tmp_path, ("13500007777", text))
    (p,) = li_wei.json("log", "import-sms", f, "--json", "--card", "5511" if card else "4821")
    assert p["card"] == (card or (None if "尾号" in text or "ending" in text else "4821"))


def test_a_surrogate_pair_cut_by_a_chunk_boundary_is_still_one_character():
    from debtcli.phone import _whole_refs

    whole = b"".join(_whole_refs(iter([b'<sms body="a&#55357;&#56', b'396;b" />'])))
    assert whole == b'<sms body="a&#128076;b" />'
    assert b"".join(_whole_refs(iter([b"&#0055357;&#056396;"]))) == b"&#128076;"


def test_an_mms_text_part_with_a_charset_is_read(li_wei, tmp_path):
    f = tmp_path / "inbox.xml"
    f.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><smses>"
        f'<mms date="{DAY}" msg_box="1" address="10690000123"><parts>'
        '<part ct="TEXT/PLAIN;charset=utf-8" text="律师函：您拖欠中信银行信用卡欠款，请于七日内处理。" />'
        "</parts></mms></smses>",
        encoding="utf-8",
    )
    (p,) = li_wei.json("log", "import-sms", f, "--json")
    assert p["text"].startswith("律师函")


def test_undated_messages_are_said_on_stderr_beside_json(li_wei, tmp_path):
    f = tmp_path / "inbox.xml"
    f.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><smses>"
        '<sms address="95558" type="1" body="您已逾期" /></smses>',
        encoding="utf-8",
    )
    r = li_wei("log", "import-sms", f, "--json")
    assert r.stdout.strip() == "[]" and "without a readable date" in r.stderr


def test_a_correction_of_a_bulk_imported_entry_teaches_the_book(li_wei, tmp_path):
    f = backup(tmp_path, ("13512345678", "【某某小贷】您的借款已逾期，请还款。"))
    li_wei("log", "import-sms", f, "--yes", "--card", "7730")
    li_wei("log", "amend", "1", "--party", "agency", "--org", "某某资产")
    book = {n["number"]: n for n in li_wei.json("numbers", "list")}
    assert book["13512345678"]["party"] == "agency"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_dry_run_sets_aside_what_yes_sets_aside_and_counts_the_same(li_wei, tmp_path, lang):
    """A message dated 1970 passed --dry-run and was then set aside by --yes."""
    f = tmp_path / "inbox.xml"
    f.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><smses>"
        '<sms address="95558" date="1000" type="1" body="【中信银行】您的信用卡已逾期" />'
        f'<sms address="95558" date="{DAY}" type="1" body="【中信银行】您的信用卡已逾期" />'
        "</smses>",
        encoding="utf-8",
    )
    dry = " ".join(li_wei("--lang", lang, "log", "import-sms", f, "--dry-run").stdout.split())
    yes = " ".join(li_wei("--lang", lang, "log", "import-sms", f, "--yes").stdout.split())
    said = {"en": ("Set aside, not logged: 95558", "1 would be logged", "Logged 1 entries"),
            "zh": ("已搁置，未记录：95558", "将记录 1 条", "已记录 1 条")}[lang]  # fmt: skip
    assert said[0] in dry and said[1] in dry
    assert said[0] in yes and said[2] in yes
