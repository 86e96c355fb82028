"""What a redacted evidence bundle hides, found in free text: phone numbers however they are
written (dots, spaces, full-width dashes, +86), landlines, 18-digit ID numbers, bank card
numbers, e-mail addresses, WeChat IDs, any other run of seven or more digits, and the names the
user listed (with every agent name in the log). Dates and amounts stay: they are the point of a
post. Pure: text in, text out.
"""

import re
import unicodedata
from collections.abc import Iterable

MASK = "***"

_SEP = r"[\s.\-‐‑‒–—―－ー·]?"  # what people put between digit groups, full-width too
_PATTERNS = (
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail
    r"(?i:wxid_[a-z0-9_-]{4,})",  # a WeChat internal id
    r"(?i:(?:微信号?|wechat(?:\s*id)?|vx|wx)\s*[:：]?\s*[a-z][\w-]{5,19})",  # a WeChat id given
    r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"(?![\dA-Za-z])",  # an 18-digit ID number
    rf"(?<!\d)(?:(?:\+|00)?86{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}}(?!\d)",  # a mobile
    rf"(?<!\d)\(?0\d{{2,3}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}(?:转\d+)?(?!\d)",  # a landline
    rf"(?<!\d)\d{{4}}(?:{_SEP}\d{{4}}){{2,3}}(?:{_SEP}\d{{1,3}})?(?!\d)",  # a card, grouped
)
_DIGITS = re.compile(r"(?<![\d.,¥$])\d{7,}(?![\d.,]*\s*[元块])")  # any other long number


def _compiled() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


_ANY: re.Pattern[str] | None = None


def _is_date(digits: str) -> bool:
    """20261120: a date written without separators is kept."""
    from datetime import date

    if len(digits) != 8 or digits[:2] not in ("19", "20"):
        return False
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def mask_text(text: str | None, names: Iterable[str] = ()) -> str | None:
    """text with everything that identifies a person replaced by ***. Full-width digits and
    letters are read as their plain forms (NFKC) first, so １３８ is found like 138."""
    global _ANY
    if not text:
        return text
    if _ANY is None:
        _ANY = _compiled()
    out = unicodedata.normalize("NFKC", text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        out = out.replace(unicodedata.normalize("NFKC", name), MASK)
    out = _ANY.sub(MASK, out)
    return _DIGITS.sub(lambda m: m.group() if _is_date(m.group()) else MASK, out)
