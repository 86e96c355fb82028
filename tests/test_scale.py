"""Whole-log commands stream (issue 20): violations filtered and bounded, JSON and CSV as they
go; the report summarises a long log; export, import and backup in bounded memory. Speed and
memory are measured in benchmarks/, not here: these tests pin the behaviour."""

import csv
import io
import json
import os
import signal
import sys

import pytest
from conftest import log_add


@pytest.fixture
def noisy(li_wei):
    """Late calls to 4821 on three days, and a call to a relative of 7730."""
    for day in ("2026-11-01", "2026-11-05", "2026-11-10"):
        log_add(li_wei, "4821", f"{day} 23:10", "--party", "agency")
    log_add(li_wei, "7730", "2026-11-06 10:00", "--party", "bank", "--contacted", "family")
    return li_wei


def test_violations_can_be_narrowed(noisy):
    every = noisy.json("violations")
    assert [v["rule"] for v in every] == ["quiet-hours"] * 2 + ["third-party", "quiet-hours"]
    assert [v["entry"] for v in noisy.json("violations", "--since", "2026-11-05")] == [2, 4, 3]
    assert [v["entry"] for v in noisy.json("violations", "--until", "2026-11-05")] == [1, 2]
    assert [v["rule"] for v in noisy.json("violations", "--rule", "third-party")] == ["third-party"]
    assert [v["rule"] for v in noisy.json("violations", "--rule", "联系第三人")] == ["third-party"]
    assert len(noisy.json("violations", "7730")) == 1
    r = noisy("violations", "--rule", "nonsense", ok=False)
    assert r.exit_code == 2 and "quiet-hours" in r.stderr


def test_the_violations_table_shows_the_latest_and_counts_the_rest(noisy):
    out = noisy("violations", "--limit", "2").stdout
    assert "Possible violations (4)" in out and "the latest 2 of 4" in out
    assert "2026-11-10" in out and "2026-11-01" not in out
    assert "the latest" not in noisy("violations", "--limit", "2", "--all").stdout


def test_violations_as_csv(noisy):
    rows = list(csv.DictReader(io.StringIO(noisy("violations", "--csv").stdout)))
    assert [r["rule"] for r in rows] == ["quiet-hours", "quiet-hours", "third-party", "quiet-hours"]
    assert rows[0]["citation"] and rows[0]["hash"]


def test_violations_json_is_one_valid_array_even_when_empty(li_wei):
    assert json.loads(li_wei("violations", "--json").stdout) == []


def test_a_long_log_gets_a_summary_report_and_full_gives_everything(noisy, tmp_path, monkeypatch):
    from debtcli import report

    monkeypatch.setattr(report, "REPORT_FULL_UP_TO", 3)
    monkeypatch.setattr(report, "REPORT_LATEST", 1)
    monkeypatch.setattr(report._Packed, "BATCH", 3)  # the rows deflated in more than one go
    noisy("report", "-o", tmp_path / "s.html")
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "This log has 4 entries: this report summarises it" in html
    assert "Contacts per month" in html and "Possible violations per rule" in html
    assert "debtcli evidence verify" in html
    noisy("report", "--full", "-o", tmp_path / "f.html")
    full = (tmp_path / "f.html").read_text(encoding="utf-8")
    assert "summarises" not in full and "verified intact" in full

    def violation_rows(page):
        return [
            line for line in page.splitlines() if '<td class="flag">' in line and "<code>" in line
        ]

    # Every violation; the summary's (found in a worker process) are the full report's, in order.
    assert [r.split("</td>")[0] for r in violation_rows(html)] == [
        "<tr><td>1",
        "<tr><td>2",
        "<tr><td>4",
        "<tr><td>3",
    ]
    # The same rows; the summary names each entry's hash by its first 16 digits.
    short = [r.split("<code>") for r in violation_rows(html)]
    whole = [r.split("<code>") for r in violation_rows(full)]
    assert [s[0] for s in short] == [w[0] for w in whole]
    assert all(
        w[1].startswith(s[1][:16]) and "…" in s[1] for s, w in zip(short, whole, strict=True)
    )
    # A row names its rule; what the rule says and its source are written once, with the count.
    for page in (html, full):
        assert page.count("Credit card Measures, Art. 68") == 1
        assert page.count('"flag">quiet hours<') == 4  # three rows and the table of rules


def test_a_job_forked_aside_gives_its_result_its_error_or_runs_here_when_the_worker_died():
    import os
    import signal

    from debtcli.contactlog import forked
    from debtcli.errors import DebtcliError

    here = os.getpid()
    assert forked(lambda a, b: (a + b, os.getpid() != here), 2, 3)() == (5, True)

    def fails():
        raise DebtcliError("no such card", "没有这张卡")

    with pytest.raises(DebtcliError, match="no such card") as raised:
        forked(fails)()
    assert raised.value.text("zh") == "没有这张卡"  # both languages came back

    def dies_in_the_worker():
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return "done here"

    assert forked(dies_in_the_worker)() == "done here"


def test_a_violation_in_the_small_hours_of_the_since_day_is_listed(li_wei):
    """--since is the user's local day: a call at 01:30 that day is in it (UTC+8: the day before
    in UTC), and one at 00:00 too."""
    log_add(li_wei, "4821", "2026-11-04 23:30", "--party", "agency")
    log_add(li_wei, "4821", "2026-11-05 01:30", "--party", "agency", "--contacted", "family")
    log_add(li_wei, "4821", "2026-11-05 00:00", "--party", "agency")  # the day's first instant
    v = li_wei.json("violations", "--since", "2026-11-05")
    assert [(x["entry"], x["rule"], x["channel"], x["card"], x["contacted"]) for x in v] == [
        (3, "quiet-hours", "call", "4821", "self"),
        (2, "quiet-hours", "call", "4821", "family"),
        (2, "third-party", "call", "4821", "family"),
    ]


def test_an_archived_cards_violations_are_still_listed_by_name(li_wei):
    """Archiving a card keeps its evidence: `violations` still lists what was done, naming the
    card (a report of the cards in use leaves them out)."""
    log_add(li_wei, "5511", "2026-11-05 01:30", "--party", "agency")
    li_wei("card", "archive", "5511")
    v = li_wei.json("violations")
    assert [(x["entry"], x["card"], x["rule"]) for x in v] == [(1, "5511", "quiet-hours")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_is_set_to_end_with_debtcli():
    """What every worker does first: SIGTERM and SIGHUP back to their defaults, and the kernel
    asked to send SIGTERM when debtcli dies (read back with PR_GET_PDEATHSIG); a worker whose
    parent is already gone ends at once, with status 1."""
    import ctypes

    from debtcli.contactlog import _die_with_parent

    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        for s in saved:
            signal.signal(s, signal.SIG_IGN)
        _die_with_parent(os.getppid())
        assert all(signal.getsignal(s) == signal.SIG_DFL for s in saved)
        got = ctypes.c_int()
        assert libc.prctl(2, ctypes.byref(got)) == 0 and got.value == signal.SIGTERM
    finally:
        libc.prctl(1, 0)
        for s, handler in saved.items():
            signal.signal(s, handler)
    child = os.fork()
    if child == 0:  # the worker of a parent that is not this one's
        try:
            _die_with_parent(os.getppid() + 1)
        finally:
            os._exit(7)  # _die_with_parent did not end it
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1
