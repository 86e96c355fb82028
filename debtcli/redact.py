"""What a redacted evidence bundle hides, found in free text: phone numbers however they are
written (spaces, dots, dashes, slashes, underscores, parentheses, invisible characters, a
separator between every digit, Chinese numerals, full-width forms, +86), landlines (+86 755 …
too), 18-digit ID numbers, bank card numbers, e-mail addresses, WeChat IDs and QQ numbers
given as such, any other run of seven or more digits, and the names the user listed (with every
agent name in the log) in any letter case and with or without spaces. Dates and amounts stay:
they are the point of a post. Pure: text in, text out.
"""

import re
import unicodedata
from collections.abc import Iterable

MASK = "***"

# What people put between digit groups (full-width forms are folded by NFKC first): spaces,
# dots, dashes, slashes, underscores, a middle dot, parentheses, up to a few of them at once.
_SEP = r"[\s.\-‐‑‒–—―ー·/_()、，,~*：:|;'’]{0,5}"
_D = rf"{_SEP}\d"  # one more digit, perhaps after a separator (1-3-8-1 groupings too)
_PATTERNS = (
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail
    r"(?i:wxid_[a-z0-9_-]{4,})",  # a WeChat internal id
    # a WeChat id given: 微信号是…, V信 …, 威信, vx: …
    r"(?i:(?:微\s*信(?:\s*号)?|威\s*信|薇\s*信|[vw]\s*信|wechat|v\s*x|w\s*x)\s*(?:号|id)?\s*"
    r"(?:是|为|:|：)?\s*[a-z][\w-]{5,19})",
    r"(?i:(?:qq|扣扣)\s*(?:号码?)?\s*(?:是|为|:|：)?\s*[1-9]\d{4,11})",  # a QQ number given
    rf"(?<![\dA-Za-z])\d{{6}}{_SEP}(?:18|19|20)\d{{2}}{_SEP}(?:0[1-9]|1[0-2]){_SEP}"
    rf"(?:0[1-9]|[12]\d|3[01]){_SEP}\d{{3}}[\dXx](?![\dA-Za-z])",  # an 18-digit ID number
    # a mobile, with +86 / 0086 / (86) before it or not
    rf"(?<!\d)(?:\(?(?:\+|00)?86\)?{_SEP})?\(?1{_SEP}[3-9](?:{_D}){{9}}(?!\d)",
    # a landline: (0755) 8888-1234, 010-12345678, +86 755 8888 1234 (the 0 dropped after +86)
    rf"(?<!\d)(?:\(?0\d{{2,3}}\)?|\(?(?:\+|00)86\)?{_SEP}(?:\(0\))?{_SEP}\(?[1-9]\d{{1,2}}\)?){_SEP}"
    rf"\d{{3,4}}{_SEP}\d{{4}}(?:转\d+)?(?!\d)",
    rf"(?<!\d)\d{{4}}(?:{_SEP}\d{{4}}){{2,3}}(?:{_SEP}\d{{1,3}})?(?!\d)",  # a card, grouped
)
# Any other long number; not a decimal's tail (3.1415926) nor an amount (1234567 元).
_DIGITS = re.compile(
    r"(?<!\d[.,])(?<![\d¥$￥])(?<!¥ )(?<!￥ )(?<!RMB)(?<!RMB )(?<!CNY)(?<!CNY )"
    r"\d{7,}(?![\d,]*\.\d)(?![\d.,]*\s*[元块])"
)
# Characters that show nothing: a number with them inside must still be found.
_INVISIBLE = dict.fromkeys(
    [0xAD, 0x34F, 0x61C, 0x180B, 0x180C, 0x180D, 0x180E, 0xFEFF,
     *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070),
     *range(0xFE00, 0xFE10)]
)  # fmt: skip
# Chinese numerals as digits, one character for one, so a match maps back to the text shown.
_NUMERALS = str.maketrans(
    "〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖两貳參陸兩拐洞", "0012345678911234567892236270"
)


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


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A listed name as it may be written: any letter case, spaces (or none) between its
    characters, full-width forms folded. None for a name too short to mask (check_names)."""
    chars = [c for c in unicodedata.normalize("NFKC", name) if not c.isspace()]
    if len(chars) < 2:
        return None
    return re.compile(r"\s*".join(map(re.escape, chars)), re.IGNORECASE)


def check_names(names: Iterable[str]) -> list[str]:
    """The names given to --mask, each at least two characters: one character would hide that
    character everywhere (or nothing, silently)."""
    from debtcli.errors import BadInput

    out = []
    for n in names:
        if name_pattern(n) is None:
            raise BadInput(
                f"--mask {n!r}: give a name of at least two characters (one would mask that "
                "character everywhere)",
                f"--mask {n!r}：请给出至少两个字的名字（一个字会把这个字到处都遮盖掉）",
            )
        out.append(n)
    return out


def mask_text(text: str | None, names: Iterable[str] = ()) -> str | None:
    """text with everything that identifies a person replaced by ***. The text is normalised
    before matching: full-width forms read as plain ones (NFKC), invisible characters dropped,
    Chinese numerals read as digits (一三八… is a number too); what is masked is the span of
    the text shown."""
    global _ANY
    if not text:
        return text
    if _ANY is None:
        _ANY = _compiled()
    out = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    patterns = [p for p in map(name_pattern, set(names)) if p is not None]
    spans = [m.span() for p in patterns for m in p.finditer(out)]
    probe = out.translate(_NUMERALS)
    spans += [m.span() for m in _ANY.finditer(probe)]
    spans += [m.span() for m in _DIGITS.finditer(probe) if not _is_date(m.group())]
    spans = [(a, b) for a, b in spans if not _only_dates(probe[a:b])]
    if not spans:
        return text  # nothing to mask: the text as recorded, not a normalised copy of it
    return _masked_spans(out, spans)


def _only_dates(found: str) -> bool:
    """20260103-20261231: a run of digits that is dates written without separators (an
    e-mail, a QQ or WeChat id that looks like a birthday is never kept)."""
    if not re.fullmatch(r"[\d\s./-]+", found):
        return False
    digits = re.sub(r"\D", "", found)
    return (
        bool(digits)
        and len(digits) % 8 == 0
        and all(_is_date(digits[i : i + 8]) for i in range(0, len(digits), 8))
    )


def _masked_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """text with each span (overlapping ones merged) replaced by one MASK."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    parts, at = [], 0
    for a, b in merged:
        parts += [text[at:a], MASK]
        at = b
    return "".join([*parts, text[at:]])
