"""Dates and times as people type them, and the one notion of "today" every computation uses.

Everything typed goes through `normalize` first (NFKC: full-width digits and punctuation become
ASCII, so ２０２６－０８－０５ is 2026-08-05). Dates: 2026-08-05, 2026/8/5, 2026.8.5, 2026年8月5日,
2026年8月5号, 8月5日 (this year; for something that happened, the last such day), today/今天,
yesterday/昨天, 前天, 大前天, and days back: 3天前, 三天前, 3 days ago. Times: 22:40, 22.40,
22点40(分), 晚上10点40, 下午3点, 上午9点半 (晚上12点 is the midnight that ends the evening), after a
date with or without a space, or alone (today). A time is read exactly or refused: 22,40 and 22.4
are errors, never 22:00. A time without an offset is local time and is stored with the local
offset.
"""

import functools
import re
from datetime import date, datetime, time, timedelta

from debtcli.errors import BadInput

EARLIEST = date(1990, 1, 1)  # no card debt anyone still carries began before this
LATEST = date(2100, 12, 31)

# Patterns, compiled by re on first use (and cached there), so importing this module is cheap.
_DATE = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$"
_MONTH_DAY = r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"
_PERIODS = "凌晨|半夜|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间"
_TIME = (
    rf"(?P<period>{_PERIODS})?\s*(?P<h>\d{{1,2}})\s*(?:"
    r"[:.]\s*(?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"|[点时]\s*(?:(?P<half>半)|(?P<m2>\d{1,2})\s*分?)?)$"
)
_ISO = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
_RELATIVE = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "yesterday": 1,
    "昨天": 1,
    "昨日": 1,
    "前天": 2,
    "大前天": 3,
}
_NUMERALS = {w: n for n, w in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_DAYS_AGO = rf"^(\d{{1,5}}|[{''.join(_NUMERALS)}])\s*(?:天前|日前|days? ago)$"
_AFTERNOON = ("下午", "傍晚", "晚上", "夜里", "夜间")
_NIGHT = ("晚上", "夜里", "夜间", "半夜")  # 12 of these is midnight, at the evening's end


def normalize(text: object) -> str:
    """What a person typed, with full-width forms folded to ASCII and the ends trimmed."""
    import unicodedata

    return unicodedata.normalize("NFKC", str(text)).strip()


def _not_understood(text: str) -> BadInput:
    return BadInput(
        f"date {text!r} is not understood (examples: 2026-08-05, 2026/8/5, 2026年8月5日, "
        "8月5日, today)",
        f"无法识别日期 {text!r}（例如 2026-08-05、2026/8/5、2026年8月5日、8月5日、今天）",
    )


def check_plausible(d: date, text: str) -> date:
    if d < EARLIEST:
        raise BadInput(
            f"date {text!r} is before 1990: check the year",
            f"日期 {text!r} 早于 1990 年：请检查年份",
        )
    if d > LATEST:
        raise BadInput(
            f"date {text!r} is after 2100: check the year",
            f"日期 {text!r} 晚于 2100 年：请检查年份",
        )
    return d


def _days_back(s: str) -> int | None:
    """How many days before today a day said that way is (昨天, 3天前, 三天前, 3 days ago), or
    None when it is not said that way. s: normalized and lower-cased."""
    if s in _RELATIVE:
        return _RELATIVE[s]
    if m := re.match(_DAYS_AGO, s):
        return _NUMERALS.get(m[1]) or int(m[1])
    return None


YEARLESS_REACH = 183  # days: a day and month alone are read within half a year of today


def parse_date(
    text: str, today: date, *, past: bool = False, future: bool = False, near: bool = False
) -> date:
    """A calendar date. A day and month without a year (8月5日) are this year's, except:
    `past` (a day that has happened) reads the last one on or before today, `future` (a first
    installment) the next one on or after today, `near` (either) the one nearest today; and a
    reading more than half a year from today is then refused, asking for the year: 12月20日
    typed on 7 December is not guessed to be last year's, nor 1月7日 this past January's."""
    s = normalize(text).lower()
    if (back := _days_back(s)) is not None:
        return check_plausible(today - timedelta(days=back), str(text))
    yearless = False
    if m := re.match(_DATE, s):
        y, mo, d = (int(g) for g in m.groups())
    elif m := re.match(_MONTH_DAY, s):
        y, (mo, d), yearless = today.year, (int(g) for g in m.groups()), True
    else:
        raise _not_understood(str(text))
    if yearless and past and (mo, d) > (today.month, today.day):
        y -= 1  # not yet this year: the last one that happened
    if yearless and future and (mo, d) < (today.month, today.day):
        y += 1  # gone this year: the next one
    try:
        day = date(y, mo, d)
        if yearless and near:
            day = min(
                (date(y + k, mo, d) for k in (-1, 0, 1) if _exists(y + k, mo, d)),
                key=lambda c: abs((c - today).days),
            )
    except ValueError as exc:  # 30 February; 29 February in a year without one
        raise BadInput(
            f"date {text!r} does not exist on the calendar", f"日期 {text!r} 不存在"
        ) from exc
    if yearless and (past or future or near) and abs((day - today).days) > YEARLESS_REACH:
        years = f"{day.year}年{mo}月{d}日"
        raise BadInput(
            f"date {text!r} has no year and would be {day.isoformat()}, more than half a year "
            f"from today: write the year (e.g. {years})",
            f"日期 {text!r} 没有写年份，按此理解是 {show_day(day, 'zh')}，离今天超过半年：请写上年份"
            f"（例如 {years}）",
        )
    return check_plausible(day, str(text))


def _exists(y: int, mo: int, d: int) -> bool:
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return True


def parse_past_date(text: str, today: date, what: str = "date", what_zh: str = "日期") -> date:
    """A date of something that already happened: the future is refused."""
    d = parse_date(text, today, past=True)
    if d > today:
        raise BadInput(
            f"{what} {d.isoformat()} is in the future (today is {today.isoformat()})",
            f"{what_zh} {show_day(d, 'zh')} 在未来（今天是 {show_day(today, 'zh')}）",
        )
    return d


def local_now(today: date) -> datetime:
    """Now, with the local UTC offset; on a fixed --today, that day at the current clock time."""
    now = datetime.now().astimezone()
    if now.date() != today:
        now = datetime.combine(today, now.time().replace(microsecond=0)).astimezone()
    return now.replace(microsecond=0)


def latest_allowed(today: date) -> datetime:
    """The latest moment a past event may have: now (a minute's slack for clocks); on a fixed
    --today other than the real one, the end of that whole day, so the same import passes or
    fails the same way whatever the hour it runs."""
    now = datetime.now().astimezone()
    if now.date() == today:
        return now + timedelta(minutes=1)
    return datetime.combine(today + timedelta(days=1), time()).astimezone()


def days_overdue(since: date, on: date) -> int:
    """Days overdue on a day: the day after the missed due date (`since`) is day 1, the due
    date itself day 0, and a day before it is not overdue at all. The one count the stages,
    the card's position and every message use."""
    return max(0, (on - since).days)


def day_start_utc(day: date) -> str:
    """00:00 local time on a day, as a UTC timestamp like contacts.at_utc: the one place a
    local day becomes a bound on stored times."""
    from datetime import UTC

    return datetime.combine(day, time()).astimezone().astimezone(UTC).isoformat()


def day_range(since: str | None, until: str | None, today: date) -> tuple[date | None, date | None]:
    """--since and --until as typed (either may be left out), refused when they are the wrong
    way round: a range that ends before it starts would show nothing and say nothing."""
    lo = parse_date(since, today) if since else None
    hi = parse_date(until, today) if until else None
    if lo and hi and lo > hi:
        raise BadInput(
            f"--since {lo.isoformat()} is after --until {hi.isoformat()}",
            f"--since {lo.isoformat()} 晚于 --until {hi.isoformat()}",
        )
    return lo, hi


def days_utc(since: str | None, until: str | None, today: date) -> tuple[str | None, str | None]:
    """--since and --until as typed (both days included) as UTC bounds: from 00:00 local on
    the first day, up to (not including) 00:00 local after the last."""
    lo, hi = day_range(since, until, today)
    return (
        day_start_utc(lo) if lo else None,
        day_start_utc(hi + timedelta(days=1)) if hi else None,
    )


def with_local_offset(naive: datetime) -> datetime:
    return naive.astimezone() if naive.tzinfo is None else naive


def _bad_time(text: str) -> BadInput:
    return BadInput(
        f"time {text!r} is not understood (examples: '2026-11-20 22:40', '昨天 晚上10点40', "
        "'22:40'); nothing was saved",
        f"无法识别时间 {text!r}（例如 '2026-11-20 22:40'、'昨天 晚上10点40'、'22:40'）；未保存",
    )


def _clock(m: re.Match, text: str) -> tuple[time, int]:
    """The clock time meant, and the days after the date typed it falls on: 晚上12点 (also
    夜里, 夜间, 半夜) is the midnight that ends that evening, the next day's 00:00; 凌晨12点 the
    midnight that begins the day; 下午12点 and 中午12点 noon."""
    h = int(m["h"])
    minute = int(m["m"] or m["m2"] or 0) + (30 if m["half"] else 0)
    second = int(m["s"] or 0)
    period, later = m["period"], 0
    if period in _NIGHT and h == 12:
        h, later = 0, 1
    elif (period in _AFTERNOON and h < 12) or (period == "中午" and h < 11):
        h += 12
    elif period == "凌晨" and h == 12:
        h = 0
    try:
        return time(h, minute, second), later
    except ValueError as exc:
        raise BadInput(f"time {text!r} does not exist", f"时间 {text!r} 不存在") from exc


def parse_datetime(text: str, today: date) -> datetime:
    """A point in time with its UTC offset."""
    s = normalize(text)
    if re.match(_ISO, s):  # first: the form an import has on every row
        try:
            dt = with_local_offset(datetime.fromisoformat(s.replace(" ", "T")))
        except ValueError as exc:
            raise BadInput(f"time {text!r} does not exist", f"时间 {text!r} 不存在") from exc
        check_plausible(dt.date(), str(text))
        return dt
    low = s.lower()
    if _days_back(low) is not None or re.match(_DATE, low) or re.match(_MONTH_DAY, low):
        # A date alone: the hour is unknown, so midday, which never trips the quiet-hours rule.
        return with_local_offset(datetime.combine(parse_date(s, today, past=True), time(12, 0)))
    m = re.search(_TIME, s)
    if m is None:
        raise _bad_time(str(text))
    head = s[: m.start()].strip()
    try:
        day = parse_date(head, today, past=True) if head else today
    except BadInput:
        raise _bad_time(str(text)) from None
    clock, later = _clock(m, str(text))
    return with_local_offset(datetime.combine(day + timedelta(days=later), clock))


def parse_past_datetime(text: str, today: date, limit: datetime | None = None) -> datetime:
    """A point in time that has passed: after `limit` (default latest_allowed(today); an
    import computes it once) is refused."""
    dt = parse_datetime(text, today)
    if dt > (limit or latest_allowed(today)):
        raise BadInput(
            f"time {show_time(dt.isoformat(), 'en')} is in the future; log contacts after "
            "they happen",
            f"时间 {show_time(dt.isoformat(), 'zh')} 在未来；请在联系发生后记录",
        )
    return dt


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    from dateutil.relativedelta import relativedelta

    return d + relativedelta(months=months)


def add_years(d: date, years: int) -> date:
    from dateutil.relativedelta import relativedelta

    return d + relativedelta(years=years)


def show_day(d: date, lang: str) -> str:
    """A date as people read it: 2026年11月14日 in Chinese, 2026-11-14 in English."""
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def offset_note(at: datetime, lang: str) -> str:
    """'' when a stored time's UTC offset is this machine's at that moment (nearly always);
    else the offset, so that 10:15 recorded abroad is not read as 10:15 here."""
    offset = at.utcoffset()
    if offset is None or at.astimezone().utcoffset() == offset:
        return ""
    z = at.strftime("%z")
    return f"（UTC{z[:3]}:{z[3:]}）" if lang == "zh" else f" (UTC{z[:3]}:{z[3:]})"


@functools.lru_cache(maxsize=4096)
def day_text(day: str, lang: str) -> str:
    """A stored day (2026-08-05) as show_day writes it; cached (a long report shows many)."""
    return show_day(date.fromisoformat(day), lang)


@functools.lru_cache(maxsize=4096)
def _hour_note(hour: str, offset: str, lang: str) -> str:
    """offset_note for any time in that hour with that offset (offsets change on the hour)."""
    return offset_note(datetime.fromisoformat(f"{hour}:00:00{offset}"), lang)


def show_time(at: str, lang: str) -> str:
    """A stored time (ISO 8601 with its offset) as people read it: 2026年11月14日 10:15, or
    2026-11-14 10:15; the wall clock it was recorded in, its offset only when it differs from
    the user's own. (A report of a long log shows a hundred thousand: the day's text and the
    offset's are worked out once each.)"""
    offset = at[19:]
    if len(at) == 25 and offset[0] in "+-" and offset[3] == ":":
        return f"{day_text(at[:10], lang)} {at[11:16]}{_hour_note(at[:13], offset, lang)}"
    dt = datetime.fromisoformat(at)
    return f"{show_day(dt.date(), lang)} {dt:%H:%M}{offset_note(dt, lang)}"


def show_instant(at: datetime, lang: str) -> str:
    """An instant from elsewhere (a timestamp authority's, in UTC) on the user's own clock."""
    return show_time(at.astimezone().isoformat(timespec="seconds"), lang)
