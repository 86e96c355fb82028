"""Advice that agrees with the user's own records (issue 12): agreements pause escalation,
impostors are not the bank, the criminal reading only where it applies, settlement means ¥0
owed, and collection after an agreement or a settlement is flagged."""

import json
from datetime import date, timedelta

import pytest
from conftest import assert_clean_failure, log_add, log_late_call, pack_with, store_digest
from hypothesis import given, settings
from hypothesis import strategies as hs

from debtcli.agreements import track
from debtcli.demo import SCAM_VISIT
from debtcli.rules import STAGE_KEYS, load_pack
from debtcli.stages import assess, malicious_overdraft

PACK = load_pack("cn")
SINCE = date(2026, 8, 5)


def _answers(tmp_path, **given):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(given), encoding="utf-8")
    return str(path)


# --- agreements are a state the engine knows ------------------------------------------------


def test_a_current_agreement_pauses_escalation(li_wei):
    li_wei("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due", "2026-12-20")
    li_wei("--today", "2026-12-18", "pay", "4821", "1040", "--date", "2026-12-18")
    r = li_wei.json("--today", "2026-12-21", "stage", "4821")
    assert r["stage"] == "agreement"
    assert r["agreement_status"] == "current"
    assert r["next_stage"] is None and r["next_stage_date"] is None
    assert r["under_agreement_since"] == "2026-11-23"
    assert (r["stage_by_days"], r["stage_by_evidence"]) == ("agency", None)
    # an agreement in force restarts the limitation period at its last installment's due date
    lim = next(x for x in r["risks"] if x["key"] == "limitation")
    assert (lim["restarted_on"], lim["runs_until"]) == ("2031-11-20", "2034-11-20")
    # the count stops where the agreement began: 110 days, not 138
    assert r["days_overdue"] == 110
    out = li_wei("--today", "2026-12-21", "stage", "4821").stdout
    assert "Under agreement" in out and "Next:" not in out
    assert "overdue since 2026-08-05, under agreement since 2026-11-23" in out
    assert "installment 2 of 60" in out and "2027-01-20" in out
    zh = li_wei("--lang", "zh", "--today", "2026-12-21", "stage", "4821").stdout
    assert "按协议还款中" in zh and "诉讼" not in zh.split("分期协议")[0]
    rows = li_wei.json("--today", "2026-12-21", "status")
    citic = next(x for x in rows if x["last4"] == "4821")
    assert citic["stage"] == "agreement" and citic["next_stage"] is None


def test_an_agreement_paid_to_the_end_today_is_complete(li_wei):
    """The last installment paid on the day it is due: counted that day, not the next."""
    li_wei("agree", "4821", "--months", "2", "--monthly", "1040", "--first-due", "2026-12-20")
    li_wei("--today", "2026-12-18", "pay", "4821", "1040", "--date", "2026-12-18")
    li_wei("--today", "2027-01-20", "pay", "4821", "1040", "--date", "2027-01-20")
    a = li_wei.json("--today", "2027-01-20", "stage", "4821")["agreement"]
    assert (a["status"], a["complete"], a["first_due"]) == ("complete", True, "2026-12-20")
    assert (a["paid"], a["missed"], a["next"]) == ("2080.00", [], None)
    assert a["monthly"] == "1040.00" and "installments" not in a  # the schedule is not repeated
    # paid to the end, the agreement still holds the count where it began: nothing escalates
    done = li_wei.json("--today", "2027-01-20", "stage", "4821")
    assert (done["stage"], done["days_overdue"], done["next_stage"]) == ("agreement", 110, None)
    before = li_wei.json("--today", "2027-01-10", "stage", "4821")["agreement"]
    assert before["next"] == {
        "n": 2,
        "due": "2027-01-20",
        "grace_until": "2027-01-23",
        "amount": "1040.00",
        "paid": "0.00",
        "status": "upcoming",
    }
    out = li_wei("--today", "2027-01-20", "status").stdout
    assert "every installment of the agreement is paid" in out
    zh = li_wei("--lang", "zh", "--today", "2027-01-20", "status").stdout
    assert "协议的所有分期均已还清" in zh


def test_a_missed_installment_breaks_the_agreement_and_escalation_resumes(li_wei):
    li_wei("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due", "2026-12-20")
    li_wei("--today", "2026-12-18", "pay", "4821", "1040", "--date", "2026-12-18")
    # installment 2 due 2027-01-20; three days' grace; on the 24th it is missed
    assert li_wei.json("--today", "2027-01-23", "stage", "4821")["agreement_status"] == "current"
    r = li_wei.json("--today", "2027-01-24", "stage", "4821")
    assert r["agreement_status"] == "broken"
    assert r["agreement"]["broken_on"] == "2027-01-24"
    assert r["stage"] == "visit" and r["days_overdue"] == 172
    assert r["next_stage"] == "litigation"
    # broken, it restarted the period only where it was made and paid (the last payment)
    lim = next(x for x in r["risks"] if x["key"] == "limitation")
    assert lim["restarted_on"] == "2026-12-18"
    out = li_wei("--today", "2027-01-24", "stage", "4821").stdout
    assert "Agreement broken on 2027-01-24" in out and "installment 2 of 60" in out


def test_an_agreement_due_before_it_was_made_is_refused(li_wei, db_path):
    before = store_digest(db_path)
    for lang, exact in (
        ("en", "--first-due 2020-01-20 is before the agreement was made (2026-11-23): the first "
         "installment falls due after it"),
        ("zh", "--first-due 2020-01-20 早于协议达成的日期（2026年11月23日）：首期应在协议之后到期"),
    ):  # fmt: skip
        r = li_wei("--lang", lang, "agree", "4821", "--months", "12", "--monthly", "1000",
                   "--first-due", "2020-01-20", ok=False)  # fmt: skip
        assert_clean_failure(r, exact=exact)
    assert store_digest(db_path) == before
    # made on a past day, due that same day: taken
    li_wei("agree", "4821", "--months", "12", "--monthly", "1000", "--first-due", "2026-11-20",
           "--date", "2026-11-20")  # fmt: skip


def test_a_second_agreement_asks_before_it_replaces_the_first(li_wei, db_path):
    """An agreement is tracked installment by installment: recording another for the same
    debt (a typo fixed, or a new deal after a broken one) says which it replaces and asks
    (a script gets --force); the first is kept as history."""
    first = ("--months", "60", "--monthly", "1040", "--first-due", "2026-12-20")
    li_wei("agree", "4821", *first)
    before = store_digest(db_path)
    second = ("--months", "48", "--monthly", "1300", "--first-due", "2026-12-25")
    for lang, exact in (
        ("en", "****4821 already has an agreement, made 2026-11-23 (60 × ¥1,040.00, first due "
         "2026-12-20); this one would replace it from now on. If that is right, add --force "
         "(the first is kept as history)"),
        ("zh", "****4821 已有 2026年11月23日 达成的分期协议（60 期 × ¥1,040.00，首期 2026年12月20日）；"
         "这会从现在起取代它。如确实要改，请加 --force（原协议会保留为历史）"),
    ):  # fmt: skip
        r = li_wei("--lang", lang, "agree", "4821", *second, ok=False)
        assert_clean_failure(r, exact=exact)
    assert store_digest(db_path) == before
    li_wei("agree", "4821", *second, "--force")
    assert li_wei.json("stage", "4821")["agreement"]["monthly"] == "1300.00"


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "Note: 2 × ¥1,040.00 = ¥2,080.00 covers ¥2,080.00 of the ¥62,400.00 owed when it "
               "was made. If the bank waived the rest, give it with --reduction; otherwise check "
               "--months and --monthly."),
        ("zh", "注意：2 期 × ¥1,040.00 = ¥2,080.00，只覆盖达成协议时欠款 ¥62,400.00 中的 "
               "¥2,080.00。如银行减免了其余部分，请用 --reduction 记录；否则请核对 --months 和 "
               "--monthly。"),
    ],
)  # fmt: skip
def test_an_agreement_short_of_the_debt_is_pointed_out(li_wei, lang, note):
    short = ("agree", "4821", "--months", "2", "--monthly", "1040", "--first-due", "2026-12-20")
    out = li_wei("--lang", lang, *short).stdout
    assert note in " ".join(out.split()).replace("。 ", "。"), out
    # what the bank waived, given, makes it whole: nothing to point out
    covered = li_wei("--lang", lang, *short, "--reduction", "60320", "--force").stdout
    assert "--reduction" not in covered


def test_an_agreements_note_is_checked_like_a_payments(li_wei, db_path):
    before = store_digest(db_path)
    r = li_wei("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due",
               "2026-12-20", "--note", "ref \x1b[31m123", ok=False)  # fmt: skip
    assert_clean_failure(r, exact="--note must be 1 to 500 printable characters")
    assert store_digest(db_path) == before


def test_a_refused_agreement_prints_nothing_but_the_reason(li_wei):
    r = li_wei("agree", "4821", "--months", "61", "--monthly", "1000", "--first-due",
               "2020-01-20", ok=False)  # fmt: skip
    assert r.stdout == "" and "before the agreement was made" in r.stderr


def test_an_installment_has_its_own_banks_grace(cli, tmp_path):
    """A bank whose pack profile allows five days' grace: its installment is missed on the
    sixth day after it fell due, not the fourth."""
    rules = ("--rules", str(pack_with(tmp_path, ("[bank_profiles.bocom.start_days]\nreminder = 4",
                                                 "[bank_profiles.bocom.start_days]\nreminder = 6"))))  # fmt: skip
    cli("card", "add", "--bank", "交通银行", "--last4", "6001")
    cli("overdue", "6001", "--since", "2026-09-01", "--amount", "20000")
    cli(*rules, "agree", "6001", "--months", "12", "--monthly", "1000", "--first-due", "2026-12-01")

    def status(today):
        return cli.json(*rules, "--today", today, "stage", "6001")["agreement_status"]

    assert [status(d) for d in ("2026-12-05", "2026-12-06", "2026-12-07")] == [
        "current",
        "current",
        "broken",
    ]


def test_timeline_and_calendar_predict_no_escalation_under_agreement(li_wei, tmp_path):
    li_wei("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due", "2026-12-20")
    events = li_wei.json("timeline", "4821", "--all")
    assert not [e for e in events if e["kind"] == "stage" and e["predicted"]]
    ics = tmp_path / "c.ics"
    li_wei("calendar", "-o", str(ics))
    text = ics.read_text(encoding="utf-8")
    assert "****4821: predicted" not in text
    assert "****4821: installment 1/60" in text


@given(
    hs.lists(hs.tuples(hs.integers(0, 400), hs.integers(1, 5000)), max_size=12),
    hs.integers(0, 500),
    hs.integers(1, 300),
)
@settings(max_examples=150, deadline=None)
def test_property_current_agreement_never_rises_and_predicts_nothing(pays, day, more):
    agreement = {
        "agreed_on": "2026-11-23",
        "first_due": "2026-12-20",
        "months": 12,
        "monthly": 100_000,
    }
    payments = [(date(2026, 11, 23) + timedelta(days=d), a * 100) for d, a in pays]
    today = date(2026, 11, 23) + timedelta(days=day)
    later = today + timedelta(days=more)
    t1 = track(agreement, payments, today, grace_days=3)
    t2 = track(agreement, payments, later, grace_days=3)
    a1 = assess(PACK, None, SINCE, today, [], agreement=t1)
    a2 = assess(PACK, None, SINCE, later, [], agreement=t2)
    if t2["status"] in ("current", "complete"):
        assert t1["status"] in ("current", "complete")  # an agreement never mends itself
        assert a1.stage == a2.stage == "agreement"
        assert a2.next_stage is None and a2.next_stage_date is None
        assert a1.days_overdue == a2.days_overdue
    if t1["status"] == "broken":
        assert t2["status"] == "broken" and t1["broken_on"] == t2["broken_on"]
        assert a1.stage != "agreement"
    # a missed installment (past due + grace, not covered) always ends it
    for row in t2["installments"]:
        due = date.fromisoformat(row["due"])
        if row["paid"] < row["amount"] and later > due + timedelta(days=3):
            assert t2["status"] == "broken"


def test_installment_due_today_is_not_missed_and_grace_is_three_days():
    agreement = {"agreed_on": "2026-11-23", "first_due": "2026-12-20", "months": 2, "monthly": 100}
    for day, status in (
        (date(2026, 12, 20), "current"),
        (date(2026, 12, 23), "current"),
        (date(2026, 12, 24), "broken"),
    ):
        assert track(agreement, [], day, grace_days=3)["status"] == status, day
    late = track(agreement, [(date(2026, 12, 26), 200)], date(2027, 3, 1), grace_days=3)
    assert late["status"] == "broken" and late["broken_on"] == "2026-12-24"
    assert late["installments"][0]["status"] == "late"
    done = track(agreement, [(date(2026, 12, 1), 200)], date(2027, 3, 1), grace_days=3)
    assert done["status"] == "complete"


# --- who contacted you is a fact --------------------------------------------------------------


def test_a_scam_visit_is_an_impostor_and_changes_nothing(li_wei, tmp_path):
    before = li_wei.json("stage", "5511")
    scam = _answers(tmp_path, **SCAM_VISIT)
    li_wei("visit", "check", "5511", "--answers", scam, "--at", "2026-11-22 15:00")
    entry = li_wei.json("log", "list", "5511")[-1]
    assert entry["party"] == "impostor"
    after = li_wei.json("stage", "5511")
    assert after["stage"] == before["stage"] == "phone"
    assert after["stage_basis"] == "days"
    lim = next(r for r in after["risks"] if r["key"] == "limitation")
    assert lim["restarted_on"] == "2026-10-20"


def test_a_hotline_denied_visit_with_papers_is_still_an_impostor(li_wei, tmp_path):
    denied = _answers(
        tmp_path, agents=2, work_id=True, authorization=True, org="某某资产", hotline="denied"
    )
    li_wei("visit", "check", "4821", "--answers", denied, "--at", "2026-11-22 15:00")
    assert li_wei.json("log", "list", "4821")[-1]["party"] == "impostor"


def test_log_add_records_an_impostor(li_wei):
    log_add(li_wei, "7730", "2026-11-20 10:00", "--party", "impostor", "--note", "自称法院")
    assert li_wei.json("log", "list", "7730")[-1]["party"] == "impostor"


EVIDENCE = hs.lists(
    hs.tuples(
        hs.sampled_from(["call", "sms", "lawyer-letter", "visit", "letter"]),
        hs.sampled_from(["bank", "agency", "law-firm", "court", "unknown", "impostor"]),
        hs.integers(1, 400),
        hs.booleans(),
    ),
    max_size=8,
)


@given(EVIDENCE, hs.integers(1, 500))
@settings(max_examples=25, deadline=None)
def test_property_impostor_and_unknown_contacts_change_nothing(log, day):
    """Through a real store: the same log with and without the impostor and unknown entries
    gives the same stage, notices, exposure date and limitation date."""
    import tempfile
    from pathlib import Path

    from debtcli import contactlog, ledger
    from debtcli.standing import assess_card, public
    from debtcli.store import list_cards, open_store

    today = SINCE + timedelta(days=day)
    real = [e for e in log if e[1] not in ("unknown", "impostor")]

    def view(entries):
        with tempfile.TemporaryDirectory() as d:
            s = open_store(Path(d) / "s.db")
            ledger.add_card(s, bank="中信银行", last4="4821")
            ledger.record_overdue(s, "4821", SINCE, 6_240_000, principal=6_000_000)
            card = list_cards(s)[0]
            for ch, party, n, answered in entries:
                when = SINCE + timedelta(days=n)
                if when > today:
                    continue
                contactlog.add(
                    s,
                    PACK,
                    card,
                    {
                        "at": f"{when} 10:00",
                        "channel": ch,
                        "party": party,
                        "missed": ch == "call" and not answered,
                    },
                    [],
                    today,
                )
            r = public(assess_card(s, PACK, card, today))
            s.close()
        mo = next(x for x in r["risks"] if x["key"] == "malicious-overdraft")
        lim = next(x for x in r["risks"] if x["key"] == "limitation")
        return (
            r["stage"],
            r["stage_basis"],
            mo["effective_notices"],
            mo["exposure_date"],
            mo["possible_notices"],
            lim["runs_until"],
        )

    assert view(log) == view(real)


# --- the criminal reading only where it applies ---------------------------------------------


@pytest.mark.parametrize(
    ("principal", "days", "shown"),
    [
        (905_000, 40, False),  # ¥9,050: far below
        (3_999_999, 200, False),  # just under 80% of ¥50,000
        (4_000_000, 200, True),  # within 20%
        (4_000_000, 2, False),  # but still in the grace period
        (5_000_000, 2, False),  # at the threshold, in the grace period
        (5_000_000, 4, True),  # at the threshold, past grace
        (5_800_000, 138, True),
    ],
)
def test_when_the_criminal_block_shows(principal, days, shown):
    mo = malicious_overdraft(PACK, principal, True, SINCE, [], days_overdue=days)
    assert mo["show"] is shown


def test_small_debt_never_reads_police_report(li_wei):
    for lang in ("en", "zh"):
        out = li_wei("--lang", lang, "--today", "2027-06-01", "stage", "5511").stdout
        assert "报案" not in out and "police report" not in out.lower()
        assert "恶意透支" not in out and "Criminal threshold" not in out
        status = li_wei("--lang", lang, "--today", "2027-06-01", "status").stdout
        small = [line for line in status.splitlines() if "5511" in line or "7730" in line]
        assert small and not [line for line in small if "报案" in line or "report" in line]
    big = li_wei("--lang", "zh", "--today", "2027-06-01", "stage", "4821").stdout
    assert "诉讼/报案" in big


def test_grace_day_two_has_no_criminal_block(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2026-11-21", "--amount", "62400", "--principal", "58000")
    out = cli("stage", "4821").stdout
    assert "Criminal threshold" not in out


def test_criminal_block_leads_with_reassurance_and_the_useful_number(li_wei):
    out = li_wei("stage", "4821").stdout
    block = out.split("Criminal threshold")[1]
    assert block.index("Being overdue is not a crime") < block.index("Unpaid principal")
    assert "paying ¥8,000.01 brings the unpaid principal below ¥50,000.00" in block
    zh = li_wei("--lang", "zh", "stage", "4821").stdout
    assert "曾因信用卡诈骗受过两次以上处罚的除外" in zh
    assert "但有证据证明持卡人确实不具有非法占有目的的除外" in zh
    assert "累犯" not in zh


def test_an_expired_limitation_period_is_said_plainly(cli):
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2021-03-01", "--amount", "5000")
    out = cli("stage", "7730").stdout
    assert "By your records the period may have ended on 2024-03-01" in out
    assert "192" in out and "193" in out
    r = cli.json("stage", "7730")
    lim = next(x for x in r["risks"] if x["key"] == "limitation")
    assert lim["expired"] is True


def test_payments_and_agreements_restart_the_limitation_period(li_wei):
    li_wei("pay", "7730", "100", "--date", "2026-11-01")
    lim = next(x for x in li_wei.json("stage", "7730")["risks"] if x["key"] == "limitation")
    assert lim["restarted_on"] == "2026-11-01"


# --- settlement -------------------------------------------------------------------------------


def test_a_settled_card_owes_nothing(li_wei):
    li_wei("settle", "7730", "--date", "2026-11-20", "--amount", "12000")
    row = next(r for r in li_wei.json("status") if r["last4"] == "7730")
    assert row["owed"] == "0.00"
    assert row["paid"] == "12000.00"
    assert row["settled_on"] == "2026-11-20"
    assert row["settlement_amount"] == "12000.00"
    out = li_wei("stage", "7730").stdout
    assert "Settled on 2026-11-20 for ¥12,000.00" in out
    assert "2031-11-20" in out
    plain = li_wei("status").stdout
    assert "¥18,300.00" not in plain


def test_settle_without_amount_still_owes_nothing(li_wei):
    li_wei("settle", "5511")
    row = next(r for r in li_wei.json("status") if r["last4"] == "5511")
    assert row["owed"] == "0.00" and row["settlement_amount"] is None


def test_settle_refuses_a_bad_amount(li_wei, db_path):
    from conftest import store_digest

    before = store_digest(db_path)
    r = li_wei("settle", "7730", "--amount", "lots", ok=False)
    assert_clean_failure(r, code=2, says="amount")
    assert store_digest(db_path) == before


# --- collection after an agreement or a settlement --------------------------------------------


def test_collection_after_agreement_and_after_settlement_is_flagged(li_wei):
    li_wei(
        "agree",
        "4821",
        "--months",
        "60",
        "--monthly",
        "1040",
        "--first-due",
        "2026-12-20",
        "--date",
        "2026-11-10",
    )
    r = log_add(li_wei, "4821", "2026-11-20 10:00", "--party", "agency")
    assert "collection after an installment agreement" in r.stdout
    li_wei("settle", "7730", "--date", "2026-11-01")
    r = log_add(li_wei, "7730", "2026-11-20 11:00", "--party", "bank", channel="sms")
    assert "collection after the debt was settled" in r.stdout
    rules = {v["rule"] for v in li_wei.json("violations")}
    assert {"after-agreement", "after-settlement"} <= rules
    # an impostor's call is not the bank collecting
    log_add(li_wei, "7730", "2026-11-21 11:00", "--party", "impostor")
    assert not [
        v
        for v in li_wei.json("violations")
        if v["rule"] == "after-settlement" and v["at"].startswith("2026-11-21")
    ]


def test_the_days_collection_should_stop_begin_the_day_after_and_end_the_day_before(li_wei):
    """An agreement made on the 10th: the 10th itself is not after it, the 11th is; its first
    installment (due the 20th, three days' grace) unpaid, it is broken on the 24th: the 23rd
    is still under it, the 24th is not. A debt settled on the 1st: the 2nd is after it."""
    li_wei("agree", "4821", "--months", "2", "--monthly", "1040", "--first-due", "2026-11-20",
           "--date", "2026-11-10")  # fmt: skip
    li_wei("settle", "7730", "--date", "2026-11-01")
    days = {
        "4821": ["2026-11-10", "2026-11-11", "2026-11-23", "2026-11-24"],
        "7730": ["2026-11-01", "2026-11-02"],
    }
    for card, on in days.items():
        for d in on:
            li_wei("--today", "2026-11-30", "log", "add", card, "--channel", "call",
                   "--party", "agency", "--at", f"{d} 10:00")  # fmt: skip
    flagged = {
        (v["rule"], v["at"][:10])
        for v in li_wei.json("--today", "2026-11-30", "violations", "--all")
        if v["rule"] in ("after-agreement", "after-settlement")
    }
    assert flagged == {
        ("after-agreement", "2026-11-11"),
        ("after-agreement", "2026-11-23"),
        ("after-settlement", "2026-11-02"),
    }


def test_an_agreement_kept_to_its_last_installment_still_protects_the_card(li_wei):
    """Every installment paid on time and the card not yet settled (the bank agreed to less
    than the whole debt): nobody should be collecting, so an agency's call is flagged, and
    the open-ended window does not trip anything."""
    late = ("--today", "2026-12-30")
    li_wei("agree", "4821", "--months", "2", "--monthly", "1040", "--first-due", "2026-11-20",
           "--date", "2026-11-10")  # fmt: skip
    for on in ("2026-11-20", "2026-12-20"):
        li_wei(*late, "pay", "4821", "1040", "--date", on)
    r = log_add(li_wei, "4821", "2026-12-28 10:00", "--party", "agency", before=late)
    assert "collection after an installment agreement" in r.stdout
    rules = {v["rule"] for v in li_wei.json(*late, "violations", "4821")}
    assert "after-agreement" in rules


# --- the corrected pack -----------------------------------------------------------------------


def test_pack_follows_the_legal_review():
    text = (PACK.path).read_text(encoding="utf-8")
    assert "滞纳金" not in text
    assert "累犯" not in text
    assert "第四十条(三)" not in text
    for key in ("agency", "visit", "litigation"):
        stage = PACK.stage(key)
        assert stage["tag"] == "practice"
        assert stage["class_tag"] == "rule" and "第九十二条" in stage["class_source_zh"]
    assert PACK.conduct_rule("calls-per-day")["tag"] == "unverified"
    assert "第二十二条" not in PACK.conduct_rule("visit-identification")["citation_zh"]
    assert "银行" in PACK.conduct_rule("private-channel")["zh"]
    keywords = PACK.conduct_rule("pay-to-personal")["keywords"]
    assert not {"支付宝", "微信", "个人", "wechat", "alipay"} & set(keywords)
    assert "拨打卡片背面" in PACK.stage("grace")["todo_zh"]


def test_paying_your_own_card_through_alipay_is_not_a_scam_sign():
    from debtcli.conduct import flag_entries

    base = {
        "id": 1,
        "at": "2026-11-20T10:00:00+08:00",
        "at_utc": "2026-11-20T02:00:00+00:00",
        "channel": "call",
        "direction": "in",
        "party": "bank",
        "contacted": "self",
        "answered": 1,
        "flags": None,
        "claims": None,
        "agents": None,
        "credentials": None,
        "bank": "中信银行",
        "card_id": 1,
    }
    ok = flag_entries(PACK, [{**base, "pay_to": "支付宝 信用卡还款（本人中信银行卡）"}])
    assert "pay-to-personal" not in ok.get(1, [])
    bad = flag_entries(PACK, [{**base, "pay_to": "张三 个人账户"}])
    assert "pay-to-personal" in bad[1]


@pytest.mark.parametrize("key", ["summons", "credit-report", "letter-check"])
def test_new_facts(cli, key):
    for lang in ("en", "zh"):
        out = cli("--lang", lang, "facts", key).stdout
        assert out.strip()
    summons = cli("--lang", "zh", "facts", "summons").stdout
    assert "12368" in summons or key != "summons"


def test_help_lines_command(cli):
    out = cli("--lang", "zh", "help-lines").stdout
    for number in ("110", "96110", "12378", "12348", "12356", "12368"):
        assert number in out
    assert cli.json("help-lines")[0]["number"] == "110"


def test_letter_without_seal_is_flagged(li_wei):
    r = log_add(
        li_wei, "4821", "2026-11-20 10:00", "--party", "agency", "--no-seal", channel="letter"
    )
    assert "seal" in r.stdout
    bad = li_wei("log", "add", "4821", "--channel", "call", "--no-seal", ok=False)
    assert_clean_failure(bad, code=2, says="--no-seal")


def test_stage_footer_lists_help_lines(li_wei):
    out = li_wei("--lang", "zh", "stage", "4821").stdout
    assert "96110" in out and "12348" in out


def test_stage_keys_unchanged():
    assert STAGE_KEYS[-1] == "litigation"


def test_visit_checklist_carries_the_door_help_lines(li_wei, tmp_path):
    out = li_wei("--lang", "zh", "visit", "checklist", "4821").stdout
    assert "求助电话" in out and "110" in out and "96110" in out and "12378" in out
    html = tmp_path / "door.html"
    li_wei("visit", "checklist", "4821", "-o", str(html))
    assert "96110" in html.read_text(encoding="utf-8")


def test_a_complaint_names_impostors_apart_from_the_bank(li_wei, tmp_path):
    log_late_call(li_wei)
    scam = _answers(tmp_path, **SCAM_VISIT)
    li_wei("visit", "check", "4821", "--answers", scam, "--at", "2026-11-22 15:00")
    for lang, says in (("zh", "冒用银行名义"), ("en", "someone is using the bank's name")):
        text = li_wei(
            "--lang",
            lang,
            "letter",
            "make",
            "complaint",
            "4821",
            "--name",
            "李伟",
            "--phone",
            "138",
        ).stdout
        main, _, rest = text.partition(says)
        assert rest, text
        assert "法院执行局" not in main and "法院执行局" in rest
        assert (
            "自称“法院执行局”" if lang == "zh" else "法院执行局"
        ) in rest and "自称“自称" not in rest
        assert "110" in rest and "96110" in rest
        assert "某某资产" in main


GOLDEN_STAGE = __import__("pathlib").Path(__file__).parent / "golden" / "stage"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("days", [2, 35, 70, 100, 130, 200])
def test_golden_stage(cli, days, lang):
    """What `stage` says on each step of the road, read once as Li Wei would, then frozen."""
    import os

    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("overdue", "4821", "--since", "2026-08-05", "--amount", "62400", "--principal", "58000")
    today = (SINCE + timedelta(days=days)).isoformat()
    text = cli("--lang", lang, "--today", today, "stage", "4821").stdout
    golden = GOLDEN_STAGE / f"day{days:03d}.{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_legal_figures_people_read_come_from_the_rule_pack(li_wei, tmp_path):
    """A pack with other figures (a ¥55,000 threshold, notices 45 days apart, 4 months after
    the second, records kept 7 years): every message states the pack's, none a figure of its own."""
    pack = pack_with(
        tmp_path,
        ('threshold = "50000.00"', 'threshold = "55000.00"'),
        ("notice_gap_days = 30", "notice_gap_days = 45"),
        ("months_after_second = 3", "months_after_second = 4"),
        ("[indicators.credit-record]\nyears = 5", "[indicators.credit-record]\nyears = 7"),
    )
    rules = ("--rules", str(pack))
    status = li_wei(*rules, "status").stdout
    assert "¥55,000.00" in status and "50,000" not in status
    for lang, says in (
        ("en", "No two qualifying notices 45 days apart are logged yet."),
        ("zh", "记录中还没有相隔 45 天的两次有效催收。"),
    ):
        assert says in li_wei(*rules, "--lang", lang, "stage", "4821").stdout
    for at in ("2026-09-01 10:00", "2026-10-20 10:00"):  # two answered calls 49 days apart
        log_add(li_wei, "4821", at, "--party", "bank")
    stage = li_wei(*rules, "stage", "4821").stdout
    assert "at least 45 days apart" in stage and "'more than 4 months after'" in stage
    li_wei("settle", "5511", "--date", "2026-11-20")
    timeline = li_wei(*rules, "timeline", "5511", "--json").stdout
    assert "7 years after settlement" in timeline and "5 years" not in timeline


def test_a_complaint_states_the_packs_figures_and_its_doubts(li_wei, tmp_path):
    """Quiet hours from 21:00 and at most 5 connected calls a day in the pack: the complaint
    names those, not 22:00 and 3; the daily limit is unverified, so it is never stated as a
    breach: it is asked, in a paragraph of its own (facts §12), its source quoted whole there
    and not among the rules broken."""
    pack = pack_with(
        tmp_path,
        ('start = "22:00"', 'start = "21:00"'),
        ("answered = true\nmax = 3", "answered = true\nmax = 5"),
    )
    rules = ("--rules", str(pack))
    li_wei(*rules, "log", "add", "7730", "--channel", "call", "--party", "agency",
           "--at", "2026-11-20 21:30")  # fmt: skip
    for minute in range(10, 16):
        li_wei(*rules, "log", "add", "7730", "--channel", "call", "--party", "bank",
               "--at", f"2026-11-21 10:{minute}")  # fmt: skip
    for lang, said, asked, heading, not_said, source in (
        ("en", "between 21:00 and 08:00", "more than 5 connected collection calls in one day",
         "## Please explain", ["22:00", "more than 3"],
         "GB/T 45251—2025 (recommended national standard for online consumer lending, which "
         "cards may be compared with; this clause is unverified)"),
        ("zh", "在21:00至次日08:00之间催收", "一天内接通的催收电话超过5次", "## 请贵行说明",
         ["22:00", "超过3次"],
         "GB/T 45251—2025（推荐性国家标准，适用于个人网络消费信贷，信用卡可参照；该条款未经核实）"),
    ):  # fmt: skip
        letter = li_wei(*rules, "--lang", lang, "letter", "make", "complaint", "7730",
                        "--name", "李伟", "--phone", "138 0000 0000").stdout  # fmt: skip
        facts, question = letter.split("## ")[2], letter.split(heading)[1].split("## ")[0]
        assert said in facts and asked not in facts, facts
        assert asked in question and source in question, question
        assert not any(s in facts + question for s in not_said), letter
        assert letter.count(source) == 1  # asked, not listed among the rules broken


def test_a_creditors_demand_and_a_broken_agreement_restart_the_limitation_period(li_wei):
    """民法典 第一百九十五条: the creditor's demand restarts the period (a bank letter on 15
    November); an agreement restarts it on the day it was made, even once broken."""
    log_add(li_wei, "7730", "2026-11-15 10:00", "--party", "bank", channel="letter")
    lim = next(x for x in li_wei.json("stage", "7730")["risks"] if x["key"] == "limitation")
    assert (lim["restarted_on"], lim["runs_until"], lim["tag"]) == (
        "2026-11-15",
        "2029-11-15",
        "law",
    )
    li_wei("agree", "5511", "--months", "12", "--monthly", "800", "--first-due", "2026-12-20")
    r = li_wei.json("--today", "2027-02-01", "stage", "5511")
    assert r["agreement_status"] == "broken"
    lim = next(x for x in r["risks"] if x["key"] == "limitation")
    assert lim["restarted_on"] == "2026-11-23"


def test_the_limitation_period_says_what_it_runs_from(cli):
    """Three different starts, said as what they are: the due date when nothing restarted it,
    the last thing that restarted it, and for an agreement in force its last installment's due
    date (民法典 第一百八十九条), a day still to come and so never "last restarted"."""
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2026-08-05", "--amount", "18300")

    def said(lang="en"):
        lim = next(x for x in cli.json("stage", "7730")["risks"] if x["key"] == "limitation")
        out = cli("--lang", lang, "stage", "7730").stdout
        para = next(p for p in out.split("\n\n") if p.startswith(("Limitation", "诉讼时效")))
        return lim, " ".join(para.split())

    lim, en = said()
    assert (lim["from"], lim["restarted_on"]) == ("due-date", "2026-08-05")
    assert en.startswith(
        "Limitation period: 3 years from 2026-08-05, when the debt fell due; nothing in your "
        "records restarted it since; it runs to 2029-08-05 if nothing restarts it."
    ), en
    assert said("zh")[1].startswith(
        "诉讼时效：3 年，自欠款到期的 2026年8月5日 起算，记录中此后没有使其重新计算的事项"
    )
    log_add(cli, "7730", "2026-11-15 10:00", "--party", "bank", channel="letter")
    lim, en = said()
    assert (lim["from"], lim["restarted_on"]) == ("restart", "2026-11-15")
    assert en.startswith("Limitation period: 3 years, last restarted by your records on "
                         "2026-11-15; it runs to 2029-11-15 if nothing restarts it."), en  # fmt: skip
    cli("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    lim, en = said()
    assert (lim["from"], lim["restarted_on"], lim["runs_until"]) == (
        "last-installment", "2028-11-11", "2031-11-11",
    )  # fmt: skip
    assert en.startswith(
        "Limitation period: 3 years from 2028-11-11, the due date of the agreement's last "
        "installment (Civil Code Art. 189); it runs to 2031-11-11 if nothing restarts it."
    ), en
    assert "last restarted" not in en
    lim, zh = said("zh")
    assert zh.startswith(
        "诉讼时效：3 年，自协议最后一期的到期日 2028年11月11日 起算（《民法典》第一百八十九条）"
        "；如无中断，至 2031年11月11日。"
    ), zh


def test_an_agreement_due_the_day_it_was_made_restarted_the_period_that_day(cli):
    """A one-installment agreement due the day it was made: the day it was made restarted the
    period, and that is what is said (the last installment's due date is the same day, not a
    later one to run from)."""
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2026-08-05", "--amount", "18300")
    cli("agree", "7730", "--months", "1", "--monthly", "18300", "--first-due", "2026-11-23")
    lim = next(x for x in cli.json("stage", "7730")["risks"] if x["key"] == "limitation")
    assert (lim["from"], lim["restarted_on"]) == ("restart", "2026-11-23")


def test_a_pack_without_the_installment_start_is_refused_on_load(cli, tmp_path):
    """The citation for an agreement's start comes from the pack: one without it is refused
    when loaded, naming the key, not when a card under agreement is shown."""
    pack = pack_with(tmp_path, ("installments_en = ", "installment_en = "))
    r = cli("--rules", str(pack), "facts", ok=False)
    assert_clean_failure(r, says="indicators.limitation.installments_en: missing")


def test_the_limitation_period_has_run_on_the_day_it_ends(cli):
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2021-03-01", "--amount", "5000")
    for today, expired in (("2024-02-29", False), ("2024-03-01", True)):
        r = cli.json("--today", today, "stage", "7730")
        lim = next(x for x in r["risks"] if x["key"] == "limitation")
        assert (lim["runs_until"], lim["expired"]) == ("2024-03-01", expired)


def test_facts_of_a_claim_give_each_further_point_with_its_source(cli):
    for lang, says in (
        ("en", 'No collector-run "national blacklist" exists; inventing one'),
        ("zh", "催收方说的“全国黑名单”并不存在"),
    ):
        out = " ".join(cli("--lang", lang, "facts", "blacklist").stdout.split())
        assert says in out
    (facts,) = cli.json("--lang", "en", "facts", "blacklist")
    # the dishonest-debtor list: the SPC provisions, primary law (facts §11.3)
    assert [m["tag"] for m in facts["more"]] == ["rule", "law"]
    assert (
        facts["more"][0]["source"] == "Consumer protection Measures Art. 41; CBA guideline (2026)"
    )


def test_status_json_names_each_card_as_the_user_named_it(li_wei):
    li_wei("card", "add", "--bank", "平安银行", "--last4", "9001")  # not overdue
    li_wei("agree", "7730", "--months", "12", "--monthly", "1525", "--first-due", "2026-12-20")
    rows = {r["last4"]: r for r in li_wei.json("status")}
    assert (rows["4821"]["name"], rows["7730"]["name"]) == ("citic", None)
    assert (rows["4821"]["bank"], rows["4821"]["currency"]) == ("中信银行", "CNY")
    assert (rows["4821"]["amount"], rows["4821"]["threshold_met"]) == ("62400.00", True)
    assert rows["9001"]["threshold_met"] is False
    assert (rows["7730"]["agreement_status"], rows["4821"]["agreement_status"]) == ("current", None)
    li_wei("settle", "7730", "--date", "2026-11-23", "--amount", "12000")  # settled, agreed
    settled = next(r for r in li_wei.json("status") if r["last4"] == "7730")
    assert (settled["stage"], settled["agreement_status"]) == (None, "current")


def test_only_the_creditors_contacts_are_evidence_of_a_stage():
    from debtcli.stages import stage_by_evidence

    assert stage_by_evidence(PACK, [("visit", "unknown"), ("call", "agency")]) == "agency"
    assert stage_by_evidence(PACK, [("visit", "impostor")]) is None


def test_a_notice_on_the_missed_due_date_itself_is_not_after_it(li_wei):
    """第七条(1): the notices must come after the card went overdue (20 October here is the
    missed due date, so a letter that day is neither a notice nor evidence of a stage; the
    next day's is a notice)."""
    li_wei("overdue", "5511", "--since", "2026-10-20", "--amount", "9050")
    log_add(li_wei, "5511", "2026-10-20 23:30", "--party", "bank", channel="letter")
    log_add(li_wei, "5511", "2026-10-20 20:00", "--party", "agency", "--org", "某某资产")
    r = li_wei.json("stage", "5511")
    assert (r["risks"][0]["effective_notices"], r["stage_by_evidence"]) == (0, None)
    log_add(li_wei, "5511", "2026-10-21 00:30", "--party", "bank", channel="letter")
    r = li_wei.json("stage", "5511")
    mo = r["risks"][0]
    assert (mo["effective_notices"], mo["first_notice"]) == (1, "2026-10-21")


def test_a_broken_agreement_still_says_when_it_was_made(li_wei):
    li_wei("agree", "5511", "--months", "12", "--monthly", "800", "--first-due", "2026-12-20")
    r = li_wei.json("--today", "2027-02-01", "stage", "5511")
    assert (r["agreement_status"], r["under_agreement_since"]) == ("broken", "2026-11-23")
    assert r["stage"] != "agreement"


def test_evidence_that_agrees_with_the_days_is_not_called_the_basis(li_wei):
    """Card 4821 is at the agency stage by its days; an agency's call says the same, so the
    stage stands on the days. An impostor's contact before it proves nothing and stops
    nothing."""
    log_add(li_wei, "4821", "2026-11-01 10:00", "--party", "unknown", channel="app")
    log_add(li_wei, "4821", "2026-11-02 10:00", "--party", "agency")
    r = li_wei.json("stage", "4821")
    assert (r["stage_by_days"], r["stage_by_evidence"]) == ("agency", "agency")
    assert (r["stage"], r["stage_basis"]) == ("agency", "days")


def test_an_agreement_is_both_the_stage_and_its_basis(li_wei):
    li_wei("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due", "2026-12-20")
    r = li_wei.json("stage", "4821")
    assert (r["stage"], r["stage_basis"]) == ("agreement", "agreement")


def test_a_settlement_protects_only_until_the_next_overdue_episode(cli):
    """Collection after a settlement is flagged from the day after it until the day before
    the card falls overdue again; during a new episode, collecting is the bank's right."""
    cli("card", "add", "--bank", "工商银行", "--last4", "5511")
    for since, settled, amount in (("2026-08-01", "2026-08-10", "1000"),
                                   ("2026-09-01", "2026-09-10", "2000"),
                                   ("2026-11-01", None, "3000")):  # fmt: skip
        cli("overdue", "5511", "--since", since, "--amount", amount)
        if settled:
            cli("settle", "5511", "--date", settled)
    # entries 1–4 inside and outside the windows; 5 and 6 the last day of the first window
    # and the missed due date that opens the next episode
    for day in ("2026-08-20", "2026-09-05", "2026-09-20", "2026-11-05", "2026-08-31",
                "2026-09-01"):  # fmt: skip
        log_add(cli, "5511", f"{day} 10:00", "--party", "bank")
    flagged = {v["entry"] for v in cli.json("violations") if v["rule"] == "after-settlement"}
    assert flagged == {1, 3, 5}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visit_the_bank_confirmed_stays_its_agencys_and_goes_into_the_complaint(
    li_wei, tmp_path, lang
):
    """The hotline confirmed the agency; the visit was at night, by one person, with threats:
    it is the agency breaking the rules, not an impostor, and the complaint says so (#37)."""
    confirmed = _answers(tmp_path, agents=1, work_id=True, authorization=True, org="某某资产",
                         hotline="confirmed", threats=True)  # fmt: skip
    li_wei("visit", "check", "4821", "--answers", confirmed, "--at", "2026-11-22 22:30")
    assert li_wei.json("log", "list", "4821")[-1]["party"] == "agency"
    text = li_wei("--lang", lang, "letter", "make", "complaint", "4821", "--name", "李伟",
                  "--phone", "138").stdout  # fmt: skip
    assert ("冒用银行名义" not in text) and ("someone is using the bank's name" not in text)
    assert "某某资产" in text
