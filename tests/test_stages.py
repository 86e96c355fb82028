"""The stage engine and legal indicators: tables, properties and boundaries."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import assert_clean_failure, log_add, pack_with
from hypothesis import given, settings
from hypothesis import strategies as st

from debtcli.rules import PACKS_DIR, STAGE_KEYS, load_pack
from debtcli.stages import assess, malicious_overdraft, stage_by_days

PACK = load_pack("cn")
SINCE = date(2026, 8, 5)


@pytest.mark.parametrize(
    ("days", "stage"),
    [
        (0, None),
        (1, "grace"),
        (3, "grace"),
        (4, "reminder"),
        (30, "reminder"),
        (31, "phone"),
        (60, "phone"),
        (61, "letter"),
        (90, "letter"),
        (91, "agency"),
        (120, "agency"),
        (121, "visit"),
        (180, "visit"),
        (181, "litigation"),
        (2000, "litigation"),
    ],
)
def test_default_table(days, stage):
    assert stage_by_days(days, PACK.start_days(None)) == stage


def _custom_pack(tmp_path: Path, replace: tuple[str, str]) -> Path:
    text = (PACKS_DIR / "cn.toml").read_text(encoding="utf-8")
    assert replace[0] in text
    path = tmp_path / "custom.toml"
    path.write_text(text.replace(*replace, 1), encoding="utf-8")
    return path


def test_bank_profile_overrides_start_days(tmp_path):
    path = _custom_pack(
        tmp_path,
        (
            "[bank_profiles.bocom.start_days]\nreminder = 4",
            "[bank_profiles.bocom.start_days]\nreminder = 6\nagency = 75",
        ),
    )
    pack = load_pack(str(path))
    table = {3: "grace", 5: "grace", 6: "reminder", 74: "letter", 75: "agency", 91: "agency"}
    for days, stage in table.items():
        assert stage_by_days(days, pack.start_days("交通银行信用卡")) == stage
    assert stage_by_days(5, pack.start_days("中信银行")) == "reminder"


def test_the_criminal_reading_waits_for_the_cards_own_grace_period(cli, tmp_path):
    """A bank whose grace lasts longer: no talk of 恶意透支 until that bank's grace is over."""
    rules = (
        "--rules",
        str(
            pack_with(
                tmp_path,
                (
                    "[bank_profiles.bocom.start_days]\nreminder = 4",
                    "[bank_profiles.bocom.start_days]\nreminder = 6",
                ),
            )
        ),
    )
    cli("card", "add", "--bank", "交通银行", "--last4", "6001")
    cli("overdue", "6001", "--since", "2026-11-17", "--amount", "60000", "--principal", "60000")

    def seen(today):
        r = cli.json(*rules, "--today", today, "stage", "6001")
        mo = next(x for x in r["risks"] if x["key"] == "malicious-overdraft")
        return r["days_overdue"], r["stage"], mo["show"]

    assert seen("2026-11-22") == (5, "grace", False)
    assert seen("2026-11-23") == (6, "reminder", True)


def test_bocom_profile_matches_the_facts_default():
    assert PACK.start_days("交通银行") == PACK.start_days(None)


EVIDENCE = st.lists(
    st.tuples(
        st.sampled_from(["call", "sms", "lawyer-letter", "visit", "letter"]),
        st.sampled_from(["bank", "agency", "law-firm", "court", "unknown"]),
    ),
    max_size=5,
)


@given(
    st.integers(min_value=-30, max_value=1000), st.integers(min_value=0, max_value=400), EVIDENCE
)
def test_more_days_never_gives_an_earlier_stage(days, more, evidence):
    rank = {None: -1, **{k: i for i, k in enumerate(STAGE_KEYS)}}
    today = SINCE + timedelta(days=days)
    a = assess(PACK, None, SINCE, today, evidence)
    b = assess(PACK, None, SINCE, today + timedelta(days=more), evidence)
    assert rank[b.stage] >= rank[a.stage]


@given(st.integers(min_value=-30, max_value=1000), EVIDENCE, EVIDENCE)
def test_adding_evidence_never_lowers_the_stage(days, ev1, ev2):
    rank = {None: -1, **{k: i for i, k in enumerate(STAGE_KEYS)}}
    today = SINCE + timedelta(days=days)
    assert (
        rank[assess(PACK, None, SINCE, today, ev1 + ev2).stage]
        >= rank[assess(PACK, None, SINCE, today, ev1).stage]
    )


@given(st.integers(min_value=-30, max_value=1000), EVIDENCE)
def test_next_stage_date_is_after_today(days, evidence):
    today = SINCE + timedelta(days=days)
    v = assess(PACK, None, SINCE, today, evidence)
    if v.next_stage is not None:
        assert v.next_stage_date > today
    else:
        assert v.stage == "litigation"


def test_evidence_outranks_the_calendar(li_wei):
    log_add(
        li_wei, "5511", "2026-11-20 10:00", "--party", "agency", "--agents", "2", channel="visit"
    )
    s = li_wei.json("stage", "5511")
    assert (
        s["stage_by_days"] == "phone" and s["stage"] == "visit" and s["stage_basis"] == "evidence"
    )
    assert s["stage_by_evidence"] == "visit"
    assert s["next_stage"] == "litigation" and s["next_stage_date"] == "2027-04-19"


def _notices(*items):
    return [(SINCE + timedelta(days=d), ch, ans, 1) for d, ch, ans in items]


@pytest.mark.parametrize(("gap", "expected"), [(29, None), (30, "2026-12-10")])
def test_two_effective_notices_must_be_30_days_apart(gap, expected):
    r = malicious_overdraft(
        PACK, 6_000_000, True, SINCE, _notices((5, "call", 1), (5 + gap, "letter", None)), 60
    )
    assert r["effective_notices"] == 2 and r["exposure_date"] == expected
    assert r["threshold_met"]


def test_sms_counts_only_as_possible_and_missed_calls_not_at_all():
    notices = _notices((3, "call", 0), (5, "call", 1), (40, "sms", None), (45, "call", 0))
    r = malicious_overdraft(PACK, 1_000_000, True, SINCE, notices, 60)
    assert r["effective_notices"] == 1 and r["exposure_date"] is None
    assert r["possible_notices"] == 2 and r["possible_exposure_date"] == "2026-12-15"
    assert not r["threshold_met"]


def test_notices_before_the_overdue_date_do_not_count():
    r = malicious_overdraft(
        PACK,
        6_000_000,
        True,
        SINCE,
        _notices((0, "call", 1), (-10, "letter", None), (31, "visit", None)),
        60,
    )
    assert r["effective_notices"] == 1 and r["exposure_date"] is None


def test_at_the_threshold_itself_one_fen_takes_the_principal_below_it():
    r = malicious_overdraft(PACK, 5_000_000, True, SINCE, [], 60)
    assert r["threshold_met"] and r["pay_to_drop_below"] == "0.01"
    assert malicious_overdraft(PACK, 4_999_999, True, SINCE, [], 60)["pay_to_drop_below"] is None


def test_principal_reduced_by_payments_and_whole_amount_when_unrecorded(li_wei):
    li_wei("pay", "4821", "8000")
    mo = li_wei.json("stage", "4821")["risks"][0]
    assert mo["key"] == "malicious-overdraft" and mo["principal"] == "50000.00"
    assert mo["threshold_met"] and mo["principal_recorded"]
    li_wei("pay", "4821", "0.01")
    assert not li_wei.json("stage", "4821")["risks"][0]["threshold_met"]
    mo = li_wei.json("stage", "7730")["risks"][0]
    assert mo["principal"] == "18300.00" and not mo["principal_recorded"]
    li_wei("card", "add", "--bank", "平安银行", "--last4", "9001")
    li_wei("overdue", "9001", "--since", "2026-08-05", "--amount", "48000")
    assert "whole amount is counted" in li_wei("stage", "9001").stdout


def test_effective_notices_from_the_log(li_wei):
    log_add(li_wei, "4821", "2026-09-01 10:00", "--party", "bank")
    log_add(li_wei, "4821", "2026-09-30 10:00", "--party", "bank")
    log_add(li_wei, "4821", "2026-10-05 10:00", "--party", "agency", "--contacted", "family")
    mo = li_wei.json("stage", "4821")["risks"][0]
    assert mo["effective_notices"] == 2 and mo["exposure_date"] is None  # 29 days apart
    log_add(li_wei, "4821", "2026-10-01", "--party", "bank", channel="letter")
    mo = li_wei.json("stage", "4821")["risks"][0]
    assert mo["second_notice"] == "2026-10-01" and mo["exposure_date"] == "2027-01-02"
    assert "! criminal threshold" not in li_wei("status").stdout
    assert "criminal threshold" in li_wei("--today", "2027-01-02", "status").stdout


def test_settled_card_reports_credit_record_only(li_wei):
    li_wei("settle", "7730", "--date", "2026-11-03")
    s = li_wei.json("stage", "7730")
    assert s["stage"] is None and s["risks"] == [
        {
            "key": "credit-record",
            "settled_on": "2026-11-03",
            "clears_on": "2031-11-03",
            "years": 5,
            "tag": "law",
        }
    ]
    assert "2031-11-03" in li_wei("stage", "7730").stdout


def test_stage_text_cites_and_says_typically(li_wei):
    out = li_wei("stage", "7730").stdout
    assert "Typically:" in out and "not legal advice" in out
    zh = li_wei("--lang", "zh", "stage", "4821").stdout
    assert "下一阶段" in zh and "刑法" in zh


def test_facts_answers_claims_with_sources(cli):
    out = cli("facts", "arrest").stdout
    assert "50,000" in out and "Criminal Law Arts. 196, 313" in out
    # facts §12: what happens after a judgment, 数额较大 and the 第十条 exception, said too
    (arrest,) = cli.json("--lang", "zh", "facts", "arrest")
    for said in ("数额较大", "拒不执行判决、裁定罪", "受过两次以上处罚的除外", "罚款、拘留"):
        assert said in arrest["fact"], said
    (family,) = cli.json("--lang", "zh", "facts", "family-liable")
    assert "共同签名或配偶事后追认" in family["fact"] and "共同生产经营" in family["fact"]
    summons = " ".join(cli("--lang", "zh", "facts", "summons").stdout.split())
    assert "不能因此避免限制高消费" in summons and "无正当理由拒不到庭的，可以缺席判决" in summons
    zh = cli.json("--lang", "zh", "facts", "blacklist")
    assert "征信业管理条例" in zh[0]["citation"]
    assert len([f for f in cli.json("facts") if "claim" in f]) == 8
    assert_clean_failure(cli("facts", "moon", ok=False), says="no claim")
    for said in ("逮捕", "拘留", "坐牢"):  # the words a frightened person types
        assert [f["key"] for f in cli.json("--lang", "zh", "facts", said)] == ["arrest"], said


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("start_day = 31", 'start_day = "31"'), "stages[2].start_day"),
        (('key = "phone"', 'key = "calls"'), "keys must be"),
        (("max = 3", 'max = "three"'), "conduct["),
        (
            ('threshold = "50000.00"', "threshold = 50000"),
            "indicators.malicious-overdraft.threshold",
        ),
        (("[pack]", "[pack"), "syntax"),
    ],
)
def test_malformed_pack_names_file_and_key(cli, tmp_path, change, says):
    path = _custom_pack(tmp_path, change)
    r = cli("--rules", str(path), "facts", ok=False)
    assert_clean_failure(r, says=says)
    assert "custom.toml" in r.stderr


def test_unknown_pack_name(cli):
    assert_clean_failure(cli("--rules", "mars", "facts", ok=False), says="no rule pack")


NOTICE_LOG = st.lists(
    st.tuples(
        st.integers(min_value=-20, max_value=110),
        st.sampled_from(["call", "sms", "letter", "visit", "app", "email", "wechat"]),
        st.booleans(),
        st.sampled_from(["bank", "agency", "law-firm", "unknown"]),
        st.sampled_from(["self", "self", "family"]),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None)
@given(log=NOTICE_LOG)
def test_status_shortcut_gives_the_same_dates_as_the_full_count(tmp_path_factory, log):
    """status reads only the first notices; stage reads them all. The dates must agree."""
    from debtcli import contactlog, ledger
    from debtcli.standing import assess_card
    from debtcli.store import open_store

    s = open_store(tmp_path_factory.mktemp("n") / "s.db")
    ledger.add_card(s, bank="中信银行", last4="4821")
    ledger.record_overdue(s, "4821", SINCE, 6_000_000)
    card = ledger.find_card(s, "4821")
    today = date(2026, 11, 23)
    for offset, channel, missed, party, contacted in log:
        at = SINCE + timedelta(days=offset)
        contactlog.add(
            s,
            PACK,
            card,
            {
                "at": f"{at} 10:00",
                "channel": channel,
                "party": party,
                "contacted": contacted,
                "missed": missed and channel == "call",
            },
            [],
            today,
        )
    full = assess_card(s, PACK, card, today, full=True)["risks"][0]
    light = assess_card(s, PACK, card, today, full=False)["risks"][0]
    for key in ("first_notice", "second_notice", "exposure_date", "possible_exposure_date"):
        assert full[key] == light[key], key


def test_every_card_reads_the_same_in_json_overdue_or_not(li_wei):
    """A script reads the same keys of every card: one never overdue and one settled have the
    stage fields, empty."""
    li_wei("card", "add", "--bank", "中国银行", "--last4", "9001")
    li_wei("settle", "7730", "--date", "2026-11-01")
    overdue, settled, never = (li_wei.json("stage", c) for c in ("4821", "7730", "9001"))
    assert set(never) == set(settled) == set(overdue)
    assert {"agreement", "agreement_status", "stage_by_evidence"} <= set(never)
    assert (never["agreement"], never["agreement_status"], never["stage_by_evidence"]) == (
        None,
    ) * 3
    for card in (never, settled):
        assert [card[k] for k in ("stage", "stage_by_days", "next_stage", "next_stage_date")] == [
            None
        ] * 4


def test_the_second_notice_is_the_first_effective_one_a_month_after_the_first(li_wei):
    """Text messages between the calls do not hide the call that is the second notice."""
    for at, channel in (
        ("2026-09-01 10:00", "sms"),
        ("2026-09-05 10:00", "call"),
        ("2026-10-02 10:00", "sms"),
        ("2026-10-06 10:00", "call"),
    ):
        log_add(li_wei, "4821", at, "--party", "bank", channel=channel)
    r = li_wei.json("stage", "4821")
    mo = next(x for x in r["risks"] if x["key"] == "malicious-overdraft")
    assert (mo["first_notice"], mo["second_notice"]) == ("2026-09-05", "2026-10-06")
    assert mo["exposure_date"] == "2027-01-07"
    # status finds the same pair by its quicker path (only the first notices it needs)
    for today, risk in (("2027-01-06", "watch"), ("2027-01-07", "exposed")):
        rows = li_wei.json("--today", today, "status")
        assert next(x for x in rows if x["last4"] == "4821")["risk"] == risk, today


def test_a_pack_without_evidence_rules_goes_by_the_calendar(li_wei, tmp_path):
    """The rule pack decides what a logged contact proves; a pack that says nothing about it
    (its [[evidence]] left out) still works, and the days overdue alone set the stage."""
    from debtcli.rules import PACKS_DIR

    text = (PACKS_DIR / "cn.toml").read_text(encoding="utf-8")
    block = text[text.index("[[evidence]]") : text.index("# Who in the log")]
    rules = ("--rules", str(pack_with(tmp_path, (block, ""))))
    log_add(
        li_wei, "5511", "2026-11-20 10:00", "--party", "agency", "--agents", "2", channel="visit"
    )
    s = li_wei.json(*rules, "stage", "5511")
    assert (s["stage"], s["stage_basis"], s["stage_by_evidence"]) == ("phone", "days", None)
    assert li_wei.json("stage", "5511")["stage"] == "visit"  # the built-in pack: the visit counts


def test_a_pack_with_only_what_the_core_needs_still_works(cli, tmp_path):
    """A pack's facts topics and its words for choices are optional: without them `facts`
    lists the claims, and choices are given by their keys."""
    from debtcli.rules import PACKS_DIR

    text = (PACKS_DIR / "cn.toml").read_text(encoding="utf-8")
    topics = text[text.index("[[topics]]") : text.index("# --- Words people use")]
    words = text[text.index("[words.channel]") : text.index("# --- phone imports")]
    rules = ("--rules", str(pack_with(tmp_path, (topics, ""), (words, ""))))
    assert [f["key"] for f in cli.json(*rules, "facts")][:2] == ["arrest", "criminal-record"]
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    log_add(cli, "4821", "2026-11-20 22:40", "--party", "agency", before=rules)
    assert [v["rule"] for v in cli.json(*rules, "violations")] == ["quiet-hours"]


def test_each_kind_of_contact_proves_its_own_stage_only(li_wei):
    """An agency's text message proves the agency stage, not the visit a visit would prove."""
    log_add(li_wei, "5511", "2026-11-20 10:00", "--party", "agency", channel="sms")
    s = li_wei.json("stage", "5511")
    assert (s["stage"], s["stage_basis"], s["stage_by_evidence"]) == (
        "agency",
        "evidence",
        "agency",
    )
    log_add(li_wei, "5511", "2026-11-21 10:00", "--party", "bank", channel="lawyer-letter")
    assert li_wei.json("stage", "5511")["stage_by_evidence"] == "agency"  # letter ranks lower


def test_what_to_pay_to_drop_below_the_threshold_is_said_only_above_it(li_wei):
    def overdraft(card):
        r = li_wei.json("stage", card)
        return next(x for x in r["risks"] if x["key"] == "malicious-overdraft")

    above, below = overdraft("4821"), overdraft("5511")
    assert (above["principal"], above["pay_to_drop_below"]) == ("58000.00", "8000.01")
    assert (below["threshold_met"], below["pay_to_drop_below"]) == (False, None)
    assert above["tag"] == below["tag"] == PACK.indicator("malicious-overdraft")["tag"]


def test_the_next_stage_can_be_tomorrow(li_wei):
    """7730 went overdue on 2026-09-12: day 91, the agency stage, is 2026-12-12."""
    r = li_wei.json("--today", "2026-12-11", "stage", "7730")
    assert (r["days_overdue"], r["next_stage"], r["next_stage_date"]) == (
        90,
        "agency",
        "2026-12-12",
    )
    assert li_wei.json("--today", "2026-12-12", "stage", "7730")["stage"] == "agency"


def test_a_card_overdue_since_today_has_no_stage_yet(li_wei):
    li_wei("card", "add", "--bank", "中国银行", "--last4", "9001")
    li_wei("overdue", "9001", "--since", "2026-11-23", "--amount", "500")
    r = li_wei.json("stage", "9001")
    assert (r["days_overdue"], r["stage"], r["stage_basis"]) == (0, None, None)
    assert (r["next_stage"], r["next_stage_date"]) == ("grace", "2026-11-24")
    for lang, next_name in (("en", "Grace 2026-11-24"), ("zh", "宽限期 2026-11-24")):
        row = next(
            line for line in li_wei("--lang", lang, "status").stdout.splitlines() if "9001" in line
        )
        cells = [c.strip() for c in row.split("│")]
        assert cells[5:7] == ["—", next_name], row


def test_below_the_criminal_threshold_a_lawsuit_is_told_as_civil(li_wei):
    """5511 owes ¥9,050: in the litigation stage its what and todo are the civil wording."""
    for lang, what in (
        ("en", "  Typically: A civil lawsuit may be filed."),
        ("zh", "  通常：可能提起民事诉讼。"),
    ):
        out = li_wei("--lang", lang, "--today", "2027-06-01", "stage", "5511").stdout
        assert what in out.splitlines(), out


@pytest.mark.parametrize(
    "word, key",
    [("黑户", "blacklist"), ("报警", "arrest"), ("判刑", "arrest"), ("家人", "family-liable"),
     ("单位", "employer"), ("律师函", "letter-check"), ("法院", "summons")],
)  # fmt: skip
def test_facts_are_reached_by_the_words_people_use(cli, word, key):
    """Issue 38: 律师函, 黑户, 报警, 家人, 单位, 法院, 判刑 were "no such topic"."""
    assert [f["key"] for f in cli.json("--lang", "zh", "facts", word)] == [key]


def test_facts_of_a_home_visit_point_to_the_checklist(cli):
    r = cli("--lang", "zh", "facts", "上门")
    assert r.exit_code == 0 and "debtcli visit checklist" in r.stdout
