"""Commands for the stage engine and the facts that answer collectors' claims."""

from typing import Annotated, Any

import typer

from debtcli.cli.common import CardArg, JsonOpt, app, console, emit_json, state


@app.command("stage")
def stage_cmd(card: CardArg, json_out: JsonOpt = False) -> None:
    """What stage of collection a card is in, what comes next and when, and the legal
    indicators (criminal threshold, credit record, limitation period), with sources.
    这张卡处于哪个催收阶段、下一步何时到来，以及相关法律指标。"""
    from debtcli.ledger import find_card
    from debtcli.standing import assess_card, public

    s, pack = state.store(), state.pack()
    c = find_card(s, card)
    r = assess_card(s, pack, c, state.today)
    if json_out:
        emit_json(public(r))
        return
    render_stage(r)


def _tag(item: dict[str, Any]) -> str:
    """The basis of a statement in words: law, rule, typical practice or unverified."""
    tag = state.pack().tag_text(item["tag"], state.lang)
    return state.t(f" ({tag})", f"（{tag}）")


def _stage_label(key: str | None) -> str:
    if not key:
        return "—"
    pack = state.pack()
    return pack.text(pack.stage(key), "", state.lang)


def render_stage(r: dict[str, Any]) -> None:
    from debtcli.money import format_amount, parse_amount

    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    out.print(f"{r['bank']} ****{r['last4']}", style="bold")
    if r["since"] is None:
        out.print(t("No overdue episode recorded for this card.", "这张卡没有逾期记录。"))
        return
    for risk in r["risks"]:
        if risk["key"] == "credit-record" and r["settled_on"]:
            ind = pack.indicator("credit-record")
            out.print(t(f"Settled on {r['settled_on']}. The negative record is typically shown "
                        f"until {risk['clears_on']} (5 years from settlement).",
                        f"已于 {r['settled_on']} 结清。不良记录保存至 {risk['clears_on']}"
                        f"（自结清起 5 年）。"))
            out.print(pack.text(ind, "reading", lang))
            out.print(t("Source: ", "出处：") + pack.text(ind, "citation", lang)
                      + _tag(ind))
            out.print(pack.disclaimer(lang), style="dim")
            return
    stage = pack.stage(r["stage"]) if r["stage"] else None
    out.print(t(f"Overdue since {r['since']}: day {r['days_overdue']}. Owed "
                f"{format_amount(parse_amount(r['owed'], allow_zero=True), r['currency'])}.",
                f"自 {r['since']} 逾期：第 {r['days_overdue']} 天。欠款 "
                f"{format_amount(parse_amount(r['owed'], allow_zero=True), r['currency'])}。"))
    if stage is None:
        out.print(t("Not overdue yet on this date.", "在这一天还没有逾期。"))
    else:
        basis = (t("shown by your contact log", "根据你的联系记录")
                 if r["stage_basis"] == "evidence"
                 else t("by days overdue", "按逾期天数"))
        out.print()
        out.print(t(f"Stage: {_stage_label(r['stage'])} ({basis})",
                    f"阶段：{_stage_label(r['stage'])}（{basis}）"), style="bold")
        if r["stage_basis"] == "evidence":
            out.print(t(f"  By the calendar alone it would be: {_stage_label(r['stage_by_days'])}.",
                        f"  仅按天数推算为：{_stage_label(r['stage_by_days'])}。"))
        prefix = t("Typically: ", "通常：") if stage["tag"] == "practice" else ""
        out.print("  " + prefix + pack.text(stage, "what", lang))
        out.print("  " + t("Basis: ", "依据：") + pack.text(stage, "basis", lang)
                  + _tag(stage))
        out.print("  " + t("What you can do now: ", "你现在可以做的：") + pack.text(stage, "todo", lang))
    if r["next_stage"]:
        out.print(t(f"\nNext: {_stage_label(r['next_stage'])}, typically from "
                    f"{r['next_stage_date']}.",
                    f"\n下一阶段：{_stage_label(r['next_stage'])}，通常从 {r['next_stage_date']} 起。"))
    if r.get("agreement"):
        from debtcli.cli.common import render_agreement_notes

        out.print()
        out.print(t("Installment agreement", "分期协议"), style="bold")
        render_agreement_notes([r])
    for risk in r["risks"]:
        render_risk(risk, r)
    out.print()
    out.print(pack.disclaimer(lang), style="dim")


def render_risk(risk: dict[str, Any], r: dict[str, Any]) -> None:
    from debtcli.money import format_amount, parse_amount

    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    ind = pack.indicator(risk["key"])
    cite = t("Source: ", "出处：") + pack.text(ind, "citation", lang) + \
        _tag(ind)
    if risk["key"] == "malicious-overdraft":
        cur = r["currency"]
        principal = format_amount(parse_amount(risk["principal"], allow_zero=True), cur)
        threshold = format_amount(parse_amount(risk["threshold"]), cur)
        out.print()
        out.print(t("Criminal threshold (恶意透支)", "恶意透支（刑事门槛）"), style="bold")
        basis = "" if risk["principal_recorded"] else t(
            " (no principal recorded, so the whole amount is counted; record it with "
            "`overdue --principal`)", "（未记录本金，按全部欠款计算；可用 `overdue --principal` 记录）")
        met = t("reaches", "达到") if risk["threshold_met"] else t("is below", "低于")
        out.print(t(f"  Unpaid principal {principal}{basis} {met} the {threshold} threshold.",
                    f"  未还本金 {principal}{basis}{met} {threshold} 的门槛。"))
        out.print(t(f"  Logged contacts that could count as effective notices: "
                    f"{risk['effective_notices']} (also counting SMS/app/email: "
                    f"{risk['possible_notices']}).",
                    f"  可能构成有效催收的记录：{risk['effective_notices']} 次（连同短信/App/邮件："
                    f"{risk['possible_notices']} 次）。"))
        if risk["exposure_date"]:
            out.print(t(f"  Two such notices at least 30 days apart: {risk['first_notice']} and "
                        f"{risk['second_notice']}; 'more than three months after' is passed on "
                        f"{risk['exposure_date']}.",
                        f"  相隔至少 30 天的两次：{risk['first_notice']} 和 {risk['second_notice']}；"
                        f"“超过三个月”于 {risk['exposure_date']} 届满。"))
        elif risk["possible_exposure_date"]:
            out.print(t(f"  Counting SMS/app/email as well (courts differ): passed on "
                        f"{risk['possible_exposure_date']}.",
                        f"  若短信/App/邮件也算（法院看法不一）：于 {risk['possible_exposure_date']} 届满。"))
        else:
            out.print(t("  No two qualifying notices 30 days apart are logged yet.",
                        "  记录中还没有相隔 30 天的两次有效催收。"))
        out.print("  " + pack.text(ind, "reading", lang))
        out.print("  " + cite)
    elif risk["key"] == "limitation":
        out.print()
        out.print(t(f"Limitation period: 3 years, last restarted {risk['restarted_on']} (runs "
                    f"to {risk['runs_until']} if nothing restarts it).",
                    f"诉讼时效：3 年，最近一次重新计算于 {risk['restarted_on']}"
                    f"（如无中断，至 {risk['runs_until']}）。"), style="bold")
        out.print("  " + pack.text(ind, "reading", lang))
        out.print("  " + cite)


@app.command("facts")
def facts_cmd(
    key: Annotated[str | None, typer.Argument(
        help="What the collector said: arrest, criminal-record, blacklist, "
        "family-liable, employer, children-school, court-today, pay-to-person.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """What the rules say about a collector's claim ("they said I will be arrested"), with
    sources. 催收说法与事实对照（附出处）。"""
    from debtcli.errors import NotFound

    pack, t, lang = state.pack(), state.t, state.lang
    claims = pack.claims()
    if key:
        wanted = [c for c in claims if c["key"] == key.strip().lower()]
        if not wanted:
            raise NotFound(f"no claim {key!r}; known: {', '.join(pack.claim_keys())}",
                           f"没有说法 {key!r}；已知：{', '.join(pack.claim_keys())}")
        claims = wanted
    if json_out:
        emit_json([{"key": c["key"], "claim": pack.text(c, "claim", lang),
                    "fact": pack.text(c, "fact", lang),
                    "citation": pack.text(c, "citation", lang), "tag": c["tag"]}
                   for c in claims])
        return
    out = console()
    for c in claims:
        out.print(f"{c['key']}  {pack.text(c, 'claim', lang)}", style="bold")
        out.print("  " + pack.text(c, "fact", lang))
        out.print("  " + t("Source: ", "出处：") + pack.text(c, "citation", lang)
                  + _tag(c))
    out.print(pack.disclaimer(lang), style="dim")
