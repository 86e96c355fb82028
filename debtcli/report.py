"""The printable HTML report: one self-contained file (no network, no scripts) with each
card's summary, a chart of the amount owed with the collection stages behind it, the timeline,
the possible violations with their sources, and the evidence chain's head."""

from collections.abc import Iterator
from datetime import date, timedelta
from html import escape
from itertools import pairwise
from typing import Any

from debtcli import store as st
from debtcli.dates import show_day, show_time
from debtcli.i18n import pick
from debtcli.money import format_amount
from debtcli.rules import STAGE_KEYS, Pack

STAGE_COLOURS = ["#f2f2f2", "#e8f0fb", "#fff4d6", "#ffe3c2", "#ffd0c2", "#f7bcbc", "#e9a5a5"]


def owed_chart(
    pack: Pack,
    lang: str,
    today: date,
    card: Any,
    episode: Any,
    payments: list[Any],
    width: int = 640,
    height: int = 180,
) -> str:
    """An inline SVG: what was owed over time (a step line that drops with each payment) over
    bands showing when each collection stage typically starts."""
    if episode is None:
        return ""
    since = date.fromisoformat(episode["since"])
    settled = date.fromisoformat(episode["settled_on"]) if episode["settled_on"] else None
    start_days = pack.start_days(card["bank"])
    end = max(today, settled or today, since + timedelta(days=200))
    span = max(1, (end - since).days)
    top = max(1, int(episode["amount"]))
    left, right, pad_top, bottom = 56, 8, 8, 22
    w, h = width - left - right, height - pad_top - bottom

    def x(d: date) -> float:
        return left + w * max(0, (d - since).days) / span

    def y(v: int) -> float:
        return pad_top + h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, key in enumerate(STAGE_KEYS):
        lo = since + timedelta(days=start_days[key])
        hi = (
            since + timedelta(days=start_days[STAGE_KEYS[i + 1]])
            if i + 1 < len(STAGE_KEYS)
            else end
        )
        if lo >= end:
            break
        name = escape(pack.text(pack.stage(key), "short", lang))
        parts.append(
            f'<rect x="{x(lo):.1f}" y="{pad_top}" width="{max(0, x(hi) - x(lo)):.1f}" '
            f'height="{h}" fill="{STAGE_COLOURS[i]}"><title>{name}</title></rect>'
        )
        parts.append(
            f'<text x="{x(lo) + 2:.1f}" y="{pad_top + 10}" font-size="9" fill="#555">{name}</text>'
        )
    owed, points = int(episode["amount"]), [(since, int(episode["amount"]))]
    for p in sorted(payments, key=lambda p: p["paid_on"]):
        d = date.fromisoformat(p["paid_on"])
        owed = max(0, owed - int(p["amount"]))
        points.append((max(d, since), owed))
    if settled:
        points.append((settled, 0))
    points.append((settled or today, points[-1][1]))
    path = f"M{x(points[0][0]):.1f},{y(points[0][1]):.1f}"
    for (_, v0), (d1, v1) in pairwise(points):
        path += f" L{x(d1):.1f},{y(v0):.1f} L{x(d1):.1f},{y(v1):.1f}"
    parts.append(f'<path d="{path}" fill="none" stroke="#a00" stroke-width="2"/>')
    parts.append(
        f'<line x1="{x(today):.1f}" y1="{pad_top}" x2="{x(today):.1f}" '
        f'y2="{pad_top + h}" stroke="#000" stroke-dasharray="3,3"/>'
    )
    cur = card["currency"]
    parts.append(
        f'<text x="2" y="{pad_top + 8}" font-size="9">{escape(format_amount(top, cur))}</text>'
    )
    parts.append(f'<text x="2" y="{pad_top + h}" font-size="9">0</text>')
    parts.append(f'<text x="{left}" y="{height - 6}" font-size="9">{since.isoformat()}</text>')
    parts.append(
        f'<text x="{x(today) - 30:.1f}" y="{height - 6}" font-size="9">'
        f"{escape(pick(lang, 'today', '今天'))} {today.isoformat()}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _event_rows(pack: Pack, lang: str, events: list[dict[str, Any]], predicted: str) -> str:
    """The timeline's table rows. Built here, escaped, rather than in the template: a report
    of 10,000 events renders five times faster this way."""
    from debtcli.timeline import kind_name

    out = []
    for e in events:
        flags = e.get("flags")
        flag = (
            f' <span class="flag">⚑ {escape(pack.rule_names(flags, lang))}</span>' if flags else ""
        )
        kind = kind_name(e["kind"], lang) + (f" ({escape(predicted)})" if e["predicted"] else "")
        proof = f"<br><code>#{e['id']} {e['hash']}</code>" if e.get("hash") else ""
        out.append(
            f'<tr class="{"pred" if e["predicted"] else ""}">'
            f"<td>{escape(show_time(e['at'], lang))}</td>"
            f"<td>****{escape(e['card'])}</td><td>{kind}</td>"
            f"<td><bdi>{escape(e['title'])}</bdi>{flag}{proof}</td></tr>"
        )
    return "\n".join(out)


def _violation_rows(
    pack: Pack, lang: str, violations: Any, per_rule: dict[str, int], short: bool = False
) -> Iterator[str]:
    """The violations table's rows, from a stream; per_rule counts them. A row names its rule
    by its short name: what the rule says and its source are in the table of rules, once
    (a long log's violations repeat a few rules tens of thousands of times)."""
    shorts: dict[str, str] = {}
    for v in violations:
        key = v["rule"]
        per_rule[key] = per_rule.get(key, 0) + 1
        if key not in shorts:
            shorts[key] = escape(pack.text(pack.conduct_rule(key), "short", lang))
        yield (
            f"<tr><td>{v['entry']}</td><td>{escape(show_time(v['at'], lang))}</td>"
            f'<td>****{escape(v["card"])}</td><td class="flag">{shorts[key]}</td>'
            f"<td><code>{escape(v['hash'][:16] + '…' if short else v['hash'])}</code></td></tr>\n"
        )


class _Packed:
    """Text kept deflated in memory until it is written: the violations of a long log are
    counted before the page starts, and their rows (alike but for numbers and hashes) take a
    tenth of the room this way, without a temporary file of someone's debts on disk."""

    BATCH = 512  # rows deflated at once (a call per row costs a third of the deflating)

    def __init__(self, parts: list[bytes]) -> None:
        self._parts = parts

    @classmethod
    def of(cls, rows: Iterator[str]) -> "_Packed":
        import zlib

        packer, parts, batch = zlib.compressobj(1), [], []
        for row in rows:
            batch.append(row)
            if len(batch) == cls.BATCH:
                parts.append(packer.compress("".join(batch).encode()))
                batch.clear()
        parts += [packer.compress("".join(batch).encode()), packer.flush()]
        return cls([p for p in parts if p])

    def __iter__(self) -> Iterator[str]:
        import codecs
        import zlib

        unpacker, text = zlib.decompressobj(), codecs.getincrementaldecoder("utf-8")()
        while self._parts:
            yield text.decode(unpacker.decompress(self._parts.pop(0)))
        yield text.decode(unpacker.flush(), final=True)


def _latest_violations(
    store: st.Store, pack: Pack, lang: str, wanted: set[int]
) -> tuple[dict[str, int], list[str]]:
    """The cards' violations over the whole log counted per rule, and the latest
    REPORT_VIOLATIONS of them as the report's rows, read on a connection of its own (a
    worker's)."""
    import collections

    from debtcli.flags import iter_violations

    own = st.open_store(store.path, create=False)
    own.pack_loader = store.pack_loader
    try:
        per_rule: dict[str, int] = {}
        violations = (v for v in iter_violations(own, pack) if v["card_id"] in wanted)
        rows = _violation_rows(pack, lang, violations, per_rule, short=True)
        return per_rule, list(collections.deque(rows, maxlen=REPORT_VIOLATIONS))
    finally:
        own.conn.close()


_LABELS = {
    "title": ("debtcli report", "debtcli 报告"),
    "generated": ("Generated", "生成于"),
    "cards": ("Cards", "信用卡"),
    "card": ("Card", "卡"),
    "since": ("Overdue since", "逾期起始"),
    "days": ("Days", "天数"),
    "owed": ("Owed", "欠款"),
    "paid": ("Paid", "已还"),
    "stage": ("Stage", "阶段"),
    "next": ("Next", "下一阶段"),
    "chart": (
        "Amount owed, with the collection stages behind it",
        "欠款金额变化，背景为催收阶段",
    ),
    "timeline": ("Timeline", "时间线"),
    "when": ("When", "时间"),
    "what": ("What", "内容"),
    "kind": ("Kind", "类型"),
    "predicted": ("predicted", "预计"),
    "violations": ("Possible violations", "可能的违规"),
    "rule": ("Rule", "规定"),
    "says": ("What it says", "内容"),
    "source": ("Source", "出处"),
    "hash": ("Entry hash", "记录哈希"),
    "evidence": ("Evidence", "证据"),
    "chain": ("Chain head", "链头"),
    "entries": ("entries", "条记录"),
    "intact": ("verified intact", "校验通过"),
    "broken": ("PROBLEMS FOUND", "发现问题"),
    "unchecked": (
        "check it with `debtcli evidence verify`",
        "请用 `debtcli evidence verify` 校验",
    ),
    "month": ("Month", "月份"),
    "channel": ("How", "方式"),
    "count": ("Contacts", "次数"),
    "org": ("Who", "对方"),
    "per_month": ("Contacts per month", "每月联系次数"),
    "per_org": ("Contacts per organisation", "各机构联系次数"),
    "per_rule": ("Possible violations per rule", "各规定的可能违规次数"),
}


def _card_summary(store: st.Store, pack: Pack, lang: str, today: date, card: Any) -> dict:
    """A card's standing as the report's header shows it, with its chart of what is owed."""
    from debtcli.standing import assess_card, public

    a = assess_card(store, pack, card, today)
    episode = st.latest_episode(store, card["id"])
    return {
        **public(a),
        "stage_name": pack.stage_text(a["stage"], "", lang, a["threshold_met"]),
        "next_name": pack.stage_text(a["next_stage"], "", lang, a["threshold_met"]),
        "since_text": show_day(date.fromisoformat(a["since"]), lang) if a["since"] else "—",
        "next_date_text": (
            show_day(date.fromisoformat(a["next_stage_date"]), lang) if a["next_stage_date"] else ""
        ),
        "owed_text": format_amount(a["_position"].owed, card["currency"]),
        "paid_text": format_amount(a["_position"].paid, card["currency"]),
        "chart": owed_chart(pack, lang, today, card, episode, st.payments(store, card["id"])),
    }


REPORT_FULL_UP_TO = 200  # entries: above this the report summarises unless --full
REPORT_LATEST = 30  # each card's latest contacts in a summary's timeline
REPORT_VIOLATIONS = 200  # the latest possible violations a summary lists (all are counted)
REPORT_EVENTS = 60  # the latest past events a summary's timeline shows


def build_report(
    store: st.Store, pack: Pack, lang: str, today: date, card_ref: str | None, full: bool = False
) -> Iterator[str]:
    """The report. A long log (more than REPORT_FULL_UP_TO entries) is summarised unless full:
    contacts per month and per organisation, violations per rule and every violation, each
    card's latest contacts; the whole log is in the evidence bundle. Returns the HTML in
    chunks, written as they are made (the violations are counted before the page starts)."""
    from debtcli import contactlog, timeline
    from debtcli.flags import flag_log, violations_of
    from debtcli.ledger import find_card
    from debtcli.templating import stream

    cards = [find_card(store, card_ref)] if card_ref else st.list_cards(store)
    ids = [c["id"] for c in cards]
    wanted = set(ids)
    total = sum(st.count_contacts(store, card_id=i) for i in ids)
    summary = not full and total > REPORT_FULL_UP_TO
    if summary:
        # The whole log's violations are found on another core while this one does the rest.
        packed = contactlog.forked(_latest_violations, store, pack, lang, wanted)
        data = timeline.gather(store, pack, today, cards, latest=REPORT_LATEST)
        tallies = st.contact_tallies(store.conn, ids)
    else:
        entries = st.contacts(store)
        flags = flag_log(store, pack, entries)  # once, for the timeline and the violations
        data = timeline.gather(store, pack, today, cards, flags=flags)
        violations = (v for v in violations_of(store, entries, flags) if v["card_id"] in wanted)
        per_rule: dict[str, int] = {}
        rows = _Packed.of(_violation_rows(pack, lang, violations, per_rule))
        tallies = None
    events = timeline.assemble(pack, lang, today, data)
    if summary:  # what is predicted, and the latest of what happened
        past = [e for e in events if not e["predicted"]]
        keep = {id(e) for e in past[-REPORT_EVENTS:]}
        events = [e for e in events if e["predicted"] or id(e) in keep]
    summaries = [_card_summary(store, pack, lang, today, card) for card in cards]
    if summary:  # verifying a long chain is `evidence verify`'s job; the head is stated here
        per_rule, rows = packed()
        count, head, _ = st.chain_state(store.conn)
        seen, problems = count, None
    else:
        seen, head, found = contactlog.verify_store(store)
        problems = [pick(lang, p.en, p.zh) for p in found]
    t = {k: pick(lang, en, zh) for k, (en, zh) in _LABELS.items()}
    t["summary"] = pick(
        lang,
        f"This log has {total:,} entries: this report summarises it (contacts per month and "
        f"per organisation, possible violations counted per rule with the latest "
        f"{REPORT_VIOLATIONS} listed, the timeline's latest {REPORT_EVENTS} events). The "
        "complete list is in the evidence bundle (`debtcli evidence export`), in `debtcli "
        "violations`, or in `debtcli report --full`.",
        f"此记录共 {total:,} 条：本报告为摘要（每月和每个机构的联系次数、按规定统计的可能违规并列出"
        f"最近 {REPORT_VIOLATIONS} 条、时间线最近 {REPORT_EVENTS} 项）。完整清单见证据包"
        "（`debtcli evidence export`）、`debtcli violations` 或 `debtcli report --full`。",
    )
    return stream(
        "report.html.j2",
        {
            "t": t,
            "lang": lang,
            "today": show_day(today, lang),
            "summaries": summaries,
            "event_count": len(events),
            "event_rows": _event_rows(pack, lang, events, t["predicted"]),
            "violation_count": sum(per_rule.values()),
            "violation_rows": rows,
            "summary": summary,
            "months": [
                (m, pack.word_name("channel", c, lang), n)
                for m, c, n in (tallies or {}).get("months", [])
            ],
            "orgs": [
                (pack.word_name("party", o, lang) if o in contactlog.PARTIES else o, n)
                for o, n in (tallies or {}).get("orgs", [])
            ],
            "rules": [
                (
                    pack.text(pack.conduct_rule(k), "short", lang),
                    pack.text(pack.conduct_rule(k), "", lang),
                    pack.text(pack.conduct_rule(k), "citation", lang),
                    n,
                )
                for k, n in per_rule.items()
            ],
            "chain_head": head,
            "entries": seen,
            "problems": problems,
            "disclaimer": pack.disclaimer(lang),
        },
    )
