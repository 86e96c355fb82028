"""The timeline: everything that happened and what is predicted, in one ordered story.

`gather` reads what it needs from an open store (for one card's latest page it reads only the
latest contacts, so a 100,000-entry log costs no more than a short one); `assemble` is pure and
turns that into events, oldest first.
"""

from datetime import date, timedelta
from typing import Any

from debtcli import store as st
from debtcli.i18n import pick
from debtcli.money import format_amount
from debtcli.rules import STAGE_KEYS, Pack

KINDS = (
    "overdue",
    "payment",
    "settled",
    "contact",
    "letter",
    "agreement",
    "installment",
    "stage",
    "legal",
)
KIND_NAMES = {
    "overdue": "逾期",
    "payment": "还款",
    "settled": "结清",
    "contact": "联系",
    "letter": "信函",
    "agreement": "协议",
    "installment": "分期",
    "stage": "阶段",
    "legal": "法律日期",
}
# Same-instant events read best in this order: the debt, then what was done about it.
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def kind_name(kind: str, lang: str) -> str:
    return KIND_NAMES[kind] if lang == "zh" else kind


def sort_key(e: dict[str, Any]) -> tuple:
    at = e["at"]
    return (
        at[:10],
        at[11:19] if len(at) > 10 else "",
        _KIND_ORDER[e["kind"]],
        e["card"],
        e.get("id") or 0,
    )


def _event(
    at: str, kind: str, card: Any, title: str, predicted: bool = False, **extra: Any
) -> dict[str, Any]:
    return {
        "at": at,
        "kind": kind,
        "card": card["last4"],
        "title": title,
        "predicted": predicted,
        **extra,
    }


def _contact_event(pack: Pack, lang: str, card: dict, c: Any, flags: dict) -> dict[str, Any]:
    """A logged contact on the timeline: how, from or to whom, whom it reached, the note."""

    def t(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    kind = "letter" if c["channel"] in ("letter", "lawyer-letter") else "contact"
    party = pack.word_name("party", c["party"], lang) if c["party"] != "unknown" else None
    who = " ".join(x for x in (party, c["org"]) if x)
    channel = pack.word_name("channel", c["channel"], lang)
    if c["answered"] == 0:  # a missed call is not a conversation: counted as what it was
        channel += t(" (missed)", "（未接）")
    if c["direction"] == "out":
        title = t(f"{channel} to {who or 'them'}", f"{channel}：发给{who or '对方'}")
    elif c["direction"] == "unknown":
        title = t(
            f"{channel} with {who or 'unknown'} (direction unknown)",
            f"{channel}：与{who or '未知'}（方向未知）",
        )
    else:
        title = t(f"{channel} from {who or 'unknown'}", f"{channel}：来自{who or '未知'}")
    if c["contacted"] not in (None, "self"):
        title += t(", reached ", "，联系了") + pack.whom(c["contacted"], lang, "you")
    if c["note"]:
        title += f" — {c['note']}"
    if c.get("files"):
        title += t(" [kept: ", "［附件：") + t(", ", "、").join(c["files"]) + t("]", "］")
    return _event(
        c["at"],
        kind,
        card,
        title,
        id=c["id"],
        hash=c["hash"],
        flags=flags.get(c["id"], []),
    )


def _agreement_events(lang: str, card: dict, tracked: dict[str, Any]) -> list[dict[str, Any]]:
    """An agreement on the timeline: the day it was made, then each installment and its status
    (those still to come are predictions)."""

    def t(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    cur, months = card["currency"], tracked["months"]
    monthly = format_amount(tracked["monthly"], cur)
    events = [
        _event(
            tracked["agreed_on"],
            "agreement",
            card,
            t(f"agreement: {months} × {monthly}", f"分期协议：{months} 期 × {monthly}"),
        )
    ]
    status_text = {
        "paid": t("paid", "已还"),
        "missed": t("MISSED", "未还"),
        "late": t("paid LATE", "逾期才还"),
        "due-soon": t("due soon", "即将到期"),
        "upcoming": t("due", "到期"),
        "grace": t("overdue, within the grace days", "已逾期，尚在宽限期内"),
    }
    for r in tracked["installments"]:
        events.append(
            _event(
                r["due"],
                "installment",
                card,
                t(
                    f"installment {r['n']}/{tracked['months']} "
                    f"{format_amount(r['amount'], cur)}: {status_text[r['status']]}",
                    f"第 {r['n']}/{tracked['months']} 期 "
                    f"{format_amount(r['amount'], cur)}：{status_text[r['status']]}",
                ),
                predicted=r["status"] in ("due-soon", "upcoming"),  # grace: already due
                status=r["status"],
            )
        )
    return events


def assemble(pack: Pack, lang: str, today: date, cards: list[dict[str, Any]]) -> list[dict]:
    """cards: per card, what gather() read: card, episodes, payments, contacts, flags,
    agreement (tracked) and assessment. Returns events in time order."""

    def t(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    events: list[dict[str, Any]] = []
    from debtcli.cards import names

    named = names([d["card"] for d in cards])
    for data in cards:
        # Events name the card as it is told apart: its last four, with #id if another shares them.
        card = {**dict(data["card"]), "last4": named[data["card"]["id"]]}
        cur = card["currency"]
        for ep in data["episodes"]:
            events.append(
                _event(
                    ep["since"],
                    "overdue",
                    card,
                    t(
                        f"missed the due date: {format_amount(ep['amount'], cur)} owed",
                        f"逾期：欠款 {format_amount(ep['amount'], cur)}",
                    ),
                    amount=ep["amount"],
                )
            )
            if ep["settled_on"]:
                events.append(
                    _event(ep["settled_on"], "settled", card, t("settled in full", "全部结清"))
                )
        for p in data["payments"]:
            note = f" — {p['note']}" if p["note"] else ""
            events.append(
                _event(
                    p["paid_on"],
                    "payment",
                    card,
                    t(
                        f"paid {format_amount(p['amount'], cur)}{note}",
                        f"还款 {format_amount(p['amount'], cur)}{note}",
                    ),
                    amount=p["amount"],
                )
            )
        events += [_contact_event(pack, lang, card, c, data["flags"]) for c in data["contacts"]]
        if data.get("agreement"):
            events += _agreement_events(lang, card, data["agreement"])
        events.extend(_stage_events(pack, lang, today, {**data, "card": card}))
    events.sort(key=sort_key)
    return events


def _stage_events(pack: Pack, lang: str, today: date, data: dict[str, Any]) -> list[dict]:
    card, a = data["card"], data["assessment"]
    out: list[dict[str, Any]] = []
    if a is None or a["since"] is None:
        return out
    since = date.fromisoformat(a["since"])
    end = date.fromisoformat(a["settled_on"]) if a["settled_on"] else None
    start_days = pack.start_days(card["bank"])
    current = a["stage"]
    rank = {k: i for i, k in enumerate(STAGE_KEYS)}
    # Under an agreement in force nothing escalates: stages stop where it was made.
    paused = a["under_agreement_since"] if a["stage"] == "agreement" else None
    for key in STAGE_KEYS:
        day = since + timedelta(days=start_days[key])
        name = pack.stage_text(key, "", lang, a["threshold_met"])
        if (end is not None and day > end) or (paused and day.isoformat() > paused):
            break
        if day <= today:
            out.append(
                _event(
                    day.isoformat(),
                    "stage",
                    card,
                    pick(lang, f"stage reached by days: {name}", f"按天数进入：{name}"),
                )
            )
        elif current is None or rank[key] > rank[current]:
            out.append(
                _event(
                    day.isoformat(),
                    "stage",
                    card,
                    pick(lang, f"predicted: {name} (typically)", f"预计：{name}（通常）"),
                    predicted=True,
                )
            )
    for risk in a["risks"]:
        if risk["key"] == "malicious-overdraft" and risk["threshold_met"] and risk["exposure_date"]:
            d = risk["exposure_date"]
            out.append(
                _event(
                    d,
                    "legal",
                    card,
                    pick(
                        lang,
                        "criminal-threshold conditions all passed on the calendar (intent is "
                        "judged on the whole picture) — see `debtcli stage`",
                        "恶意透支的时间条件全部届满（是否有非法占有目的需综合认定）——见 `debtcli stage`",
                    ),
                    predicted=date.fromisoformat(d) > today,
                )
            )
        elif risk["key"] == "credit-record":
            d = risk["clears_on"]
            out.append(
                _event(
                    d,
                    "legal",
                    card,
                    pick(
                        lang,
                        f"negative credit record removed ({risk['years']} years after settlement)",
                        f"征信不良记录删除（结清后 {risk['years']} 年）",
                    ),
                    predicted=date.fromisoformat(d) > today,
                )
            )
        elif risk["key"] == "limitation":
            d = risk["runs_until"]
            title = (
                pick(
                    lang,
                    "by your records the limitation period may have ended (see "
                    "`debtcli stage` before acknowledging the debt)",
                    "按你的记录，诉讼时效可能已届满（确认欠款前先看 `debtcli stage`）",
                )
                if risk["expired"]
                else pick(
                    lang,
                    "limitation period would end, if nothing restarts it (information only)",
                    "如无中断，诉讼时效届满（仅供参考）",
                )
            )
            out.append(_event(d, "legal", card, title, predicted=date.fromisoformat(d) > today))
    return out


def gather(
    store: st.Store,
    pack: Pack,
    today: date,
    cards: list[Any],
    *,
    latest: int | None = None,
    flags: dict[int, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Read each card's records. latest=N reads only each card's N most recent contacts;
    flags, when the caller already has them for the whole log, saves computing them again."""
    from debtcli.flags import flags_for
    from debtcli.standing import assess_card, tracked_agreement

    out = []
    for card in cards:
        contacts = st.with_file_names(
            store.conn, st.contacts(store, card_id=card["id"], latest=latest)
        )
        episode = st.latest_episode(store, card["id"])
        tracked = tracked_agreement(store, pack, card, episode, today)
        out.append(
            {
                "card": card,
                "episodes": st.episodes(store, card["id"]),
                "payments": st.payments(store, card["id"]),
                "contacts": contacts,
                "flags": flags if flags is not None else flags_for(store, pack, contacts),
                "agreement": tracked,
                "assessment": assess_card(store, pack, card, today, full=False),
            }
        )
    return out


def select(
    events: list[dict],
    *,
    since: date | None = None,
    until: date | None = None,
    kinds: list[str] | None = None,
) -> list[dict]:
    lo, hi = since.isoformat() if since else "", until.isoformat() if until else "9999"
    return [e for e in events if lo <= e["at"][:10] <= hi and (not kinds or e["kind"] in kinds)]


def public(e: dict[str, Any]) -> dict[str, Any]:
    """The JSON form: at, kind, card, title, predicted, and flags/id/status where they apply."""
    out = {k: e[k] for k in ("at", "kind", "card", "title", "predicted")}
    for k in ("id", "hash", "flags", "status"):
        if k in e:
            out[k] = e[k]
    if "amount" in e:
        out["amount"] = f"{e['amount'] // 100}.{e['amount'] % 100:02d}"
    return out
