"""The home visit: the printable checklist and the verdict of a walk through it. Pure."""

from datetime import datetime
from typing import Any

from debtcli.errors import BadInput
from debtcli.rules import Pack

HOTLINE_ANSWERS = ("confirmed", "denied", "not-called")


def hotline_for(pack: Pack, bank: str | None, lang: str) -> dict[str, Any]:
    """The bank's official number from the pack, with how sure we are of it."""
    entry = pack.bank(bank) if bank else None
    always = pack.text(pack.data["hotlines"], "always", lang)
    if entry is None:
        return {"number": None, "bank": bank, "known": False, "verified": False,
                "text": pack.text(pack.data["hotlines"], "unknown", lang), "always": always}
    verified = entry["tag"] != "unverified"
    name = pack.text(entry, "", lang)
    if verified:
        text = f"{name} {entry['hotline']}"
    else:
        text = (f"{name} {entry['hotline']}（未经核实：请以卡片背面为准）" if lang == "zh"
                else f"{name} {entry['hotline']} (unverified: check the back of your card)")
    return {"number": entry["hotline"], "bank": name, "known": True, "verified": verified,
            "text": text, "always": always}


def checklist(pack: Pack, bank: str | None, lang: str) -> dict[str, Any]:
    """The checklist as plain data, for the Markdown, HTML and .docx renderers alike."""
    visit = pack.data["visit"]
    hotline = hotline_for(pack, bank, lang)
    number = hotline["text"] if hotline["known"] else pack.text(pack.data["hotlines"],
                                                                "unknown", lang)
    sections = []
    for section in visit["sections"]:
        items = []
        for item in section["items"]:
            text = pack.text(item, "", lang).replace("{hotline}", number)
            source = pack.text(item, "source", lang)
            tag = pack.tag_text(item["tag"], lang)
            items.append({"text": text, "source": source, "tag": tag,
                          "typical": item["tag"] == "practice"})
        sections.append({"key": section["key"], "heading": pack.text(section, "", lang),
                         "items": items})
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
    blocks = [{"kind": "h1", "text": data["title"]}, {"kind": "p", "text": data["calm"]},
              {"kind": "p", "text": "☎ " + data["hotline"]["text"]}]
    comma = "，" if data["lang"] == "zh" else ", "
    for section in data["sections"]:
        blocks.append({"kind": "h2", "text": section["heading"]})
        blocks.extend({"kind": "li", "text": "☐ " + i["text"],
                       "note": f"{i['source']}{comma}{i['tag']}"} for i in section["items"])
    blocks.append({"kind": "p", "text": data["hotline"]["always"]})
    blocks.append({"kind": "p", "text": data["disclaimer"]})
    return blocks


def _yes(answers: dict[str, Any], key: str) -> bool:
    value = answers.get(key, False)
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("y", "yes", "true", "1", "是"):
        return True
    if str(value).strip().lower() in ("", "n", "no", "false", "0", "否"):
        return False
    raise BadInput(f"answer {key!r} must be yes or no, not {value!r}",
                   f"回答 {key!r} 必须是“是”或“否”，而不是 {value!r}")


def assess(pack: Pack, answers: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The verdict: 'scam' (a red flag), 'unverified' (do not pay or open) or 'verified'.

    answers: agents (int), work_id, authorization, personal_account, police_claim, threats,
    asked_secrets (bools), hotline (confirmed | denied | not-called), org, agent, agent_id,
    pay_to (text).
    """
    try:
        agents = int(answers.get("agents") or 0)
    except (TypeError, ValueError):
        raise BadInput(f"answer 'agents' must be a number, not {answers.get('agents')!r}",
                       f"回答 'agents' 必须是数字，而不是 {answers.get('agents')!r}") from None
    if not 0 <= agents <= 50:
        raise BadInput("answer 'agents' must be between 0 and 50", "回答 'agents' 必须在 0 到 50 之间")
    hotline = str(answers.get("hotline") or "not-called").strip().lower()
    if hotline not in HOTLINE_ANSWERS:
        raise BadInput(f"answer 'hotline' must be one of {', '.join(HOTLINE_ANSWERS)}",
                       f"回答 'hotline' 必须是 {', '.join(HOTLINE_ANSWERS)} 之一")
    work_id, authorization = _yes(answers, "work_id"), _yes(answers, "authorization")
    quiet = pack.conduct_rule("quiet-hours")
    hm = at.strftime("%H:%M")
    night = hm >= quiet["start"] or hm < quiet["end"]
    red, missing = [], []
    if _yes(answers, "personal_account"):
        red.append("personal-account")
    if _yes(answers, "police_claim"):
        red.append("police-claim")
    if _yes(answers, "asked_secrets"):
        red.append("asked-secrets")
    if hotline == "denied":
        red.append("bank-denied")
    if 0 < agents < 2:
        red.append("one-visitor")
    if night:
        red.append("night")
    if not work_id and not authorization:
        red.append("no-identification")
    if _yes(answers, "threats"):
        red.append("threats")
    if not work_id:
        missing.append("work-id")
    if not authorization:
        missing.append("authorization")
    if hotline != "confirmed":
        missing.append("hotline")
    verdict = "scam" if red else ("unverified" if missing else "verified")
    credentials = [c for c, shown in (("work-id", work_id), ("authorization", authorization))
                   if shown] or ["none"]
    flags = []
    if "police-claim" in red:
        flags.append("impersonation")
    if "threats" in red:
        flags.append("threat")
    entry = {
        "at": at.isoformat(timespec="seconds"),
        "channel": "visit",
        "party": "agency" if answers.get("org") else "unknown",
        "org": answers.get("org") or None,
        "agent": answers.get("agent") or None,
        "agent_id": answers.get("agent_id") or None,
        "agents": agents or None,
        "credentials": credentials,
        "pay_to": (answers.get("pay_to") or ("个人账户 / personal account"
                                             if "personal-account" in red else None)),
        "flag": flags,
        "note": f"visit check: {verdict}; hotline {hotline}; red flags: "
                f"{', '.join(red) or 'none'}; missing: {', '.join(missing) or 'none'}",
    }
    return {"verdict": verdict, "red_flags": red, "missing": missing, "hotline": hotline,
            "night": night, "entry": entry}
