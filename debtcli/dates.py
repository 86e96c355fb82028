"""Dates and times as people type them, and the one notion of "today" every computation uses.

Dates: 2026-08-05, 2026/8/5, 2026.8.5, 2026年8月5日, today/今天, yesterday/昨天.
Date-times add a time: "2026-11-20 22:40", "yesterday 22:40", "22:40" (today), or ISO 8601
with an offset. A time without an offset is local time and is stored with the local offset.
"""

import re
from datetime import date, datetime, time, timedelta

from debtcli.errors import BadInput

# Patterns, compiled by re on first use (and cached there), so importing this module is cheap.
_DATE = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"
_TIME = r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$"
_RELATIVE = {"today": 0, "今天": 0, "yesterday": 1, "昨天": 1}


def parse_date(text: str, today: date) -> date:
    s = str(text).strip().lower()
    if s in _RELATIVE:
        return today - timedelta(days=_RELATIVE[s])
    m = re.match(_DATE, s)
    if not m:
        raise BadInput(
            f"date {text!r} is not understood (examples: 2026-08-05, 2026/8/5, 2026年8月5日, today)",
            f"无法识别日期 {text!r}（例如 2026-08-05、2026/8/5、2026年8月5日、today）",
        )
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise BadInput(
            f"date {text!r} does not exist on the calendar", f"日期 {text!r} 不存在"
        ) from exc


def parse_past_date(text: str, today: date, what: str = "date", what_zh: str = "日期") -> date:
    """A date of something that already happened: the future is refused."""
    d = parse_date(text, today)
    if d > today:
        raise BadInput(
            f"{what} {d.isoformat()} is in the future (today is {today.isoformat()})",
            f"{what_zh} {d.isoformat()} 在未来（今天是 {today.isoformat()}）",
        )
    return d


def local_now(today: date) -> datetime:
    """Now, with the local UTC offset; on a fixed --today, that day at the current clock time."""
    now = datetime.now().astimezone()
    if now.date() != today:
        now = datetime.combine(today, now.time().replace(microsecond=0)).astimezone()
    return now.replace(microsecond=0)


def with_local_offset(naive: datetime) -> datetime:
    return naive.astimezone() if naive.tzinfo is None else naive


def parse_datetime(text: str, today: date) -> datetime:
    """A point in time with its UTC offset."""
    s = str(text).strip()
    if s.lower() in _RELATIVE or re.match(_DATE, s):
        # A date alone: the hour is unknown, so midday, which never trips the quiet-hours rule.
        return with_local_offset(datetime.combine(parse_date(s, today), time(12, 0)))
    try:
        dt = datetime.fromisoformat(s)
        return with_local_offset(dt)
    except ValueError:
        pass
    parts = s.split()
    if len(parts) == 1 and re.match(_TIME, parts[0]):
        parts = ["today", parts[0]]
    if len(parts) == 2 and (m := re.match(_TIME, parts[1])):
        day = parse_date(parts[0], today)
        h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        try:
            t = time(h, mi, sec)
        except ValueError as exc:
            raise BadInput(f"time {parts[1]!r} does not exist", f"时间 {parts[1]!r} 不存在") from exc
        return with_local_offset(datetime.combine(day, t))
    raise BadInput(
        f"time {text!r} is not understood (examples: '2026-11-20 22:40', 'yesterday 22:40', '22:40')",
        f"无法识别时间 {text!r}（例如 '2026-11-20 22:40'、'昨天 22:40'、'22:40'）",
    )


def parse_past_datetime(text: str, today: date, now: datetime | None = None) -> datetime:
    dt = parse_datetime(text, today)
    if dt > (now or local_now(today)) + timedelta(minutes=1):
        raise BadInput(
            f"time {dt.isoformat()} is in the future; log contacts after they happen",
            f"时间 {dt.isoformat()} 在未来；请在联系发生后记录",
        )
    return dt


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)
