"""Amounts and dates as people type them: round-trips and refusals."""

import re
from datetime import date, timedelta

import pytest
from conftest import assert_clean_failure
from hypothesis import given
from hypothesis import strategies as st

from debtcli.dates import add_months, parse_date, parse_datetime
from debtcli.errors import BadInput
from debtcli.money import MAX_MINOR, format_amount, parse_amount, to_decimal_str

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("32000", 3_200_000),
        ("32,000.50", 3_200_050),
        ("¥32000", 3_200_000),
        ("￥32,000", 3_200_000),
        ("3.2万", 3_200_000),
        ("0.905万", 905_000),
        ("18300元", 1_830_000),
        (" 1,234,567.89 ", 123_456_789),
        # every prefix and unit the parser knows, in either case, with or without a space
        ("RMB 500", 50_000),
        ("rmb500", 50_000),
        ("CNY 1,000", 100_000),
        ("$12.50", 1_250),
        ("USD 3", 300),
        ("500块", 50_000),
        ("500 yuan", 50_000),
        ("500 YUAN", 50_000),
        ("1.5w", 1_500_000),
        ("1.5W", 1_500_000),
        ("2 万", 2_000_000),
        ("1.230", 123),  # a trailing zero is not a third decimal
        # 万 with a unit after it, as people write it (issue 38: refused before)
        ("6.24万元", 6_240_000),
        ("1.83万元", 1_830_000),
        ("2万块", 2_000_000),
        ("18300块钱", 1_830_000),
        ("1.5w元", 1_500_000),
        ("100,000,000", 100_000_000 * 100),  # the largest amount taken
    ],
)
def test_amount_forms(text, minor):
    assert parse_amount(text) == minor


def test_zero_is_taken_only_where_it_means_something():
    assert parse_amount("0", allow_zero=True) == 0
    assert parse_amount("¥0.00", allow_zero=True) == 0


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("-5", "amount '-5' is negative; enter what was owed or paid as a positive number",
         "金额 '-5' 是负数，请输入正数"),
        ("abc", "amount 'abc' is not a number (examples: 32000, 32,000.50, ¥32000, 3.2万)",
         "金额 'abc' 不是有效数字（例如 32000、32,000.50、¥32000、3.2万）"),
        ("1.234", "amount '1.234' has more than two decimals (fen/cents)",
         "金额 '1.234' 的小数超过两位（分）"),
        ("100,000,000.01", "amount '100,000,000.01' is too large to be a card debt; check the "
         "number", "金额 '100,000,000.01' 过大，不像信用卡欠款，请检查"),
        ("0", "amount '0' is zero", "金额 '0' 为零"),
    ],
)  # fmt: skip
def test_an_amount_refused_says_why_in_each_language(text, en, zh):
    with pytest.raises(BadInput) as exc:
        parse_amount(text)
    assert (exc.value.en, exc.value.zh) == (en, zh)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5", "negative"),
        ("1.234", "two decimals"),
        ("nan", "not a number"),
        ("inf", "not a number"),
        ("1e5", "not a number"),
        ("12,34", "not a number"),
        ("", "not a number"),
        ("999999999999", "too large"),
        ("0", "zero"),
    ],
)
def test_amount_refusals(text, why):
    with pytest.raises(BadInput) as exc:
        parse_amount(text)
    assert why in exc.value.en


@given(st.integers(min_value=1, max_value=MAX_MINOR))
def test_amount_round_trips_through_both_printed_forms(minor):
    assert parse_amount(to_decimal_str(minor)) == minor
    assert parse_amount(format_amount(minor, "CNY")) == minor


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_date_round_trips_in_every_accepted_form(d):
    for text in (d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"):
        assert parse_date(text, TODAY) == d


def test_relative_dates_and_impossible_ones():
    assert parse_date("today", TODAY) == TODAY
    assert parse_date("yesterday", TODAY) == date(2026, 11, 22)
    assert parse_date("昨天", TODAY) == date(2026, 11, 22)
    with pytest.raises(BadInput, match="does not exist"):
        parse_date("2026-02-30", TODAY)
    with pytest.raises(BadInput, match="not understood"):
        parse_date("next tuesday", TODAY)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("3天前", 3),
        ("3 天前", 3),
        ("12日前", 12),
        ("0天前", 0),
        ("1 day ago", 1),
        ("10 Days Ago", 10),
        ("１４天前", 14),
        ("大前天", 3),
        *((f"{word}天前", n) for n, word in enumerate("一二三四五六七八九十", 1)),
        ("两天前", 2),
    ],
)
def test_a_day_counted_back_from_today(text, back):
    """What a person says of a call a few days ago: 3天前, 三天前, 两天前, 3 days ago."""
    assert parse_date(text, TODAY) == TODAY - timedelta(days=back)
    assert (
        parse_datetime(text, TODAY).isoformat() == f"{TODAY - timedelta(days=back)}T12:00:00+08:00"
    )
    at = parse_datetime(f"{text} 晚上10点40", TODAY)
    assert at.isoformat() == f"{TODAY - timedelta(days=back)}T22:40:00+08:00"


@pytest.mark.parametrize("text", ["3天后", "天前", "十一天前", "3 day", "-3天前", "3天前天"])
def test_a_count_of_days_not_back_or_not_a_count_is_not_understood(text):
    with pytest.raises(BadInput, match="not understood"):
        parse_date(text, TODAY)


def test_a_count_of_days_back_before_1990_is_a_typo():
    with pytest.raises(BadInput) as exc:
        parse_date("20000天前", TODAY)
    assert exc.value.en == "date '20000天前' is before 1990: check the year"


def test_datetimes_carry_an_offset():
    dt = parse_datetime("2026-11-20 22:40", TODAY)
    assert dt.utcoffset() is not None and dt.hour == 22
    assert parse_datetime("22:40", TODAY).date() == TODAY
    assert parse_datetime("2026-11-20T22:40:00+08:00", TODAY).isoformat().endswith("+08:00")
    assert parse_datetime("2026-11-20", TODAY).hour == 12  # a date alone is midday


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=0, max_value=120),
)
def test_add_months_never_goes_backwards_and_keeps_the_day_when_it_can(d, n):
    import calendar

    later = add_months(d, n)
    assert (later.year - d.year) * 12 + later.month - d.month == n  # n calendar months on
    last = calendar.monthrange(later.year, later.month)[1]
    assert later.day == min(d.day, last)  # the same day, or the month's last when it has none


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        (6_240_000, "CNY", "¥62,400.00"),
        (5, "CNY", "¥0.05"),
        (-123_456, "CNY", "-¥1,234.56"),  # a refund or an overpayment
        (100_000, "USD", "$1,000.00"),
        (100_000, "EUR", "€1,000.00"),
        (100_000, "GBP", "£1,000.00"),
        (100_000, "HKD", "HK$1,000.00"),
        (100_000, "JPY", "1,000.00 JPY"),  # no symbol known: the code after the number
        (0, "CNY", "¥0.00"),
    ],
)
def test_amounts_are_shown_with_their_currency(minor, currency, shown):
    assert format_amount(minor, currency) == shown


def test_a_day_without_a_year_is_the_last_one_that_happened_or_refused():
    """8月5日 typed in January is last August's; 2月29日 typed in January of a leap year would be
    a 29 February of last year, which does not exist: refused, never moved to the 28th."""
    january = date(2028, 1, 10)
    assert parse_date("8月5日", january, past=True) == date(2027, 8, 5)
    assert parse_date("1月10日", january, past=True) == january  # today is not the future
    assert parse_date("8月5日", january) == date(2028, 8, 5)  # a due date: this year's
    assert parse_date("2月29日", date(2028, 3, 1), past=True) == date(2028, 2, 29)
    for today in (january, date(2027, 3, 10)):
        with pytest.raises(BadInput) as exc:
            parse_date("2月29日", today, past=True)
        assert (exc.value.en, exc.value.zh) == (
            "date '2月29日' does not exist on the calendar",
            "日期 '2月29日' 不存在",
        )


@pytest.mark.parametrize(
    ("text", "ok"),
    [("1990-01-01", True), ("1989-12-31", False), ("2100-12-31", True), ("2101-01-01", False)],
)
def test_the_plausible_years_are_1990_to_2100_both_included(text, ok):
    if ok:
        assert parse_date(text, TODAY).isoformat() == text
        return
    with pytest.raises(BadInput) as exc:
        parse_date(text, TODAY)
    assert (exc.value.en, exc.value.zh) == (
        (f"date '{text}' is before 1990: check the year", f"日期 '{text}' 早于 1990 年：请检查年份")
        if text < "1990"
        else (
            f"date '{text}' is after 2100: check the year",
            f"日期 '{text}' 晚于 2100 年：请检查年份",
        )
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-11-20T22:40:00Z", "2026-11-20T22:40:00+00:00"),
        ("2026-11-20 22:40:15+09:00", "2026-11-20T22:40:15+09:00"),
        ("2026-11-20T22:40+0900", "2026-11-20T22:40:00+09:00"),
        ("２０２６－１１－２０ ２２：４０", "2026-11-20T22:40:00+08:00"),  # full width, local
        ("2026年11月20日22点40分", "2026-11-20T22:40:00+08:00"),
        ("11月20日 上午9点半", "2026-11-20T09:30:00+08:00"),
        ("昨天 22.40", "2026-11-22T22:40:00+08:00"),
    ],
)
def test_a_time_as_typed_is_the_moment_meant_with_its_offset(text, iso):
    assert parse_datetime(text, TODAY).isoformat() == iso


@pytest.mark.parametrize("text", ["22,40", "22.4", "25:00", "昨天 25点", "2026-02-30 10:00"])
def test_a_time_not_read_exactly_is_refused(text):
    with pytest.raises(BadInput):
        parse_datetime(text, TODAY)


def test_a_time_that_does_not_exist_or_is_yet_to_come_is_refused_in_each_language():
    from debtcli.dates import parse_past_datetime

    with pytest.raises(BadInput) as exc:
        parse_datetime("2026-02-30 10:00", TODAY)
    assert (exc.value.en, exc.value.zh) == (
        "time '2026-02-30 10:00' does not exist",
        "时间 '2026-02-30 10:00' 不存在",
    )
    with pytest.raises(BadInput) as exc:
        parse_past_datetime("2026-11-24 00:01", TODAY)  # a fixed today: its whole day is past
    assert (exc.value.en, exc.value.zh) == (
        "time 2026-11-24 00:01 is in the future; log contacts after they happen",
        "时间 2026年11月24日 00:01 在未来；请在联系发生后记录",
    )
    # ...through the midnight that ends it: 晚上12点 of that day is not yet to come
    assert parse_past_datetime("晚上12点", TODAY).isoformat() == "2026-11-24T00:00:00+08:00"


@pytest.mark.parametrize(
    ("text", "today", "iso"),
    [
        ("2026-11-20", TODAY, "2026-11-20T12:00:00+08:00"),  # a date alone: noon exactly
        ("today", TODAY, "2026-11-23T12:00:00+08:00"),
        ("Yesterday", TODAY, "2026-11-22T12:00:00+08:00"),
        ("12月5日", date(2027, 1, 10), "2026-12-05T12:00:00+08:00"),  # the last 5 December
    ],
)
def test_a_day_alone_is_noon_of_the_day_meant(text, today, iso):
    assert parse_datetime(text, today).isoformat() == iso


def test_an_iso_time_before_1990_names_what_was_typed():
    with pytest.raises(BadInput) as exc:
        parse_datetime("1989-12-31 10:00", TODAY)
    assert exc.value.en == "date '1989-12-31 10:00' is before 1990: check the year"


def test_a_day_and_time_without_a_year_is_the_last_that_happened():
    assert parse_datetime("12月5日 22:40", date(2027, 1, 10)).isoformat() == (
        "2026-12-05T22:40:00+08:00"
    )


@pytest.mark.parametrize("text", ["下周 22:40", "blah 22:40", "22:40 tomorrow"])
def test_a_time_whose_day_is_not_understood_names_what_was_typed(text):
    """The clock is read but the day before it is not: the refusal quotes the whole input,
    so the user sees which part to fix."""
    with pytest.raises(BadInput) as exc:
        parse_datetime(text, TODAY)
    assert exc.value.en.startswith(f"time {text!r} is not understood")
    assert exc.value.zh.startswith(f"无法识别时间 {text!r}")


def test_a_day_yet_to_come_is_refused_in_each_language(li_wei):
    """The default words (date / 日期), the day as a Chinese sentence says it."""
    for lang, exact in (
        ("en", "date 2027-01-01 is in the future (today is 2026-11-23)"),
        ("zh", "日期 2027年1月1日 在未来（今天是 2026年11月23日）"),
    ):
        r = li_wei("--lang", lang, "agree", "4821", "--months", "12", "--monthly", "1000",
                   "--first-due", "2027-02-01", "--date", "2027-01-01", ok=False)  # fmt: skip
        assert_clean_failure(r, exact=exact)


def test_a_day_and_month_without_a_year_is_the_last_one_that_happened(li_wei):
    li_wei("card", "add", "--bank", "建设银行", "--last4", "9001")
    li_wei("overdue", "9001", "--since", "9月20日", "--amount", "5000")
    assert li_wei.json("card", "show", "9001")["episodes"][0]["since"] == "2026-09-20"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_day_and_month_more_than_half_a_year_away_is_refused_not_guessed(li_wei, lang):
    """Typed on 23 November: 12月20日 for something that happened would be last December (338
    days overdue), 1月7日 for a first installment this past January, in a letter. Neither is
    guessed: the year is asked for (issue 38)."""
    li_wei("card", "add", "--bank", "建设银行", "--last4", "9001")
    r = li_wei("--lang", lang, "overdue", "9001", "--since", "12月20日", "--amount", "5000",
               ok=False)  # fmt: skip
    assert_clean_failure(r, says="2025年12月20日")
    assert ("write the year" if lang == "en" else "请写上年份") in r.stderr
    r = li_wei("--lang", lang, "log", "add", "4821", "--channel", "call", "--at",
               "12月20日 晚上10点", ok=False)  # fmt: skip
    assert_clean_failure(r, says="12月20日")


def test_a_first_installment_without_a_year_is_the_next_one(li_wei, tmp_path):
    """1月7日 typed on 23 November is next January's first installment, in the letter too."""
    out = tmp_path / "letter.md"
    li_wei("--lang", "zh", "letter", "make", "分期", "4821", "--months", "36", "--monthly",
           "1800", "--first", "1月7日", "--name", "李伟", "--phone", "138", "-o", out)  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "2027年1月7日" in text and "2026年1月7日" not in text


def test_a_call_three_days_ago_is_logged_and_listed_by_days_back(li_wei):
    """The way a frightened person says it, in either language: 三天前 晚上10点40 is logged on
    the day meant, breaks the quiet hours, and `--since 3天前` finds it."""
    r = li_wei(
        "--lang", "zh", "log", "add", "4821", "--channel", "电话", "--at", "三天前 晚上10点40"
    )
    assert "2026年11月20日 22:40" in r.stdout and "22:00" in r.stdout
    listed = li_wei.json("log", "list", "4821", "--since", "3 days ago")
    assert [e["at"] for e in listed] == ["2026-11-20T22:40:00+08:00"]


def test_a_contact_logged_now_is_stored_to_the_second(li_wei):
    li_wei("log", "add", "4821", "--channel", "call")
    at = li_wei.json("log", "list", "4821")[-1]["at"]
    assert re.fullmatch(r"2026-11-23T\d\d:\d\d:\d\d\+08:00", at), at


def test_on_the_real_clock_the_current_minute_is_past_and_two_minutes_on_is_not(
    li_wei, monkeypatch
):
    """A minute's slack for clocks, no more: the minute now is taken, one two minutes on is
    refused (full dates, so that midnight changes nothing)."""
    from datetime import datetime, timedelta

    monkeypatch.delenv("DEBTCLI_TODAY")
    now = datetime.now()
    li_wei("log", "add", "4821", "--channel", "call", "--at", f"{now:%Y-%m-%d %H:%M}")
    later = now + timedelta(minutes=2)
    r = li_wei("log", "add", "4821", "--channel", "call", "--at", f"{later:%Y-%m-%d %H:%M}",
               ok=False)  # fmt: skip
    assert_clean_failure(r, says="is in the future")


@pytest.mark.parametrize("said", ["我妈", "我爸", "老婆", "我老公", "女儿", "哥哥"])
def test_whom_they_reached_in_the_words_people_use(cli, said):
    """Issue 38: 我妈 at "他们联系了谁" was refused."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("log", "add", "4821", "--channel", "call", "--party", "agency", "--contacted", said,
        "--at", "2026-11-20 10:00")  # fmt: skip
    assert cli.json("log", "list")[0]["contacted"] == "family"


def test_strategy_and_timeline_kinds_in_chinese_words(li_wei):
    """Issue 38: `plan --strategy 按比例` and `timeline --kind 还款` were refused."""
    li_wei("pay", "4821", "1000", "--date", "2026-11-01")
    said = li_wei("--lang", "zh", "timeline", "4821", "--kind", "还款").stdout
    assert "还款 ¥1,000.00" in said and "逾期" not in said.split("今天")[0].split("\n", 1)[1]
    a = li_wei.json("plan", "--income", "20000", "--expenses", "5000", "--strategy", "先还小额")
    b = li_wei.json("plan", "--income", "20000", "--expenses", "5000", "--strategy", "snowball")
    assert a == b
    r = li_wei("--lang", "zh", "plan", "--income", "9000", "--expenses", "6000", "--strategy", "乱来",
               ok=False)  # fmt: skip
    assert r.exit_code == 2 and "先还小额" in r.stderr
