"""The home visit: the printable checklist and the verdict of a walk through it. Pure."""

from datetime import datetime
from typing import Any

from debtcli.conduct import in_quiet_hours
from debtcli.errors import BadInput, not_one_of
from debtcli.i18n import pick
from debtcli.rules import Pack

HOTLINE_ANSWERS = ("confirmed", "denied", "not-called")


def hotline_for(pack: Pack, bank: str | None, lang: str) -> dict[str, Any]:
    """The bank's official number from the pack, with how sure we are of it."""
    entry = pack.bank(bank) if bank else None
    always = pack.text(pack.data["hotlines"], "always", lang)
    if entry is None:
        return {
            "number": None,
            "bank": bank,
            "known": False,
            "verified": False,
            "text": pack.text(pack.data["hotlines"], "unknown", lang),
            "always": always,
        }
    verified = entry["tag"] != "unverified"
    name = pack.text(entry, "", lang)
    if verified:
        text = f"{name} {entry['hotline']}"
    else:
        text = (
            f"{name} {entry['hotline']}（未经核实：请以卡片背面为准）"
            if lang == "zh"
            else f"{name} {entry['hotline']} (unverified: check the back of your card)"
        )
    return {
        "number": entry["hotline"],
        "bank": name,
        "known": True,
        "verified": verified,
        "text": text,
        "always": always,
    }


def checklist(pack: Pack, bank: str | None, lang: str) -> dict[str, Any]:
    """The checklist as plain data, for the Markdown, HTML and .docx renderers alike."""
    visit = pack.data["visit"]
    hotline = hotline_for(pack, bank, lang)
    number = (
        hotline["text"] if hotline["known"] else pack.text(pack.data["hotlines"], "unknown", lang)
    )
    sections = []
    for section in visit["sections"]:
        items = []
        for item in section["items"]:
            text = pack.text(item, "", lang).replace("{hotline}", number)
            source = pack.text(item, "source", lang)
            tag = pack.tag_text(item["tag"], lang)
            items.append(
                {"text": text, "source": source, "tag": tag, "typical": item["tag"] == "practice"}
            )
        sections.append(
            {"key": section["key"], "heading": pack.text(section, "", lang), "items": items}
        )
    # The help lines someone at the door may need: police, anti-fraud, complaints.
    sections.append(
        {
            "key": "help",
            "heading": pick(lang, "Numbers to call", "求助电话"),
            "items": [
                {
                    "text": f"{h['number']}  {pack.text(h, '', lang)}",
                    "short": f"☎ {h['number']} {pack.text(h, 'short', lang)}",
                    "source": pick(lang, "nationwide number", "全国统一号码"),
                    "tag": pack.tag_text(h["tag"], lang),
                    "typical": False,
                }
                for h in pack.help_lines()
                if h["door"]
            ],
        }
    )
    return {
        "title": pack.text(visit, "title", lang),
        "calm": pack.text(visit, "calm", lang),
        "hotline": hotline,
        "sections": sections,
        "disclaimer": pack.disclaimer(lang),
        "lang": lang,
    }


def checklist_blocks(data: dict[str, Any]) -> list[dict[str, str]]:
    """The checklist as document blocks: what the terminal (Markdown) and .docx show."""
    blocks = [
        {"kind": "h1", "text": data["title"]},
        {"kind": "p", "text": data["calm"]},
        {"kind": "p", "text": "☎ " + data["hotline"]["text"]},
    ]
    zh = data["lang"] == "zh"
    for section in data["sections"]:
        blocks.append({"kind": "h2", "text": section["heading"]})
        blocks.extend(
            {
                "kind": "li",
                "text": "☐ " + i["text"],
                "note": f"（{i['source']}，{i['tag']}）" if zh else f"({i['source']}, {i['tag']})",
            }
            for i in section["items"]
        )
    blocks.append({"kind": "p", "text": data["hotline"]["always"]})
    blocks.append({"kind": "p", "text": data["disclaimer"]})
    return blocks


_NUMERALS = {
    "零": 0,
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def head_count(value: Any) -> int:
    """How many people: 2, ２, 两个, 一个人, 三位, 十."""
    from debtcli.dates import normalize

    if value is None or value == "":
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = normalize(value).rstrip("个人位名").strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 1 and text in _NUMERALS:
        return _NUMERALS[text]
    if len(text) == 2 and text[0] == "十" and text[1] in _NUMERALS:
        return 10 + _NUMERALS[text[1]]
    raise ValueError(value)


def yes_no(pack: Pack, value: Any, key: str | None = None) -> bool:
    """Yes or no as people say it: y, 是, 对, 有 / n, 否, 没有, 不是. key: the option or
    answer it was given for, named in a refusal; none for the question just asked."""
    if isinstance(value, bool):
        return value
    word = pack.word("yes", str(value)).lower()
    if word in ("yes", "true", "1"):
        return True
    if word in ("", "no", "false", "0"):
        return False
    en, zh = (f"{key}: ", f"{key}：") if key else ("", "")
    raise BadInput(
        f"{en}answer yes or no, not {value!r}", f"{zh}请回答“是”或“否”，而不是 {value!r}"
    )


def _yes(answers: dict[str, Any], key: str, pack: Pack) -> bool:
    return yes_no(pack, answers.get(key, False), key)


# What each red flag, verdict and missing check is called, in (English, Chinese).
RED_FLAG_TEXT = {
    "personal-account": (
        "asked for payment to a personal account / QR code",
        "要求打款到个人账户/二维码",
    ),
    "police-claim": (
        "claimed police/court authority or threatened arrest",
        "自称公安/法院或威胁抓人",
    ),
    "asked-secrets": (
        "asked for ID photos, passwords, codes or contacts",
        "索要证件照片、密码、验证码或通讯录",
    ),
    "bank-denied": (
        "the bank's hotline did not know this agency or visit",
        "银行客服不知道这家机构或这次上门",
    ),
    "one-visitor": ("only one visitor", "只有一个人"),
    "no-identification": ("no identification at all", "没有任何身份证明"),
    "threats": ("threats, insults or force", "威胁、辱骂或动手"),
}
VERDICT_TEXT = {
    "scam": ("scam red flags", "诈骗警示"),
    "confirmed-violations": ("the bank's agency, breaking the rules", "银行委托的机构，但有违规"),
    "unverified": ("not verified", "未核实"),
    "verified": ("verified by the bank", "银行已确认"),
}
HOTLINE_TEXT = {
    "confirmed": ("the bank confirmed", "银行已确认"),
    "denied": ("the bank did not know them", "银行不知道这次上门"),
    "not-called": ("not called", "未致电"),
}
MISSING_TEXT = {
    "work-id": ("work ID", "工作证"),
    "authorization": ("written authorisation", "授权书"),
    "hotline": ("the bank's confirmation", "银行确认"),
}


def _text_answer(answers: dict[str, Any], key: str) -> str | None:
    """A text answer (org, agent, agent_id, pay_to): text or nothing; never a list, a number
    or a lone surrogate written into the evidence as Python's spelling of it."""
    value = answers.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInput(
            f"answer {key!r} must be text, not {value!r:.40}",
            f"回答 {key!r} 必须是文字，而不是 {value!r:.40}",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(
            f"answer {key!r} holds a character that is not text (a lone surrogate)",
            f"回答 {key!r} 含有不是文字的字符（孤立的代理项）",
        ) from None
    return value.strip() or None


def assess(
    pack: Pack, answers: dict[str, Any], at: datetime, lang: str = "en", bank: str = ""
) -> dict[str, Any]:
    """The verdict: 'scam' (the bank denied them, or the money is wanted anywhere but the
    bank; or red flags with nothing confirmed), 'confirmed-violations' (the bank confirmed
    them and they broke the rules: its agency, to complain about), 'unverified' (do not pay or
    open) or 'verified'. bank: the card's bank, which a payee is checked against.

    answers: agents (int), work_id, authorization, personal_account, police_claim, threats,
    asked_secrets (bools), hotline (confirmed | denied | not-called), org, agent, agent_id,
    pay_to (text).
    """
    from debtcli.conduct import pays_elsewhere

    texts = {k: _text_answer(answers, k) for k in ("org", "agent", "agent_id", "pay_to")}
    try:
        agents = head_count(answers.get("agents"))
    except (TypeError, ValueError):
        raise BadInput(
            f"answer 'agents' must be a number, not {answers.get('agents')!r}",
            f"回答 'agents' 必须是数字，而不是 {answers.get('agents')!r}",
        ) from None
    if not 0 <= agents <= 50:
        raise BadInput(
            "answer 'agents' must be between 0 and 50", "回答 'agents' 必须在 0 到 50 之间"
        )
    hotline = pack.word("hotline", str(answers.get("hotline") or "not-called")).lower()
    if hotline not in HOTLINE_ANSWERS:
        raise not_one_of(
            "answer 'hotline'",
            HOTLINE_ANSWERS,
            [pack.word_name("hotline", k, "zh") for k in HOTLINE_ANSWERS],
            "回答 'hotline'",
        )
    work_id, authorization = _yes(answers, "work_id", pack), _yes(answers, "authorization", pack)
    quiet = pack.conduct_rule("quiet-hours")
    hm = at.strftime("%H:%M")
    night = in_quiet_hours(quiet, hm)
    red, missing = [], []
    if _yes(answers, "personal_account", pack) or (
        texts["pay_to"] and pays_elsewhere(pack, bank, texts["pay_to"])
    ):
        red.append("personal-account")
    if _yes(answers, "police_claim", pack):
        red.append("police-claim")
    if _yes(answers, "asked_secrets", pack):
        red.append("asked-secrets")
    if hotline == "denied":
        red.append("bank-denied")
    if 0 < agents < 2:
        red.append("one-visitor")
    if night:
        red.append("night")
    if not work_id and not authorization:
        red.append("no-identification")
    if _yes(answers, "threats", pack):
        red.append("threats")
    if not work_id:
        missing.append("work-id")
    if not authorization:
        missing.append("authorization")
    if hotline != "confirmed":
        missing.append("hotline")
    # Whoever the bank's hotline denied, or who wanted the money paid anywhere but to the bank,
    # is not the bank's agency, whatever they called themselves: an impostor. A visit the bank
    # confirmed stays its agency's, red flags and all (facts §12); one nobody confirmed is
    # nobody's yet: it counts as no creditor's demand.
    impostor = hotline == "denied" or "personal-account" in red
    if impostor:
        verdict = "scam"
    elif hotline == "confirmed":
        verdict = "confirmed-violations" if red else ("unverified" if missing else "verified")
    else:
        verdict = "scam" if red else "unverified"
    credentials = [
        c for c, shown in (("work-id", work_id), ("authorization", authorization)) if shown
    ] or ["none"]
    flags = []
    if "police-claim" in red:
        flags.append("impersonation")
    if "threats" in red:
        flags.append("threat")
    entry = {
        "at": at.isoformat(timespec="seconds"),
        "channel": "visit",
        "party": "impostor" if impostor else "agency" if hotline == "confirmed" else "unknown",
        "org": texts["org"],
        "agent": texts["agent"],
        "agent_id": texts["agent_id"],
        "agents": agents or None,
        "credentials": credentials,
        "pay_to": (
            texts["pay_to"]
            or ("个人账户 / personal account" if "personal-account" in red else None)
        ),
        "flag": flags,
        "note": _note(pack, lang, verdict, hotline, red, missing),
    }
    return {
        "verdict": verdict,
        "red_flags": red,
        "missing": missing,
        "hotline": hotline,
        "night": night,
        "entry": entry,
    }


def red_flag_text(pack: Pack, flag: str) -> tuple[str, str]:
    """A red flag in (English, Chinese); the night's hours are the pack's quiet hours."""
    if flag == "night":
        q = pack.conduct_rule("quiet-hours")
        return (
            f"a visit between {q['start']} and {q['end']}",
            f"在 {q['start']} 至 {q['end']} 之间上门",
        )
    return RED_FLAG_TEXT[flag]


def _note(
    pack: Pack, lang: str, verdict: str, hotline: str, red: list[str], missing: list[str]
) -> str:
    """What the saved log entry says, in the user's language: it is their evidence."""

    def words(texts: list[tuple[str, str]]) -> str:
        return pick(lang, ", ", "、").join(pick(lang, *t) for t in texts) or pick(
            lang, "none", "无"
        )

    flags = words([red_flag_text(pack, k) for k in red])
    absent = words([MISSING_TEXT[k] for k in missing])

    return pick(
        lang,
        f"visit check: {pick(lang, *VERDICT_TEXT[verdict])}; hotline: "
        f"{pick(lang, *HOTLINE_TEXT[hotline])}; red flags: {flags}; "
        f"missing: {absent}",
        f"上门核验：{pick(lang, *VERDICT_TEXT[verdict])}；客服核实：{pick(lang, *HOTLINE_TEXT[hotline])}；"
        f"危险信号：{flags}；缺少：{absent}",
    )
