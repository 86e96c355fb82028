"""The dashboard: `debtcli status`, in a module of its own so that the command people run most
builds only itself at start-up."""

from debtcli.cli.common import JsonOpt, app, console, emit_json, state
from debtcli.money import format_amount


def stage_name(key: str | None, criminal: bool = True) -> str:
    """The short name of a stage, for tables (no police report below the criminal threshold)."""
    return state.pack().stage_text(key, "short", state.lang, criminal)


def status_rows() -> list[dict]:
    from debtcli.standing import assess_card
    from debtcli.store import list_cards

    s, pack = state.store(), state.pack()
    return [assess_card(s, pack, c, state.today, full=False) for c in list_cards(s)]


@app.command("status")
def status_cmd(json_out: JsonOpt = False) -> None:
    """Where you stand: every active card, days overdue, owed, stage and what comes next."""
    from debtcli.standing import public

    rows = status_rows()
    if json_out:
        # The legal indicators' details are in `stage CARD --json`; status carries the marker.
        emit_json([{k: v for k, v in public(r).items() if k != "risks"} for r in rows])
        return
    render_status(rows)


def _cells(r: dict, label: str, risk_text: dict[str, str]) -> list:
    """A card's row of the dashboard: days, owed, paid, its stage and what comes next."""
    t = state.t
    pos = r["_position"]
    cur = r["currency"]
    days: object = r["days_overdue"]
    if r["settled_on"]:
        stage, nxt = t(f"settled {r['settled_on']}", f"{r['settled_on']} 结清"), ""
    elif r["since"] is None:
        stage, nxt = t("not overdue", "未逾期"), ""
    elif r["stage"] == "agreement":
        # The count stopped when the agreement was made; what comes next is an installment.
        days, stage = "—", stage_name("agreement")
        a = r["agreement"]
        nxt = (
            t(
                f"installment {a['next']['n']}/{a['months']} {a['next']['due']}",
                f"第 {a['next']['n']}/{a['months']} 期 {a['next']['due']}",
            )
            if a["next"]
            else "—"
        )
    else:
        crim = r["threshold_met"]
        stage = stage_name(r["stage"], crim) + (" *" if r["stage_basis"] == "evidence" else "")
        nxt = (
            f"{stage_name(r['next_stage'], crim)} {r['next_stage_date']}"
            if r["next_stage"]
            else "—"
        )
    return [
        label,
        days,
        format_amount(pos.owed, cur),
        format_amount(pos.paid, cur),
        stage,
        nxt,
        risk_text.get(r["risk"] or "", ""),
    ]


def render_status(rows: list[dict]) -> None:
    from debtcli.cli.common import day
    from debtcli.cli.tables import show_table

    t = state.t
    out = console()
    if not rows:
        out.print(
            t(
                "No cards yet. Add one: debtcli card add --bank 中信银行 --last4 4821",
                "还没有卡。添加一张：debtcli card add --bank 中信银行 --last4 4821",
            )
        )
        return
    headers = [
        t("card", "卡"),
        t("days", "逾期天数"),
        t("owed", "欠款"),
        t("paid", "已还"),
        t("stage", "阶段"),
        t("next", "下一阶段"),
        t("risk", "风险"),
    ]
    from debtcli.cards import names

    named = names(rows)
    from debtcli.stages import criminal_threshold

    threshold = format_amount(criminal_threshold(state.pack()))
    risk_text = {
        "exposed": t("! criminal threshold", "! 刑事门槛"),
        "watch": t(f"principal ≥ {threshold}", f"本金 ≥ {threshold}"),
        # repaying under a kept agreement: no countdown runs (see stage), nothing to watch
        "agreement": t("repaying as agreed", "按协议还款中"),
    }
    table = [_cells(r, f"{r['bank']} ****{named[r['id']]}", risk_text) for r in rows]
    show_table(
        out,
        headers,
        table,
        right=frozenset({1, 2, 3}),
        title=t(f"Where you stand on {state.today}", f"截至 {day(str(state.today))} 的现状"),
    )
    if any(r["stage_basis"] == "evidence" for r in rows):
        out.print(
            t(
                "* stage shown by your contact log, ahead of the calendar",
                "* 根据联系记录判断的阶段，早于按天数推算的阶段",
            )
        )
    from debtcli.cli.common import render_agreement_notes

    render_agreement_notes(rows)
    if any(r["risk"] in ("exposed", "watch") for r in rows):
        out.print(
            t(
                "Risk: see `debtcli stage CARD` for what the criminal threshold means and "
                "what to do before any date shown.",
                "风险：用 `debtcli stage 卡号` 查看刑事门槛的含义，以及在相关日期前可以做什么。",
            )
        )
    from debtcli.store import unstamped

    waiting, since = unstamped(state.store().conn)
    if waiting and since:
        out.print(
            t(
                f"{waiting} entries not yet timestamped since {day(since[:10])}: "
                "debtcli evidence stamp (needs the network).",
                f"自 {day(since[:10])} 起有 {waiting} 条记录尚无时间戳：debtcli evidence stamp"
                "（需要联网）。",
            )
        )
