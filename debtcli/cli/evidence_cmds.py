"""Commands for the contact log: log add/list/amend/import, evidence verify/export, violations."""

import functools
import sys
from datetime import UTC
from pathlib import Path
from typing import Annotated, Any

import typer

from debtcli.cli.common import LIMIT_MAX, JsonOpt, app, console, emit_json, say, state, sub_app
from debtcli.dates import show_instant, show_time

log_app = sub_app(
    "The contact log: every collector call, SMS, letter and visit, kept as evidence "
    "(append-only, hash-chained)."
)
evidence_app = sub_app("Check and export the evidence log.")
app.add_typer(log_app, name="log")
app.add_typer(evidence_app, name="evidence")

Opt = typer.Option


def _local_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    from debtcli.dates import days_utc

    return days_utc(since, until, state.today)


@log_app.command("list")
def log_list(
    card: Annotated[str | None, typer.Argument(help="Only this card.")] = None,
    since: Annotated[str | None, Opt("--since", help="From this date.")] = None,
    until: Annotated[str | None, Opt("--until", help="Up to and including this date.")] = None,
    channel: Annotated[list[str] | None, Opt("--channel", help="Only these channels.")] = None,
    history: Annotated[bool, Opt("--history", help="Show originals and corrections.")] = False,
    csv_out: Annotated[bool, Opt("--csv", help="Write CSV (the `log import` format).")] = False,
    limit: Annotated[
        int,
        Opt(
            "--limit",
            min=1,
            max=LIMIT_MAX,
            help="The table shows the latest N entries (JSON and CSV give all).",
        ),
    ] = 50,
    show_all: Annotated[bool, Opt("--all", help="Show every entry in the table.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Show the contact log, oldest first, with possible violations marked."""
    from debtcli import store as st
    from debtcli.flags import flags_for
    from debtcli.ledger import find_card

    # contactlog (entry building, import, hashing) is loaded only for what needs it: the
    # table of the latest page, the usual case, does not.
    contactlog: Any = None
    if channel or csv_out or json_out:
        from debtcli import contactlog
    s, pack = state.store(), state.pack()
    card_id = find_card(s, card)["id"] if card else None
    channels = [
        contactlog.choice("--channel", c, contactlog.CHANNELS, None, state.pack())
        for c in channel or []
    ]
    lo, hi = _local_range(since, until)
    page = None if (csv_out or json_out or show_all) else limit
    # Counting is cheap; reading and rendering every row of a long log is not.
    total = (
        st.count_contacts(
            s, card_id=card_id, history=history, since_utc=lo, until_utc=hi, channels=channels
        )
        if page
        else None
    )
    rows = st.contacts(
        s,
        card_id=card_id,
        history=history,
        since_utc=lo,
        until_utc=hi,
        channels=channels,
        latest=page,
    )
    if csv_out:
        from debtcli.cli.streams import DataOut, to_a_file, write_data

        if to_a_file():  # Excel on a Chinese Windows reads a CSV as UTF-8 only with a BOM
            write_data("\ufeff")
        contactlog.write_csv(rows, st.list_cards(s, include_archived=True), DataOut())
        return
    total = total if total is not None else len(rows)
    flagged = flags_for(s, pack, rows)
    if json_out:
        with s.read():
            atts = st.attachments_for(s.conn)
        emit_json(
            [
                _listed_json(
                    contactlog.entry_json(r, atts.get(r["row_id"], []), salts=False), r, flagged
                )
                for r in rows
            ]
        )
        return
    render_log(st.with_file_names(s.conn, rows), flagged, history, show_card=card_id is None)
    if not history and (gone := st.count_withdrawn(s.conn, card_id)):
        say(
            f"{gone} withdrawn {'entry is' if gone == 1 else 'entries are'} not shown: "
            "--history shows them.",
            f"{gone} 条已撤回的记录未显示：加 --history 可查看。",
        )
    if total > len(rows):
        say(
            f"Showing the latest {len(rows)} of {total:,} entries; use --limit N or --all.",
            f"显示最近 {len(rows)} 条，共 {total:,} 条；可用 --limit N 或 --all。",
        )


def render_log(
    rows: list[dict], flagged: dict[int, list[str]], history: bool, show_card: bool = True
) -> None:
    """The log as a table; without the card column when the user asked for one card."""
    from debtcli.cli.tables import show_table
    from debtcli.money import format_amount

    t, pack, lang = state.t, state.pack(), state.lang
    out = console()
    if not rows:
        out.print(
            t(
                "No contacts logged. Record one: debtcli log add CARD --channel call",
                "还没有联系记录。记录一条：debtcli log add 卡号 --channel call",
            )
        )
        return
    headers = [
        t("#", "#"),
        t("when", "时间"),
        t("card", "卡"),
        t("how", "方式"),
        t("who", "对方"),
        t("reached", "联系对象"),
        t("what", "内容"),
        t("flags", "违规"),
    ]
    table = []
    for r in rows:
        mark = ""
        if history and r["amends"]:
            mark = t(f" (corrects {r['amends']})", f"（更正 {r['amends']}）")
        elif r.get("amended"):
            mark = " ✎"
        if r.get("withdrawn"):
            w = r["withdrawn"]
            mark += t(
                f" (withdrawn {w['at'][:10]}: {w['why']})",
                f"（已于 {w['at'][:10]} 撤回：{w['why']}）",
            )
        how = pack.word_name("channel", r["channel"], lang) + {
            "in": "",
            "out": " →",
        }.get(r["direction"], t(" (direction unknown)", "（方向未知）"))
        if r["answered"] == 0:
            how += t(" (missed)", "（未接）")
        if r.get("files"):
            n = len(r["files"])
            how += t(f" +{n} file{'s' if n > 1 else ''}", f"（附件 {n} 个）")
        who = " ".join(
            x for x in (pack.word_name("party", r["party"], lang), r["org"], r["agent"]) if x
        )
        what = r["note"] or ""
        if r["demanded"]:
            what = f"{format_amount(r['demanded'], r['currency'])} " + what
        flags = pack.rule_names(flagged.get(r["id"], []), lang)
        number = r["row_id"] if history else r["id"]
        table.append(
            [
                f"{number}{mark}",
                show_time(r["at"], state.lang),
                f"****{r['last4']}",
                how,
                who,
                pack.word_name("contacted", r["contacted"], lang),
                what,
                f"⚑ {flags}" if flags else "",
            ]
        )
    if not show_card:
        del headers[2]
        for row in table:
            del row[2]
    wrap = frozenset({4, 6, 7} if show_card else {3, 5, 6})
    with out.paging():
        show_table(out, headers, table, wrap=wrap)
    if any(r.get("amended") for r in rows):
        out.print(
            t(
                "✎ corrected later; see --history for the original",
                "✎ 已更正；用 --history 查看原始记录",
            )
        )


@log_app.command("import")
def log_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file whose header is card plus the long option names of `log add` "
            "with _ for - (at, channel, party, org, note, …); missed takes yes or no "
            "(是/否, 1/0)."
        ),
    ],
) -> None:
    """Import contacts kept in a spreadsheet: all rows or none."""
    from debtcli import contactlog

    s, pack = state.store(), state.pack()
    progress_cb = None
    if sys.stderr.isatty():
        from rich.progress import Progress

        from debtcli.cli.term import rich_console

        progress = Progress(console=rich_console(stderr=True), transient=True)
        task = progress.add_task(state.t("checking rows", "检查行"), total=None)
        progress.start()
        progress_cb = functools.partial(progress.advance, task)
    try:
        n = contactlog.import_csv(s, pack, file, state.today, progress_cb)
    finally:
        if progress_cb:
            progress.stop()
    say(
        f"Imported {n} entries from {file}. Check them: debtcli log list",
        f"已从 {file} 导入 {n} 条记录。查看：debtcli log list",
    )


@evidence_app.command("verify")
def evidence_verify(
    bundle: Annotated[
        Path | None,
        Opt("--bundle", help="Check an exported bundle.zip on its own instead of the store."),
    ] = None,
    ca: Annotated[
        Path | None,
        Opt(
            "--ca",
            help="With --bundle: the TSA root certificate (PEM) you trust; every timestamp in "
            "the bundle must chain to it. Without it, the root the bundle brings is only "
            "shown, with its fingerprint.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Recompute every hash: exit 0 if the log is intact, 1 naming every entry or attachment
    that was changed, removed, reordered or inserted. With timestamps (evidence stamp), also
    checks each token and says by when each entry provably existed."""
    from debtcli import contactlog

    if ca is not None and bundle is None:
        from debtcli.errors import BadInput

        raise BadInput(
            "--ca goes with --bundle: the store's TSA roots are pinned with evidence stamp",
            "--ca 须与 --bundle 同用：数据文件的时间戳根证书请用 evidence stamp 固定",
        )
    if bundle is not None:
        _verify_bundle(bundle, json_out, _read_ca(ca) if ca else None)
        return
    seen, head, problems = contactlog.verify_store(state.store())
    stamps = contactlog.verify_stamps(state.store())
    problems = problems + stamps.problems
    if json_out:
        emit_json(
            {
                "entries": seen,
                "chain_head": head,
                "ok": not problems,
                "stamps": stamps.tokens,
                "existed_by": _covered_json(stamps.covered),
                "problems": _problems_json(problems),
            }
        )
        if problems:
            raise typer.Exit(1)
        return
    contactlog.raise_if_problems(problems)
    say(
        f"OK: {seen} entries verified; chain head {head}.",
        f"校验通过：共 {seen} 条记录；链头 {head}。",
    )
    render_stamps(stamps, seen)


def _listed_json(entry: dict, row: Any, flagged: dict[int, list[str]]) -> dict:
    """An entry as `log list --json` gives it: its card, whether it was amended, what it
    breaks, and the amount demanded as every --json gives an amount (a bundle keeps the fen)."""
    from debtcli.money import to_decimal_str

    demanded = row["demanded"]
    return {
        **entry,
        "demanded": to_decimal_str(demanded) if demanded is not None else None,
        "amended": row.get("amended", False),
        "card": row["last4"],
        "violations": flagged.get(row["id"], []),
        "withdrawn": row.get("withdrawn"),  # {"at", "why"} (with --history), else null
    }


def _problems_json(problems: list) -> list[dict]:
    """Each problem found, its message in the user's language (as the text output says it)."""
    return [{"entry": p.entry, "kind": p.kind, "message": state.t(p.en, p.zh)} for p in problems]


def _covered_json(covered: list) -> list[dict]:
    return [
        {
            "first": c.first,
            "last": c.last,
            "time": c.time.isoformat(timespec="seconds"),
            "tsa": c.tsa,
        }
        for c in covered
    ]


def render_stamps(report: Any, entries: int) -> None:
    """What the timestamps prove, per range of entries, and how each token was judged."""
    from debtcli.cli.common import day

    if not report.tokens:
        return
    for c in report.covered:
        when = show_instant(c.time, state.lang)
        say(
            f"Entries {c.first}–{c.last} existed, as recorded, no later than {when} "
            f"(timestamp by {c.tsa}).",
            f"第 {c.first}–{c.last} 条记录最晚于 {when} 已按现状存在（{c.tsa} 的时间戳）。",
        )
    last = report.covered[-1].last if report.covered else 0
    if last < entries:
        say(
            f"Entries {last + 1}–{entries} are not timestamped yet: debtcli evidence stamp.",
            f"第 {last + 1}–{entries} 条记录尚无时间戳：debtcli evidence stamp",
        )
    unchecked = [t for t in report.tokens if t["unchecked"]]
    if unchecked:
        say(
            f"{len(unchecked)} timestamps carry no root certificate, so their signatures were "
            "not checked and prove nothing here: pin the TSA's root with evidence stamp --tsa "
            "URL --ca ROOT.pem.",
            f"{len(unchecked)} 个时间戳不含根证书，签名未校验，在此不作证明：请用 evidence stamp "
            "--tsa 地址 --ca 根证书.pem 固定根证书。",
        )
    unpinned: dict[tuple[str, str], list[str]] = {}
    pinned: dict[tuple[str, str], list[str]] = {}
    for t in report.tokens:
        if t["root_sha256"]:
            into = pinned if t["pinned"] else unpinned
            into.setdefault((t["root"], t["root_sha256"]), []).append(str(t["id"]))
    for (root, fp), ids in pinned.items():
        say(
            f"Stamp {', '.join(ids)}: checked against the pinned root {root} (SHA-256 {fp}); "
            "it should be the fingerprint the TSA publishes.",
            f"时间戳 {'、'.join(ids)}：按已固定的根证书 {root}（SHA-256 {fp}）校验；该指纹应与时间戳服务公布的一致。",
        )
    for (root, fp), ids in unpinned.items():
        say(
            f"Stamp {', '.join(ids)}: nothing is pinned, so it was checked only against the root "
            f"{root} (SHA-256 {fp}) that came with it, which proves the token is whole, not who "
            "signed it. Compare that fingerprint with the one the TSA publishes, or pin the "
            "root: evidence stamp --tsa URL --ca ROOT.pem (a bundle: evidence verify --bundle "
            "FILE --ca ROOT.pem).",
            f"时间戳 {'、'.join(ids)}：未固定根证书，只按随令牌附带的根证书 {root}（SHA-256 {fp}）"
            "校验，这只证明令牌完整，不证明由谁签发。请将该指纹与时间戳服务公布的指纹比对，或固定根证书："
            "evidence stamp --tsa 地址 --ca 根证书.pem（证据包：evidence verify --bundle 文件 "
            "--ca 根证书.pem）。",
        )
    for t in report.tokens:
        if t["certificate_expired"]:
            say(
                f"Stamp {t['id']}: the TSA's certificate has expired since "
                f"({day(t['certificate_expired'][:10])}); the token is judged at its own time, "
                "when the certificate was valid.",
                f"时间戳 {t['id']}：时间戳服务的证书此后已过期（{day(t['certificate_expired'][:10])}）；"
                "按令牌自身的时间校验，当时证书有效。",
            )


@evidence_app.command("stamp")
def evidence_stamp(
    tsa: Annotated[
        str | None,
        Opt(
            "--tsa",
            help="A timestamp authority's address, e.g. "
            "https://freetsa.org/tsr (remembered; repeat the command "
            "with another to use several).",
        ),
    ] = None,
    ca: Annotated[
        Path | None, Opt("--ca", help="The TSA's root certificate (PEM) to pin it to (remembered).")
    ] = None,
    background: Annotated[bool, Opt("--background", hidden=True)] = False,
) -> None:
    """Get a trusted timestamp (RFC 3161) over the log's newest entry from each timestamp
    authority you chose: proof from outside your machine that every entry existed, as
    recorded, no later than that time. Needs the network; without it the request waits."""
    from datetime import datetime

    from debtcli import stamps
    from debtcli import store as st
    from debtcli.errors import BadInput

    s = state.store()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if ca and not tsa:
        raise BadInput(
            "--ca pins a TSA: give it with --tsa URL",
            "--ca 用于固定某个时间戳服务：请同时给出 --tsa 地址",
        )
    if tsa:
        url = stamps.check_url(tsa)
        pem = _read_ca(ca) if ca else None
        st.add_tsa(s, url, pem, now)
    if not st.tsas(s.conn):
        if background:
            return
        raise BadInput(
            "no timestamp authority yet: debtcli evidence stamp --tsa URL (see the "
            "README for public ones)",
            "还没有时间戳服务：debtcli evidence stamp --tsa 地址（README 列出了公共服务）",
        )
    sent, failures = stamps.send_queued(s, now, wait=0 if background else 30)
    s.wrote = False  # what waited was just sent (or tried): no second try in the background
    if background:
        return
    for url, count, when in sent:
        shown = show_instant(datetime.fromisoformat(when), state.lang)
        say(
            f"Stamped entries 1–{count} at {shown} ({url}).",
            f"已为第 1–{count} 条记录取得时间戳：{shown}（{url}）。",
        )
    if not sent and not failures:
        say("Every entry is already timestamped.", "所有记录都已有时间戳。")
    if failures:
        from debtcli.stamps import TsaUnreachable

        raise TsaUnreachable("; ".join(f.en for f in failures), "；".join(f.zh for f in failures))


def _read_ca(path: Path) -> str:
    from debtcli import stamps
    from debtcli.files import read_small

    return stamps.check_ca(read_small(path, stamps.CA_MAX_BYTES), str(path))


def _verify_bundle(bundle: Path, json_out: bool, ca_pem: str | None) -> None:
    """A bundle says what it proves and, in one line each, what it could not check."""
    from debtcli import contactlog

    r = contactlog.verify_bundle(bundle, ca_pem)
    other_cards = [eid for eid in r.absent if eid not in r.withheld]
    if json_out:
        emit_json(
            {
                "card": r.card,  # a one-card bundle's last four; null for the whole log
                "entries_of_other_cards": other_cards,  # their links checked, not their contents
                "entries_verified": r.verified,
                "entries_unchecked": r.unchecked,
                "entries_masked": r.masked,
                "entries_withheld": r.withheld,
                # withdrawn by the holder: a statement kept beside the chain, not proven by it
                "entries_withdrawn": r.withdrawn,
                # what a redacted bundle cannot prove: the text around a mask, and why an
                # entry was withheld
                "masked_text_is_evidence": False if r.masked else None,
                "withheld_reason_checked": False if r.withheld else None,
                "stamps": r.stamps.tokens if r.stamps else [],
                "existed_by": _covered_json(r.stamps.covered) if r.stamps else [],
                "chain": r.chain,
                "chain_head": r.head,
                "attachments_left_out": r.omitted,
                "ok": not r.problems,
                "derived_not_evidence": list(contactlog.DERIVED),
                "problems": _problems_json(r.problems),
            }
        )
        if r.problems:
            raise typer.Exit(1)
        return
    contactlog.raise_if_problems(r.problems)
    if r.redacted:
        say(
            "This is a redacted bundle: personal details are masked and attachments left out.",
            "这是脱敏证据包：个人信息已遮盖，附件已略去。",
        )
    if r.unchecked or r.omitted:
        say(
            f"The chain of {r.chain} entries links up to head {r.head}; {r.verified} entries "
            f"verified in full.",
            f"{r.chain} 条记录的链完整衔接至链头 {r.head}；{r.verified} 条完整校验通过。",
        )
    else:
        say(
            f"OK: {r.verified} entries verified; the chain of {r.chain} entries links up to "
            f"head {r.head}.",
            f"校验通过：{r.verified} 条记录；{r.chain} 条记录的链完整衔接至链头 {r.head}。",
        )
    from debtcli.contactlog import _ranges

    if other_cards:
        say(
            f"Entries {_ranges(other_cards)} of the chain are not in this bundle, which holds "
            f"only card ****{r.card}'s entries: their links were checked, not their contents.",
            f"链中的记录 {_ranges(other_cards, '、')} 不在本证据包中（本包只含 ****{r.card} 的记录）："
            "只校验了衔接，未校验内容。",
        )
    if r.masked:
        say(
            f"Entries {_ranges(r.masked)} verified except their masked fields: every field "
            "shown in clear checks against its salt, and each masked field's recorded value is "
            "proven unchanged by its salted commitment, without revealing it. The text shown "
            "around a mask (***) is not evidence: a full bundle shows it.",
            f"记录 {_ranges(r.masked, '、')} 除被遮盖的字段外均校验通过：明文显示的每个字段都与其盐值相符，"
            "每个被遮盖字段的原值由加盐承诺值证明未被修改而不泄露内容。被遮盖字段中 *** 周围显示的文字"
            "不是证据：完整证据包会显示原文。",
        )
    if r.withheld:
        say(
            f"This redacted bundle withholds entries {_ranges(r.withheld)}, saying they were "
            "recorded before salted commitments and had something to mask. That cannot be "
            "checked from the bundle: their place in the chain was checked, not their contents "
            "(a full bundle shows them).",
            f"本脱敏证据包未包含记录 {_ranges(r.withheld, '、')}，称它们记录于加盐承诺之前且含需遮盖的内容。"
            "这一点无法从证据包本身核实：只校验了它们在链中的位置，未校验内容（完整证据包包含它们）。",
        )
    if r.withdrawn:
        say(
            f"The holder withdrew entries {_ranges(r.withdrawn)} from every count (withdrawn.json: "
            "when and why). The entries themselves verify; the withdrawals are the holder's "
            "statement, kept beside the chain and not covered by it.",
            f"持有人已将记录 {_ranges(r.withdrawn, '、')} 从所有统计中撤回（见 withdrawn.json：时间和原因）。"
            "这些记录本身校验通过；撤回是持有人的说明，保存在哈希链之外，不受其保护。",
        )
    if r.unchecked:
        say(
            f"{len(r.unchecked)} redacted entries could not be checked: their masked fields no "
            "longer hash to what was recorded.",
            f"{len(r.unchecked)} 条脱敏记录无法校验：被遮盖的字段不再与记录时的哈希对应。",
        )
    elif r.redacted and not r.masked and not r.withheld:
        say(
            "The redacted entries had nothing to mask and verify in full; the attachments left "
            "out could not be checked.",
            "脱敏记录中没有需要遮盖的内容，均完整校验通过；略去的附件无法校验。",
        )
    if r.omitted:
        say(
            f"{r.omitted} attachments were left out of this bundle on purpose and could not be "
            "checked.",
            f"{r.omitted} 个附件被有意略去，无法校验。",
        )
    if r.stamps is not None:
        render_stamps(r.stamps, r.chain)
    say(
        "summary.html and entries.csv are readable copies made from entries.json: not evidence, "
        "not checked.",
        "summary.html 和 entries.csv 是根据 entries.json 生成的阅读副本：不是证据，不作校验。",
    )


def summary_html(context: dict[str, Any]) -> str:
    from debtcli.contactlog import PARTIES, SUMMARY_LATEST
    from debtcli.templating import render

    pack, t, lang = state.pack(), state.t, state.lang
    for v in context["violations"]:
        v["rule_text"] = pack.text(pack.conduct_rule(v["rule"]), "short", lang)
        v["at_text"] = show_time(v["at"], lang)
    context["rules"] = [
        (
            pack.text(pack.conduct_rule(k), "short", lang),
            pack.text(pack.conduct_rule(k), "", lang),
            pack.text(pack.conduct_rule(k), "citation", lang),
            n,
        )
        for k, n in context["per_rule"].items()
    ]
    context["months"] = [
        (m, pack.word_name("channel", c, lang), n) for m, c, n in context["tallies"]["months"]
    ]
    context["orgs"] = [
        (pack.word_name("party", o, lang) if o in PARTIES else o, n)
        for o, n in context["tallies"]["orgs"]
    ]
    context["entries"] = [
        {
            **e,
            "at_text": show_time(e["at"], lang),
            "channel_name": pack.word_name("channel", e["channel"], lang),
            "direction_name": pack.word_name("direction", e["direction"], lang),
            "party_name": pack.word_name("party", e["party"], lang),
            "contacted_name": pack.word_name("contacted", e["contacted"], lang),
        }
        for e in context["entries"]
    ]
    labels = {
        "title": t("Collection contact log — evidence summary", "催收联系记录——证据摘要"),
        "intro": t(
            "Exported by debtcli. Every entry is hash-chained; check this bundle with "
            "`debtcli evidence verify --bundle FILE.zip`.",
            "由 debtcli 导出。每条记录都有哈希链；可用 `debtcli evidence verify --bundle "
            "文件.zip` 校验。",
        ),
        "head": t("Chain head", "链头"),
        "entries": t("entries", "条记录"),
        "card": t("Card", "卡"),
        "violations": t("Possible violations", "可能的违规"),
        "when": t("When", "时间"),
        "rule": t("Rule", "规定"),
        "citation": t("Source", "出处"),
        "hash": t("Entry hash", "记录哈希"),
        "log": t("Contacts", "联系记录"),
        "channel": t("Channel", "方式"),
        "who": t("Who", "对方"),
        "contacted": t("Reached", "联系对象"),
        "note": t("Note", "内容"),
        "disclaimer": pack.disclaimer(lang),
        "per_rule": t("Possible violations per rule", "各规定的可能违规次数"),
        "per_month": t("Contacts per month", "每月联系次数"),
        "missed": t("(missed)", "（未接）"),
        "kept": t("Kept:", "附件："),
        "withdrawn": t(
            "Entries withdrawn (in entries.json and the chain, listed with when and why in "
            "withdrawn.json, counted nowhere here):",
            "已撤回的记录（仍在 entries.json 和哈希链中，撤回时间和原因见 withdrawn.json，此处不计入）：",
        ),
        "per_org": t("Contacts per organisation", "各机构联系次数"),
        "month": t("Month", "月份"),
        "count": t("Count", "次数"),
        "says": t("What it says", "内容"),
        "latest_violations": t(
            f"The latest {SUMMARY_LATEST} possible violations (all of them are in "
            "`debtcli violations`, each with its entry in entries.csv):",
            f"最近 {SUMMARY_LATEST} 条可能的违规（全部见 `debtcli violations`，每条对应 entries.csv 中的记录）：",
        ),
        "latest_entries": t(
            f"The latest {SUMMARY_LATEST} contacts; every contact is in entries.csv beside this page.",
            f"最近 {SUMMARY_LATEST} 条联系记录；全部联系记录见本页旁的 entries.csv。",
        ),
        "not_evidence": t(
            "This page is a readable copy made from entries.json: it is not evidence. "
            "The evidence is entries.json, chain.json and the attachments.",
            "本页是根据 entries.json 生成的阅读副本，不是证据。证据是 entries.json、chain.json "
            "和附件。",
        ),
    }
    return render("evidence_summary.html.j2", {**context, "t": labels})


@evidence_app.command("export")
def evidence_export(
    card: Annotated[str | None, typer.Argument(help="Only this card.")] = None,
    output: Annotated[Path, Opt("-o", "--output", help="The bundle to write (.zip).")] = Path(
        "evidence-bundle.zip"
    ),
    redacted: Annotated[
        bool,
        Opt(
            "--redact",
            help="Mask phone numbers, agent ids and names "
            "and long numbers in notes, and leave out attachments: for "
            "sharing in a public forum.",
        ),
    ] = False,
    mask: Annotated[
        list[str] | None,
        Opt(
            "--mask",
            help="With --redact: a name to hide "
            "wherever it appears, e.g. yours or a relative's "
            "(repeatable; agent names are always hidden).",
        ),
    ] = None,
) -> None:
    """Export the log as a bundle a regulator or lawyer can check: entries (CSV, JSON),
    attachments, a SHA-256 manifest with the chain head, and an HTML summary."""
    from debtcli import contactlog
    from debtcli.documents import output_file
    from debtcli.ledger import find_card
    from debtcli.redact import check_names

    output_file(output, "evidence.zip")  # before the log is read: a folder given is said first
    check_names(mask or [])
    s = state.store()
    c = find_card(s, card) if card else None
    _, _, problems = contactlog.verify_store(s)
    contactlog.raise_if_problems(problems)
    if mask and not redacted:
        from debtcli.errors import BadInput

        raise BadInput(
            "--mask hides names in a redacted bundle: add --redact",
            "--mask 用于在脱敏证据包中隐藏姓名：请加 --redact",
        )
    names = [*(mask or []), *_own_name(s)]
    m = contactlog.export_bundle(
        s, state.pack(), output, c, state.lang, summary_html, redacted=redacted, mask_names=names
    )
    say(
        f"Wrote {output}: {m['entries']} entries, {len(m['files'])} files, chain head "
        f"{m['chain_head'][:16]}…",
        f"已写入 {output}：{m['entries']} 条记录，{len(m['files'])} 个文件，链头 "
        f"{m['chain_head'][:16]}…",
    )


def _own_name(store: Any) -> list[str]:
    """The sender's name letters remember: hidden in a redacted bundle too."""
    from debtcli.store import get_meta_json

    name = (get_meta_json(store, "profile") or {}).get("name")
    return [name] if name else []


def render_violations(
    card: str | None = None,
    limit: int | None = None,
    sources: bool = True,
    since: str | None = None,
    until: str | None = None,
    rules: set[str] | None = None,
) -> None:
    """The latest `limit` violations (all when None) as a table, counting the rest: the log is
    read as a stream, only the rows shown are kept."""
    from collections import deque

    from debtcli.cli.tables import show_table

    pack, t = state.pack(), state.t
    stream, shown = _violations(card, since, until, rules), deque[dict](maxlen=limit)
    total = 0
    for v in stream:
        total += 1
        shown.append(v)
    out = console()
    if not total:
        out.print(t("No possible violations in the log.", "记录中没有发现可能的违规。"))
        return
    headers = [t("#", "#"), t("when", "时间"), t("card", "卡"), t("rule", "规定")]
    if sources:
        headers += [t("source", "出处"), t("hash", "哈希")]
    texts: dict[str, tuple[str, str]] = {}  # each rule's text once, not once per row
    table = []
    for v in shown:
        if v["rule"] not in texts:
            rule = pack.conduct_rule(v["rule"])
            texts[v["rule"]] = (
                pack.text(rule, "", state.lang),
                pack.text(rule, "citation", state.lang),
            )
        text, citation = texts[v["rule"]]
        if v["rule"] == "false-claim" and v.get("claims"):
            text = t("; ", "；").join(
                pack.claim_label(k, state.lang) for k in v["claims"].split(",")
            )
        cells = [str(v["entry"]), show_time(v["at"], state.lang), f"****{v['card']}", text]
        if sources:
            cells += [citation, v["hash"][:12] + "…"]
        table.append(cells)
    show_table(
        out,
        headers,
        table,
        wrap=frozenset({3, 4}),
        title=t(f"Possible violations ({total})", f"可能的违规（{total}）"),
    )
    if len(shown) < total:
        out.print(
            t(
                f"(the latest {len(shown)} of {total}: --all, --since DATE or --rule RULE "
                "for others; --json or --csv for every one)",
                f"（共 {total} 条，显示最近 {len(shown)} 条：用 --all、--since 日期 或 --rule 规定 "
                "查看其他；--json 或 --csv 输出全部）",
            )
        )


def _violations(
    card: str | None, since: str | None, until: str | None, rules: set[str] | None
) -> Any:

    from debtcli.errors import not_one_of
    from debtcli.flags import iter_violations
    from debtcli.ledger import find_card

    s, pack = state.store(), state.pack()
    # A rule by its key or its short name in either language (夜间催收, third party).
    names = {
        n.casefold(): r["key"]
        for r in pack.conduct()
        for n in (r["key"], r["short_zh"], r["short_en"])
    }
    wanted = set()
    for r in rules or ():
        key = names.get(r.strip().casefold())
        if key is None:
            raise not_one_of(
                f"--rule {r!r}",
                [x["key"] for x in pack.conduct()],
                [x["short_zh"] for x in pack.conduct()],
            )
        wanted.add(key)
    rules = wanted or None

    card_id = find_card(s, card)["id"] if card else None
    lo, hi = _local_range(since, until)
    return iter_violations(s, pack, card_id, since_utc=lo, until_utc=hi, rules=rules)


VIOLATIONS_SHOWN = 200  # a table a person reads; JSON and CSV give every one


@app.command("violations")
def violations_cmd(
    card: Annotated[str | None, typer.Argument(help="Only this card.")] = None,
    since: Annotated[str | None, Opt("--since", help="From this date.")] = None,
    until: Annotated[str | None, Opt("--until", help="Up to and including this date.")] = None,
    rule: Annotated[
        list[str] | None,
        Opt("--rule", help="Only this rule, e.g. quiet-hours or third-party (repeatable)."),
    ] = None,
    limit: Annotated[
        int,
        Opt(
            "--limit",
            min=1,
            max=LIMIT_MAX,
            help="The table shows the latest N (JSON and CSV give all).",
        ),
    ] = VIOLATIONS_SHOWN,
    show_all: Annotated[bool, Opt("--all", help="Show every one in the table.")] = False,
    csv_out: Annotated[bool, Opt("--csv", help="Write CSV.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """List logged contacts that may break the conduct rules, with each rule's source and the
    entry's hash."""
    rules = set(rule) if rule else None
    if not (json_out or csv_out):
        render_violations(card, None if show_all else limit, since=since, until=until, rules=rules)
        return
    pack, lang = state.pack(), state.lang
    texts: dict[str, dict[str, str]] = {}

    def described(v: dict[str, Any]) -> dict[str, Any]:
        if v["rule"] not in texts:
            r = pack.conduct_rule(v["rule"])
            texts[v["rule"]] = {
                "rule_text": pack.text(r, "", lang),
                "citation": pack.text(r, "citation", lang),
                "tag": r["tag"],
            }
        return {**v, **texts[v["rule"]]}

    rows = (described(v) for v in _violations(card, since, until, rules))
    if json_out:
        stream_json(rows)
        return
    import csv

    from debtcli.escape import for_csv

    writer = None
    for v in rows:
        if writer is None:
            from debtcli.cli.streams import DataOut

            writer = csv.DictWriter(DataOut(), fieldnames=list(v))
            writer.writeheader()
        writer.writerow({k: for_csv(x) if isinstance(x, str) else x for k, x in v.items()})


def stream_json(rows: Any) -> None:
    """A JSON array written as it is produced: one row in memory at a time."""
    import json

    from debtcli.cli.streams import DataOut

    out, n = DataOut(), 0
    out.write("[")
    for n, row in enumerate(rows, start=1):
        out.write(",\n  " if n > 1 else "\n  ")
        out.write(json.dumps(row, ensure_ascii=False))
    out.write("\n]\n" if n else "]\n")
