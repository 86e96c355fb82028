"""Money as integer minor units (fen, cents). Never a float.

Input forms: 32000, 32,000.50, ¥32000, ￥32,000, 32000元, 3.2万, 3.2万元, 1.5w. Output: ¥62,400.00.
"""

import re

from debtcli.errors import BadInput

# 100 million yuan: far above any personal card debt, far below where integers get silly.
MAX_MINOR = 100_000_000 * 100

_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}
# Patterns, compiled by re on first use, so read paths that print amounts never pay for them.
_PREFIX = r"(?i)^(?:¥|￥|\$|rmb|cny|usd)\s*"
_SUFFIX_UNIT = r"(?i)\s*(万|w)?\s*(元|块|块钱|yuan)?$"
_NUMBER = r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$"


def parse_amount(text: str, *, allow_zero: bool = False) -> int:
    """Parse what a person types into minor units. Raises BadInput with the reason."""
    from decimal import Decimal  # here, not at import: read paths skip it

    from debtcli.dates import normalize

    raw = str(text)
    s = normalize(raw)
    s = re.sub(_PREFIX, "", s)
    multiplier = Decimal(1)
    m = re.search(_SUFFIX_UNIT, s)  # 6.24万, 6.24万元, 18300块, 500元
    if m and m.group(0):
        if m.group(1):
            multiplier = Decimal(10_000)
        s = s[: m.start()]
    s = s.strip()
    if s.startswith("-"):
        raise BadInput(
            f"amount {raw!r} is negative; enter what was owed or paid as a positive number",
            f"金额 {raw!r} 是负数，请输入正数",
        )
    if not re.match(_NUMBER, s):
        raise BadInput(
            f"amount {raw!r} is not a number (examples: 32000, 32,000.50, ¥32000, 3.2万)",
            f"金额 {raw!r} 不是有效数字（例如 32000、32,000.50、¥32000、3.2万）",
        )
    minor = Decimal(s.replace(",", "")) * multiplier * 100  # _NUMBER: digits Decimal reads
    if minor != minor.to_integral_value():
        raise BadInput(
            f"amount {raw!r} has more than two decimals (fen/cents)",
            f"金额 {raw!r} 的小数超过两位（分）",
        )
    result = int(minor)
    if result > MAX_MINOR:
        raise BadInput(
            f"amount {raw!r} is too large to be a card debt; check the number",
            f"金额 {raw!r} 过大，不像信用卡欠款，请检查",
        )
    if result == 0 and not allow_zero:
        raise BadInput(f"amount {raw!r} is zero", f"金额 {raw!r} 为零")
    return result


def from_decimal_str(text: str) -> int:
    """The inverse of to_decimal_str ('62400.00' -> 6240000), for trusted stable forms only."""
    whole, _, frac = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((frac + "00")[:2]))


def to_decimal_str(minor: int) -> str:
    """'62400.00': the stable JSON form."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 100)
    return f"{sign}{whole}.{frac:02d}"


def format_amount(minor: int, currency: str = "CNY") -> str:
    """'¥62,400.00' for people."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 100)
    symbol = _SYMBOLS.get(currency)
    body = f"{whole:,}.{frac:02d}"
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUPS = ("", "万", "亿", "万亿")


def _section(n: int) -> str:
    """0 < n < 10000 in capital numerals: 1040 -> 壹仟零肆拾."""
    out, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        d = n // 10**power % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out, zero = out + "零", False
        out += _DIGITS[d] + unit
    return out


def chinese_upper(minor: int) -> str:
    """An amount in the capital numerals Chinese banks write (大写): 6040000 -> 陆万零肆佰元整."""
    yuan, jiao, fen = minor // 100, minor // 10 % 10, minor % 10
    out, group, needs_zero = "", 0, False
    n = yuan
    while n:
        sec = n % 10000
        n //= 10000
        if sec:
            out = _section(sec) + _GROUPS[group] + ("零" if needs_zero and out else "") + out
        needs_zero = sec < 1000
        group += 1
    head = f"{out}元" if out else ""
    if not jiao and not fen:
        return (head or "零元") + "整"
    tail = (_DIGITS[jiao] + "角") if jiao else ("零" if head else "")
    return head + tail + (_DIGITS[fen] + "分" if fen else "")


def format_formal(minor: int, currency: str, lang: str) -> str:
    """An amount as a letter states it: 人民币 60,400.00 元（大写：陆万零肆佰元整）; CNY 60,400.00."""
    whole, frac = divmod(minor, 100)
    if currency != "CNY":
        return f"{currency} {whole:,}.{frac:02d}"
    if lang == "zh":
        return f"人民币 {whole:,}.{frac:02d} 元（大写：{chinese_upper(minor)}）"
    return f"RMB {whole:,}.{frac:02d}"
