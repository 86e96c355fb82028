"""Letters a bank officer would accept and that never hurt the sender (issue 15)."""

import os
import re
import shutil
from datetime import date

import pytest
from conftest import assert_clean_failure, log_add, pack_with, printed_pages, store_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from debtcli.money import chinese_upper

PROFILE = ["--name", "李伟", "--phone", "138 0000 0000", "--address", "深圳市南山区"]


def letter(cli, *args, lang="zh", ok=True):
    return cli("--lang", lang, "letter", "make", *args, *PROFILE, ok=ok)


@pytest.mark.parametrize(
    ("fen", "upper"),
    [
        (6_040_000, "陆万零肆佰元整"),
        (104_000, "壹仟零肆拾元整"),
        (10_000_005, "壹拾万元零伍分"),
        (150, "壹元伍角"),
        (0, "零元整"),
        (1_230_405_060, "壹仟贰佰叁拾万肆仟零伍拾元陆角"),
        (101_100, "壹仟零壹拾壹元整"),  # one 零 for a run of zeros, then none
        (1_100_000, "壹万壹仟元整"),  # a full thousand after 万: no 零
        (1_010_000, "壹万零壹佰元整"),
        (1_000_000_100, "壹仟万零壹元整"),
        (5, "伍分"),
        (10_000_000_000, "壹亿元整"),  # the largest amount debtcli takes: a third group
    ],
)
def test_amounts_in_capitals(fen, upper):
    assert chinese_upper(fen) == upper


def test_the_chinese_form(li_wei):
    text = letter(li_wei, "installment", "4821", "--months", "60", "--hardship", "job-loss").stdout
    order = [
        "# 个性化分期还款申请",
        "中信银行信用卡中心：",
        "申请人：李伟",
        "身份证号码：____",
        "信用卡卡号：____",
        "## 申请事项",
        "1. ",
        "## 事实与理由",
        "## 附件清单",
        "解除劳动合同证明或失业登记证明",
        "## 承诺",
        "不再向任何银行申请信用卡",
        "此致",
        "敬礼",
        "申请人（签字）：",
        "2026年11月23日",
    ]
    positions = [text.index(s) for s in order[:-1]] + [text.rindex(order[-1])]
    assert positions == sorted(positions)
    assert "人民币 62,400.00 元（大写：陆万贰仟肆佰元整）" in text
    assert "金额以贵行核实为准；对利息、违约金的计算保留异议" in text


def test_english_is_a_reference_translation_with_english_bank_names(li_wei):
    text = letter(li_wei, "installment", "4821", "--months", "60", lang="en").stdout
    assert text.startswith("*Reference translation of the Chinese letter")
    assert "China CITIC Bank" in text and "中信银行" not in text


def test_a_promise_above_the_budget_is_refused_and_the_budget_stays_private(li_wei, db_path):
    budget = ("installment", "4821", "--income", "9000", "--expenses", "6000")
    before = store_digest(db_path)
    r = letter(li_wei, *budget, "--months", "6", ok=False)
    assert_clean_failure(r, says="--force")
    assert store_digest(db_path) == before
    forced = letter(li_wei, *budget, "--months", "6", "--force").stdout
    assert "能够持续负担" not in forced
    fair = letter(li_wei, *budget).stdout
    assert "能够持续负担" in fair
    assert "招商银行" in fair and "工商银行" in fair  # the other debts the budget covers
    for whole_budget in ("9,000.00", "6,000.00", "3,000.00"):
        assert whole_budget not in fair and whole_budget not in forced


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(hs.integers(1000, 30000), hs.integers(0, 20000), hs.integers(1, 60))
def test_property_no_letter_promises_more_than_the_budget_leaves_for_the_card(
    li_wei, db_path, income, expenses, months
):
    """Whatever the budget and the term: either the letter is refused, or the installment it
    proposes fits what the budget leaves for this card."""
    from debtcli.errors import BadInput
    from debtcli.letters import budget_share, build_context
    from debtcli.rules import load_pack
    from debtcli.store import list_cards, open_store

    pack, s = load_pack("cn"), open_store(db_path)
    try:
        card = next(c for c in list_cards(s) if c["last4"] == "4821")
        budget = {
            "income": income * 100,
            "expenses": expenses * 100,
            "available": max(0, income - expenses) * 100,
        }
        try:
            ctx = build_context(
                s,
                pack,
                card,
                "installment",
                "zh",
                date(2026, 11, 23),
                {"months": months, "budget": budget},
                {"name": "x"},
            )
        except BadInput:
            return
        share = budget_share(s, pack, card, budget["available"], date(2026, 11, 23)).monthly
        monthly = (
            int(
                re.search(r"人民币 ([\d,]+)\.(\d\d) 元", ctx["plan"]["monthly"])
                .group(1)
                .replace(",", "")
            )
            * 100
        )
        assert monthly <= share and ctx["sustainable"]
    finally:
        s.close()


def test_a_time_barred_debt_gets_no_acknowledgement_without_force(cli):
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2021-03-01", "--amount", "5000")
    r = letter(cli, "installment", "7730", "--months", "10", ok=False)
    assert_clean_failure(r, says="12348")
    assert "第一百九十二条" in r.stderr
    assert "第七十条" in letter(cli, "installment", "7730", "--months", "10", "--force").stdout


def test_a_complaint_tells_what_happened(li_wei, tmp_path):
    rec = tmp_path / "mother-2240.m4a"
    rec.write_bytes(b"\x00\x00\x00 ftypM4A the call to my mother")
    import hashlib

    digest = hashlib.sha256(rec.read_bytes()).hexdigest()
    log_add(
        li_wei,
        "4821",
        "2026-11-10 22:40",
        "--party",
        "agency",
        "--org",
        "某某资产管理有限公司",
        "--agent",
        "张经理",
        "--contacted",
        "family",
        "--note",
        "深夜打给我母亲，告诉她我欠钱",
        "--flag",
        "threat",
        "--attach",
        str(rec),
    )
    text = letter(li_wei, "complaint", "4821").stdout
    for part in (
        "2026年11月10日 22:40",
        "母亲",
        "深夜打给我母亲，告诉她我欠钱",
        digest,
        "mother-2240.m4a",
        "威胁恐吓",
        "张经理",
        "我的家人",
    ):
        assert part in text, part
    assert "暴力" not in text and "贵行持卡人" not in text.replace("贵行信用卡", "")
    assert text.count("第六十八条") <= 2
    assert "15 日内书面答复" in text and "保存本人被催收的通话录音" in text
    reg = letter(li_wei, "complaint", "4821", "--to", "regulator").stdout
    assert "国家金融监督管理总局：" in reg and "贵行" not in reg
    en = letter(li_wei, "complaint", "4821", lang="en").stdout
    assert "threats and intimidation" in en and "violence" not in en


def test_documents_never_overwrite_or_pretend(li_wei, tmp_path):
    out = tmp_path / "中信.docx"
    letter(li_wei, "installment", "4821", "--months", "60", "-o", str(out))
    before = out.read_bytes()
    r = letter(li_wei, "installment", "4821", "--months", "30", "-o", str(out), ok=False)
    assert_clean_failure(r, says="--force")
    assert out.read_bytes() == before
    letter(li_wei, "installment", "4821", "--months", "30", "-o", str(out), "--force")
    assert out.read_bytes() != before
    pdf = letter(
        li_wei, "installment", "4821", "--months", "60", "-o", str(tmp_path / "x.pdf"), ok=False
    )
    assert_clean_failure(pdf, says="PDF")
    assert not (tmp_path / "x.pdf").exists()


def test_docx_is_a4(li_wei, tmp_path):
    from docx import Document

    for args in (
        ["letter", "make", "installment", "4821", "--months", "60", *PROFILE],
        ["visit", "checklist", "4821"],
    ):
        out = tmp_path / f"{args[0]}.docx"
        li_wei(*args, "-o", str(out))
        section = Document(str(out)).sections[0]
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_warnings_and_the_disclaimer_once_on_stderr(li_wei):
    r = letter(li_wei, "installment", "4821", "--months", "60")
    assert r.stderr.count("不构成法律意见") == 1 and "不构成法律意见" not in r.stdout
    assert "不向任何银行申请新的信用卡" in r.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("DEBTCLI_REQUIRE_BROWSER"),
    reason="no Chromium on this machine (.ci/run installs it)",
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_door_checklist_prints_on_one_a4_page(li_wei, tmp_path, lang):
    assert CHROMIUM, "DEBTCLI_REQUIRE_BROWSER is set but Chromium is missing"
    html = tmp_path / "door.html"
    li_wei("--lang", lang, "visit", "checklist", "4821", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert "110" in page and "96110" in page and "95558" in page and "debtcli visit" not in page
    assert printed_pages(html, tmp_path) == 1


def test_the_help_lines_a_letter_cites_are_the_packs(cli, tmp_path):
    """A hotline number in a letter or a refusal comes from the pack's [[help_lines]], like
    every other figure; a pack without the line is refused in one line."""
    pack = pack_with(tmp_path, ('number = "12348"', 'number = "12348-1"'),
                     ('number = "12378"', 'number = "12378-1"'))  # fmt: skip
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2021-03-01", "--amount", "5000")
    r = cli("--rules", pack, "--lang", "zh", "letter", "make", "installment", "7730",
            "--months", "10", *PROFILE, ok=False)  # fmt: skip
    assert_clean_failure(r, says="请先咨询法律援助（12348-1）")
    assert "可能已于 2024年3月1日 届满" in r.stderr  # a date in a Chinese sentence reads as one
    log_add(cli, "7730", "2026-11-10 22:40", "--party", "agency")  # a complaint needs a breach
    cli("--rules", pack, "--lang", "en", "letter", "make", "complaint", "7730", "--to",
        "regulator", "--record", *PROFILE)  # fmt: skip
    sent = cli.json("log", "list", "7730")[-1]
    assert (
        sent["org"] == "National Financial Regulatory Administration (consumer complaints, 12378-1)"
    )
    (tmp_path / "other").mkdir()  # a pack is read once per path
    gone = pack_with(tmp_path / "other", ('short_en = "police"', 'short_en = "the police"'))
    r = cli("--rules", gone, "letter", "make", "complaint", "7730", *PROFILE, ok=False)
    assert_clean_failure(r, says="the rule pack has no help line 'police'")
    r = cli("--rules", gone, "--lang", "zh", "letter", "make", "complaint", "7730", *PROFILE,
            ok=False)  # fmt: skip
    assert_clean_failure(r, says="规则包没有求助电话 'police'")


@pytest.mark.parametrize(
    ("lang", "when"), [("en", "10 November 2026 22:40"), ("zh", "2026年11月10日 22:40")]
)
def test_every_letter_states_a_contacts_time_the_same_way(li_wei, lang, when):
    """A complaint and a request to stop contacting third parties list the same call: at the
    same time, in the letter's own form (not 2026-11-10 22:40 in one of them)."""
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--contacted", "family")
    for kind in ("complaint", "stop-third-party"):
        text = letter(li_wei, kind, "4821", lang=lang).stdout
        assert when in text, kind
        assert "2026-11-10" not in text, kind


def test_a_docx_letter_says_what_it_is_and_nothing_of_the_library(li_wei, tmp_path):
    """Issue 42: the .docx said its author was "python-docx", "generated by python-docx",
    created 2013-12-23, language en-US; and its signature fell alone onto page 2."""
    from datetime import UTC, datetime

    from docx import Document

    out = tmp_path / "中信.docx"
    li_wei("--lang", "zh", "letter", "make", "installment", "4821", "--name", "李伟", "--phone",
           "138", "--months", "60", "-o", out)  # fmt: skip
    doc = Document(str(out))
    p = doc.core_properties
    assert (p.title, p.author, p.comments, p.language) == ("个性化分期还款申请", "", "", "zh-CN")
    made = p.created.replace(tzinfo=None)
    assert abs((datetime.now(UTC).replace(tzinfo=None) - made).total_seconds()) < 600
    assert all(q.paragraph_format.keep_with_next for q in doc.paragraphs[-4:-1])
