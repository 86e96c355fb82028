"""iCalendar (RFC 5545) for upcoming dates, with reminders. Pure text, no dependency."""

import hashlib
from datetime import date, timedelta
from typing import Any

# How many days ahead a phone should remind, by kind.
REMIND_DAYS = {"installment": 3, "stage": 7, "legal": 14}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space."""
    out: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode()
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += b
    out.append(current.decode())
    return [out[0]] + [" " + part for part in out[1:]]


def to_ics(events: list[dict[str, Any]], today: date) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//debtcli//debtcli//EN",
        "CALSCALE:GREGORIAN",
    ]
    stamp = today.strftime("%Y%m%dT000000Z")
    for e in events:
        day = date.fromisoformat(e["at"][:10])
        uid = hashlib.sha256(f"{e['card']}|{e['kind']}|{e['at']}|{e['title']}".encode())
        summary = f"****{e['card']}: {e['title']}"
        remind = REMIND_DAYS.get(e["kind"], 3)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid.hexdigest()[:32]}@debtcli",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary)}",
            f"CATEGORIES:{e['kind']}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_escape(summary)}",
            f"TRIGGER:-P{remind}D",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
