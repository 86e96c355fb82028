"""The timeline, the printable report and the calendar."""

import os
import shutil
import subprocess

import pytest
from conftest import assert_clean_failure

from debtcli.timeline import KINDS


@pytest.fixture
def story(li_wei):
    cli = li_wei
    # several events on one day, two at the same instant
    cli("log", "add", "4821", "--channel", "call", "--party", "agency", "--at",
        "2026-11-10 10:00", "--note", "first")
    cli("log", "add", "4821", "--channel", "sms", "--party", "agency", "--at",
        "2026-11-10 10:00", "--note", "same instant")
    cli("log", "add", "4821", "--channel", "call", "--party", "agency", "--at",
        "2026-11-10 22:40", "--contacted", "family", "--note", "late")
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
    assert all(e["predicted"] == (e["at"][:10] > today) for e in events
               if e["kind"] in ("stage", "legal"))
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
    assert "今天" in zh and "联系了你的家人" in zh


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


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("DEBTCLI_REQUIRE_BROWSER"),
                    reason="no Chromium on this machine (.ci/run installs it)")
def test_report_renders_in_a_headless_browser(story, tmp_path):
    assert CHROMIUM, "DEBTCLI_REQUIRE_BROWSER is set but Chromium is missing"
    path = tmp_path / "r.html"
    story("--lang", "zh", "report", "-o", str(path))
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         path.as_uri()], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    assert "****4821" in dom and "<svg" in dom and "时间线" in dom
    shot = tmp_path / "r.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", f"--user-data-dir={tmp_path / 'p2'}",
                    f"--screenshot={shot}", "--window-size=1000,1400", path.as_uri()],
                   capture_output=True, timeout=120)
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
