"""A complaint built from what the log shows: for each flagged contact, when, how, who, whom
they reached, what was said, the recording by name and hash, and one precise label per breach.
Reads the store; writes nothing.
"""

import re
from typing import Any

from debtcli import store as st
from debtcli.i18n import pick
from debtcli.letters import letter_time
from debtcli.money import format_amount
from debtcli.rules import CRIMINAL_CLAIMS, Pack  # arrest talk: false below the threshold
from debtcli.stages import criminal_threshold

# One precise label per flag or rule, in (English, Chinese): a threat is a threat, not violence.
FLAG_LABELS = {
    "threat": ("threats and intimidation", "威胁恐吓"),
    "insult": ("insults", "侮辱"),
    "violence": ("violence", "暴力"),
    "repeated": ("repeated harassment", "反复骚扰"),
}


def _sources(citation: str) -> list[str]:
    """A citation's sources, split at each "; " or "；" between them, not at one inside a
    source's own brackets ("GB/T 45251—2025（…可参照；该条款未经核实）" is one source)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(citation):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(depth - 1, 0)
        elif ch in ";；" and depth == 0:
            out.append(citation[start:i])
            start = i + 1
    return [s.strip() for s in [*out, citation[start:]] if s.strip()]


_DOCUMENT = re.compile(
    r"GB/T\s*\d+—\d+|《[^》]+》|中国银行业协会|China Banking Association|CBA|Credit card Measures"
    r"|Consumer protection Measures|Measures on consumer protection"
)
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零\d]+条|Art\.\s*\d+")
_SAME = {
    "China Banking Association": "CBA",
    "Measures on consumer protection": "Consumer protection Measures",
}


def _cited_once(sources: list[str]) -> list[str]:
    """Each document and article once, however the rules spell it (中国银行业协会催收工作指引 and
    its full title are one source): the most detailed spelling is kept, in first-seen order."""
    kept: dict[tuple[str, str], str] = {}
    for src in sources:
        doc = _DOCUMENT.search(src)
        art = _ARTICLE.search(src)
        key = (
            _SAME.get(doc.group(0), doc.group(0)) if doc else src,
            art.group(0) if art else "",
        )
        if key not in kept or len(src) > len(kept[key]):
            kept[key] = src
    return list(kept.values())


def _labels(
    pack: Pack, rule_key: str, entry: dict[str, Any], lang: str, below_threshold: bool
) -> list[str]:
    if rule_key == "abuse":
        flags = [f for f in (entry["flags"] or "").split(",") if f in FLAG_LABELS]
        return [pick(lang, *FLAG_LABELS[f]) for f in flags]
    if rule_key == "false-claim":
        out = []
        for key in [c for c in (entry["claims"] or "").split(",") if c]:
            claim = next((c for c in pack.claims() if c["key"] == key), None)
            said = pack.text(claim, "claim", lang) if claim else key
            if key in CRIMINAL_CLAIMS and below_threshold:
                out.append(
                    pick(
                        lang,
                        f"the claim {said}, which is false: my unpaid principal "
                        f"is below the {format_amount(criminal_threshold(pack))} threshold of "
                        "any crime",
                        f"称{said}——与事实不符：本人未还本金低于入罪门槛",
                    )
                )
            else:
                out.append(pack.claim_label(key, lang))
        return out
    return [pack.conduct_label(rule_key, lang)]


def _item(pack: Pack, lang: str, e: Any, files: list) -> dict[str, Any]:
    """One logged contact as the complaint states it: when, how, who, whom they reached, what
    was said, its hash and its recordings; the breaches are added to its labels."""
    return {
        "when": letter_time(e["at"], lang),
        "channel": pack.word_name("channel", e["channel"], lang),
        "who": pick(lang, ", ", "，").join(x for x in (e["org"], e["agent"], e["agent_id"]) if x),
        "phone": e["phone"],
        "contacted": (
            pack.whom(e["contacted"], lang, "me") if e["contacted"] not in (None, "self") else None
        ),
        "note": e["note"],
        "hash": e["hash"],
        "labels": [],
        "files": [{"name": a["name"], "sha256": a["sha256"]} for a in files],
    }


def complaint_context(
    store: st.Store, pack: Pack, card: Any, lang: str, to: str, bank: str, today: Any
) -> dict[str, Any]:
    from debtcli.errors import BadInput
    from debtcli.flags import violations
    from debtcli.standing import assess_card

    entries = {e["id"]: e for e in st.contacts(store, card_id=card["id"])}
    impostors = [e for e in entries.values() if e["party"] == "impostor"]
    rows = [v for v in violations(store, pack, card["id"]) if v["party"] != "impostor"]
    if not rows and not impostors:
        raise BadInput(
            f"no logged violations for ****{card['last4']}: a complaint lists them; "
            "see `debtcli violations`",
            f"卡 ****{card['last4']} 没有记录到违规行为：投诉信需要列出违规；见 "
            "`debtcli violations`",
        )
    below = not assess_card(store, pack, card, today)["threshold_met"]
    atts = st.attachments_for(store.conn, ids=list(entries))
    items: dict[int, dict[str, Any]] = {}
    asked: dict[int, dict[str, Any]] = {}  # only under a rule not verified: a question
    citations: dict[str, None] = {}
    questions: dict[str, None] = {}
    for v in rows:
        e = entries[v["entry"]]
        rule = pack.conduct_rule(v["rule"])
        if rule["tag"] == "unverified":  # never stated as a breach (facts §12): asked
            item = asked.setdefault(e["id"], _item(pack, lang, e, atts.get(e["id"], [])))
            item["labels"].append(pack.conduct_label(v["rule"], lang))
            questions[pack.text(rule, "citation", lang)] = None
            continue
        item = items.setdefault(e["id"], _item(pack, lang, e, atts.get(e["id"], [])))
        for text in _labels(pack, v["rule"], e, lang, below):
            if text not in item["labels"]:
                item["labels"].append(text)
        # each source once, though several rules share it (第六十八条 backs three of them)
        for source in _sources(pack.text(rule, "citation", lang)):
            citations[source] = None
    asked = {k: v for k, v in asked.items() if k not in items}
    evidence = [f for item in [*items.values(), *asked.values()] for f in item["files"]]
    regulator = to == "regulator"
    heads = {
        "requests": pick(lang, "Requests", "投诉请求"),
        "facts": pick(lang, "Main facts and evidence", "主要事实和证据"),
        "signer": pick(lang, "Complainant (signature):", "投诉人（签字）："),
    }
    return {
        "to_regulator": regulator,
        "heads": heads,
        "title": pick(lang, "Complaint about collection conduct", "投诉信"),
        "basis": [
            pick(lang, b["en"], b["zh"])
            for b in pack.data["letters"]["basis"]
            if b["key"] == "complaints"
        ],
        "attachments": [],
        "salutation": pick(
            lang, "National Financial Regulatory Administration", "国家金融监督管理总局"
        )
        if regulator
        else pick(lang, f"{bank}, consumer protection department", f"{bank}消费者权益保护部门"),
        "recipient": pick(
            lang,
            f"National Financial Regulatory Administration (consumer complaints, "
            f"{pack.line('complaints')})",
            f"国家金融监督管理总局（消费者投诉，{pack.line('complaints')}）",
        )
        if regulator
        else pick(lang, f"{bank}, consumer protection department", f"{bank}消费者权益保护部门"),
        "items": list(items.values()),
        "asked": list(asked.values()),
        "question_sources": list(questions),
        "citations": _cited_once(list(citations)),
        "evidence": evidence,
        "orgs": "、".join(sorted({v["org"] for v in rows if v["org"]})) or None,
        "chain_head": st.chain_state(store.conn)[1],
        "impostors": [
            {
                "at": letter_time(e["at"], lang),
                "channel": pack.word_name("channel", e["channel"], lang),
                "org": e["org"],
                "note": e["note"],
                "hash": e["hash"],
            }
            for e in impostors
        ],
    }
