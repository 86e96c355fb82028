"""Letters to the bank or the regulator, filled from the store, the plan and the rule pack.

Templates are jinja2 files (templates/letters/KIND.LANG.md.j2); a user's copy in the config
dir wins and renders in the sandbox. User text only ever arrives as template *data*.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from debtcli import store as st
from debtcli.dates import add_months, day_text, show_day
from debtcli.errors import BadInput, not_one_of
from debtcli.i18n import pick
from debtcli.money import format_amount
from debtcli.plan import ceil_div
from debtcli.rules import Pack

HARDSHIPS: dict[str, tuple[str, str]] = {
    "job-loss": (
        "本人失业后收入中断，目前家庭收入仍远低于失业前。",
        "I lost my job and my income stopped; my household's income is still far below "
        "what it was.",
    ),
    "illness": (
        "本人（或家人）患病，医疗开支大、收入减少。",
        "Illness in my family has brought heavy medical costs and less income.",
    ),
    "business-failure": (
        "本人经营的生意失败，收入大幅下降。",
        "My business failed and my income fell sharply.",
    ),
    "income-cut": ("本人收入大幅减少。", "My income has fallen sharply."),
    "family": ("家庭发生变故，开支骤增。", "A change in my family has sharply raised my costs."),
    "other": ("本人遇到了经济困难。", "I have run into financial hardship."),
}
# What a bank asks to see for each hardship, after the documents every request needs.
PROOF_ALWAYS = (
    ("身份证复印件", "a copy of my ID card"),
    ("近期银行流水", "recent bank statements"),
    ("其他债务清单", "a list of my other debts"),
)
PROOF: dict[str, tuple[tuple[str, str], ...]] = {
    "job-loss": (
        (
            "解除劳动合同证明或失业登记证明",
            "the termination certificate or unemployment registration",
        ),
    ),
    "illness": (("医院诊断证明和医疗费用票据", "the hospital's diagnosis and medical bills"),),
    "business-failure": (
        ("经营亏损或停业的证明材料", "proof of the business's losses or closure"),
    ),
    "income-cut": (("收入证明或工资流水", "proof of income or wage statements"),),
    "family": (("家庭变故的相关证明", "proof of the change in my family"),),
    "other": (),
}
PROFILE_FIELDS = ("name", "id_last4", "phone", "address")
REQUIRED_PROFILE = ("name", "phone")


def kinds(pack: Pack) -> dict[str, dict[str, Any]]:
    """The letters the pack knows ([[letters.kinds]], validated on load), by key, in order."""
    return {k["key"]: k for k in pack.data["letters"]["kinds"]}


def is_kind(pack: Pack, word: str) -> bool:
    """Whether a word typed names a letter kind (分期, installment)."""
    return pack.word("kind", word).strip().lower() in kinds(pack)


def kind_then_card(pack: Pack, first: str, second: str) -> tuple[str, str]:
    """`letter make KIND CARD` as typed, in either order: people say the card first too
    (letter make 中信 分期); only when the first is no letter kind and the second is one."""
    swapped = not is_kind(pack, first) and is_kind(pack, second)
    return (second, first) if swapped else (first, second)


def which_letter(pack: Pack, card: str) -> BadInput:
    """`letter make 中信`: a card and no letter; which one, with an example."""
    zh = pack.word_name("kind", "installment", "zh")
    return BadInput(
        f"which letter for {card!r}? e.g. debtcli letter make installment {card} (debtcli "
        "letter list shows them all)",
        f"要给 {card!r} 写哪种信？例如 debtcli letter make {zh} {card}（debtcli letter list 列出全部）",
    )


def check_kind(pack: Pack, kind: str) -> str:
    k = kind.strip().lower()
    if k not in kinds(pack):
        raise not_one_of(
            f"letter kind {kind!r}",
            kinds(pack),
            [pack.word_name("kind", k, "zh") for k in kinds(pack)],
            f"信件类型 {kind!r}",
        )
    return k


def merge_profile(store: st.Store, given: dict[str, str | None]) -> dict[str, str]:
    """The stored sender details with the ones given now, checked; saved by save_profile only
    once the letter is made, so a refused letter writes nothing."""
    profile = st.get_meta_json(store, "profile")
    changes = {k: v.strip() for k, v in given.items() if v is not None and v.strip()}
    if "id_last4" in changes and not (
        changes["id_last4"].isalnum() and len(changes["id_last4"]) == 4
    ):
        raise BadInput(
            "--id-last4 must be the last four characters of your ID number",
            "--id-last4 必须是身份证号的最后四位",
        )
    for k, v in changes.items():
        if len(v) > 200 or any(ord(ch) < 32 for ch in v):
            raise BadInput(
                f"--{k.replace('_', '-')} must be 1 to 200 printable characters",
                f"--{k.replace('_', '-')} 必须是 1 到 200 个可打印字符",
            )
    profile.update(changes)
    return profile


def save_profile(store: st.Store, profile: dict[str, str]) -> None:
    if st.get_meta_json(store, "profile") != profile:
        st.set_meta_json(store, "profile", profile)


def missing_profile(profile: dict[str, str]) -> list[str]:
    return [k for k in REQUIRED_PROFILE if not profile.get(k)]


def proposal(
    owed: int, cap: int, today: date, *, months: int | None, monthly: int | None, first: date | None
) -> dict[str, Any]:
    """Months and monthly amount for an installment request; the last installment takes the
    remainder, so the installments sum exactly to what is owed."""
    if months is None and monthly is None:
        raise BadInput(
            "this letter needs a proposal: --months N or --monthly AMOUNT (or "
            "--income and --expenses to compute one)",
            "这封信需要还款方案：--months 期数 或 --monthly 每月金额（或用 --income 和 "
            "--expenses 计算）",
        )
    if months is not None and not 1 <= months <= cap:
        raise BadInput(
            f"--months {months}: a personalised installment plan is 1 to {cap} months",
            f"--months {months}：个性化分期为 1 到 {cap} 期",
        )
    if monthly is not None and months is None:
        months = ceil_div(owed, monthly)
        if months > cap:
            raise BadInput(
                f"--monthly {format_amount(monthly)} would take {months} months; the "
                f"rule caps a plan at {cap}: at least {format_amount(ceil_div(owed, cap))}"
                " a month is needed",
                f"每月 {format_amount(monthly)} 需要 {months} 期，超过规定的 {cap} 期上限："
                f"每月至少需要 {format_amount(ceil_div(owed, cap))}",
            )
    assert months is not None
    if monthly is None:
        monthly = ceil_div(owed, months)
    if monthly * months < owed:
        raise BadInput(
            f"{months} × {format_amount(monthly)} does not cover {format_amount(owed)}",
            f"{months} × {format_amount(monthly)} 不足以还清 {format_amount(owed)}",
        )
    # A monthly amount that overpays is trimmed: the last installment takes the remainder.
    months = ceil_div(owed, monthly)
    last = owed - monthly * (months - 1)
    start = first or add_months(today, 1)
    return {
        "months": months,
        "monthly_fen": monthly,
        "last_fen": last,
        "first": start,
        "total_fen": owed,
    }


def letter_date(d: date, lang: str) -> str:
    """2026年11月23日 in Chinese letters, 23 November 2026 in English."""
    return show_day(d, lang) if lang == "zh" else f"{d.day} {d:%B} {d.year}"


def letter_time(at: str, lang: str) -> str:
    """A logged contact's time as a letter states it: its day as letter_date, then its wall
    clock (2 November 2026 22:40, 2026年11月2日 22:40)."""
    return f"{letter_date(date.fromisoformat(at[:10]), lang)} {at[11:16]}"


def _sentence(text: str | None, lang: str) -> str | None:
    """The user's own words as a sentence of the letter: trimmed and ended with a full stop."""
    if not text or not text.strip():
        return None
    t = text.strip()
    if t[-1] not in "。！？.!?":
        t += "。" if lang == "zh" else "."
    return t


def time_barred(store: st.Store, pack: Pack, card: Any, today: date) -> str | None:
    """The day the limitation period ended by the user's records, if it has."""
    from debtcli.standing import assess_card

    r = assess_card(store, pack, card, today)
    lim = next((x for x in r["risks"] if x["key"] == "limitation"), None)
    return lim["runs_until"] if lim and lim["expired"] else None


class Share(NamedTuple):
    """This card's part of the household plan (`debtcli plan`'s, over every open debt in the
    card's currency): what the budget leaves for it in the first month, the months the plan
    takes to pay it (None: never, or it owes nothing), whether the plan is affordable, and
    the other debts the budget must also cover (bank, owed)."""

    monthly: int
    months: int | None
    affordable: bool
    others: list[tuple[str, int]]


def budget_share(store: st.Store, pack: Pack, card: Any, available: int, today: date) -> Share:
    from debtcli.ledger import open_debts
    from debtcli.plan import make_plan, reserve_agreed

    # The other cards' agreed installments come out of the budget first; this letter's own
    # card is planned whatever it is under.
    owing = [
        (c, d if c["id"] != card["id"] else d._replace(agreed=None))
        for c, d in open_debts(store, pack, today, currency=card["currency"])
    ]
    planned, _, left = reserve_agreed([d for _, d in owing], available)
    plan = make_plan(planned, left, cap=pack.max_installment_months)
    mine = next((d.key for c, d in owing if c["id"] == card["id"]), None)
    return Share(
        plan.schedule[0].get(mine, 0) if plan.schedule and mine else 0,
        plan.finish.get(mine) if mine else None,
        plan.affordable,
        [(c["bank"], d.owed) for c, d in owing if c["id"] != card["id"]],
    )


class _Facts(NamedTuple):
    """What a kind's own part of a letter is made from."""

    store: st.Store
    pack: Pack
    card: Any
    lang: str
    today: date
    opts: dict[str, Any]
    pos: Any  # cards.Position
    bank: str  # the bank's name as the letter writes it

    def money(self, fen: int | None) -> str | None:
        from debtcli.money import format_formal

        return format_formal(fen, self.card["currency"], self.lang) if fen else None


def build_context(
    store: st.Store,
    pack: Pack,
    card: Any,
    kind: str,
    lang: str,
    today: date,
    opts: dict[str, Any],
    profile: dict[str, str],
) -> dict[str, Any]:
    """Everything a letter shows, checked: a missing field is an error naming its option. The
    parts every letter has are made here; a kind's own (a plan, a complaint's violations) by
    its function in _PARTS."""
    from debtcli.ledger import card_position
    from debtcli.money import format_formal

    episode, pos = card_position(store, card, today)
    letter = kinds(pack)[kind]
    if episode is None and letter["needs_debt"]:
        raise BadInput(
            f"card ****{card['last4']} has no overdue episode: record it with `debtcli overdue`",
            f"卡 ****{card['last4']} 没有逾期记录：请先用 `debtcli overdue` 记录",
        )
    hardship_key = (opts.get("hardship") or "other").strip().lower()
    if hardship_key not in HARDSHIPS:
        raise not_one_of(
            f"--hardship {hardship_key!r}",
            HARDSHIPS,
            [pack.word_name("hardship", k, "zh") for k in HARDSHIPS],
        )
    if letter["acknowledges"] and not opts.get("force"):
        _refuse_iftime_barred(store, pack, card, today)
    # Any other letter is written on a time-barred debt too: then nothing in it may promise to
    # pay, not even what the user typed or a logged note it quotes (checked when rendered).
    barred = (
        None
        if letter["acknowledges"] or opts.get("force")
        else time_barred(store, pack, card, today)
    )
    entry = pack.bank(card["bank"])
    bank = pick(lang, entry["en"], entry["zh"]) if entry else card["bank"]
    facts = _Facts(store, pack, card, lang, today, opts, pos, bank)
    money = facts.money
    proofs = [*PROOF_ALWAYS, *PROOF.get(hardship_key, ())] if letter["acknowledges"] else []
    ctx: dict[str, Any] = {
        "time_barred_on": barred,
        "kind": kind,
        "lang": lang,
        "title": pick(lang, letter["title_en"], letter["title_zh"]),
        "date": letter_date(today, lang),
        "sender": {k: profile.get(k, "") for k in PROFILE_FIELDS},
        "card": {"bank": bank, "last4": card["last4"]},
        "salutation": pick(lang, f"{bank} Credit Card Centre", f"{bank}信用卡中心"),
        "recipient": pick(lang, f"{bank}, credit card centre", f"{bank}信用卡中心"),
        "hardship": pick(lang, HARDSHIPS[hardship_key][1], HARDSHIPS[hardship_key][0]),
        "reason": _sentence(opts.get("reason"), lang),
        "debt": {
            "since": letter_date(date.fromisoformat(episode["since"]), lang) if episode else None,
            "owed": money(pos.owed) or format_formal(0, card["currency"], lang),
            "principal": money(episode["principal"]) if episode else None,
            "interest": money(episode["interest"]) if episode else None,
            "fees": money(episode["fees"]) if episode else None,
            "paid": money(pos.paid),
            "settled_on": letter_date(pos.settled_on, lang) if pos.settled_on else None,
        },
        "basis": [
            pick(lang, b["en"], b["zh"])
            for b in pack.data["letters"]["basis"]
            if kind in b["kinds"]
        ],
        "figures": pack.data["letters"]["figures"],  # days to answer, years kept: the pack's
        "police": pack.line("police"),
        "anti_fraud": pack.line("anti-fraud"),
        "attachments": [pick(lang, en, zh) for zh, en in proofs],
        "budget": None,
        "sustainable": False,
        "heads": None,  # a kind's own section names (a complaint's 投诉请求), else the base's
    }
    if kind in NEW_ARRANGEMENTS:
        from debtcli.standing import agreement_in_force

        kept = agreement_in_force(store, pack, card, episode, today)
        if kept:
            ctx["agreement_in_force"] = {
                "card": card["last4"],
                "months": kept["months"],
                "monthly": kept["monthly"],
                "agreed_on": date.fromisoformat(kept["agreed_on"]),
                "currency": card["currency"],
            }
    part = _PARTS.get(kind)
    if part is not None:
        ctx.update(part(facts))
    return ctx


def _refuse_iftime_barred(store: st.Store, pack: Pack, card: Any, today: date) -> None:
    ended = time_barred(store, pack, card, today)
    if ended:
        raise BadInput(
            f"by your records the limitation period for ****{card['last4']} may have ended "
            f"on {ended}. This letter acknowledges the debt: agreeing to pay after the "
            "period has ended gives up that defence (Civil Code Art. 192(2); courts never "
            "raise it on their own, Art. 193; SPC Provisions on limitation (2020) Art. 19). "
            f"Ask legal aid ({pack.line('legal aid')}) first; to write it anyway, add --force",
            f"按你的记录，****{card['last4']} 的诉讼时效可能已于 {day_text(ended, 'zh')} 届满。这封信会确认欠款："
            "时效届满后同意履行，就不能再以时效届满抗辩（《民法典》第一百九十二条第二款；法院不主动适用，"
            f"第一百九十三条；最高法诉讼时效规定(2020)第十九条）。请先咨询法律援助（{pack.line('legal aid')}）；"
            "如仍要写，请加 --force",
        )


def _plan_part(f: _Facts) -> dict[str, Any]:
    """An installment or interest-freeze request: the proposal, and whether the household's
    budget sustains it."""
    card, pos, opts, money, cur = f.card, f.pos, f.opts, f.money, f.card["currency"]
    if pos.settled_on:
        raise BadInput(
            f"card ****{card['last4']} is settled: nothing to pay in installments",
            f"卡 ****{card['last4']} 已结清，无需分期",
        )
    budget = opts.get("budget")
    share = budget_share(f.store, f.pack, card, budget["available"], f.today) if budget else None
    months = opts.get("months")
    if share is not None and months is None and opts.get("monthly") is None:
        # Only the budget given: propose the months the household plan takes for this card.
        if not share.affordable:
            cap = f.pack.max_installment_months
            raise BadInput(
                f"with that income and those expenses no plan within {cap} months is "
                "affordable; see `debtcli plan`, or propose --monthly yourself",
                f"按此收入和开支，{cap} 个月内没有可负担的方案；见 `debtcli plan`，或自行用 "
                "--monthly 提出金额",
            )
        months = share.months
    p = proposal(
        pos.owed,
        f.pack.max_installment_months,
        f.today,
        months=months,
        monthly=opts.get("monthly"),
        first=opts.get("first"),
    )
    out: dict[str, Any] = {
        "plan": {
            "months": p["months"],
            "monthly": money(p["monthly_fen"]),
            "last": money(p["last_fen"]),
            "total": money(p["total_fen"]),
            "first": letter_date(p["first"], f.lang),
        }
    }
    if share is None:
        return out
    if p["monthly_fen"] > share.monthly and not opts.get("force"):
        raise BadInput(
            f"this proposes {format_amount(p['monthly_fen'], cur)} a month, but your "
            f"budget leaves {format_amount(share.monthly, cur)} a month for this card once the "
            "other cards are paid too (see `debtcli plan`): propose --monthly within it, "
            "or add --force (the letter then does not say you can sustain it)",
            f"这封信提出每月 {format_amount(p['monthly_fen'], cur)}，但在同时偿还其他卡之后，"
            f"你的预算每月只能给这张卡 {format_amount(share.monthly, cur)}（见 `debtcli plan`）："
            "请用 --monthly 提出不超过它的金额，或加 --force（信中就不再写“能够持续负担”）",
        )
    out["sustainable"] = p["monthly_fen"] <= share.monthly
    out["budget"] = {
        "share": money(share.monthly),
        "others": [{"bank": b, "owed": money(o)} for b, o in share.others],
    }
    return out


def _deferral_part(f: _Facts) -> dict[str, Any]:
    months = f.opts.get("months")
    if not months or not 1 <= months <= 12:
        raise BadInput(
            "a deferral letter needs --months N (1 to 12): how long to defer",
            "延期还款申请需要 --months 月数（1 到 12）",
        )
    return {"defer": {"months": months, "until": letter_date(add_months(f.today, months), f.lang)}}


def _complaint_part(f: _Facts) -> dict[str, Any]:
    from debtcli.complaints import complaint_context

    to = f.opts.get("to") or "bank"
    return complaint_context(f.store, f.pack, f.card, f.lang, to, f.bank, f.today)


def _third_party_part(f: _Facts) -> dict[str, Any]:
    """Every logged contact of someone other than the cardholder, as the letter lists them."""
    lang, pack = f.lang, f.pack
    return {
        "third_parties": [
            {
                "at": letter_time(e["at"], lang),
                "channel": pack.word_name("channel", e["channel"], lang),
                "org": e["org"],
                "contacted": pack.word_name("contacted", e["contacted"], lang),
                "hash": e["hash"],
            }
            for e in st.contacts(f.store, card_id=f.card["id"])
            if e["direction"] == "in" and e["contacted"] != "self"
        ]
    }


def _settlement_part(f: _Facts) -> dict[str, Any]:
    if not f.pos.settled_on:
        raise BadInput(
            f"card ****{f.card['last4']} is not settled yet: record it with "
            "`debtcli settle` or `debtcli pay` first",
            f"卡 ****{f.card['last4']} 尚未结清：请先用 `debtcli settle` 或 `debtcli pay` 记录",
        )
    return {}


def _dispute_part(f: _Facts) -> dict[str, Any]:
    if not (f.opts.get("reason") or "").strip():
        raise BadInput(
            "a credit dispute needs --reason: what is wrong in the report",
            "征信异议申请需要 --reason：说明报告中哪里有误",
        )
    return {}


# A kind's own part of its letter, beyond what every letter has. A kind added in the pack
# alone (with its templates) needs no entry here.
_PARTS: dict[str, Callable[[_Facts], dict[str, Any]]] = {
    "installment": _plan_part,
    "interest-freeze": _plan_part,
    "deferral": _deferral_part,
    "complaint": _complaint_part,
    "stop-third-party": _third_party_part,
    "settlement-proof": _settlement_part,
    "credit-dispute": _dispute_part,
}


def user_dir() -> Path:
    return st.config_dir() / "templates"


def template_name(kind: str, lang: str) -> str:
    return f"letters/{kind}.{lang}.md.j2"


def render_markdown(kind: str, lang: str, ctx: dict[str, Any], pack: Pack | None = None) -> str:
    """The letter as Markdown. pack, with a context whose debt may be time-barred: a letter
    that promises to pay anywhere in its text is refused (民法典 第一百九十二条第二款)."""
    from debtcli.rules import promise_in
    from debtcli.templating import render, render_user

    name = template_name(kind, lang)
    if (user_dir() / name).is_file():
        text = render_user(user_dir(), name, ctx)
    else:
        text = render(name, ctx, html=False)
    ended = ctx.get("time_barred_on")
    if pack is not None and ended and (said := promise_in(text, pack.data["letters"]["promises"])):
        raise BadInput(
            f"by your records the limitation period may have ended on {ended}, and this letter "
            f"would say {said!r}: a promise to pay after it has ended gives up that defence "
            "(Civil Code Art. 192(2)). Take the promise out of what you typed or of the note "
            "it quotes, ask legal aid first, or add --force",
            f"按你的记录，诉讼时效可能已于 {day_text(ended, 'zh')} 届满，而这封信会写“{said}”："
            "时效届满后承诺还款会放弃时效抗辩（《民法典》第一百九十二条第二款）。请删去你输入的或信中"
            "引用的记录里的承诺，先咨询法律援助，或加 --force",
        )
    return text


NEW_ARRANGEMENTS = ("installment", "interest-freeze", "deferral")  # each asks for a new plan


def limitation_notes(pack: Pack, lang: str) -> list[str]:
    """What acknowledging a debt does to the limitation period, and the one thing that waives
    the defence after it has run (a signature showing agreement to pay): beside every letter
    that acknowledges the debt, and beside a plan."""
    return [
        pack.text(pack.data["letters"]["warnings"], "limitation", lang),
        pack.text(pack.indicator("limitation"), "waiver", lang),
    ]


def warnings(pack: Pack, kind: str, lang: str, in_force: dict[str, Any] | None) -> list[str]:
    """What the sender should know, printed on stderr beside the letter; the disclaimer once.
    in_force: the agreement the card is already under and being kept (build_context's
    agreement_in_force), which a request for a new arrangement would reopen."""
    from debtcli.money import format_amount

    w = pack.data["letters"]["warnings"]
    out = []
    if in_force:
        a = in_force
        each = format_amount(a["monthly"], a["currency"])
        out.append(
            pick(
                lang,
                f"Note: ****{a['card']} already has an installment agreement ({a['months']} × "
                f"{each}, made {a['agreed_on'].isoformat()}) that you are keeping: this letter "
                "asks for a new arrangement; to change the one you have, talk to the bank first.",
                f"注意：****{a['card']} 已有分期协议（{a['months']} 期 × {each}，"
                f"{letter_date(a['agreed_on'], 'zh')}达成）且正在履行：这封信是另行申请；"
                "如只想调整现有协议，请先与银行沟通。",
            )
        )
    if kinds(pack)[kind]["acknowledges"]:
        out += limitation_notes(pack, lang)
    if kind in ("installment", "interest-freeze"):
        out.append(pick(lang, w["may_en"], w["may_zh"]))
        out.append(pick(lang, w["art70_en"], w["art70_zh"]))
    out.append(pick(lang, w["pay_en"], w["pay_zh"]))
    out.append(pack.disclaimer(lang))
    return out


def copy_template(kind: str, force: bool) -> list[Path]:
    """Copy the built-in templates of a kind (both languages) into the user's config dir."""
    from debtcli.templating import builtin_dir

    written = []
    for lang in ("zh", "en"):
        name = template_name(kind, lang)
        target = user_dir() / name
        if target.exists() and not force:
            raise BadInput(
                f"{target} already exists; edit it, or add --force to replace it",
                f"{target} 已存在；请直接编辑，或加 --force 覆盖",
            )
        st.make_private_dir(target.parent.parent)
        st.make_private_dir(target.parent)
        target.write_text((builtin_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)
    return written
