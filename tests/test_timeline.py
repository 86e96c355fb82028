"""The timeline, the printable report and the calendar."""

import os
import shutil
import subprocess

import pytest
from conftest import assert_clean_failure, log_add

from debtcli.timeline import KINDS


@pytest.fixture
def story(li_wei):
    cli = li_wei
    # several events on one day, two at the same instant
    log_add(cli, "4821", "2026-11-10 10:00", "--party", "agency", "--note", "first")
    log_add(
        cli,
        "4821",
        "2026-11-10 10:00",
        "--party",
        "agency",
        "--note",
        "same instant",
        channel="sms",
    )
    log_add(
        cli,
        "4821",
        "2026-11-10 22:40",
        "--party",
        "agency",
        "--contacted",
        "family",
        "--note",
        "late",
    )
    cli("pay", "4821", "2000", "--date", "2026-11-10")
    cli("agree", "7730", "--months", "6", "--monthly", "3050", "--first-due", "2026-12-01")
    return cli


def test_events_are_ordered_and_merged(story):
    events = story.json("timeline", "4821")
    keys = [(e["at"][:10], e["at"][11:19]) for e in events]
    assert keys == sorted(keys)
    day = [e for e in events if e["at"].startswith("2026-11-10")]
    assert [e["kind"] for e in day] == ["payment", "contact", "contact", "contact"]
    assert [e["title"].split(" — ")[-1] for e in day[1:]] == ["first", "same instant", "late"]
    assert day[3]["flags"] == ["quiet-hours", "third-party"]
    assert events[0]["kind"] == "overdue" and events[0]["at"] == "2026-08-05"
    today = "2026-11-23"
    assert all(
        e["predicted"] == (e["at"][:10] > today) for e in events if e["kind"] in ("stage", "legal")
    )
    assert {"stage", "legal"} <= {e["kind"] for e in events if e["predicted"]}


def test_json_schema_is_stable(story):
    events = story.json("timeline")
    for e in events:
        assert {"at", "kind", "card", "title", "predicted"} <= set(e)
        assert e["kind"] in KINDS and len(e["card"]) == 4 and isinstance(e["predicted"], bool)
    assert {e["card"] for e in events} == {"4821", "7730", "5511"}
    installments = [e for e in events if e["kind"] == "installment"]
    assert len(installments) == 6 and installments[0]["status"] == "upcoming"


def test_filters(story):
    only = story.json("timeline", "--kind", "payment", "--kind", "agreement")
    assert {e["kind"] for e in only} == {"payment", "agreement"}
    window = story.json("timeline", "--since", "2026-11-01", "--until", "2026-11-30")
    assert all("2026-11-01" <= e["at"][:10] <= "2026-11-30" for e in window)
    assert_clean_failure(story("timeline", "--kind", "gossip", ok=False), says="--kind")


@pytest.mark.parametrize("width", ["60", "120"])
@pytest.mark.parametrize("colour", [True, False])
def test_rendering_fits_the_width(story, monkeypatch, width, colour):
    monkeypatch.setenv("COLUMNS", width)
    if colour:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("FORCE_COLOR", "1")
    out = story("timeline", "--all").stdout
    import re

    from rich.cells import cell_len

    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert ("\x1b[" in out) == colour
    assert all(cell_len(line) <= int(width) for line in plain.splitlines())
    assert "━━ today 2026-11-23 ━━" in plain and "⚑" in plain and "◇" in plain
    assert "2026-11" in plain  # month heading


def test_latest_page_and_chinese(story):
    out = story("timeline", "--limit", "3").stdout
    assert "earlier events" in out
    zh = story("--lang", "zh", "timeline", "4821").stdout
    assert "━━ 今天 2026年11月23日 ━━" in zh and "联系了你的家人" in zh


def test_calendar_parses_back(story, tmp_path):
    from icalendar import Calendar

    path = tmp_path / "d.ics"
    story("calendar", "-o", str(path))
    cal = Calendar.from_ical(path.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any("installment 1/6" in s for s in summaries)
    assert any("predicted" in s for s in summaries)
    assert all(e.walk("VALARM") for e in events)
    assert all(e["DTSTART"].dt.isoformat() > "2026-11-23" for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_report_is_self_contained(story, tmp_path):
    path = tmp_path / "r.html"
    story("report", "-o", str(path))
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<svg" in html and "****4821" in html
    assert "verified intact" in html and "between 22:00 and 08:00" in html
    assert oct(path.stat().st_mode)[-3:] == "600"


def test_a_report_of_the_cards_in_use_passes_over_an_archived_cards_violations(li_wei, tmp_path):
    """A card put away keeps its log; the report of the others is still made, without it."""
    log_add(li_wei, "5511", "2026-11-10 23:10", "--party", "agency", "--note", "late call on the card put away")  # fmt: skip
    li_wei("card", "archive", "5511")
    path = tmp_path / "r.html"
    li_wei("report", "-o", str(path))
    html = path.read_text(encoding="utf-8")
    assert "****4821" in html and "****5511" not in html
    assert "late call on the card put away" not in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("DEBTCLI_REQUIRE_BROWSER"),
    reason="no Chromium on this machine (.ci/run installs it)",
)
def test_report_renders_in_a_headless_browser(story, tmp_path):
    assert CHROMIUM, "DEBTCLI_REQUIRE_BROWSER is set but Chromium is missing"
    path = tmp_path / "r.html"
    story("--lang", "zh", "report", "-o", str(path))
    r = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    assert "****4821" in dom and "<svg" in dom and "时间线" in dom
    shot = tmp_path / "r.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'p2'}",
            f"--screenshot={shot}",
            "--window-size=1000,1400",
            path.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text(alphabet="ab 中文，。-\n" + "x" * 3, max_size=200), st.integers(4, 80))
def test_wrap_cells_never_exceeds_the_width_and_keeps_the_text(text, width):
    from rich.cells import cell_len

    from debtcli.cli.tables import wrap_cells

    lines = wrap_cells(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


@given(
    st.lists(st.text(alphabet="abcxyz-,.", min_size=1, max_size=8), max_size=30), st.integers(8, 80)
)
def test_wrapping_breaks_lines_only_between_words_when_words_fit(words, width):
    from debtcli.cli.tables import wrap_cells

    text = " ".join(words)
    assert " ".join(wrap_cells(text, width)).split() == text.split()


def test_a_word_cut_to_fit_keeps_the_space_after_it():
    from debtcli.cli.tables import wrap_cells

    assert wrap_cells("2026-09-23 05:01", 9) == ["2026-09-2", "3 05:01"]


BOX = set("┏┳┓┃┡━╇┩│└┴┘─")
CELL = st.lists(
    st.sampled_from(
        [
            "2026-09-23",
            "05:01",
            "agency",
            "某某资产管理有限公司",
            "¥999,750.00",
            "quiet-hours,",
            "calls-per-day",
            "x",
        ]
    ),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.lists(CELL, min_size=n, max_size=n),
            st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=6),
            st.integers(9 * n + 1, 160),
        )
    ),  # at least six cells a column: drawn by show_table
    st.sets(st.integers(0, 7)),
)
def test_tables_fit_the_terminal_and_keep_every_word(table, wrap):
    import io

    from rich.cells import cell_len

    from debtcli.cli.tables import show_table
    from debtcli.cli.term import Out

    headers, rows, width = table
    buf, out = io.StringIO(), Out()
    out.file, out.width = buf, width
    show_table(out, headers, rows, wrap=frozenset(wrap))
    lines = buf.getvalue().splitlines()
    assert all(cell_len(line) <= width for line in lines)
    # Wrapped or cut, every character of every cell is drawn once.
    drawn = [ch for line in lines for ch in line if not ch.isspace() and ch not in BOX]
    given_chars = [ch for row in [headers, *rows] for c in row for ch in c if not ch.isspace()]
    assert sorted(drawn) == sorted(given_chars)


def test_log_list_for_one_card_fits_80_columns(li_wei, monkeypatch):
    log_add(
        li_wei,
        "4821",
        "2026-11-20 23:10",
        "--party",
        "agency",
        "--org",
        "某某资产管理有限公司",
        "--contacted",
        "family",
        "--note",
        "called my sister at night and said I would be arrested",
    )
    monkeypatch.setenv("COLUMNS", "80")
    out = li_wei("log", "list", "4821").stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "****4821" not in out  # one card asked for: no card column
    assert "2026-11-20" in out and "23:10" in out
    wide = li_wei("log", "list").stdout
    assert "****4821" in wide


@given(
    st.text(
        alphabet=st.sampled_from([*"ab \t\u00a0中文，（x！、😀¥", "\u2e80", "\u9fff"])
        | st.characters()
    )
)
def test_wrap_tokens_match_the_reference_pattern(text):
    """The tokenizer is a faster form of this pattern (CJK character | word and its blanks |
    blanks); they must agree on any text."""
    import re

    from debtcli.cli.tables import _tokens

    cjk = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
    assert _tokens(text) == re.findall(f"[{cjk}]|[^ \\t{cjk}]+[ \\t]*|[ \\t]+", text)


PIECE = st.tuples(
    st.sampled_from(["", "（", "《", "("]),
    st.sampled_from(["中", "文", "ab", "x"]),
    st.sampled_from(["", "，", "。", "）", "》", ")", ",", " "]),
)


@given(
    st.lists(
        st.lists(PIECE, max_size=2).map(lambda ps: "".join("".join(p) for p in ps)), max_size=20
    ).map(" ".join),  # runs of marks no longer than a line
    st.integers(14, 30),
)
def test_lines_never_start_with_a_closing_mark_or_end_with_an_opening_one(text, width):
    from itertools import pairwise

    from debtcli.cli.tables import wrap_cells

    for before, after in pairwise(wrap_cells(text, width)):
        assert not (after and after[0] in "，。）》,)") and not (before and before[-1] in "（《(")


def test_a_bracketed_source_stays_with_its_bracket():
    from debtcli.cli.tables import wrap_cells

    lines = wrap_cells("外访为通常做法（监管规定/行业规范）", 16)
    assert lines == ["外访为通常做法", "（监管规定/行业", "规范）"]


def test_a_narrow_table_breaks_at_spaces_before_it_splits_chinese_words(cli, monkeypatch):
    cli("card", "add", "--bank", "招商银行", "--last4", "7730")
    cli("overdue", "7730", "--since", "2026-09-12", "--amount", "18300")
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--lang", "zh", "status").stdout
    assert "信函/律师函" in out  # the stage stays whole; the next column breaks at its space
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"FORCE_COLOR": "1"}, "\x1b[1;31mx\x1b[0m"),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, "\x1b[1mx\x1b[0m"),  # styles stay, colours go
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, "x"),
        ({}, "x"),  # not a terminal
    ],
)
def test_styles_follow_the_terminal_and_the_colour_conventions(monkeypatch, env, expected):
    from debtcli.cli.term import Out

    for key in ("FORCE_COLOR", "NO_COLOR", "TERM"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert Out().styled("x", "bold red") == expected


def test_a_table_loses_its_padding_before_an_amount_is_cut():
    """The demo's status is one cell too wide for 80 columns: the cells lose their padding
    rather than print ¥60,400.0 on one line and 0 on the next."""
    import io

    from debtcli.cli.tables import show_table
    from debtcli.cli.term import Out

    out = Out()
    out.file, out.width = io.StringIO(), 80
    show_table(
        out,
        ["card", "days", "owed", "paid", "stage", "next", "risk"],
        [
            [
                "中信银行\n****4821",
                130,
                "¥60,400.00",
                "¥2,000.00",
                "Visits",
                "Lawsuit 2027-01-13",
                "principal ≥ ¥50,000",
            ],
            ["工商银行\n****5511", 5, "¥9,050.00", "¥0.00", "Reminders", "Calls 2026-12-19", ""],
        ],
        right=frozenset({1, 2, 3}),
    )
    text = out.file.getvalue()
    assert "¥60,400.00" in text and "¥2,000.00" in text and "Reminders" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_english_names_what_was_reached_in_words_a_reader_knows(li_wei):
    """A stored key is a code (contacts-list, lawyer-letter, law-firm); English prose shows
    words, and the words shown can be typed back."""
    log_add(li_wei, "4821", "2026-11-12 10:00", "--party", "law firm",
            "--contacted", "contacts", channel="lawyer's letter")  # fmt: skip
    log_add(li_wei, "4821", "2026-11-13 10:00", "--party", "agency", "--contacted", "other")
    titles = [e["title"] for e in li_wei.json("timeline", "4821") if e["kind"] != "stage"]
    assert "lawyer's letter from law firm, reached your contacts" in titles
    assert "call from agency, reached someone else" in titles
    assert not [t for t in titles if "contacts-list" in t or "-letter" in t or "law-firm" in t]
    en = li_wei("--lang", "en", "letter", "make", "complaint", "4821", "--name", "Li Wei",
                "--phone", "138").stdout  # fmt: skip
    assert "reaching my contacts" in en and "reaching someone else" in en
    assert "contacts-list" not in en and "lawyer-letter" not in en
    zh = li_wei.json("--lang", "zh", "timeline", "4821")
    assert any("联系了你的通讯录联系人" in e["title"] for e in zh)
