"""Commands for the whole story: the timeline, the printable report and the calendar."""

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from debtcli.cli.common import LIMIT_MAX, JsonOpt, app, console, day, emit_json, say, state
from debtcli.cli.tables import wrap_cells
from debtcli.dates import offset_note

Opt = typer.Option
SYMBOLS = {
    "overdue": "!",
    "payment": "¥",
    "settled": "✓",
    "contact": "●",
    "letter": "✉",
    "agreement": "▣",
    "installment": "□",
    "stage": "◆",
    "legal": "⚖",
}
STYLES = {
    "overdue": "red",
    "payment": "green",
    "settled": "green",
    "letter": "cyan",
    "agreement": "blue",
    "installment": "blue",
    "stage": "yellow",
    "legal": "magenta",
}


def _symbol(e: dict[str, Any]) -> str:
    if e.get("flags"):
        return "⚑"
    if e["kind"] == "stage" and e["predicted"]:
        return "◇"
    if e["kind"] == "installment" and e.get("status") == "paid":
        return "■"
    return SYMBOLS[e["kind"]]


def render_timeline(events: list[dict], hidden: int) -> None:
    t, out = state.t, console()
    width = max(60, out.width)
    prefix = 2 + 5 + 1 + 5 + 2 + 1 + 1 + 8 + 2  # "  MM-DD HH:MM  ● ****1234  " (zh: "DD日 ")
    lines: list[tuple[str, str | None]] = []  # (line, style), already wrapped
    legend = t(
        "● contact  ⚑ possible violation  ¥ payment  ✉ letter  ◆ stage  ◇ predicted  "
        "⚖ legal date  ▣/□/■ agreement, installment due/paid  ✓ settled",
        "● 联系  ⚑ 可能违规  ¥ 还款  ✉ 信函  ◆ 阶段  ◇ 预计  ⚖ 法律日期  "
        "▣/□/■ 协议、分期 待还/已还  ✓ 结清",
    )
    lines.extend((line, "dim") for line in wrap_cells(legend, width))
    if hidden:
        lines.append(
            (
                t(
                    f"({hidden} earlier events: --all or --since DATE to see them)",
                    f"（更早的 {hidden} 条：用 --all 或 --since 日期 查看）",
                ),
                "dim",
            )
        )
    month, marked = "", False
    today = state.today.isoformat()
    today_line = (t(f"━━ today {today} ━━", f"━━ 今天 {day(today)} ━━"), "bold")
    for e in events:
        if not marked and e["at"][:10] > today:
            lines.append(today_line)
            marked = True
        if e["at"][:7] != month:
            month = e["at"][:7]
            y, m = month.split("-")
            lines.append(("", None))
            lines.append((t(f"{y}-{m}", f"{y}年{int(m)}月"), "bold underline"))
        time, note = "     ", ""
        if len(e["at"]) > 10:
            time, note = e["at"][11:16], offset_note(datetime.fromisoformat(e["at"]), state.lang)
        on = t(e["at"][5:10], f"{int(e['at'][8:10]):>2}日 ")  # under the month's heading
        title = (
            e["title"]
            + note
            + (f"  ⚑ {state.pack().rule_names(e['flags'], state.lang)}" if e.get("flags") else "")
        )
        style = (
            "dim italic"
            if e["predicted"]
            else ("bold red" if e.get("flags") else STYLES.get(e["kind"]))
        )
        wrapped = wrap_cells(title, width - prefix)
        head = f"  {on} {time}  {_symbol(e)} ****{e['card']}  "
        lines.append((head + wrapped[0], style))
        lines.extend((" " * prefix + more, style) for more in wrapped[1:])
    if not marked:
        lines.append(today_line)
    with out.paging():
        for line, style in lines:
            out.print(line, style=style, wrap=False)


def _events(
    card: str | None,
    since: str | None,
    until: str | None,
    kinds: list[str] | None,
    latest: int | None,
) -> list[dict]:
    from debtcli import timeline
    from debtcli.dates import day_range
    from debtcli.errors import not_one_of
    from debtcli.ledger import find_card
    from debtcli.store import list_cards

    s, pack = state.store(), state.pack()
    kinds = [pack.word("event", k).lower() for k in kinds or []] or None  # 还款, 协议 …
    for k in kinds or []:
        if k not in timeline.KINDS:
            raise not_one_of(
                f"--kind {k!r}",
                timeline.KINDS,
                [pack.word_name("event", x, "zh") for x in timeline.KINDS],
            )
    cards = [find_card(s, card)] if card else list_cards(s)
    lo, hi = day_range(since, until, state.today)
    data = timeline.gather(s, pack, state.today, cards, latest=latest)
    events = timeline.assemble(pack, state.lang, state.today, data)
    return timeline.select(events, since=lo, until=hi, kinds=kinds)


@app.command("timeline")
def timeline_cmd(
    card: Annotated[str | None, typer.Argument(help="Only this card (default: all).")] = None,
    since: Annotated[str | None, Opt("--since", help="From this date.")] = None,
    until: Annotated[str | None, Opt("--until", help="Up to this date.")] = None,
    kind: Annotated[
        list[str] | None,
        Opt(
            "--kind",
            help="Only these kinds: overdue, payment, "
            "settled, contact, letter, agreement, installment, "
            "stage, legal.",
        ),
    ] = None,
    limit: Annotated[
        int,
        Opt(
            "--limit",
            min=1,
            max=LIMIT_MAX,
            help="Past events shown (the latest); predicted ones are always shown.",
        ),
    ] = 40,
    show_all: Annotated[bool, Opt("--all", help="Every event.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Everything that happened and what is predicted, in order: missed dates, payments,
    contacts (with possible violations), letters, agreements and installments, stages passed
    and to come, and legal dates."""
    from debtcli import timeline

    full = json_out or show_all or since is not None
    events = _events(card, since, until, kind, None if full else limit)
    if json_out:
        emit_json([timeline.public(e) for e in events])
        return
    today = state.today.isoformat()
    past = [e for e in events if e["at"][:10] <= today]
    future = [e for e in events if e["at"][:10] > today]
    hidden = 0 if full else max(0, len(past) - limit)
    shown = events if full else past[-limit:] + future
    if not shown:
        say("Nothing recorded yet.", "还没有任何记录。")
        return
    render_timeline(shown, hidden)


@app.command("report")
def report_cmd(
    card: Annotated[str | None, typer.Argument(help="Only this card (default: all).")] = None,
    output: Annotated[Path, Opt("-o", "--output", help="The HTML file to write.")] = Path(
        "debtcli-report.html"
    ),
    full: Annotated[
        bool,
        Opt(
            "--full",
            help="Every entry, however long the log (otherwise a "
            "log of more than 200 entries is summarised).",
        ),
    ] = False,
) -> None:
    """A printable, self-contained HTML report (no network): each card's summary, a chart of
    what you owed with the collection stages, the timeline, the possible violations with their
    sources, and the evidence hashes."""
    from debtcli.documents import write_private
    from debtcli.report import build_report

    write_private(
        output, build_report(state.store(), state.pack(), state.lang, state.today, card, full=full)
    )
    say(
        f"Wrote {output}. Open it in a browser and print it (A4).",
        f"已写入 {output}。用浏览器打开并打印（A4）。",
    )


@app.command("calendar")
def calendar_cmd(
    output: Annotated[Path, Opt("-o", "--output", help="The .ics file to write.")] = Path(
        "debtcli.ics"
    ),
    card: Annotated[str | None, Opt("--card", help="Only this card.")] = None,
) -> None:
    """Upcoming installment due dates, predicted stage dates and legal dates as an iCalendar
    file with reminders, to import into your phone's calendar."""
    from debtcli.documents import write_private
    from debtcli.ics import to_ics

    events = [
        e
        for e in _events(card, None, None, None, None)
        if e["predicted"] and e["kind"] in ("installment", "stage", "legal")
    ]
    write_private(output, to_ics(events, state.today).encode(), "debtcli.ics")
    say(
        f"Wrote {len(events)} reminders to {output}; import it into your calendar.",
        f"已将 {len(events)} 个提醒写入 {output}；导入手机日历即可。",
    )
