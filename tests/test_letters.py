"""Letters: golden files for every kind and language, formats, injection, refusals."""

import os
import re
from pathlib import Path

import pytest
from conftest import assert_clean_failure, log_late_call, pack_with, store_digest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from debtcli.letters import kinds
from debtcli.rules import PACKS_DIR, load_pack

KINDS = list(kinds(load_pack("cn")))

GOLDEN = Path(__file__).parent / "golden" / "letters"
HASH = re.compile(r"\b[0-9a-f]{64}\b")
PROFILE = [
    "--name",
    "李伟",
    "--phone",
    "138 0000 0000",
    "--id-last4",
    "123X",
    "--address",
    "深圳市南山区某某路 1 号",
]
OPTIONS = {
    "installment": ["--months", "60", "--hardship", "job-loss", "--first", "2026-12-20"],
    "interest-freeze": ["--monthly", "1500", "--hardship", "job-loss", "--first", "2026-12-20"],
    "fee-waiver": ["--hardship", "illness", "--reason", "My mother was in hospital."],
    "deferral": ["--months", "3", "--hardship", "job-loss"],
    "complaint": [],
    "stop-third-party": [],
    "settlement-proof": [],
    "credit-dispute": ["--reason", "The report shows the card overdue after it was settled."],
}
CARD = {"settlement-proof": "5511", "credit-dispute": "5511"}


@pytest.fixture
def letters_store(li_wei):
    log_late_call(li_wei, "某某资产管理有限公司")
    li_wei("pay", "5511", "9050", "--date", "2026-11-15")
    return li_wei


def make(cli, kind, lang, *extra, ok=True, before=()):
    """`debtcli BEFORE… --lang LANG letter make KIND CARD` with the profile and the kind's
    options (before: global options such as --rules)."""
    card = CARD.get(kind, "4821")
    return cli(
        *before, "--lang", lang, "letter", "make", kind, card, *PROFILE, *OPTIONS[kind], *extra,
        ok=ok,
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_golden(letters_store, kind, lang):
    text = HASH.sub("<hash>", make(letters_store, kind, lang).stdout)
    golden = GOLDEN / f"{kind}.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_installment_states_both_conditions_and_warns(letters_store):
    r = make(letters_store, "installment", "zh")
    assert "超出本人的还款能力" in r.stdout and "仍有还款意愿" in r.stdout
    assert "第七十条" in r.stdout and "最长期限不得超过5年" in r.stdout
    assert "诉讼时效重新计算" in r.stderr and "绝不打到个人账户" in r.stderr
    r = make(letters_store, "installment", "en")
    assert "restarts the limitation period" in r.stderr


def test_proposal_over_the_cap_is_refused(letters_store, db_path):
    before = store_digest(db_path)
    for months in ("61", "0"):
        r = letters_store(
            "letter", "make", "installment", "4821", *PROFILE, "--months", months, ok=False
        )
        assert_clean_failure(
            r, exact=f"--months {months}: a personalised installment plan is 1 to 60 months"
        )
    zh = letters_store("--lang", "zh", "letter", "make", "installment", "4821", *PROFILE,
                       "--months", "0", ok=False)  # fmt: skip
    assert_clean_failure(zh, exact="--months 0：个性化分期为 1 到 60 期")
    r = letters_store(
        "letter", "make", "installment", "4821", *PROFILE, "--monthly", "500", ok=False
    )
    assert_clean_failure(r, says="caps a plan at 60")
    assert store_digest(db_path) == before  # a refused letter remembers nothing


def test_the_card_and_the_kind_in_the_order_people_say_them(letters_store):
    """`letter make 中信 分期` (the card first, as one says it) writes the same letter as
    `letter make 分期 中信`; a word that is neither still lists the kinds."""
    for lang, card, kind in (("zh", "中信", "分期"), ("en", "4821", "installment")):
        plan = (*PROFILE, "--months", "24")
        wanted = letters_store("--lang", lang, "letter", "make", kind, card, *plan).stdout
        swapped = letters_store("--lang", lang, "letter", "make", card, kind, *plan).stdout
        assert swapped == wanted and "4821" in swapped
    r = letters_store("letter", "make", "4821", "4821", *plan, ok=False)
    assert_clean_failure(r, says="letter kind '4821': choose one of installment")


def test_a_card_without_a_kind_asks_which_letter(li_wei):
    """`letter make 中信` names the card and not the letter: asked which letter, with an
    example, not told the card is missing."""
    for lang, exact in (
        ("en", "which letter for '中信'? e.g. debtcli letter make installment 中信 (debtcli "
               "letter list shows them all)"),
        ("zh", "要给 '中信' 写哪种信？例如 debtcli letter make 个性化分期 中信（debtcli letter "
               "list 列出全部）"),
    ):  # fmt: skip
        r = li_wei("--lang", lang, "letter", "make", "中信", ok=False)
        assert_clean_failure(r, exact=exact)
    r = li_wei("--lang", "zh", "letter", "make", "分期", ok=False)  # a kind: the card is missing
    assert_clean_failure(r, says="缺少参数 卡")


def test_missing_fields_name_the_option(li_wei):
    assert_clean_failure(
        li_wei("letter", "make", "installment", "4821", ok=False), says="--name and --phone"
    )
    li_wei("letter", "make", "fee-waiver", "4821", "--name", "李伟", "--phone", "138")
    # remembered: asked once
    li_wei("letter", "make", "fee-waiver", "4821")
    assert_clean_failure(
        li_wei("letter", "make", "installment", "4821", ok=False), says="--months N or --monthly"
    )
    log_late_call(li_wei)  # a violation on ****4821 is not one on ****7730
    assert_clean_failure(
        li_wei("letter", "make", "complaint", "7730", ok=False),
        says="no logged violations for ****7730",
    )
    assert_clean_failure(
        li_wei("letter", "make", "settlement-proof", "4821", ok=False), says="not settled"
    )
    assert_clean_failure(
        li_wei("letter", "make", "credit-dispute", "4821", ok=False), says="--reason"
    )
    assert_clean_failure(
        li_wei("letter", "make", "apology", "4821", ok=False), says="choose one of"
    )


def test_user_text_is_data_not_template_code(letters_store, tmp_path):
    evil = "{{ 7*7 }} {% for x in range(3) %}X{% endfor %} <script>alert(1)</script>"
    md = make(letters_store, "fee-waiver", "en", "--reason", evil).stdout
    assert "{{ 7*7 }}" in md and "49" not in md and "XXX" not in md
    out = tmp_path / "l.html"
    make(letters_store, "fee-waiver", "en", "--reason", evil, "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html


def test_docx_reads_back_with_cjk_font(letters_store, tmp_path):
    out = tmp_path / "l.docx"
    make(letters_store, "installment", "zh", "-o", str(out))
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "个性化分期还款申请" in text and "人民币 1,040.00 元（大写：壹仟零肆拾元整）" in text
    run = next(r for p in doc.paragraphs for r in p.runs if "本人" in r.text)
    fonts = run._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_record_logs_the_letter_with_the_file(letters_store, tmp_path):
    out = tmp_path / "installment.md"
    make(letters_store, "installment", "zh", "-o", str(out), "--record")
    entry = letters_store.json("log", "list")[-1]
    assert entry["direction"] == "out" and entry["channel"] == "letter"
    assert "installment" in entry["note"]
    letters_store("evidence", "verify")
    make(letters_store, "complaint", "en", "--record", "--to", "regulator")
    assert letters_store.json("log", "list")[-1]["org"].startswith("National Financial")


def test_user_template_wins_and_runs_sandboxed(letters_store, tmp_path, monkeypatch):
    r = letters_store("letter", "template", "fee-waiver")
    path = Path(r.stdout.split("Copied to ")[1].split()[0])
    assert path.is_file()
    path.write_text(
        '{% extends "letters/base.zh.md.j2" %}{% block body %}MINE {{ card.last4 }}{% endblock %}',
        encoding="utf-8",
    )
    assert "MINE 4821" in make(letters_store, "fee-waiver", "zh").stdout
    path.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    r = make(letters_store, "fee-waiver", "zh", ok=False)
    assert_clean_failure(r, code=2, says="SecurityError")
    assert_clean_failure(
        letters_store("letter", "template", "fee-waiver", ok=False), says="--force"
    )


def test_letter_list(cli):
    kinds = [k["kind"] for k in cli.json("letter", "list")]
    assert kinds == list(KINDS)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", ["installment", "--months N or --monthly AMOUNT", "a settled card", "--reason"]),
        ("zh", ["个性化分期", "--months 期数 或 --monthly 每月金额", "已结清的卡", "征信异议"]),
    ],
)
def test_letter_list_says_what_each_letter_needs(cli, monkeypatch, lang, shown):
    """The list promises what each letter needs: a proposal, a settled card, a reason; in
    Chinese each kind is named as it can be typed (letter make 个性化分期 4821)."""
    monkeypatch.setenv("COLUMNS", "240")  # one row a line
    out = " ".join(cli("--lang", lang, "letter", "list").stdout.split())
    for text in shown:
        assert text in out, (text, out)
    listed = cli.json("letter", "list")
    assert "--reason" in listed[-1]["needs_en"] and "--reason" in listed[-1]["needs_zh"]


def test_plan_json_and_warnings(li_wei):
    plan = li_wei.json("plan", "--income", "9000", "--expenses", "6000")
    assert plan["affordable"] and plan["months"] == 30
    total = sum(float(m["total"]) for m in plan["schedule"])
    assert round(total, 2) == float(plan["total"]) == 89750.0
    tight = li_wei.json("plan", "--income", "5000", "--expenses", "4000")
    assert not tight["affordable"] and tight["needed_monthly"] == "1495.84"
    assert "No plan within 60 months" in tight["warnings"][0]
    table = li_wei(
        "plan", "4821", "--income", "9000", "--expenses", "6000", "--months", "36"
    ).stdout
    assert "Schedule in 36 equal installments" in table and "a month" not in table
    equal = li_wei.json("plan", "4821", "--income", "9000", "--expenses", "6000", "--months", "36")
    assert equal["cards"][0]["months"] == 36 and equal["affordable"]
    snow = li_wei.json("plan", "--income", "9000", "--expenses", "6000", "--strategy", "snowball")
    assert snow["schedule"][0]["payments"] == {"5511": "3000.00"}
    r = li_wei(
        "plan", "--income", "9000", "--expenses", "6000", "--strategy", "avalanche", ok=False
    )
    assert_clean_failure(r, says="--rate")
    aval = li_wei.json(
        "plan",
        "--income",
        "9000",
        "--expenses",
        "6000",
        "--strategy",
        "avalanche",
        "--rate",
        "4821=18.25",
        "--rate",
        "7730=12",
        "--rate",
        "5511=10",
    )
    assert list(aval["schedule"][0]["payments"]) == ["4821"]
    none = li_wei.json("plan", "--income", "3000", "--expenses", "3500")
    assert "no plan is affordable" in none["warnings"][0]


def test_agreement_tracking_warns_before_and_after(li_wei):
    li_wei(
        "agree",
        "7730",
        "--months",
        "12",
        "--monthly",
        "1525",
        "--first-due",
        "2026-11-25",
        "--date",
        "2026-11-01",
    )
    out = li_wei("status").stdout
    assert "Soon: ****7730: installment 1 of 12, ¥1,525.00, due 2026-11-25" in out
    later = li_wei("--today", "2026-12-28", "status").stdout
    said = " ".join(later.split())
    assert "the agreement broke on 2026-11-29: installment 1 of 12 was not paid" in said
    li_wei("--today", "2026-12-28", "pay", "7730", "3050", "--date", "2026-12-27")
    a = li_wei.json("--today", "2026-12-28", "stage", "7730")["agreement"]
    # Caught up, but a month late: the agreement broke when the first went unpaid past grace.
    assert a["next"]["n"] == 3 and a["paid"] == "3050.00"
    assert a["status"] == "broken" and a["broken_on"] == "2026-11-29"
    assert [(m["n"], m["status"]) for m in a["missed"]] == [(1, "late")]


def test_plan_for_many_cards_fits_the_terminal_and_says_how_long(cli, monkeypatch):
    for i in range(8):
        cli("card", "add", "--bank", "招商银行", "--last4", f"{3000 + i}")
        cli("overdue", f"{3000 + i}", "--since", "2026-08-05", "--amount", "500000")
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("plan", "--income", "20000", "--expenses", "5000").stdout
    # ¥4,000,000 at ¥15,000 a month: 267 months, far past the 60-month cap.
    assert "Schedule at ¥15,000.00 a month: 267 months" in out
    assert "(first 12 of 267 months; --json gives all)" in out
    assert out.count("> 60") == 8
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Eight card columns do not fit in 80 columns: each month's payments wrap, a card and its
    # amount never split across lines.
    assert sum(line.count("****3007\u00a0¥1,875.00") for line in lines) == 12
    plan = cli.json("plan", "--income", "20000", "--expenses", "5000")
    assert plan["months_needed"] == plan["months"] == len(plan["schedule"]) == 267
    r = cli("plan", "--income", "20000", "--expenses", "5000", "--months", "601", ok=False)
    assert_clean_failure(r, says="--months 601: at most 600")
    wide = cli("plan", "3000", "3001", "--income", "200000", "--expenses", "5000").stdout
    assert "****3000 ┃   ****3001 ┃" in wide and "Schedule at ¥195,000.00 a month: 6 months" in wide


BLOCK_TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda t: t and not t.startswith(("#", "- ")))
)


@given(st.lists(st.tuples(st.sampled_from(["h1", "h2", "p", "li"]), BLOCK_TEXT), max_size=12))
def test_markdown_written_from_blocks_reads_back_as_the_same_blocks(blocks):
    from debtcli.documents import blocks_md, md_blocks

    given_blocks = [{"kind": k, "text": t} for k, t in blocks]
    assert md_blocks(blocks_md(given_blocks)) == given_blocks


# --- the pack's letter kinds ------------------------------------------------------------------


NEW_KIND = """[[letters.kinds]]
key = "thanks"
title_zh = "感谢信"
title_en = "Thank-you letter"
acknowledges = false
needs_debt = true
needs_zh = "无"
needs_en = "nothing more"

"""


def test_a_new_letter_kind_is_one_pack_entry_and_its_templates(letters_store, tmp_path):
    pack = pack_with(tmp_path, ("[[letters.kinds]]", NEW_KIND + "[[letters.kinds]]"))
    # Without its templates the pack is refused on load, naming what is missing.
    r = letters_store("--rules", str(pack), "letter", "list", ok=False)
    assert_clean_failure(r, says="no template letters/thanks.zh.md.j2")
    folder = tmp_path / "config" / "templates" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    for lang, body in (("zh", "谢谢 {{ card.bank }}"), ("en", "Thank you, {{ card.bank }}")):
        (folder / f"thanks.{lang}.md.j2").write_text(
            '{% extends "letters/base.'
            + lang
            + '.md.j2" %}{% block body %}'
            + body
            + "{% endblock %}",
            encoding="utf-8",
        )
    kinds_listed = [k["kind"] for k in letters_store.json("--rules", str(pack), "letter", "list")]
    assert kinds_listed[0] == "thanks" and kinds_listed[1:] == KINDS
    r = letters_store(
        "--rules", str(pack), "--lang", "zh", "letter", "make", "thanks", "4821", *PROFILE
    )
    assert "感谢信" in r.stdout and "谢谢 中信银行" in r.stdout


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("[letters.warnings]", "[letters.nothing]", "letters.warnings"),
        (
            'key = "installment"\ntitle_zh',
            'key = "installment"\ntitle',
            "letters.kinds[0].title_zh",
        ),
        ("acknowledges = true", 'acknowledges = "yes"', "letters.kinds[0].acknowledges"),
        ('needs_en = "a proposal', 'needs = "a proposal', "letters.kinds[0].needs_en: missing"),
        (
            'kinds = ["installment", "interest-freeze", "deferral"]',
            'kinds = ["instalment"]',
            "not a letter kind: instalment",
        ),
        # a complaint's label may name only the rule's own figures, in both languages
        (
            'label_en = "more than {max} call attempts',
            'label_en = "more than {limit} call attempts',
            "conduct[6].label_en: names 'limit'",
        ),
        ('label_zh = "上门催收少于{min}人"\n', "", "conduct[7].label_zh: missing"),
        ("complaint_answer_days = 15\n", "", "letters.figures.complaint_answer_days: missing"),
        (
            "recordings_kept_years = 2",
            'recordings_kept_years = "two"',
            "letters.figures.recordings_kept_years: expected a whole number",
        ),
    ],
)
def test_a_pack_with_broken_letters_is_refused_on_load(cli, tmp_path, old, new, says):
    r = cli("--rules", str(pack_with(tmp_path, (old, new))), "facts", ok=False)
    assert_clean_failure(r, says=says)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('[under_agreement]\nzh = "按协议还款中"\nen = "Under agreement"\nshort_zh = "按协议还款"\n'
         'short_en = "Agreement"\ntag = "rule"',
         '[under_agreement]\nzh = "按协议还款中"\nen = "Under agreement"\nshort_zh = "按协议还款"\n'
         'short_en = "Agreement"\ntag = "rumour"',
         "custom.toml: under_agreement.tag: must be one of law, rule, practice, unverified"),
        ('[tags.practice]\nzh = "通常做法，非规定"\n', "[tags.practice]\n",
         "custom.toml: tags.practice.zh: missing"),
        ('short_en = "Agreement"\n', "", "custom.toml: under_agreement.short_en: missing"),
        ('[[evidence]]\nchannel = "visit"\nstage = "visit"',
         '[[evidence]]\nchannel = "visit"\nstage = "home"', "custom.toml: evidence[2]"),
        ('kinds = ["installment", "interest-freeze", "deferral"]', 'kinds = ["instalment", "deferal"]',
         "not a letter kind: instalment, deferal"),
    ],
)  # fmt: skip
def test_a_broken_pack_is_refused_naming_the_place(cli, tmp_path, old, new, says):
    r = cli("--rules", str(pack_with(tmp_path, (old, new))), "facts", ok=False)
    assert_clean_failure(r, says=says)


TAGS_TABLE = (PACKS_DIR / "cn.toml").read_text(encoding="utf-8").split("[tags.law]")[1]


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        ('class_tag = "rule"', 'class_tag = "rumour"', "stages[4].class_tag",
         "must be one of law, rule, practice, unverified"),
        ('call = ["电话", "来电", "打电话", "通话"]', 'call = "电话"', "words.channel",
         "each value needs a list of words"),
        ("start_day = 1\n", "start_day = 0\n", "stages.start_day",
         "must rise strictly from 1 or more"),
        ("start_day = 31", "start_day = true", "stages[2].start_day", "expected a whole number"),
        ("[bank_profiles.bocom.start_days]\nreminder = 4",
         '[bank_profiles.bocom.start_days]\nreminder = "4"',
         "bank_profiles.bocom.start_days.reminder", "must be a stage key with a whole number"),
        ('label_zh = "上门催收少于{min}人"\n', "", "conduct[7].label_zh",
         "missing: a label is in both languages"),
        ('en = "You do not have to open the door. Talk', 'zh_hk = "You do not have to open the door. Talk',
         "visit.sections[0].items[0].en", "missing"),
        ('key = "installment"\ntitle_zh', 'key = "installments"\ntitle_zh', "letters.kinds[0]",
         "no template letters/installments.zh.md.j2"),
        ("[tags.law]" + TAGS_TABLE[: TAGS_TABLE.index("\n# ---")], "", "tags.law",
         "expected a table"),
    ],
)  # fmt: skip
def test_a_broken_pack_is_refused_naming_file_place_and_problem(
    cli, tmp_path, old, new, where, problem
):
    rules = str(pack_with(tmp_path, (old, new)))
    for lang, says in (
        ("en", f"rule pack {rules}: {where}: {problem}"),
        ("zh", f"规则包 {rules}：{where}：{problem}"),
    ):
        assert_clean_failure(cli("--lang", lang, "--rules", rules, "facts", ok=False), says=says)


def test_a_pack_that_cannot_be_read_says_why(cli, tmp_path):
    r = cli("--rules", str(tmp_path / "nowhere.toml"), "facts", ok=False)
    assert_clean_failure(r, says="nowhere.toml: file: No such file or directory")
    saved_from_word = tmp_path / "pack.toml"  # a pack saved in a legacy encoding, or no text
    saved_from_word.write_bytes("[banks]\nzh = '招商银行'\n".encode("gb18030"))
    for lang, says in (
        ("en", "pack.toml: file: not UTF-8 text"),
        ("zh", "pack.toml：file：不是 UTF-8 文本"),
    ):
        r = cli("--lang", lang, "--rules", str(saved_from_word), "facts", ok=False)
        assert_clean_failure(r, says=says)


def test_a_pack_without_letters_is_refused_on_load_not_at_letter_make(cli, tmp_path):
    from debtcli.rules import PACKS_DIR

    text = (PACKS_DIR / "cn.toml").read_text(encoding="utf-8")
    cut = text.index("# --- Letters: the kinds")
    end = text.find("\n# --- ", text.index("[[letters.basis]]"))
    path = tmp_path / "custom.toml"
    path.write_text(text[:cut] + (text[end:] if end != -1 else ""), encoding="utf-8")
    assert "[letters" not in path.read_text(encoding="utf-8")
    assert_clean_failure(cli("--rules", str(path), "facts", ok=False), says="letters")


def test_an_installment_letter_proposes_the_plans_months_for_cards_sharing_a_last_four(
    cli, tmp_path
):
    """The letter's installments come from the same plan `debtcli plan` shows: two cards with
    the same last four (keyed by last four, one hid the other and the letter asked for 34
    months of ¥294.12 where the plan has 20 of ¥500), and only debts in the card's currency."""
    cli("card", "add", "--bank", "中信银行", "--last4", "4821")
    cli("card", "add", "--bank", "招商银行", "--last4", "4821", "--force")
    cli("card", "add", "--bank", "工商银行", "--last4", "5511", "--currency", "USD")
    cli("overdue", "#1", "--since", "2026-08-05", "--amount", "10000")
    cli("overdue", "#2", "--since", "2026-08-05", "--amount", "50000")
    cli("overdue", "5511", "--since", "2026-08-05", "--amount", "90000")
    budget = ["--income", "9000", "--expenses", "6000"]
    plan = cli.json("plan", "#1", "#2", *budget)
    assert [(c["card"], c["months"], c["first_payment"]) for c in plan["cards"]] == [
        ("4821 #1", 20, "500.00"),
        ("4821 #2", 20, "2500.00"),
    ]
    out = tmp_path / "letter.md"
    cli("letter", "make", "installment", "#1", *PROFILE, *budget, "-o", out)
    text = out.read_text(encoding="utf-8")
    assert "in 20 monthly installments of RMB 500.00" in text
    assert "USD" not in text and "90,000" not in text


def test_a_budget_that_pays_nothing_within_the_cap_is_refused_and_nothing_is_written(
    letters_store, tmp_path
):
    out = tmp_path / "letter.md"
    r = letters_store(
        "letter", "make", "installment", "4821", *PROFILE,
        "--income", "9000", "--expenses", "8990", "-o", out, ok=False,
    )  # fmt: skip
    assert_clean_failure(r, says="no plan within 60 months is affordable")
    assert not out.exists()
    zh = letters_store(
        "--lang", "zh", "letter", "make", "分期", "4821", *PROFILE,
        "--income", "9000", "--expenses", "8990", ok=False,
    )  # fmt: skip
    assert_clean_failure(zh, says="60 个月内没有可负担的方案")


def _pack_data():
    import tomllib

    return tomllib.loads((PACKS_DIR / "cn.toml").read_text(encoding="utf-8"))


def _set(path, value):
    """An edit of the pack's data: the value at path (keys and indexes) replaced, or removed
    where value is _GONE."""

    def edit(data):
        *parents, last = path
        node = data
        for k in parents:
            node = node[k]
        if value is _GONE:
            del node[last]
        else:
            node[last] = value

    return edit


_GONE = object()
_ALL_STAGES = "grace, reminder, phone, letter, agency, visit, litigation"


@pytest.mark.parametrize(
    ("edit", "where", "problem"),
    [
        (_set(["pack"], _GONE), "pack", "expected a table"),
        (_set(["stages"], _GONE), "stages", "missing (an array of [[stages]] tables)"),
        (_set(["stages", 1, "key"], "sms"), "stages", f"keys must be, in order: {_ALL_STAGES}"),
        (_set(["stages", 2, "start_day"], 200), "stages.start_day", "must rise strictly from 1 or more"),
        (_set(["stages", 2, "start_day"], 4), "stages.start_day", "must rise strictly from 1 or more"),
        (_set(["parties"], _GONE), "parties", "expected a table"),
        (_set(["help_lines"], []), "help_lines", "missing (an array of [[help_lines]] tables)"),
        (_set(["help_lines", 0], "call 12378"), "help_lines[0]", "expected a table"),
        (_set(["names_en", "channel", "sms"], 5), "names_en.channel", "each value needs an English name"),
        (_set(["names_en", "party"], "law firm"), "names_en.party", "each value needs an English name"),
        (_set(["topics", 0], "x"), "topics[0]", "expected a table"),
        (_set(["evidence", 0, "stage"], "home"), "evidence[0].stage", "must be a stage key"),
        (_set(["hotlines"], _GONE), "hotlines", "expected a table"),
        (_set(["banks", 0], "x"), "banks[0]", "expected a table"),
        (_set(["conduct", 0, "kind"], "rude"), "conduct[0].kind",
         "must be one of quiet-hours, third-party, flag, claim, per-day, visit-agents, visit-credentials, pay-to, private-channel, after-agreement, after-settlement"),
        (_set(["conduct", 0, "label_en"], _GONE), "conduct[0].label_en",
         "missing: a label is in both languages"),
        (_set(["claims", 0], "x"), "claims[0]", "expected a table"),
        (_set(["claims", 2, "more", 0], "x"), "claims[2].more[0]", "expected a table"),
        (_set(["phone"], "x"), "phone", "expected a table"),
        (_set(["phone", "sms", "collection"], _GONE), "phone.sms.collection", "missing"),
        (_set(["phone", "sms", "claims", "moon"], ["月亮"]), "phone.sms.claims.moon",
         "must be a key of [[claims]]"),
        (_set(["phone", "call_names", 0, "pattern"], "("), "phone.call_names[0].pattern",
         "missing ), unterminated subpattern at position 0"),
        (_set(["visit"], "x"), "visit", "expected a table"),
        (_set(["letters", "warnings", "limitation_zh"], _GONE), "letters.warnings.limitation_zh",
         "missing"),
    ],
)  # fmt: skip
def test_each_part_of_a_pack_is_checked_on_load(tmp_path, edit, where, problem):
    from debtcli.errors import RulePackError
    from debtcli.rules import validate

    data = _pack_data()
    edit(data)
    path = tmp_path / "custom.toml"
    with pytest.raises(RulePackError) as caught:
        validate(path, data)
    assert caught.value.en == f"rule pack {path}: {where}: {problem}"
    assert caught.value.zh == f"规则包 {path}：{where}：{problem}"


def test_a_bank_profile_may_leave_the_stage_days_as_they_are(tmp_path):
    from debtcli.rules import validate

    data = _pack_data()
    del data["bank_profiles"]["bocom"]["start_days"]
    assert validate(tmp_path / "custom.toml", data).key == data["pack"]["key"]


def _facts_of(cli, pack):
    from debtcli import rules

    rules._CACHE.clear()  # each command a process of its own, as a user runs them
    return " ".join(cli("--lang", "en", "--rules", str(pack), "facts", "逮捕").stdout.split())


def test_a_rule_pack_edited_between_commands_is_read_again(cli, tmp_path):
    """The parsed pack is cached beside the store: an edit (another size, another time) is
    seen by the next command, and two packs of one name in two folders, of the same size and
    time, are each read as they are."""
    import os

    cli("card", "add", "--bank", "中信银行", "--last4", "4821")  # the store, and its cache folder
    first = pack_with(tmp_path, ("not legal advice", "NOT legal advice"))
    assert "it is NOT legal advice" in _facts_of(cli, first)
    first.write_text(
        first.read_text(encoding="utf-8").replace("NOT legal", "never legal advice, nor")
    )
    assert "it is never legal advice, nor advice" in _facts_of(cli, first)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = pack_with(tmp_path / "a", ("not legal advice", "NOT legal advice"))
    b = pack_with(tmp_path / "b", ("not legal advice", "not LEGAL advice"))
    stamp = os.stat(a).st_mtime_ns
    os.utime(b, ns=(stamp, stamp))
    assert "it is NOT legal advice" in _facts_of(cli, a)
    assert "it is not LEGAL advice" in _facts_of(cli, b)


def test_a_rule_pack_that_cannot_be_read_or_parsed_says_why(cli, tmp_path):
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    for lang, says in (
        ("en", f"rule pack {folder}: file: Is a directory"),
        ("zh", f"规则包 {folder}：file：这是一个文件夹"),
    ):
        r = cli("--lang", lang, "--rules", str(folder), "facts", ok=False)
        assert_clean_failure(r, says=says)
    broken = tmp_path / "broken.toml"
    broken.write_text("[pack\nkey = 1\n", encoding="utf-8")
    r = cli("--rules", str(broken), "facts", ok=False)
    assert_clean_failure(
        r,
        says=f"rule pack {broken}: syntax: Expected ']' at the end of a table declaration (at line 1, column 6)",
    )


def test_a_rule_without_a_label_is_named_in_a_complaint_by_its_own_text(letters_store, tmp_path):
    rules = pack_with(
        tmp_path,
        ('label_zh = "在{start}至次日{end}之间催收"\n', ""),
        ('label_en = "collection between {start} and {end}"\n', ""),
    )
    for lang, says in (
        ("en", "What is wrong: collection between 22:00 and 08:00 without your consent; "),
        ("zh", "在 22:00 至次日 08:00 之间催收（未经你同意）；"),
    ):
        out = make(letters_store, "complaint", lang, before=("--rules", rules)).stdout
        assert says in out, out


def test_the_figures_a_letter_states_come_from_the_pack(letters_store, tmp_path):
    """Days to answer and years recordings are kept are the pack's, not the templates'."""
    rules = ("--rules", pack_with(tmp_path, ("complaint_answer_days = 15", "complaint_answer_days = 10"),
             ("recordings_kept_years = 2", "recordings_kept_years = 3"),
             ("dispute_answer_days = 20", "dispute_answer_days = 25")))  # fmt: skip
    for lang, says in (
        ("en", ["at least 3 years", "within 10 days of receiving this complaint"]),
        ("zh", ["至少保存 3 年", "在收到本投诉之日起 10 日内"]),
    ):
        complaint = make(letters_store, "complaint", lang, before=rules).stdout
        assert all(s in complaint for s in says), complaint
    dispute = make(letters_store, "credit-dispute", "zh", before=rules).stdout
    assert "在收到本异议之日起 25 日内" in dispute


def test_a_new_arrangement_for_a_card_already_under_a_kept_agreement_says_so(letters_store):
    letters_store("agree", "4821", "--months", "60", "--monthly", "1040", "--first-due",
                  "2026-12-20", "--date", "2026-11-20")  # fmt: skip
    for lang, says in (
        ("en", "Note: ****4821 already has an installment agreement (60 × ¥1,040.00, made "
         "2026-11-20) that you are keeping: this letter asks for a new arrangement; to change "
         "the one you have, talk to the bank first."),
        ("zh", "注意：****4821 已有分期协议（60 期 × ¥1,040.00，2026年11月20日达成）且正在履行："
         "这封信是另行申请；如只想调整现有协议，请先与银行沟通。"),
    ):  # fmt: skip
        for kind in ("installment", "deferral"):
            assert says in make(letters_store, kind, lang).stderr.splitlines()
        assert says not in make(letters_store, "fee-waiver", lang).stderr  # asks for no plan


def test_a_rule_pack_not_known_lists_the_built_in_ones(cli):
    for lang, exact in (
        ("en", "no rule pack named 'us' (built in: cn; or give a .toml path)"),
        ("zh", "没有名为 'us' 的规则包（内置：cn；或给出 .toml 文件路径）"),
    ):
        assert_clean_failure(cli("--lang", lang, "--rules", "us", "facts", ok=False), exact=exact)
