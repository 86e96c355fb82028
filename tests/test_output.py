"""What reaches the terminal (issue 34, issue 41): text from the log never acts on the
terminal, output fits a console that cannot write every character, and --json lists what is
attached."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
from conftest import log_add


def test_log_list_json_lists_each_entrys_attachments(li_wei, tmp_path):
    rec = tmp_path / "call.m4a"
    data = b"\x00\x00\x00\x20ftypM4A the call"
    rec.write_bytes(data)
    log_add(li_wei, "4821", "2026-11-10 22:40", "--attach", rec)
    [entry] = li_wei.json("log", "list")
    assert entry["attachments"] == [
        {
            "sha256": hashlib.sha256(data).hexdigest(),
            "name": "call.m4a",
            "size": len(data),
            "mime": "audio/mp4",
        }
    ]


def _demo(tmp_path):
    env = {**os.environ, "DEBTCLI_DB": str(tmp_path / "demo.db"), "DEBTCLI_NO_BACKGROUND": "1"}
    env.pop("DEBTCLI_TODAY", None)
    subprocess.run([sys.executable, "-m", "debtcli", "demo"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    return env


@pytest.mark.parametrize(
    "args",
    [["status"], ["timeline"], ["stage", "4821"], ["log", "list"], ["visit", "checklist"],
     ["violations"], ["evidence", "verify"], ["plan", "--income", "9000", "--expenses", "6000"],
     ["card", "list"], ["card", "show", "4821"], ["pay", "list", "4821"], ["numbers", "list"],
     ["facts", "arrest"], ["facts"], ["letter", "list"], ["help-lines"], ["path"],
     ["log", "list", "--csv"], ["timeline", "--json"], ["letter", "make", "stop-third-party",
     "4821", "--name", "李伟", "--phone", "13800138000"], ["--help"], ["log", "add", "--help"]],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_text_command_runs_on_a_gbk_console(tmp_path, args, lang):
    """A Chinese Windows console in code page 936 (or output redirected there): symbols with no
    GBK form fall back to plain ones; the command never stops with an encoding error."""
    env = {**_demo(tmp_path), "PYTHONIOENCODING": "gbk", "DEBTCLI_LANG": lang}
    r = subprocess.run([sys.executable, "-m", "debtcli", *args], env=env, capture_output=True)
    assert r.returncode == 0, r.stderr.decode("gbk", "replace")
    data = "--csv" in args or "--json" in args  # data to read back is UTF-8 in a pipe
    out = r.stdout.decode("utf-8" if data else "gbk")  # strict: every byte
    assert out.strip()
    if args == ["status"] and lang == "zh":
        assert "￥" in out or "¥" not in out


def test_control_and_bidi_characters_never_reach_a_terminal_raw(li_wei, tmp_path, db_path):
    """An attachment whose file name carries an escape sequence, a note with a right-to-left
    override: on a terminal (a pty), --json and verify's failure show U+FFFD instead."""
    pexpect = pytest.importorskip("pexpect")
    rec = tmp_path / "x\x1b]0;pwned\x07.m4a"
    rec.write_bytes(b"recording")
    log_add(li_wei, "4821", "2026-11-10 22:40", "--attach", rec, "--note", "abc\u202edef")
    (db_path.with_name("store-evidence") / hashlib.sha256(b"recording").hexdigest()).write_bytes(
        b"changed"
    )
    env = {**os.environ, "DEBTCLI_DB": str(db_path), "DEBTCLI_NO_BACKGROUND": "1"}
    for args in (["log", "list", "--json"], ["evidence", "verify"]):
        child = pexpect.spawn(sys.executable, ["-m", "debtcli", *args], env=env, timeout=30)
        raw = child.read()
        child.close()
        assert b"\x1b]0;" not in raw and "\u202e".encode() not in raw, raw
        assert "\ufffd".encode() in raw
    # piped, the JSON stays exact (it is data, not a screen)
    r = subprocess.run([sys.executable, "-m", "debtcli", "log", "list", "--json"], env=env,
                       capture_output=True)  # fmt: skip
    assert json.loads(r.stdout)[0]["note"] == "abc\u202edef"


def test_a_letter_isolates_what_was_typed_and_a_docx_holds_any_note(li_wei, tmp_path):
    """A right-to-left override typed into a note cannot reorder the letter's words, and a
    character XML cannot hold (U+FFFF) or a control character does not stop a .docx."""
    log_add(li_wei, "4821", "2026-11-20 23:30", "--party", "agency", "--claim", "arrest",
            "--note", "a\uffffb \u202eevil")  # fmt: skip
    for fmt in ("docx", "html", "md"):
        out = tmp_path / f"x.{fmt}"
        li_wei("letter", "make", "complaint", "4821", "--name", "Zhang\u202e", "--phone",
               "13800138000", "-o", out, "--force")  # fmt: skip
        data = out.read_bytes()
        assert "\u202e".encode() not in data and "\uffff".encode() not in data
    li_wei("letter", "make", "credit-dispute", "4821", "--name", "Zhang", "--phone", "138",
           "--reason", "a\x01b", "-o", tmp_path / "d.docx", "--force")  # fmt: skip


TEXT_OPTIONS = [
    ["log", "add", "4821", "--channel", "call", "--note", "{bad}"],
    ["log", "add", "4821", "--channel", "call", "--org", "{bad}"],
    ["log", "add", "4821", "--channel", "call", "--agent", "{bad}"],
    ["log", "add", "4821", "--channel", "call", "--agent-id", "{bad}"],
    ["log", "add", "4821", "--channel", "call", "--phone", "{bad}"],
    ["log", "add", "4821", "--channel", "call", "--pay-to", "{bad}"],
    ["log", "add", "4821", "--channel", "call", "--promise", "{bad}"],
    ["log", "amend", "1", "--note", "{bad}"],
    ["card", "add", "--last4", "1234", "--bank", "{bad}"],
    ["card", "add", "--bank", "中信银行", "--last4", "1234", "--name", "{bad}"],
    ["card", "edit", "4821", "--name", "{bad}"],
    ["pay", "4821", "100", "--note", "{bad}"],
    ["agree", "5511", "--months", "12", "--monthly", "500", "--first-due", "2027-01-05",
     "--note", "{bad}"],
    ["numbers", "add", "95558", "--card", "4821", "--org", "{bad}"],
    ["letter", "make", "complaint", "4821", "--name", "{bad}", "--phone", "138", "-o", "{out}"],
    ["letter", "make", "complaint", "4821", "--name", "Li", "--phone", "138", "--address",
     "{bad}", "-o", "{out}"],
    ["letter", "make", "credit-dispute", "4821", "--name", "Li", "--phone", "138", "--reason",
     "{bad}", "-o", "{out}"],
]  # fmt: skip


@pytest.mark.parametrize("args", TEXT_OPTIONS, ids=lambda a: " ".join(a[:2] + a[-2:-1]))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_value_that_is_not_utf8_is_refused_in_a_line_and_writes_nothing(
    li_wei, tmp_path, db_path, args, lang
):
    """A GBK byte typed in a legacy terminal reaches Python as a surrogate (\\udcff)."""
    from conftest import assert_clean_failure, store_digest

    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--contacted", "family")
    out = tmp_path / "letter.md"
    before = store_digest(db_path)
    r = li_wei("--lang", lang, *[a.format(bad="x\udcffy", out=out) for a in args], ok=False)
    assert_clean_failure(r, says="UTF-8")
    assert store_digest(db_path) == before and not out.exists()


@pytest.mark.parametrize("command", [["log", "list"], ["violations"], ["timeline"]])
def test_a_limit_beyond_any_count_is_refused_as_a_range(li_wei, command):
    from conftest import assert_clean_failure

    r = li_wei(*command, "--limit", str(2**63), ok=False)
    assert_clean_failure(r, says="1<=x<=1000000000")


def test_attaching_a_fifo_says_it_is_not_a_file(li_wei, tmp_path):
    from conftest import assert_clean_failure

    os.mkfifo(tmp_path / "pipe")
    r = log_add(li_wei, "4821", "2026-11-10 22:40", "--attach", tmp_path / "pipe", ok=False)
    assert_clean_failure(r, says="is not a regular file")


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_data_written_to_a_file_is_utf8_whatever_the_console(tmp_path, encoding):
    """--csv, --json and export --json are data to read back: to a file they are UTF-8 (the
    CSV with a BOM), even under a console encoding that cannot write them."""
    env = {**_demo(tmp_path), "PYTHONIOENCODING": encoding}
    run = [sys.executable, "-m", "debtcli"]
    with open(tmp_path / "log.csv", "wb") as f:
        subprocess.run([*run, "log", "list", "--csv"], env=env, stdout=f, check=True)
    data = (tmp_path / "log.csv").read_bytes()
    assert data.startswith("\ufeffcard,".encode()) and "还款".encode() in data
    with open(tmp_path / "x.json", "wb") as f:
        subprocess.run([*run, "export", "--json"], env=env, stdout=f, check=True)
    fresh = {**env, "DEBTCLI_DB": str(tmp_path / "again.db")}
    subprocess.run([*run, "import", "--json", tmp_path / "x.json"], env=fresh, check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run([*run, "log", "import", tmp_path / "log.csv"], env=fresh, check=True,
                   capture_output=True)  # fmt: skip


def test_a_reader_that_stops_early_ends_the_export_quietly(tmp_path):
    env = _demo(tmp_path)
    r = subprocess.run(f"{sys.executable} -m debtcli export --json | head -c 10", shell=True,
                       env=env, capture_output=True, text=True)  # fmt: skip
    assert r.stdout.startswith('{"format"') and r.stderr == ""


def test_output_to_a_full_disk_names_the_output_not_the_store(tmp_path):
    env = {**_demo(tmp_path), "DEBTCLI_LANG": "en"}
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "debtcli", "log", "list", "--csv"], env=env,
                           stdout=full, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert r.returncode == 2 and "the output could not be written" in r.stderr


def test_a_file_that_is_not_what_its_size_says_is_not_attached(li_wei, db_path):
    from conftest import assert_clean_failure, store_digest

    before = store_digest(db_path)
    r = log_add(li_wei, "4821", "2026-11-10 22:40", "--attach", "/proc/self/environ", ok=False)
    assert_clean_failure(r, says="not a file of a fixed size")
    assert store_digest(db_path) == before


def test_what_was_kept_is_shown_and_a_missed_call_is_missed_everywhere(
    li_wei, tmp_path, monkeypatch
):
    """Issue 38: the recording saved with an entry appeared nowhere (not in log add's
    confirmation, log list, the bundle's summary or the report), and a missed call was shown
    as answered in the summary and the report."""
    import zipfile

    monkeypatch.setenv("COLUMNS", "200")
    rec = tmp_path / "中信催收.m4a"
    rec.write_bytes(b"a recording" * 100)
    r = log_add(li_wei, "4821", "2026-11-20 22:40", "--party", "agency", "--attach", rec)
    assert "attached: 中信催收.m4a (1.1 KB, SHA-256 " in r.stdout
    r = log_add(li_wei, "4821", "2026-11-21 10:00", "--party", "bank", "--missed")
    assert "(call, missed," in r.stdout
    listed = li_wei("log", "list").stdout
    assert "+1 file" in listed and "(missed)" in listed
    assert "（附件 1 个）" in li_wei("--lang", "zh", "log", "list").stdout
    bundle = tmp_path / "b.zip"
    li_wei("--lang", "zh", "evidence", "export", "-o", bundle)
    with zipfile.ZipFile(bundle) as z:
        summary = z.read("summary.html").decode()
    assert "中信催收.m4a" in summary and "（未接）" in summary
    li_wei("--lang", "zh", "evidence", "export", "--redact", "-o", tmp_path / "r.zip")
    with zipfile.ZipFile(tmp_path / "r.zip") as z:
        assert "中信催收.m4a" not in z.read("summary.html").decode()
    li_wei("--lang", "zh", "report", "-o", tmp_path / "r.html")
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "中信催收.m4a" in report and "电话（未接）" in report
