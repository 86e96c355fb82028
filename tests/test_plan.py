"""Plan math: exact to the fen, within the cap, monotone in income."""

from datetime import date

import pytest
from conftest import assert_clean_failure
from hypothesis import example, given
from hypothesis import strategies as st

from debtcli.plan import Debt, installments, make_plan, split

OWED = st.integers(min_value=1, max_value=50_000_000)
DEBTS = st.lists(OWED, min_size=1, max_size=5)
BUDGET = st.integers(min_value=1, max_value=5_000_000)
STRATEGY = st.sampled_from(["proportional", "avalanche", "snowball"])


def debts(amounts):
    return [Debt(str(1000 + i), a, rate=float(i)) for i, a in enumerate(amounts)]


@given(st.lists(OWED, max_size=5), st.integers(-10_000, 5_000_000), STRATEGY)
@example([1], 0, "proportional")  # one fen owed, nothing to pay it with
@example([], 0, "snowball")  # nothing owed
def test_schedules_sum_exactly_and_never_exceed_the_budget(amounts, budget, strategy):
    plan = make_plan(debts(amounts), budget, strategy=strategy, cap=60)
    for d in debts(amounts):
        paid = sum(row.get(d.key, 0) for row in plan.schedule)
        assert paid == d.owed if plan.complete else paid <= d.owed
    assert all(sum(row.values()) <= budget for row in plan.schedule)
    assert all(p > 0 for row in plan.schedule for p in row.values())
    assert plan.affordable == (plan.complete and plan.months <= plan.cap)
    assert plan.months <= 600
    assert plan.complete == (plan.months_needed is not None and plan.months_needed <= 600)
    assert plan.complete == (not amounts or (budget > 0 and plan.months_needed <= 600))
    if plan.complete:
        assert plan.months == plan.months_needed


@given(DEBTS, BUDGET, STRATEGY, st.integers(min_value=1, max_value=80))
def test_a_shorter_layout_is_the_start_of_the_full_one(amounts, budget, strategy, rows):
    full = make_plan(debts(amounts), budget, strategy=strategy, cap=60)
    short = make_plan(debts(amounts), budget, strategy=strategy, cap=60, max_rows=rows)
    assert short.schedule == full.schedule[:rows]
    assert (short.affordable, short.months_needed) == (full.affordable, full.months_needed)
    assert short.finish == {k: m for k, m in full.finish.items() if m <= rows}


@given(DEBTS, BUDGET, st.integers(min_value=1, max_value=3_000_000), STRATEGY)
def test_more_income_never_takes_longer(amounts, budget, more, strategy):
    a = make_plan(debts(amounts), budget, strategy=strategy, cap=60)
    b = make_plan(debts(amounts), budget + more, strategy=strategy, cap=60)
    assert b.months <= a.months
    assert not (a.affordable and not b.affordable)


@given(DEBTS)
def test_the_needed_monthly_budget_is_affordable_and_one_fen_less_is_not(amounts):
    plan = make_plan(debts(amounts), 1, cap=60)
    assert make_plan(debts(amounts), plan.needed_monthly, cap=60).affordable
    if plan.needed_monthly > 1:
        assert not make_plan(debts(amounts), plan.needed_monthly - 1, cap=60).affordable


@given(st.integers(min_value=0, max_value=10**9), st.lists(st.integers(0, 10**6), min_size=1))
def test_split_is_exact(total, weights):
    parts = split(total, weights)
    assert sum(parts) == (total if sum(weights) else 0)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=60))
def test_installments_are_equal_to_the_fen(owed, months):
    parts = installments(owed, months)
    assert sum(parts) == owed and max(parts) - min(parts) <= 1 and len(parts) == months


def test_li_weis_three_thousand_a_month():
    plan = make_plan(
        [Debt("4821", 6_240_000), Debt("7730", 1_830_000), Debt("5511", 905_000)],
        300_000,
        cap=60,
        first=date(2026, 12, 23),
    )
    assert plan.affordable and plan.months == 30  # ¥89,750 / ¥3,000 a month
    assert plan.finish == {"4821": 30, "7730": 30, "5511": 30}
    assert plan.due_date(30) == date(2029, 5, 23)
    two = [Debt("4821", 6_240_000), Debt("5511", 905_000)]
    snow = make_plan(two, 300_000, strategy="snowball", cap=60)
    assert snow.finish["5511"] == 4 and snow.schedule[0] == {"5511": 300_000}
    assert snow.due_date(1) is None  # a plan without a first date (a letter's) has no dates


def test_avalanche_pays_the_highest_rate_first_and_a_free_card_last():
    """A card at 0 % (an interest-free installment) comes after one at 0.5 %, whatever the
    amounts and names; two at one rate, the smaller first."""
    debts = [Debt("1111", 100_000, 0.0), Debt("2222", 900_000, 0.5), Debt("3333", 50_000, 18.0)]
    plan = make_plan(debts, 60_000, strategy="avalanche", cap=60)
    assert plan.schedule[0] == {"3333": 50_000, "2222": 10_000}
    assert [k for k, _ in sorted(plan.finish.items(), key=lambda kv: kv[1])] == [
        "3333",
        "2222",
        "1111",
    ]
    same = make_plan(
        [Debt("9", 90_000, 5.0), Debt("8", 10_000, 5.0)], 20_000, strategy="avalanche", cap=60
    )
    assert same.schedule[0] == {"8": 10_000, "9": 10_000}


def test_a_split_gives_the_leftover_fen_to_the_largest_remainders():
    # 100 fen over 1:1:1 is 33.33 each: the one fen left goes to the first
    assert split(100, [1, 1, 1]) == [34, 33, 33]
    # 10 over 1:2:3: 1.67, 3.33, 5.0 -> the largest remainder (0.67) first, not the largest part
    assert split(10, [1, 2, 3]) == [2, 3, 5]
    assert split(7, [1]) == [7] and split(7, [0, 1]) == [0, 7]
    assert split(7, [0, 0]) == [0, 0]


@pytest.mark.parametrize("budget", [0, 100])
def test_unaffordable_plans_say_what_is_needed(budget):
    plan = make_plan([Debt("4821", 6_240_000)], budget, cap=60)
    assert not plan.affordable and plan.needed_monthly == 104_000


@given(DEBTS, BUDGET, st.integers(min_value=1, max_value=120))
def test_an_equal_installment_plan_pays_each_card_exactly_in_that_many_months(
    amounts, budget, months
):
    from debtcli.plan import equal_plan

    debts = [Debt(f"c{i}", a) for i, a in enumerate(amounts)]
    plan = equal_plan(debts, months, budget, cap=60)
    assert len(plan.schedule) == months and plan.finish == {d.key: months for d in debts}
    assert plan.complete  # every card is paid within the months laid out
    for d in debts:
        paid = [row.get(d.key, 0) for row in plan.schedule]
        assert sum(paid) == d.owed and max(paid) - min(paid) <= 1
    first = sum(plan.schedule[0].values())
    assert plan.needed_monthly == first
    assert plan.affordable == (months <= 60 and first <= budget)


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ("--strategy", "avalanche"),
            "avalanche orders cards by interest rate: give --rate CARD=PERCENT for each card",
            "avalanche 按利率排序：请为每张卡提供 --rate 卡号=年利率",
        ),
        (("--months", "601"), "--months 601: at most 600", "--months 601：最多 600 个月"),
        (
            ("--strategy", "fastest"),
            "--strategy 'fastest': choose one of proportional, avalanche, snowball",
            "--strategy 'fastest'：请从以下选择：按比例、利率优先、先还小额",
        ),
    ],
)
def test_a_plan_it_cannot_make_is_refused_in_the_users_language(li_wei, args, en, zh):
    base = ("plan", "--income", "9000", "--expenses", "6000", *args)
    assert_clean_failure(li_wei("--lang", "en", *base, ok=False), exact=en)
    assert_clean_failure(li_wei("--lang", "zh", *base, ok=False), exact=zh)


def test_a_plan_of_600_months_is_laid_out(li_wei):
    plan = li_wei.json("plan", "--income", "9000", "--expenses", "6000", "--months", "600")
    assert (plan["months"], len(plan["schedule"])) == (600, 600)


def test_a_plan_without_an_overdue_card_or_income_left_says_what_to_do(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    for lang, says in (
        ("en", "no overdue card with an amount owed: record one with `debtcli overdue`"),
        ("zh", "没有欠款的逾期卡：请先用 `debtcli overdue` 记录"),
    ):
        r = cli("--lang", lang, "plan", "--income", "9000", "--expenses", "6000", ok=False)
        assert_clean_failure(r, exact=says)
    cli("overdue", "4821", "--since", "2026-08-05", "--amount", "62400")
    base = ("plan", "--income", "5000", "--expenses", "5000", "--json")
    (en,) = cli.json("--lang", "en", *base[:-1])["warnings"]
    assert en == (
        "Your expenses (¥5,000.00) use all your income (¥5,000.00): no plan is affordable now. "
        "Write to the banks about deferral (debtcli letter make deferral CARD)."
    )
    (zh,) = cli.json("--lang", "zh", *base[:-1])["warnings"]
    assert zh.endswith("方案。可以向银行申请延期还款（debtcli letter make deferral 卡号）。")


def test_cards_in_two_currencies_are_not_added_up(li_wei):
    li_wei("card", "add", "--bank", "中国银行", "--last4", "9001", "--currency", "USD")
    li_wei("overdue", "9001", "--since", "2026-09-01", "--amount", "2000")
    base = ("plan", "--income", "9000", "--expenses", "6000")
    assert_clean_failure(
        li_wei("--lang", "en", *base, ok=False),
        says="these cards are in different currencies (CNY, USD); money in two currencies "
        "cannot be added: plan each currency's cards on their own, e.g. debtcli plan CARD CARD",
    )
    assert_clean_failure(
        li_wei("--lang", "zh", *base, ok=False),
        says="这些卡的币种不同（CNY、USD），不能相加：请按币种分别计划，例如 debtcli plan 卡号 卡号",
    )
    usd = li_wei.json("plan", "9001", *base[1:])
    assert (usd["currency"], usd["total"], usd["months"]) == ("USD", "2000.00", 1)
    (warning,) = li_wei.json("plan", "9001", "--income", "900", "--expenses", "900")["warnings"]
    assert warning.startswith("Your expenses ($900.00) use all your income ($900.00)")


def test_an_equal_installment_plan_keeps_the_cap_it_is_judged_by(li_wei):
    plan = li_wei.json("plan", "--income", "9000", "--expenses", "6000", "--months", "72")
    assert (plan["strategy"], plan["cap_months"], plan["months"]) == ("equal-72", 60, 72)
    assert plan["affordable"] is False  # 72 months is beyond the pack's 60
    assert li_wei.json("plan", "--income", "9000", "--expenses", "6000", "--months", "60")[
        "affordable"
    ]


def test_a_plans_months_are_due_a_month_apart_from_the_first(li_wei):
    plan = li_wei.json("plan", "--income", "9000", "--expenses", "6000", "--first", "2026-12-23")
    assert [m["due"] for m in plan["schedule"][:3]] == ["2026-12-23", "2027-01-23", "2027-02-23"]
    assert plan["schedule"][0]["month"] == 1


def test_a_budget_of_a_fen_is_a_budget_and_none_is_not(li_wei):
    """One fen left each month is too little for any plan within the cap; nothing left means
    no plan at all, and deferral is the letter to write."""
    base = ("plan", "--expenses", "6000")
    tiny = li_wei("plan", "--income", "6000.01", "--expenses", "6000").stdout
    assert (
        "No plan within 60 months is affordable: it needs at least ¥1,495.84 a month, and you "
        "have ¥0.01. Ask for a fee waiver or an interest freeze as well, and tell the banks what "
        "you can pay."
    ) in " ".join(tiny.split())
    zh = li_wei("--lang", "zh", *base, "--income", "6000.01").stdout
    assert "60 个月内的方案都负担不起：每月至少需要 ¥1,495.84，而你可用 ¥0.01。" in zh.replace(
        "\n", ""
    )
    none = li_wei("plan", "--income", "6000", "--expenses", "6000").stdout
    assert "no plan is affordable now. Write to the banks about deferral" in " ".join(none.split())
    assert "No plan within" not in none


def test_no_overdue_card_no_plan(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    base = ("plan", "--income", "9000", "--expenses", "6000")
    assert_clean_failure(
        cli("--lang", "en", *base, ok=False),
        says="no overdue card with an amount owed: record one with `debtcli overdue`",
    )
    assert_clean_failure(
        cli("--lang", "zh", *base, ok=False), says="没有欠款的逾期卡：请先用 `debtcli overdue` 记录"
    )


def test_plan_json_names_each_card_and_what_it_pays_first(cli):
    """Two cards share the last four 4821: each is named apart (with its number), both under
    last4 4821. Snowball pays the smallest first, so the others' first payment is 0.00."""
    import json

    for bank, last4 in (("中信银行", "4821"), ("招商银行", "7730"), ("工商银行", "4821")):
        cli("card", "add", "--bank", bank, "--last4", last4)
    cli("overdue", "#1", "--since", "2026-08-05", "--amount", "62400")
    cli("overdue", "7730", "--since", "2026-09-12", "--amount", "18300")
    cli("overdue", "#3", "--since", "2026-10-20", "--amount", "9050")
    args = ("--today", "2026-12-01", "plan", "--income", "12000", "--expenses", "8000.50")
    out = json.loads(cli(*args, "--strategy", "snowball", "--json").stdout)
    assert (out["income"], out["expenses"], out["available"]) == ("12000.00", "8000.50", "3999.50")
    assert [(c["card"], c["last4"], c["first_payment"]) for c in out["cards"]] == [
        ("4821 #1", "4821", "0.00"),
        ("7730", "7730", "0.00"),
        ("4821 #3", "4821", "3999.50"),
    ]
    broke = json.loads(cli(*args[:-1], "12000", "--json").stdout)
    assert broke["schedule"] == [] and broke["available"] == "0.00"
    assert [c["first_payment"] for c in broke["cards"]] == ["0.00"] * 3


def test_a_card_under_agreement_keeps_its_installment_and_the_plan_splits_the_rest(li_wei):
    """The plan must not tell Li Wei to pay the card he has an agreement on less than its
    installment (that breaks the agreement and collection resumes): the installment is kept
    first, and the rest of the budget is split across the other cards."""
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    doc = li_wei.json("plan", "--income", "9000", "--expenses", "6000")
    assert doc["agreed"] == [{"card": "7730", "last4": "7730", "owed": "18300.00",
                              "monthly": "762.50"}]  # fmt: skip
    assert doc["available"] == "3000.00" and doc["available_after_agreements"] == "2237.50"
    assert [c["card"] for c in doc["cards"]] == ["4821", "5511"]
    assert all(m["total"] == "2237.50" for m in doc["schedule"][:-1])
    assert all("7730" not in m["payments"] for m in doc["schedule"])
    en = " ".join(li_wei("plan", "--income", "9000", "--expenses", "6000").stdout.split())
    assert (
        "****7730 is under an installment agreement: its ¥762.50 a month is kept first; the "
        "plan splits the ¥2,237.50 left across the other cards."
    ) in en
    zh = "".join(
        li_wei("--lang", "zh", "plan", "--income", "9000", "--expenses", "6000").stdout.split()
    )
    assert "****7730已有分期协议：每月¥762.50先按协议还；其余¥2,237.50分给其他卡。" in zh


def test_agreed_installments_that_take_the_whole_budget_are_said(li_wei):
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    doc = li_wei.json("plan", "--income", "6500", "--expenses", "6000")
    assert doc["available_after_agreements"] == "-262.50" and doc["schedule"] == []
    assert doc["warnings"][0].endswith(
        "a month is kept first; nothing is left for the other cards."
    )
    assert doc["warnings"][-1] == (
        "The installments you agreed (¥762.50 a month) take more than you have (¥500.00): keep "
        "paying them first (a missed one breaks the agreement and collection resumes), and ask "
        "the other banks for a deferral (debtcli letter make deferral CARD)."
    )
    zh = li_wei.json("--lang", "zh", "plan", "--income", "6500", "--expenses", "6000")["warnings"]
    assert zh[-1] == (
        "已约定的分期（每月 ¥762.50）超过可用金额（¥500.00）：请先按协议还款（漏还一期会使协议"
        "违约、催收恢复），并向其他银行申请延期还款（debtcli letter make deferral 卡号）。"
    )


def test_two_agreements_that_use_exactly_the_budget_are_said_as_they_are(li_wei):
    """Installments that use the budget to the fen take all of it, not more than it; two cards
    under agreements are named together, in the plural."""
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    li_wei("agree", "5511", "--months", "12", "--monthly", "737.50", "--first-due", "2026-12-20")
    doc = li_wei.json("plan", "--income", "7500", "--expenses", "6000")
    assert doc["available_after_agreements"] == "0.00" and doc["schedule"] == []
    assert doc["warnings"] == [
        "****7730, ****5511 are under an installment agreement: their ¥1,500.00 a month is kept "
        "first; nothing is left for the other cards.",
        "The installments you agreed (¥1,500.00 a month) take all you have (¥1,500.00): keep "
        "paying them first (a missed one breaks the agreement and collection resumes), and ask "
        "the other banks for a deferral (debtcli letter make deferral CARD).",
    ]
    zh = li_wei.json("--lang", "zh", "plan", "--income", "7500", "--expenses", "6000")["warnings"]
    assert zh == [
        "****7730、****5511 已有分期协议：每月 ¥1,500.00 先按协议还；其他卡已没有余额可分。",
        "已约定的分期（每月 ¥1,500.00）用尽了可用金额（¥1,500.00）：请先按协议还款（漏还一期会使"
        "协议违约、催收恢复），并向其他银行申请延期还款（debtcli letter make deferral 卡号）。",
    ]
    # a fen more, and the other card gets that fen
    doc = li_wei.json("plan", "--income", "7500.01", "--expenses", "6000")
    assert doc["warnings"][0].endswith("the plan splits the ¥0.01 left across the other cards.")


def test_a_lone_card_under_agreement_with_too_little_is_told_only_what_it_is(li_wei):
    """With nothing else to plan, installments above the budget are not told to ask other
    banks for a deferral: there are none."""
    li_wei("settle", "4821", "--date", "2026-11-20")
    li_wei("settle", "5511", "--date", "2026-11-20")
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    doc = li_wei.json("plan", "--income", "6500", "--expenses", "6000")
    assert doc["warnings"] == [
        "****7730 is under an installment agreement: its ¥762.50 a month is kept first; there "
        "is nothing else to plan."
    ]


def test_a_broken_agreement_is_planned_like_any_other_debt(li_wei):
    """An agreement whose installment was missed no longer holds (collection resumes): the
    card is planned with the others, nothing is kept for it."""
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-10-11",
           "--date", "2026-10-01")  # fmt: skip
    assert li_wei.json("status")[1]["agreement"]["status"] == "broken"
    doc = li_wei.json("plan", "--income", "9000", "--expenses", "6000")
    assert doc["agreed"] == [] and doc["available_after_agreements"] == "3000.00"
    assert [c["card"] for c in doc["cards"]] == ["4821", "7730", "5511"]
    assert not [w for w in doc["warnings"] if "agreement" in w]


def test_agreed_cards_that_share_a_last_four_keep_it_in_json(cli):
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("card", "add", "--bank", "招商银行", "--last4", "4821", "--force")
    cli("overdue", "#1", "--since", "2026-08-05", "--amount", "6000")
    cli("overdue", "#2", "--since", "2026-09-12", "--amount", "9000")
    cli("agree", "#2", "--months", "12", "--monthly", "750", "--first-due", "2026-12-11")
    doc = cli.json("plan", "--income", "9000", "--expenses", "6000")
    assert doc["agreed"] == [{"card": "4821 #2", "last4": "4821", "owed": "9000.00",
                              "monthly": "750.00"}]  # fmt: skip
    assert [(c["card"], c["last4"]) for c in doc["cards"]] == [("4821 #1", "4821")]


def test_a_letters_share_of_the_budget_leaves_another_cards_agreed_installment_out(li_wei):
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    out = li_wei("--lang", "en", "letter", "make", "installment", "4821", "--name", "李伟",
                 "--phone", "1", "--income", "9000", "--expenses", "6000").stdout  # fmt: skip
    # ¥2,237.50 left after the agreed ¥762.50, split over 4821 and 5511 by what they owe
    assert "about RMB 1,954.09 a month is available for this card" in " ".join(out.split())


@given(DEBTS, st.lists(st.integers(0, 200_000), min_size=5, max_size=5), BUDGET, STRATEGY)
def test_agreed_installments_come_out_of_the_budget_first_and_are_never_replanned(
    amounts, agreed, budget, strategy
):
    from debtcli.plan import household_plan

    owing = [d._replace(agreed=a or None) for d, a in zip(debts(amounts), agreed, strict=False)]
    h = household_plan([("CNY", d) for d in owing], budget, 0, strategy=strategy, cap=60)
    kept = sum(d.agreed or 0 for d in owing)
    assert h.planned == budget - kept and h.total == sum(amounts)
    assert {d.key for d in h.agreed} == {d.key for d in owing if d.agreed}
    assert not any(k in row for d in h.agreed for row in h.plan.schedule for k in [d.key])
    assert all(sum(row.values()) <= max(h.planned, 0) for row in h.plan.schedule)


def test_a_plan_of_only_a_card_under_agreement_plans_nothing_else(li_wei):
    li_wei("agree", "7730", "--months", "24", "--monthly", "762.50", "--first-due", "2026-12-11")
    out = " ".join(li_wei("plan", "7730", "--income", "9000", "--expenses", "6000").stdout.split())
    assert (
        "****7730 is under an installment agreement: its ¥762.50 a month is kept first; there "
        "is nothing else to plan."
    ) in out
    assert "letter make installment" not in out  # no new request for a kept agreement
    zh = li_wei.json("--lang", "zh", "plan", "7730", "--income", "9000", "--expenses", "6000")
    assert zh["warnings"] == [
        "****7730 已有分期协议：每月 ¥762.50 先按协议还；没有其他需要计划的卡。"
    ]
    assert zh["cards"] == [] and zh["schedule"] == []


def test_plan_takes_what_you_can_pay_a_month(li_wei):
    """Issue 38: "I can pay ¥3,000 a month" had to be faked as income minus expenses."""
    a = li_wei.json("plan", "--monthly", "3000")
    b = li_wei.json("plan", "--income", "3000", "--expenses", "0")
    assert a == b
    zh = li_wei("--lang", "zh", "plan", "--monthly", "3000元").stdout
    assert "每月可用于还款：¥3,000.00。" in zh and "必要开支" not in zh
    r = li_wei("plan", "--monthly", "3000", "--income", "9000", ok=False)
    assert r.exit_code == 2 and "not both" in r.stderr
