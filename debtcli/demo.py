"""The demo store: Li Wei (SCENARIOS.md), 34, Shenzhen, who lost his job, with three cards at
different points — about four months, two months and a few days overdue. Dates are relative to
"today" so the demo always shows every stage of the story."""

from datetime import date, timedelta
from typing import Any

from debtcli import contactlog, ledger
from debtcli.rules import Pack
from debtcli.store import Store

# SCENARIOS.md: someone claiming to be from a court comes to Li Wei's door and wants a payment
# by WeChat to a person: the answers `visit check` records for that visit.
SCAM_VISIT = {
    "agents": 1,
    "work_id": False,
    "authorization": False,
    "org": "法院执行局",  # who they said they were
    "hotline": "denied",
    "personal_account": True,
    "police_claim": True,
    "pay_to": "微信转账给个人",
}


def build_demo(store: Store, today: date, pack: Pack) -> None:
    def day(since: date, n: int, hm: str) -> str:
        return f"{(since + timedelta(days=n)).isoformat()} {hm}"

    citic = ledger.add_card(
        store, bank="中信银行", last4="4821", name="中信", credit_limit=6_000_000, due_day=5
    )
    cmb = ledger.add_card(store, bank="招商银行", last4="7730", name="招行", due_day=12)
    icbc = ledger.add_card(store, bank="工商银行", last4="5511", name="工行", due_day=20)
    cards = {c["id"]: c for c in ledger.st.list_cards(store)}

    s1 = today - timedelta(days=130)
    ledger.record_overdue(store, "4821", s1, 6_240_000, principal=5_800_000)
    ledger.record_payment(store, "4821", 200_000, s1 + timedelta(days=100), "手机银行转账")
    s2 = today - timedelta(days=62)
    ledger.record_overdue(store, "7730", s2, 1_830_000)
    s3 = today - timedelta(days=5)
    ledger.record_overdue(store, "5511", s3, 905_000)

    agency = "某某资产管理有限公司"
    log: list[tuple[Any, dict[str, Any]]] = [
        (
            citic,
            {"at": day(s1, 10, "10:05"), "channel": "sms", "party": "bank", "note": "还款提醒短信"},
        ),
        (
            citic,
            {
                "at": day(s1, 35, "14:20"),
                "channel": "call",
                "party": "bank",
                "minutes": "6",
                "phone": "95558",
                "note": "银行催收员要求尽快还款，我说明失业情况",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 66, "09:30"),
                "channel": "lawyer-letter",
                "party": "law-firm",
                "org": "某律师事务所",
                "note": "收到律师函，称将起诉",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 70, "15:00"),
                "channel": "call",
                "party": "bank",
                "minutes": "12",
                "note": "我提出分期意愿，对方让等通知",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 96, "09:10"),
                "channel": "call",
                "party": "agency",
                "org": agency,
                "agent": "张经理",
                "agent_id": "A0137",
                "phone": "0755-8888 0000",
                "minutes": "8",
                "claim": ["arrest"],
                "flag": ["threat"],
                "note": "称再不还就立案抓人",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 96, "22:40"),
                "channel": "call",
                "party": "agency",
                "org": agency,
                "contacted": "family",
                "note": "深夜打给我母亲，告诉她我欠钱",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 110, "09:02"),
                "channel": "call",
                "party": "agency",
                "org": agency,
                "minutes": "3",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 110, "11:40"),
                "channel": "call",
                "party": "agency",
                "org": agency,
                "minutes": "2",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 110, "15:15"),
                "channel": "call",
                "party": "agency",
                "org": agency,
                "minutes": "4",
            },
        ),
        (
            citic,
            {
                "at": day(s1, 110, "18:30"),
                "channel": "call",
                "party": "agency",
                "org": agency,
                "minutes": "5",
                "claim": ["blacklist"],
                "note": "第四通：说我上了全国黑名单",
            },
        ),
        (
            cmb,
            {
                "at": day(s2, 8, "10:00"),
                "channel": "sms",
                "party": "bank",
                "note": "招商银行还款提醒",
            },
        ),
        (
            cmb,
            {
                "at": day(s2, 40, "11:00"),
                "channel": "app",
                "party": "bank",
                "note": "App 推送逾期提醒",
            },
        ),
        (
            cmb,
            {
                "at": day(s2, 45, "16:20"),
                "channel": "call",
                "party": "bank",
                "minutes": "5",
                "phone": "95555",
                "note": "礼貌提醒，询问还款计划",
            },
        ),
        (
            icbc,
            {
                "at": day(s3, 3, "10:30"),
                "channel": "call",
                "party": "bank",
                "minutes": "3",
                "phone": "95588",
                "note": "客气地提醒还款",
            },
        ),
    ]
    for card_id, raw in log:
        contactlog.add(store, pack, cards[card_id], raw, [], today)

    # Two visits walked through with `visit check`: one the bank confirmed, one a scam.
    from datetime import datetime

    from debtcli.visit import assess

    verified = {
        "agents": 2,
        "work_id": True,
        "authorization": True,
        "org": agency,
        "agent": "王、刘",
        "agent_id": "A0211, A0212",
        "hotline": "confirmed",
    }
    for offset, hm, answers in ((124, "14:30", verified), (127, "19:40", SCAM_VISIT)):
        when = datetime.fromisoformat(f"{s1 + timedelta(days=offset)} {hm}").astimezone()
        contactlog.add(
            store, pack, cards[citic], assess(pack, answers, when, "zh")["entry"], [], today
        )

    # 招商 granted a 24-month plan a week ago; the first installment is due in a week.
    from debtcli.ledger import now_iso
    from debtcli.store import add_agreement, open_episode, set_meta_json

    episode = open_episode(store, cmb)
    assert episode is not None  # recorded above
    add_agreement(
        store,
        {
            "card_id": cmb,
            "episode_id": episode["id"],
            "agreed_on": (today - timedelta(days=7)).isoformat(),
            "months": 24,
            "monthly": 76_250,
            "first_due": (today + timedelta(days=5)).isoformat(),
            "note": "招商银行个性化分期协议（示例）",
        },
        now_iso(),
    )
    set_meta_json(
        store,
        "profile",
        {"name": "李伟", "phone": "138 0000 0000", "address": "深圳市南山区（示例）"},
    )
