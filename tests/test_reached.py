"""Only what reached the cardholder counts (issue 37, facts §12): a missed call, or a call or
letter to a family member, neither restarts the limitation period nor shows a stage; a message
to the cardholder's own number does, read or not."""

import pytest
from conftest import assert_clean_failure, log_add


@pytest.fixture
def old_debt(cli):
    """A card overdue since 2021-01-05: time-barred by the records on 2024-01-05."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2021-01-05", "--amount", "20000")
    return cli


def _limitation(cli):
    risks = {r["key"]: r for r in cli.json("stage", "4821")["risks"]}
    return risks["limitation"]


@pytest.mark.parametrize(
    "how",
    [
        ("--channel", "call", "--party", "bank", "--missed"),
        ("--channel", "call", "--party", "bank", "--contacted", "family"),
        ("--channel", "letter", "--party", "agency", "--contacted", "母亲"),
        ("--channel", "call", "--party", "agency", "--direction", "unknown"),
    ],
)
def test_a_contact_that_did_not_reach_the_cardholder_restarts_nothing(old_debt, how):
    before = _limitation(old_debt)
    log_add(old_debt, "4821", "2023-12-20 10:00", *how[2:], channel=how[1])
    after = _limitation(old_debt)
    assert after == before and after["expired"], after
    assert old_debt.json("stage", "4821")["stage_by_evidence"] is None


@pytest.mark.parametrize(
    "how",
    [
        ("--channel", "call", "--party", "bank"),
        ("--channel", "sms", "--party", "bank"),
        ("--channel", "letter", "--party", "agency"),
    ],
)
def test_a_demand_that_reached_the_cardholder_restarts_the_period(old_debt, how):
    log_add(old_debt, "4821", "2023-12-20 10:00", *how[2:], channel=how[1])
    after = _limitation(old_debt)
    assert after["restarted_on"] == "2023-12-20" and after["runs_until"] == "2026-12-20"


def test_the_waiver_warning_says_what_facts_12_says_everywhere_it_is_printed(old_debt):
    """Only a signature showing agreement to pay waives the defence after expiry; a receipt
    marked 仅确认收到 does not (2020 时效规定 第十九条第三款). It said that signing for any
    collection notice did, contradicting the pack's own time-bar text."""
    for lang, right, wrong in (
        ("zh", "只写“仅确认收到，不代表认可金额”并签收的不会", "签收催收通知，会放弃"),
        ("en", "does not (SPC Provisions on limitation (2020), Art. 19(3))", "signing a collection notice after"),
    ):  # fmt: skip
        plan = " ".join(
            old_debt(
                "--lang", lang, "plan", "--income", "9000", "--expenses", "6000"
            ).stdout.split()
        )
        stage = " ".join(old_debt("--lang", lang, "stage", "4821").stdout.split())
        for said in (plan, stage):
            assert right in said and wrong not in said


def test_no_criminal_countdown_while_an_agreement_is_kept(cli, tmp_path):
    """An agency call after the agreement counted as an effective notice, and `stage`,
    `timeline` and `calendar` counted down to 恶意透支 while the cardholder paid as agreed."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2026-08-05", "--amount", "62400", "--principal", "58000")
    for at in ("2026-09-01 10:00", "2026-10-05 10:00"):
        log_add(cli, "4821", at, "--party", "agency")
    mo = {r["key"]: r for r in cli.json("stage", "4821")["risks"]}["malicious-overdraft"]
    assert mo["exposure_date"] == "2027-01-06" and mo["effective_notices"] == 2
    cli("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due", "2026-11-15",
        "--date", "2026-11-01")  # fmt: skip
    cli("pay", "4821", "1040", "--date", "2026-11-15")
    log_add(cli, "4821", "2026-11-20 10:00", "--party", "agency")  # after the agreement
    s = cli.json("stage", "4821")
    mo = {r["key"]: r for r in s["risks"]}["malicious-overdraft"]
    assert mo["under_agreement"] == "2026-11-01" and mo["exposure_date"] is None
    assert mo["effective_notices"] == 2 and s["risk"] == "agreement"
    table = " ".join(cli("--lang", "zh", "status").stdout.split())
    assert "按协议还款中" in table and "本金 ≥" not in table and "风险：" not in table
    assert "after-agreement" in {v["rule"] for v in cli.json("violations")}
    zh = " ".join(cli("--lang", "zh", "stage", "4821").stdout.split())
    assert "你正在按" in zh and "恶意透支的时间条件就不计算" in zh
    later = ("--today", "2026-12-20")  # the date the countdown ran to, 2027-01-06, still ahead
    cli(*later, "pay", "4821", "1040", "--date", "2026-12-15")
    assert "全部届满" not in cli(*later, "--lang", "zh", "timeline", "4821", "--all").stdout
    ics = tmp_path / "c.ics"
    cli(*later, "--lang", "zh", "calendar", "--card", "4821", "-o", ics)
    assert "恶意透支" not in ics.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "payee, flagged",
    [
        ("支付宝", False),
        ("支付宝信用卡还款", False),
        ("微信", False),
        ("云闪付", False),
        ("中信银行手机银行", False),
        ("动卡空间", False),
        ("中信的卡，柜台还款", False),
        ("支付宝转账给张三", True),
        ("张三 6222021234567890123", True),
        ("某某资产管理有限公司对公账户", True),
        ("他发来的收款码", True),
        ("平安保险", True),  # 平安 names no bank alone
        ("CITICPay Trading", True),
        # what a fresh-context attack tried (each was wrong before its fix)
        ("支付宝 13800138000", True),
        ("支付宝账号 zhangsan@163.com", True),
        ("微信 李四", True),
        ("云闪付 王五", True),
        ("Alipay account of Mr Zhang", True),
        ("WeChat Pay to Zhang Wei", True),
        ("CITIC Asset Management Co., Ltd.", True),
        ("中信银行 对私账户", True),
        ("中信信用卡中心 李经理", True),
        ("personal account at China CITIC Bank", True),
        ("中信银行 张三的卡", True),
        ("中信银行 6217 0000 1111 2222", True),
        ("中信银行个人网银还款", False),
        ("中信银行个人手机银行", False),
        ("户名：中信银行股份有限公司信用卡中心", False),
        ("微信还款", False),
    ],
)
def test_paying_your_own_card_through_a_wallet_is_no_red_flag_a_person_is(li_wei, payee, flagged):
    """Facts §12: 支付宝/微信/云闪付 or the bank's app pay your own card; the red flag is a
    payee that is not the bank. Only the exact words 信用卡还款 were exempt before."""
    log_add(li_wei, "4821", "2026-11-20 10:00", "--party", "agency", "--pay-to", payee)
    rules = {v["rule"] for v in li_wei.json("violations")}
    assert ("pay-to-personal" in rules) == flagged, payee


@pytest.mark.parametrize("kind", ["stop-third-party", "complaint", "credit-dispute"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_letter_on_a_possibly_time_barred_debt_promises_no_payment(
    old_debt, tmp_path, kind, lang
):
    """The stop-third-party letter said 本人承诺…并只通过贵行官方账户或渠道还款 on a debt time-barred
    by the records: after expiry any written promise to pay forfeits the defence (民法典 192(2))."""
    log_add(old_debt, "4821", "2023-11-20 22:40", "--party", "agency", "--contacted", "family")
    out = tmp_path / f"{kind}.{lang}.md"
    extra = ("--reason", "wrong amount") if kind == "credit-dispute" else ()
    old_debt("--lang", lang, "letter", "make", kind, "4821", "--name", "李伟", "--phone",
             "13800138000", "-o", out, *extra)  # fmt: skip
    text = "".join(out.read_text(encoding="utf-8").split())
    for promise in ("还款", "repay", "willpay", "pay only"):
        assert promise not in text.replace("不还款", ""), (promise, text[:400])


def test_the_pack_refuses_a_promise_in_a_letter_written_on_time_barred_debts(tmp_path, cli):
    from conftest import pack_with

    pack = pack_with(
        tmp_path,
        ('title_en = "Request for a personalised installment plan"\nacknowledges = true',
         'title_en = "Request for a personalised installment plan"\nacknowledges = false'),
    )  # fmt: skip
    r = cli("--rules", pack, "facts", ok=False)
    assert r.exit_code == 2 and "promises to pay" in r.stderr and "192(2)" in r.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_complaint_to_the_regulator_is_not_the_bank_complaint_readdressed(li_wei, lang):
    """Facts §12: a complaint to NFRA/12378 asks the regulator to investigate and order the
    bank to stop; the bank's 15-day answering duty belongs to the letter to the bank."""
    from conftest import log_late_call

    log_late_call(li_wei)
    common = ("--lang", lang, "letter", "make", "complaint", "4821", "--name", "李伟", "--phone",
              "138")  # fmt: skip
    to_bank = "".join(li_wei(*common).stdout.split())
    to_regulator = "".join(li_wei(*common, "--to", "regulator").stdout.split())
    answer = {"zh": "日内书面答复处理结果", "en": "inwritingwithin15days"}[lang]
    asks = {"zh": ("责令其停止违规催收并予以纠正", "将调查处理结果告知本人"),
            "en": ("Toorderthemtostopandtocorrectthem", "Totellmetheresult")}[lang]  # fmt: skip
    assert answer in to_bank and answer not in to_regulator
    assert all(a in to_regulator for a in asks) and not any(a in to_bank for a in asks)


def test_the_months_an_agreement_was_kept_do_not_count_toward_the_three_months(cli):
    """A broken agreement: stage said 'more than 3 months after' passed on a day inside the kept
    term, when the same tool had said no time condition runs while it is kept."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2025-08-05", "--amount", "110000", "--principal", "100000")
    log_add(cli, "4821", "2025-09-10 10:00", "--party", "agency")
    log_add(cli, "4821", "2025-10-20 10:00", "--party", "agency", channel="visit")
    cli("agree", "4821", "--months", "22", "--monthly", "5000", "--first-due", "2025-12-15",
        "--date", "2025-11-15", "--force")  # fmt: skip
    for paid in ("2025-12-15", "2026-01-15"):
        cli("pay", "4821", "5000", "--date", paid)
    s = cli.json("--today", "2026-03-20", "stage", "4821")
    mo = {r["key"]: r for r in s["risks"]}["malicious-overdraft"]
    assert s["agreement_status"] == "broken" and mo["second_notice"] == "2025-10-20"
    # 2025-10-20 + 3 months = 2026-01-21, plus the kept term 2025-11-16…2026-02-18 (95 days)
    assert mo["exposure_date"] == "2026-04-26"


def test_a_promise_typed_or_quoted_into_a_letter_on_a_time_barred_debt_is_refused(
    old_debt, tmp_path
):
    """The templates were clean, but a reason typed for a credit dispute, or a logged note a
    complaint quotes, put "本人承诺按期还款" into a letter on a time-barred debt."""
    out = tmp_path / "d.md"
    base = (
        "letter",
        "make",
        "credit-dispute",
        "4821",
        "--name",
        "李伟",
        "--phone",
        "138",
        "-o",
        out,
    )
    r = old_debt(*base, "--reason", "本人承诺按期还款，但逾期天数有误", ok=False)
    assert_clean_failure(r, says="gives up that defence")
    assert not out.exists()
    old_debt(*base, "--reason", "逾期天数记录有误")  # no promise: written
    log_add(old_debt, "4821", "2023-11-20 23:30", "--party", "agency", "--note", "我说我会尽快还清")
    r = old_debt(
        "letter", "make", "complaint", "4821", "--name", "李伟", "--phone", "138", ok=False
    )
    assert_clean_failure(r, says="会尽快还清")
    assert "我会尽快还清" in old_debt("letter", "make", "complaint", "4821", "--name", "李伟",
                                 "--phone", "138", "--force").stdout  # fmt: skip


@pytest.mark.parametrize(
    "line",
    ["本人只会通过官方渠道还款", "本人愿意分期还清欠款", "本人保 证还款", "I'll repay the full balance.",
     "I agree to pay the debt.", "I shall repay it."],
)  # fmt: skip
def test_a_users_template_that_promises_is_refused_including_what_it_includes(cli, line, tmp_path):
    from conftest import pack_with

    from debtcli.store import config_dir

    cli("letter", "template", "stop-third-party")
    mine = config_dir() / "templates" / "letters" / "stop-third-party.zh.md.j2"
    (mine.parent / "extra.j2").write_text(line, encoding="utf-8")
    mine.write_text(
        mine.read_text(encoding="utf-8") + '\n{% include "letters/extra.j2" %}\n', encoding="utf-8"
    )
    r = cli("--rules", pack_with(tmp_path), "facts", ok=False)  # a pack read afresh
    assert r.exit_code == 2 and "promises to pay" in r.stderr


def test_plan_does_not_send_a_time_barred_card_to_an_installment_letter(old_debt):
    said = " ".join(
        old_debt("--lang", "zh", "plan", "--income", "9000", "--expenses", "6000").stdout.split()
    )
    assert "诉讼时效可能已于" in said and "请先咨询法律援助（12348）" in said
    assert "下一步：debtcli letter make installment" not in said


def test_each_claim_is_named_as_what_it_is(li_wei, monkeypatch):
    """Every claim carried the same "例如捏造的‘黑名单’" label, and "your family must pay" was
    called exaggerated where the law makes it false."""
    monkeypatch.setenv("COLUMNS", "400")  # no row wrapped
    said = log_add(li_wei, "4821", "2026-11-10 12:40", "--party", "agency", "--claim", "家人还",
                   "--claim", "孩子上学", before=("--lang", "zh")).stdout  # fmt: skip
    assert "称“你的家人必须替你还”——与法律规定不符" in said
    table = "".join(li_wei("--lang", "zh", "violations").stdout.replace("│", "").split())
    assert "称“你的家人必须替你还”——与法律规定不符" in table
    assert "称“你的孩子不能上学/不能考公务员”——可能夸大了后果" in table
    assert "例如捏造的" not in table
    letter = li_wei("--lang", "zh", "letter", "make", "complaint", "4821", "--name", "李伟",
                    "--phone", "138").stdout  # fmt: skip
    assert "称“你的家人必须替你还”——与法律规定不符" in letter


def test_an_installment_within_its_grace_is_late_and_a_broken_agreement_says_broken(li_wei):
    """During an installment's grace days status said 即将到期 for one already late, and it said
    the agreement "可能" lapses where stage said it had broken; a settled card kept printing
    its installment warnings."""
    li_wei("agree", "4821", "--months", "12", "--monthly", "5200", "--first-due", "2026-11-20",
           "--date", "2026-11-01")  # fmt: skip
    late = "".join(li_wei("--lang", "zh", "--today", "2026-11-22", "status").stdout.split())
    assert "已逾期2天（宽限至" in late and "即将到期" not in late
    broken = "".join(li_wei("--lang", "zh", "--today", "2026-12-10", "status").stdout.split())
    assert "协议已于" in broken and "违约" in broken and "可能导致协议失效" not in broken
    assert li_wei.json("--today", "2026-12-10", "stage", "4821")["agreement_status"] == "broken"
    li_wei("settle", "4821", "--date", "2026-11-23", "--amount", "30000")
    after = "".join(li_wei("--lang", "zh", "--today", "2026-12-10", "status").stdout.split())
    assert "协议已于" not in after and "/12期" not in after  # settled: no installment notes


def test_the_due_soon_window_is_the_packs(li_wei, tmp_path):
    from conftest import pack_with

    li_wei("agree", "4821", "--months", "12", "--monthly", "5200", "--first-due", "2026-12-20",
           "--date", "2026-11-01")  # fmt: skip
    rules = ("--rules", pack_with(tmp_path, ("due_soon_days = 7", "due_soon_days = 30")))
    assert "Soon:" not in li_wei("--today", "2026-11-23", "status").stdout  # 27 days: not 7
    assert "Soon:" in li_wei(*rules, "--today", "2026-11-23", "status").stdout


def test_stage_on_an_earlier_today_does_not_count_a_later_contact(old_debt):
    """`--today` asks where the card stood then: a call logged after that day restarted the
    limitation period and counted as a notice in that earlier view."""
    log_add(old_debt, "4821", "2025-12-01 10:00", "--party", "agency")
    then = {r["key"]: r for r in old_debt.json("--today", "2025-06-01", "stage", "4821")["risks"]}
    assert then["limitation"]["restarted_on"] == "2021-01-05"
    assert then["malicious-overdraft"]["effective_notices"] == 0
    now = {r["key"]: r for r in old_debt.json("stage", "4821")["risks"]}
    assert now["limitation"]["restarted_on"] == "2025-12-01"
