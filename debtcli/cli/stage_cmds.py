"""Commands for the stage engine and the facts that answer collectors' claims."""

from typing import Annotated, Any

import typer

from debtcli.cli.common import CardArg, JsonOpt, app, console, day, emit_json, state


@app.command("stage")
def stage_cmd(card: CardArg, json_out: JsonOpt = False) -> None:
    """What stage of collection a card is in, what comes next and when, and the legal
    indicators (criminal threshold, credit record, limitation period), with sources."""
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


def _stage_label(key: str | None, criminal: bool = True) -> str:
    return state.pack().stage_text(key, "", state.lang, criminal)


def _amount(text: str, currency: str) -> str:
    from debtcli.money import format_amount, from_decimal_str

    return format_amount(from_decimal_str(text), currency)


def render_stage(r: dict[str, Any]) -> None:
    pack, t = state.pack(), state.t
    out = console()
    out.print(f"{r['bank']} ****{r['last4']}", style="bold")
    if r["since"] is None:
        out.print(t("No overdue episode recorded for this card.", "这张卡没有逾期记录。"))
        return
    if r["settled_on"]:
        render_settled(r)
        return
    render_overdue(r)
    a, criminal = r.get("agreement"), r["threshold_met"]
    stage = pack.stage(r["stage"]) if r["stage"] else None
    if stage is None:
        out.print(t("Not overdue yet on this date.", "在这一天还没有逾期。"))
    else:
        render_current(r, stage)
    if r["next_stage"]:
        out.print(
            t(
                f"\nNext: {_stage_label(r['next_stage'], criminal)}, typically from "
                f"{day(r['next_stage_date'])}.",
                f"\n下一阶段：{_stage_label(r['next_stage'], criminal)}，通常从 "
                f"{day(r['next_stage_date'])} 起。",
            )
        )
    if a:
        from debtcli.cli.common import render_agreement_notes

        out.print()
        out.print(t("Installment agreement", "分期协议"), style="bold")
        render_agreement_notes([r])
    for risk in r["risks"]:
        render_risk(risk, r)
    render_footer()


def render_overdue(r: dict[str, Any]) -> None:
    """Since when a card is overdue, the day count and what is owed; an agreement and whether
    it was broken."""
    t, cur = state.t, r["currency"]
    out = console()
    owed = _amount(r["owed"], cur)
    if r["stage"] == "agreement":
        out.print(
            t(
                f"Owed {owed}; overdue since {day(r['since'])}, under agreement since "
                f"{day(r['under_agreement_since'])} (day {r['days_overdue']} when it was made).",
                f"欠款 {owed}；自 {day(r['since'])} 逾期，自 {day(r['under_agreement_since'])} 起按协议还款"
                f"（达成协议时为逾期第 {r['days_overdue']} 天）。",
            )
        )
    else:
        out.print(
            t(
                f"Overdue since {day(r['since'])}: day {r['days_overdue']}. Owed {owed}.",
                f"自 {day(r['since'])} 逾期：第 {r['days_overdue']} 天。欠款 {owed}。",
            )
        )
    a = r.get("agreement")
    if a and a["status"] == "broken":
        n = a["broken_by"]
        out.print(
            t(
                f"Agreement broken on {day(a['broken_on'])}: installment {n} of {a['months']} was "
                f"not paid within its grace days. Escalation resumes by the rules.",
                f"协议已于 {day(a['broken_on'])} 违约：第 {n}/{a['months']} 期在宽限期内没有还足。"
                "银行可能恢复催收。",
            ),
            style="bold",
        )


def render_current(r: dict[str, Any], stage: dict[str, Any]) -> None:
    """The stage a card is in: on what basis, what it typically means, its legal basis and
    what can be done now."""
    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    criminal = r["threshold_met"]
    basis = {
        "evidence": t("shown by your contact log", "根据你的联系记录"),
        "agreement": t("the agreement you recorded", "根据你记录的协议"),
    }.get(r["stage_basis"], t("by days overdue", "按逾期天数"))
    out.print()
    out.print(
        t(
            f"Stage: {_stage_label(r['stage'], criminal)} ({basis})",
            f"阶段：{_stage_label(r['stage'], criminal)}（{basis}）",
        ),
        style="bold",
    )
    if r["stage_basis"] == "evidence":
        by_days = _stage_label(r["stage_by_days"], criminal)
        out.print(
            t(
                f"  By the calendar alone it would be: {by_days}.",
                f"  仅按天数推算为：{by_days}。",
            )
        )
    prefix = t("Typically: ", "通常：") if stage["tag"] == "practice" else ""
    out.print("  " + prefix + pack.stage_text(r["stage"], "what", lang, criminal))
    if "class_zh" in stage:
        out.print(
            "  "
            + pack.text(stage, "class", lang)
            + " "
            + t("Source: ", "出处：")
            + pack.text(stage, "class_source", lang)
            + _tag({"tag": stage["class_tag"]})
        )
    out.print("  " + t("Basis: ", "依据：") + pack.text(stage, "basis", lang) + _tag(stage))
    out.print(
        "  "
        + t("What you can do now: ", "你现在可以做的：")
        + pack.stage_text(r["stage"], "todo", lang, criminal)
    )


def render_settled(r: dict[str, Any]) -> None:
    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    cur = r["currency"]
    risk = next(x for x in r["risks"] if x["key"] == "credit-record")
    ind = pack.indicator("credit-record")
    amount = r["settlement_amount"]
    paid = t(f" for {_amount(amount, cur)}", f"，结清金额 {_amount(amount, cur)}") if amount else ""
    waived = (
        t(
            f" The bank let {_amount(r['waived'], cur)} go: keep its waiver in writing.",
            f"银行减免了 {_amount(r['waived'], cur)}：请保留书面减免确认。",
        )
        if r["waived"] != "0.00"
        else ""
    )
    out.print(
        t(
            f"Settled on {r['settled_on']}{paid}. Owed {_amount('0.00', cur)}.{waived}",
            f"已于 {day(r['settled_on'])} 结清{paid}。欠款 {_amount('0.00', cur)}。{waived}",
        )
    )
    out.print(
        t(
            f"The negative record is typically shown until {risk['clears_on']} "
            f"({risk['years']} years from settlement).",
            f"不良记录通常保存至 {day(risk['clears_on'])}（自结清起 {risk['years']} 年）。",
        )
    )
    out.print(pack.text(ind, "reading", lang))
    out.print(t("Source: ", "出处：") + pack.text(ind, "citation", lang) + _tag(ind))
    render_footer()


def render_footer() -> None:
    """Where to turn for help, and the disclaimer: the end of every stage reading."""
    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    lines = t(" · ", " · ").join(
        f"{h['number']} {pack.text(h, 'short', lang)}" for h in pack.help_lines()
    )
    out.print()
    out.print(t(f"Help: {lines} (debtcli help-lines)", f"求助：{lines}（debtcli help-lines）"))
    out.print(pack.disclaimer(lang), style="dim")


def render_risk(risk: dict[str, Any], r: dict[str, Any]) -> None:
    """One legal indicator of `stage`: what the records show, then what the rule says and its
    source."""
    pack = state.pack()
    ind = pack.indicator(risk["key"])
    render = {"malicious-overdraft": _render_overdraft, "limitation": _render_limitation}
    if risk["key"] not in render or not risk.get("show", True):
        return
    out = console()
    render[risk["key"]](risk, r, ind)
    out.print(
        "  " + state.t("Source: ", "出处：") + pack.text(ind, "citation", state.lang) + _tag(ind)
    )


def _render_overdraft(risk: dict[str, Any], r: dict[str, Any], ind: dict[str, Any]) -> None:
    """The criminal threshold: the principal against it, the notices logged, the dates."""
    from debtcli.money import format_amount, parse_amount

    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    cur = r["currency"]
    principal = format_amount(parse_amount(risk["principal"], allow_zero=True), cur)
    threshold = format_amount(parse_amount(risk["threshold"]), cur)
    out.print()
    out.print(t("Criminal threshold (恶意透支)", "恶意透支（刑事门槛）"), style="bold")
    out.print("  " + pack.text(ind, "reassure", lang))
    basis = (
        ""
        if risk["principal_recorded"]
        else t(
            " (no principal recorded, so the whole amount is counted; record it with "
            "`overdue --principal`)",
            "（未记录本金，按全部欠款计算；可用 `overdue --principal` 记录）",
        )
    )
    met = t("reaches", "达到") if risk["threshold_met"] else t("is below", "低于")
    gap, months = risk["notice_gap_days"], risk["months_after_second"]
    out.print(
        t(
            f"  Unpaid principal {principal}{basis} {met} the {threshold} threshold.",
            f"  未还本金 {principal}{basis} {met} {threshold} 的门槛。",
        )
    )
    if risk["pay_to_drop_below"]:
        pay = _amount(risk["pay_to_drop_below"], cur)
        out.print(
            t(
                f"  Payments reduce the principal first: paying {pay} brings the unpaid "
                f"principal below {threshold}.",
                f"  还款先冲抵本金：再还 {pay}，未还本金就低于 {threshold}。",
            ),
            style="bold",
        )
    out.print(
        t(
            f"  Logged contacts that could count as effective notices: "
            f"{risk['effective_notices']} (also counting SMS/app/email: "
            f"{risk['possible_notices']}).",
            f"  可能构成有效催收的记录：{risk['effective_notices']} 次（连同短信/App/邮件："
            f"{risk['possible_notices']} 次）。",
        )
    )
    if risk.get("under_agreement"):
        made = day(risk["under_agreement"])
        out.print(
            t(
                f"  You are repaying under the installment agreement made on {made}: while you "
                "keep it, no time condition of 恶意透支 runs (repaying as the bank agreed is "
                "strong evidence against the intent the crime needs, and a collection contact "
                "during it counts as no notice: it breaks the agreement, Art. 70). Typically "
                "read so; it is not a court's word.",
                f"  你正在按 {made} 达成的分期协议还款：只要按期履行，恶意透支的时间条件就不计算"
                "（按银行同意的方案还款，是不具有非法占有目的的有力证据；协议期间的催收不算有效催收，"
                "它本身违反第七十条）。这是通常的理解，不是法院的结论。",
            ),
            style="bold",
        )
    elif risk["exposure_date"]:
        out.print(
            t(
                f"  Two such notices at least {gap} days apart: {day(risk['first_notice'])} "
                f"and {day(risk['second_notice'])}; 'more than {months} months after' is "
                f"passed on {day(risk['exposure_date'])}.",
                f"  相隔至少 {gap} 天的两次：{day(risk['first_notice'])} 和 "
                f"{day(risk['second_notice'])}；“超过 {months} 个月”于 "
                f"{day(risk['exposure_date'])} 届满。",
            )
        )
    elif risk["possible_exposure_date"]:
        out.print(
            t(
                f"  Counting SMS/app/email as well (courts differ): passed on "
                f"{day(risk['possible_exposure_date'])}.",
                f"  若短信/App/邮件也算（法院看法不一）：于 {day(risk['possible_exposure_date'])} 届满。",
            )
        )
    else:
        out.print(
            t(
                f"  No two qualifying notices {gap} days apart are logged yet.",
                f"  记录中还没有相隔 {gap} 天的两次有效催收。",
            )
        )
    out.print("  " + pack.text(ind, "reading", lang))


def _render_limitation(risk: dict[str, Any], r: dict[str, Any], ind: dict[str, Any]) -> None:
    """The limitation period: its length, what it runs from (the due date, what last restarted
    it, an agreement's last installment), to when."""
    pack, t, lang = state.pack(), state.t, state.lang
    out = console()
    out.print()
    years, start, ends = risk["years"], day(risk["restarted_on"]), day(risk["runs_until"])
    begins = {
        "due-date": (
            f"{years} years from {start}, when the debt fell due; nothing in your records "
            "restarted it since",
            f"{years} 年，自欠款到期的 {start} 起算，记录中此后没有使其重新计算的事项",
        ),
        "restart": (
            f"{years} years, last restarted by your records on {start}",
            f"{years} 年，按你的记录最近一次重新计算于 {start}",
        ),
        "last-installment": (
            f"{years} years " + pack.text(ind, "installments", "en").format(date=start),
            f"{years} 年，" + pack.text(ind, "installments", "zh").format(date=start),
        ),
    }[risk["from"]]
    if risk["expired"]:
        out.print(t(f"Limitation period: {begins[0]}.", f"诉讼时效：{begins[1]}。"), style="bold")
        out.print("  " + pack.text(ind, "expired", lang).format(date=ends))
        out.print("  " + pack.text(ind, "waiver", lang))
    else:
        out.print(
            t(
                f"Limitation period: {begins[0]}; it runs to {ends} if nothing restarts it.",
                f"诉讼时效：{begins[1]}；如无中断，至 {ends}。",
            ),
            style="bold",
        )
        out.print("  " + pack.text(ind, "reading", lang))


@app.command("facts")
def facts_cmd(
    key: Annotated[
        str | None,
        typer.Argument(
            help="What the collector said (arrest, criminal-record, blacklist, family-liable, "
            "employer, children-school, court-today, pay-to-person) or a topic (summons, "
            "credit-report, letter-check). Without it: all of them."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """What the rules say about a collector's claim ("they said I will be arrested"), and what
    to do when a lawsuit or a letter comes, with sources."""
    pack, t, lang = state.pack(), state.t, state.lang
    if key and (pointer := pack.facts_pointer(key, lang)):  # 上门: the visit checklist
        if json_out:
            emit_json([{"key": key, "see": pointer}])
        else:
            console().print(pointer)
        return
    facts = pack.facts(key, lang)
    if json_out:
        emit_json(facts)
        return
    out = console()
    for f in facts:
        if "claim" in f:
            heading = f"{pack.word_name('claim', f['key'], lang)}  {f['claim']}"
            items = [{"text": f["fact"], "source": f["citation"], "tag": f["tag"]}, *f["more"]]
        else:
            heading = f"{pack.word_name('topic', f['key'], lang)}  {f['title']}"
            items = f["items"]
        out.print(heading, style="bold")
        for item in items:
            out.print("  " + item["text"])
            out.print("    " + t("Source: ", "出处：") + item["source"] + _tag(item))
    out.print(pack.disclaimer(lang), style="dim")


@app.command("help-lines")
def help_lines_cmd(json_out: JsonOpt = False) -> None:
    """Numbers to call: the police, anti-fraud advice, complaints about a bank, legal aid,
    someone to talk to, and the courts' service line."""
    pack, t, lang = state.pack(), state.t, state.lang
    lines = pack.help_lines()
    if json_out:
        emit_json(
            [
                {"number": h["number"], "what": pack.text(h, "", lang), "tag": h["tag"]}
                for h in lines
            ]
        )
        return
    out = console()
    out.print(t("Help lines (free, nationwide)", "求助电话（全国统一）"), style="bold")
    for h in lines:
        out.print(f"  {h['number']:<6} {pack.text(h, '', lang)}")
    out.print(
        t(
            "For your bank, use the number on the back of your card: `debtcli visit "
            "checklist CARD` shows it.",
            "银行的电话请以卡片背面为准：`debtcli visit checklist 卡号` 会显示。",
        )
    )
    out.print(pack.disclaimer(lang), style="dim")


# The Chinese name a user may type for it.
app.command("求助电话", hidden=True)(help_lines_cmd)
