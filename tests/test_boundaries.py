"""The edges of the rules, where an off-by-one would tell a person the wrong thing: the first
and last minute of the quiet hours, the day an installment falls due, the first day a warning
shows, who a third-party rule is about, the day a window opens. Each case here killed a
mutant that the rest of the suite let through (issue 19)."""

from datetime import date, datetime, timedelta

import pytest
from conftest import assert_clean_failure, log_add

from debtcli.agreements import WARN_DAYS, track
from debtcli.conduct import Window, flag_entries, in_quiet_hours
from debtcli.rules import load_pack
from debtcli.visit import assess, red_flag_text

PACK = load_pack("cn")
QUIET = PACK.conduct_rule("quiet-hours")


@pytest.mark.parametrize(
    ("hm", "quiet"),
    [
        ("21:59", False),
        ("22:00", True),
        ("23:59", True),
        ("00:00", True),
        ("07:59", True),
        ("08:00", False),
        ("12:00", False),
    ],
)
def test_the_quiet_hours_start_at_22_and_end_before_8(hm, quiet):
    assert in_quiet_hours(QUIET, hm) is quiet


def test_quiet_hours_that_do_not_cross_midnight():
    noon = {"start": "12:00", "end": "14:00"}
    assert [in_quiet_hours(noon, hm) for hm in ("11:59", "12:00", "13:59", "14:00")] == [
        False,
        True,
        True,
        False,
    ]


VERIFIED = {"agents": 2, "work_id": True, "authorization": True, "hotline": "confirmed"}


@pytest.mark.parametrize(
    ("clock", "night"), [("21:59", False), ("22:00", True), ("07:59", True), ("08:00", False)]
)
def test_the_door_check_uses_the_same_hours(clock, night):
    at = datetime.fromisoformat(f"2026-11-22T{clock}:00+08:00")
    result = assess(PACK, VERIFIED, at)
    assert ("night" in result["red_flags"]) is night
    assert result["verdict"] == ("confirmed-violations" if night else "verified")


def test_the_night_flag_names_the_packs_hours():
    en, zh = red_flag_text(PACK, "night")
    assert QUIET["start"] in en and QUIET["end"] in en and QUIET["start"] in zh


def _entry(**over):
    e = {
        "id": 1,
        "card_id": 1,
        "bank": "中信银行",
        "at": "2026-11-20T10:00:00+08:00",
        "at_utc": "2026-11-20T02:00:00+00:00",
        "channel": "call",
        "direction": "in",
        "party": "agency",
        "contacted": "self",
        "answered": 1,
        "flags": None,
        "claims": None,
        "agents": None,
        "credentials": None,
        "pay_to": None,
        "amends": None,
    }
    return {**e, **over}


def _flags(*entries, windows=None):
    return flag_entries(PACK, list(entries), windows=windows)


def test_calling_your_mother_is_flagged_only_when_the_collector_does_it():
    assert "third-party" in _flags(_entry(contacted="family"))[1]
    assert "third-party" not in _flags(_entry(contacted="family", direction="out")).get(1, [])


def test_a_night_call_you_made_yourself_is_not_night_collection():
    assert "quiet-hours" in _flags(_entry(at="2026-11-20T22:00:00+08:00"))[1]
    assert "quiet-hours" not in _flags(_entry(at="2026-11-20T22:00:00+08:00", direction="out")).get(
        1, []
    )
    assert "quiet-hours" not in _flags(_entry(at="2026-11-20T21:59:00+08:00")).get(1, [])


@pytest.mark.parametrize(
    ("channel", "quiet"),
    [("call", True), ("sms", True), ("visit", True), ("wechat", True), ("letter", False),
     ("lawyer-letter", False)],
)  # fmt: skip
def test_quiet_hours_are_about_contacts_made_at_night_not_letters_opened(channel, quiet):
    """A letter logged at 22:40 was read then, not sent then: the rule's channels say so."""
    night = _flags(_entry(at="2026-11-20T22:40:00+08:00", channel=channel)).get(1, [])
    assert ("quiet-hours" in night) is quiet


def test_an_agreement_window_counts_from_its_first_day():
    window = Window("agreement", "2026-11-20", "2026-11-30")
    assert [window.holds(d) for d in ("2026-11-19", "2026-11-20", "2026-11-30", "2026-12-01")] == [
        False,
        True,
        True,
        False,
    ]
    assert Window("settled", "2026-11-20", None).holds("2030-01-01")
    flagged = _flags(_entry(), windows={1: [window]})
    assert "after-agreement" in flagged[1]
    day_before = _flags(_entry(at="2026-11-19T10:00:00+08:00"), windows={1: [window]})
    assert "after-agreement" not in day_before.get(1, [])


AGREEMENT = {"agreed_on": "2026-11-01", "first_due": "2026-12-20", "months": 3, "monthly": 100}


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 12, 20) - timedelta(days=WARN_DAYS + 1), "upcoming"),
        (date(2026, 12, 20) - timedelta(days=WARN_DAYS), "due-soon"),
        (date(2026, 12, 20), "due-soon"),  # due today: not missed
        (date(2026, 12, 21), "grace"),  # past due, within grace: late, not "due soon"
        (date(2026, 12, 23), "grace"),  # the last day of grace
        (date(2026, 12, 24), "missed"),
    ],
)
def test_an_installment_warns_a_week_ahead_and_is_missed_only_after_its_grace(today, status):
    t = track(AGREEMENT, [], today, grace_days=3)
    assert t["installments"][0]["status"] == status
    assert t["status"] == ("broken" if status == "missed" else "current")
    if status == "missed":
        assert t["broken_on"] == "2026-12-24" and t["broken_by"] == 1


def test_payments_before_the_agreement_do_not_pay_its_installments():
    t = track(AGREEMENT, [(date(2026, 10, 31), 300)], date(2026, 12, 1), grace_days=3)
    assert t["paid"] == 0 and t["installments"][0]["paid"] == 0
    t = track(AGREEMENT, [(date(2026, 11, 1), 150)], date(2026, 12, 21), grace_days=3)
    assert t["paid"] == 150
    assert [r["paid"] for r in t["installments"]] == [100, 50, 0]
    assert [r["status"] for r in t["installments"]] == ["paid", "upcoming", "upcoming"]
    assert t["next"]["n"] == 2


def test_paid_on_the_last_day_of_grace_is_in_time_the_day_after_is_late():
    on_time = track(AGREEMENT, [(date(2026, 12, 23), 100)], date(2027, 1, 1), grace_days=3)
    assert on_time["installments"][0]["status"] == "paid" and on_time["status"] == "current"
    late = track(AGREEMENT, [(date(2026, 12, 24), 100)], date(2027, 1, 1), grace_days=3)
    assert late["installments"][0]["status"] == "late" and late["status"] == "broken"
    assert late["missed"] == [late["installments"][0]]


def test_since_and_until_take_whole_local_days():
    from debtcli.dates import days_utc

    lo, hi = days_utc("2026-11-20", "2026-11-20", date(2026, 11, 23))
    start, end = datetime.fromisoformat(lo), datetime.fromisoformat(hi)
    assert end - start == timedelta(days=1)
    assert start.astimezone().strftime("%Y-%m-%d %H:%M") == "2026-11-20 00:00"
    assert days_utc(None, None, date(2026, 11, 23)) == (None, None)


def test_a_day_of_the_log_is_the_users_local_day(li_wei):
    """In Shanghai 07:00 on the 20th is 23:00 UTC on the 19th: `--since 2026-11-20` keeps it,
    and keeps out 23:30 on the 19th (15:30 UTC the 19th), whatever the stored offset."""
    for at in ("2026-11-19 23:30", "2026-11-20 07:00", "2026-11-20 23:59"):
        log_add(li_wei, "4821", at)
    for since, until, kept in (
        ("2026-11-20", "2026-11-20", ["07:00", "23:59"]),
        ("2026-11-19", "2026-11-19", ["23:30"]),
    ):
        rows = li_wei.json("log", "list", "4821", "--since", since, "--until", until)
        assert sorted(r["at"][11:16] for r in rows) == kept


@pytest.mark.parametrize(
    ("text", "fen"),
    [("62400.00", 6_240_000), ("-0.50", -50), ("-12.05", -1205), ("7", 700), ("0.5", 50)],
)
def test_stable_amounts_read_back_exactly(text, fen):
    from debtcli.money import from_decimal_str, to_decimal_str

    assert from_decimal_str(text) == fen
    assert from_decimal_str(to_decimal_str(fen)) == fen


@pytest.mark.parametrize(
    ("since", "days", "stage"),
    [("2026-11-23", 0, None), ("2026-11-22", 1, "grace"), ("2026-10-24", 30, "reminder")],
)
def test_days_overdue_are_counted_once_the_same_everywhere(cli, since, days, stage):
    """The due date itself is day 0 and the day after it day 1: what `overdue` says when it
    records the episode, the card's position and the stage engine agree (today 2026-11-23)."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    said = cli("overdue", "4821", "--since", since, "--amount", "1000").stdout
    assert f"({days} days)" in said
    (card,) = cli.json("status")
    assert card["days_overdue"] == days
    assert card["stage_by_days"] == stage


@pytest.mark.parametrize(
    ("typed", "clock"),
    [
        ("昨天 晚上10点40", "22:40:00"),  # no seconds typed: :00
        ("昨天 22:40", "22:40:00"),
        ("昨天 12:00", "12:00:00"),  # no period: noon stays noon
        ("昨天 下午12点30", "12:30:00"),  # 12 in the afternoon is noon, not midnight
        ("昨天 下午1点", "13:00:00"),
        ("昨天 中午1点", "13:00:00"),
        ("昨天 中午11点", "11:00:00"),  # 中午 before 11 is the afternoon's, 11 the morning's
        ("昨天 中午12点", "12:00:00"),
        ("昨天 凌晨3点", "03:00:00"),
        ("昨天 凌晨12点", "00:00:00"),  # 12 in the small hours: the midnight that begins the day
    ],
)
def test_spoken_times_of_day_become_the_clock_time_meant(typed, clock):
    from debtcli.dates import parse_datetime

    at = parse_datetime(typed, date(2026, 11, 23))
    assert at.date() == date(2026, 11, 22) and at.time().isoformat() == clock


@pytest.mark.parametrize(
    ("typed", "at"),
    [
        ("前天 晚上12点", "2026-11-22T00:00"),  # the midnight that ends that evening
        ("前天 晚上12点半", "2026-11-22T00:30"),
        ("前天 夜里12点", "2026-11-22T00:00"),
        ("前天 夜间12点10分", "2026-11-22T00:10"),
        ("前天 半夜12点", "2026-11-22T00:00"),
        ("前天 晚上11点59", "2026-11-21T23:59"),
    ],
)
def test_twelve_at_night_is_the_midnight_that_ends_the_evening_not_noon(typed, at):
    """晚上12点 was read as noon: a call at midnight lost its quiet-hours flag."""
    from debtcli.dates import parse_datetime

    assert parse_datetime(typed, date(2026, 11, 23)).isoformat().startswith(at)


def test_a_call_at_twelve_at_night_is_night_collection(li_wei):
    log_add(li_wei, "4821", "前天 晚上12点", "--party", "agency")
    (entry,) = li_wei.json("log", "list")
    assert entry["at"].startswith("2026-11-22T00:00") and entry["violations"] == ["quiet-hours"]


def test_since_and_until_typed_as_words_are_whole_local_days():
    from debtcli.dates import days_utc

    # today 2026-11-23 in UTC+8 (the test environment's zone): yesterday starts at 16:00 UTC
    assert days_utc("昨天", "yesterday", date(2026, 11, 23)) == (
        "2026-11-21T16:00:00+00:00",
        "2026-11-22T16:00:00+00:00",
    )


def test_an_installment_paid_one_fen_short_is_not_paid():
    from datetime import date as d

    agreement = {
        "agreed_on": "2026-10-01",
        "first_due": "2026-10-20",
        "months": 3,
        "monthly": 100000,
    }
    short = track(agreement, [(d(2026, 10, 20), 99999)], d(2026, 11, 30), 3)
    assert short["installments"][0]["status"] == "missed" and short["status"] == "broken"
    paid = track(agreement, [(d(2026, 10, 20), 100000)], d(2026, 10, 21), 3)
    assert paid["installments"][0]["status"] == "paid" and paid["status"] == "current"


def test_quiet_hours_that_start_and_end_at_the_same_time_are_no_quiet_hours():
    same = {"start": "22:00", "end": "22:00"}
    assert not any(in_quiet_hours(same, hm) for hm in ("21:59", "22:00", "03:00", "12:00"))


@pytest.mark.parametrize(
    "command",
    [["log", "list"], ["violations"], ["timeline"], ["log", "list", "4821", "--json"]],
)
def test_a_range_the_wrong_way_round_is_refused_not_shown_empty(li_wei, command):
    args = ["--since", "2026-12-01", "--until", "11月1日"]
    assert_clean_failure(
        li_wei(*command, *args, ok=False), exact="--since 2026-12-01 is after --until 2026-11-01"
    )
    zh = li_wei("--lang", "zh", *command, *args, ok=False)
    assert_clean_failure(zh, exact="--since 2026-12-01 晚于 --until 2026-11-01")
    assert li_wei(*command, "--since", "2026-11-01", "--until", "2026-11-01").exit_code == 0


@pytest.mark.parametrize(
    ("command", "what", "what_zh"),
    [
        (["pay", "5511", "100", "--date"], "payment date", "还款日期"),
        (["settle", "5511", "--date"], "settlement date", "结清日期"),
    ],
)
def test_a_payment_or_settlement_before_the_missed_due_date_is_refused(
    li_wei, db_path, command, what, what_zh
):
    """5511 went overdue on 2026-10-20: a payment dated before it is already in what was
    owed then; counted again it would understate the debt. The due date itself counts."""
    from conftest import store_digest

    before = store_digest(db_path)
    r = li_wei(*command, "2026-10-19", ok=False)
    assert_clean_failure(r, exact=f"{what} 2026-10-19 is before the missed due date 2026-10-20")
    zh = li_wei("--lang", "zh", *command, "2026-10-19", ok=False)
    assert_clean_failure(zh, exact=f"{what_zh} 2026年10月19日 早于逾期的还款日 2026年10月20日")
    assert store_digest(db_path) == before
    li_wei(*command, "2026-10-20")


@pytest.mark.parametrize(
    ("rule", "flagged", "not_flagged"),
    [
        ("false-claim", {"claims": "arrest"}, {"claims": None}),
        ("visit-two-agents", {"channel": "visit", "agents": 1},
         {"channel": "visit", "agents": 2}),
        ("visit-two-agents", {"channel": "visit", "agents": 1}, {"channel": "visit"}),
        ("visit-two-agents", {"channel": "visit", "agents": 1}, {"channel": "call", "agents": 1}),
        ("visit-identification", {"channel": "visit", "credentials": "none"},
         {"channel": "visit", "credentials": "work-id"}),
        ("visit-identification", {"channel": "visit", "credentials": "authorization,none"},
         {"channel": "call", "credentials": "none"}),
        ("private-channel", {"channel": "wechat", "party": "agency"},
         {"channel": "wechat", "party": "bank"}),
        ("private-channel", {"channel": "wechat", "party": "agency"},
         {"channel": "wechat", "party": "agency", "direction": "out"}),
        ("private-channel", {"channel": "wechat", "party": "agency"},
         {"channel": "call", "party": "agency"}),
        ("abuse", {"flags": "threat"}, {"flags": "no-seal"}),
        ("letter-no-seal", {"flags": "insult,no-seal"}, {"flags": "insult"}),
    ],
)  # fmt: skip
def test_each_rule_flags_what_it_names_and_nothing_beside(rule, flagged, not_flagged):
    """One entry that breaks the rule and its nearest neighbour that does not: the number of
    agents at the door (two is enough), credentials of none among others, a private channel
    only from an agency and only to you, a flag among several."""
    assert rule in _flags(_entry(**flagged)).get(1, [])
    assert rule not in _flags(_entry(**not_flagged)).get(1, [])


def test_a_settled_window_flags_collection_after_settlement_only():
    """The same window kind decides the rule: a settlement's window is not an agreement's,
    and an impostor's call is not the bank collecting."""
    settled = {1: [Window("settled", "2026-11-02", None)]}
    assert _flags(_entry(), windows=settled)[1] == ["after-settlement"]
    assert "after-settlement" not in _flags(_entry(party="impostor"), windows=settled).get(1, [])
    assert "after-settlement" not in _flags(_entry(card_id=2), windows=settled).get(1, [])
