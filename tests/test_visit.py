"""The home-visit checklist and the walk through it at the door."""

import json

import pytest
from conftest import assert_clean_failure, store_digest
from docx import Document

VERIFIED = {
    "agents": 2,
    "work_id": True,
    "authorization": True,
    "org": "某某资产管理有限公司",
    "hotline": "confirmed",
}


def check(cli, tmp_path, answers, *extra, ok=True):
    f = tmp_path / "answers.json"
    f.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return cli(
        "visit", "check", "4821", "--answers", str(f), "--at", "2026-11-22 14:00", *extra, ok=ok
    )


def test_verified_visit_is_logged_without_violations(li_wei, tmp_path):
    out = json.loads(check(li_wei, tmp_path, VERIFIED, "--json").stdout)
    assert out["verdict"] == "verified" and out["red_flags"] == [] and out["violations"] == []
    entry = li_wei.json("log", "list")[-1]
    assert entry["channel"] == "visit" and entry["agents"] == 2
    assert entry["credentials"] == "authorization,work-id" and "verified" in entry["note"]
    li_wei("evidence", "verify")


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"hotline": "not-called"}, ["hotline"]),
        ({"authorization": False}, ["authorization"]),
        ({"work_id": False}, ["work-id"]),
    ],
)
def test_unverified_paths(li_wei, tmp_path, change, missing):
    out = json.loads(check(li_wei, tmp_path, {**VERIFIED, **change}, "--json").stdout)
    assert out["verdict"] == "unverified" and out["missing"] == missing
    assert "NOT VERIFIED" in check(li_wei, tmp_path, {**VERIFIED, **change}).stdout


@pytest.mark.parametrize(
    ("change", "flag", "rule"),
    [
        (
            {"personal_account": True, "pay_to": "微信转账给个人"},
            "personal-account",
            "pay-to-personal",
        ),
        ({"police_claim": True}, "police-claim", "impersonation"),
        ({"asked_secrets": True}, "asked-secrets", None),
        ({"hotline": "denied"}, "bank-denied", None),
        ({"agents": 1}, "one-visitor", "visit-two-agents"),
        ({"work_id": False, "authorization": False}, "no-identification", "visit-identification"),
        ({"threats": True}, "threats", "abuse"),
    ],
)
def test_scam_red_flags(li_wei, tmp_path, change, flag, rule):
    """With the bank's confirmation, only a denial or a payee other than the bank makes a scam
    (facts §12): any other red flag is the agency breaking the rules, recorded as such. The
    same red flag with nobody's confirmation is a scam warning."""
    out = json.loads(check(li_wei, tmp_path, {**VERIFIED, **change}, "--json").stdout)
    impostor = flag in ("personal-account", "bank-denied")
    assert out["verdict"] == ("scam" if impostor else "confirmed-violations")
    assert flag in out["red_flags"]
    if rule:
        assert rule in out["violations"]
    unconfirmed = {**VERIFIED, **change, "hotline": change.get("hotline", "not-called")}
    assert json.loads(check(li_wei, tmp_path, unconfirmed, "--json").stdout)["verdict"] == "scam"


def test_night_visit_is_a_red_flag_and_a_violation(li_wei, tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(VERIFIED), encoding="utf-8")
    out = li_wei.json("visit", "check", "4821", "--answers", str(f), "--at", "2026-11-22 22:30")
    assert out["verdict"] == "confirmed-violations" and "night" in out["red_flags"]
    assert "quiet-hours" in out["violations"]


def test_bad_answers_write_nothing(li_wei, tmp_path, db_path):
    before = store_digest(db_path)
    r = check(li_wei, tmp_path, {**VERIFIED, "hotline": "maybe"}, ok=False)
    assert_clean_failure(r, exact="answer 'hotline': choose one of confirmed, denied, not-called")
    (tmp_path / "zh.json").write_text(json.dumps({**VERIFIED, "hotline": "也许"}), "utf-8")
    r = li_wei("--lang", "zh", "visit", "check", "4821", "--answers", tmp_path / "zh.json",
               "--at", "2026-11-22 14:00", ok=False)  # fmt: skip
    assert_clean_failure(r, exact="回答 'hotline'：请从以下选择：银行已确认、银行说不知道、没打")
    r = li_wei("visit", "check", "4821", ok=False)  # no terminal, no answers file
    assert_clean_failure(r, says="--answers")
    assert store_digest(db_path) == before


def test_checklist_shows_the_banks_hotline(li_wei):
    out = li_wei("visit", "checklist", "5511").stdout
    assert "95588" in out and "Never call a number the visitor gives you" in out
    assert "Civil Code Art. 1033" in out
    zh = li_wei("--lang", "zh", "visit", "checklist", "7730").stdout
    assert "95555" in zh and "你不必开门" in zh and "诈骗警示" in zh


def test_unverified_hotline_says_check_the_card(li_wei):
    out = li_wei("visit", "checklist", "4821").stdout
    assert "95558" in out and "check the back of your card" in out


def test_unknown_bank_points_to_the_back_of_the_card(cli):
    cli("card", "add", "--bank", "某某农村商业银行", "--last4", "1234")
    out = cli("visit", "checklist", "1234").stdout
    assert "number printed on the back of your card" in out


def test_checklist_formats(li_wei, tmp_path):
    html = tmp_path / "door.html"
    li_wei("--lang", "zh", "visit", "checklist", "4821", "-o", str(html))
    text = html.read_text(encoding="utf-8")
    assert "@page { size: A4" in text and "http" not in text.replace("http-equiv", "")
    assert "95558" in text and oct(html.stat().st_mode)[-3:] == "600"
    docx = tmp_path / "door.docx"
    li_wei("--lang", "zh", "visit", "checklist", "4821", "-o", str(docx))
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert any("你不必开门" in p for p in paragraphs)
    assert_clean_failure(
        li_wei("visit", "checklist", "--format", "docx", ok=False), says="-o FILE.docx"
    )


def test_terminal_checklist_is_plain_text_with_sources(li_wei):
    out = li_wei("visit", "checklist", "5511").stdout
    assert "<small>" not in out and "**" not in out
    lines = out.splitlines()
    first = lines.index(
        "- ☐ You do not have to open the door. Talk through the closed door or a window."
    )
    assert lines[first + 1] == "  (advice, typical practice, not a rule)"
    zh = li_wei("--lang", "zh", "visit", "checklist", "5511").stdout
    assert "☎ 中国工商银行 95588" in zh and "第一千零三十三条（二），法律）" in zh


def test_the_saved_visit_note_is_in_the_users_language(li_wei, tmp_path):
    scam = {**VERIFIED, "agents": 1, "hotline": "denied", "police_claim": True}
    f = tmp_path / "answers.json"
    f.write_text(json.dumps(scam, ensure_ascii=False), encoding="utf-8")
    li_wei(
        "--lang", "zh", "visit", "check", "4821", "--answers", str(f), "--at", "2026-11-22 14:00"
    )
    note = li_wei.json("log", "list")[-1]["note"]
    assert note == (
        "上门核验：诈骗警示；客服核实：银行不知道这次上门；危险信号：自称公安/法院或威胁抓人、"
        "银行客服不知道这家机构或这次上门、只有一个人；缺少：银行确认"
    )
    check(li_wei, tmp_path, VERIFIED)
    assert li_wei.json("log", "list")[-1]["note"] == (
        "visit check: verified by the bank; hotline: the bank confirmed; red flags: none; "
        "missing: none"
    )


@pytest.mark.parametrize(
    "answers",
    [VERIFIED, {**VERIFIED, "hotline": "not-called"}, {**VERIFIED, "hotline": "denied"}],
    ids=["verified", "unverified", "scam"],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_verdict_says_sign_nothing_and_who_the_police_are_not(
    li_wei, tmp_path, answers, lang, monkeypatch
):
    """A signature by the cardholder or a family member can prove an effective notice (2018
    解释 第七条); the police do not come with collectors (facts §12). Nothing said so."""
    monkeypatch.setenv("DEBTCLI_LANG", lang)
    said = "".join(check(li_wei, tmp_path, answers).stdout.split())  # wrapped anywhere
    assert "仅确认收到，不代表认可金额" in said and "110" in said and "96110" in said
    assert ("不要在门口签任何文件" if lang == "zh" else "Signnothingatthedoor") in said
    assert (
        "公安不会为信用卡欠款随同催收人员上门" if lang == "zh" else "Thepolicedonotcome"
    ) in said


def test_the_checklist_says_sign_nothing_and_call_110_for_police_at_the_door(li_wei, tmp_path):
    for lang, sign, police in (
        ("zh", "不要在门口签任何文件", "公安不会为信用卡欠款随同催收人员上门"),
        ("en", "Sign nothing.", "police do not come along over a card debt"),
    ):
        out = tmp_path / f"door.{lang}.html"
        li_wei("--lang", lang, "visit", "checklist", "4821", "-o", out)
        page = out.read_text(encoding="utf-8")
        assert sign in page and police in page and "仅确认收到，不代表认可金额" in page


@pytest.mark.parametrize(
    "answers, verdict, party",
    [
        ({**VERIFIED, "pay_to": "张三 6222020212345678"}, "scam", "impostor"),
        ({**VERIFIED, "pay_to": "中信银行手机银行"}, "verified", "agency"),
        ({**VERIFIED, "hotline": "not-called"}, "unverified", "unknown"),
        ({**VERIFIED, "agents": 1, "threats": True}, "confirmed-violations", "agency"),
    ],
    ids=["named-payee", "own-bank", "unconfirmed", "confirmed-breaking-rules"],
)
def test_the_verdict_and_the_party_follow_facts_12(li_wei, tmp_path, answers, verdict, party):
    """A payee named at the door is checked by the payee rule (a person's account was
    'verified' and saved as the agency's); a visit nobody confirmed is nobody's demand yet (it
    restarted an expired limitation period); a confirmed agency breaking the rules is no scam."""
    out = json.loads(check(li_wei, tmp_path, answers, "--json").stdout)
    assert out["verdict"] == verdict
    assert li_wei.json("log", "list")[-1]["party"] == party


@pytest.mark.parametrize(
    "answers",
    [{"org": "\ud800"}, {"org": ["a"]}, {"pay_to": {"a": 1}}, {"agent_id": True}],
    ids=["surrogate", "list", "object", "bool"],
)
def test_an_answer_that_is_not_text_is_refused_in_a_line(li_wei, tmp_path, db_path, answers):
    f = tmp_path / "a.json"
    f.write_text(json.dumps({**VERIFIED, **answers}), encoding="utf-8")
    before = store_digest(db_path)
    r = li_wei("visit", "check", "4821", "--answers", str(f), ok=False)
    assert_clean_failure(r, says="answer '")
    assert "must be text" in r.stderr or "not text (a lone surrogate)" in r.stderr
    assert store_digest(db_path) == before
