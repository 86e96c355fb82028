"""Log what the phone already recorded (issue 18): call recordings named as the common Chinese
Android phones name them, and "SMS Backup & Restore" XML, shown first, logged in one
transaction, never twice."""

import json
import os
import signal
import subprocess
import time
from datetime import datetime

import pytest
from audio import MAKERS, amr, wav
from conftest import TODAY, assert_clean_failure, log_add, store_digest

from debtcli.phone import read_call_name
from debtcli.rules import load_pack

NAMES = {
    "通话录音@张经理(138 1234 5678)_20261120224000": (
        "张经理",
        "13812345678",
        "2026-11-20 22:40:00",
        "Xiaomi (MIUI/HyperOS)",
    ),
    "95558_20261121101500": (None, "95558", "2026-11-21 10:15:00", "Xiaomi, Huawei/Honor"),
    "催收部@4008123456_20261121111500": (
        "催收部",
        "4008123456",
        "2026-11-21 11:15:00",
        "Huawei/Honor",
    ),
    "张经理-2611202240": ("张经理", None, "2026-11-20 22:40:00", "OPPO/OnePlus/realme (ColorOS)"),
    "+86 138-1234-5678-2611202241": (
        None,
        "13812345678",
        "2026-11-20 22:41:00",
        "OPPO/OnePlus/realme (ColorOS)",
    ),
    "Call recording 张经理_261120_224000": ("张经理", None, "2026-11-20 22:40:00", "Samsung"),
    "Call recording 01012345678_261120_224000": (
        None,
        "01012345678",
        "2026-11-20 22:40:00",
        "Samsung",
    ),
}


@pytest.mark.parametrize("stem", NAMES)
def test_every_phones_file_names_give_time_and_number(stem):
    name, num, at, phone = NAMES[stem]
    got = read_call_name(stem, load_pack("cn").data["phone"]["call_names"])
    assert (got.name, got.number, got.at, got.phone) == (
        name,
        num,
        datetime.fromisoformat(at),
        phone,
    )


def test_an_unknown_name_falls_back_to_the_file():
    assert read_call_name("录音001", load_pack("cn").data["phone"]["call_names"]).at is None


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "MIUI" / "sound_recorder" / "call_rec"
    (f / "old").mkdir(parents=True)
    MAKERS["mp3"](f / "通话录音@张经理(138 1234 5678)_20261120224000.mp3", 125)
    MAKERS["m4a"](f / "95558_20261121101500.m4a", 65)
    MAKERS["aac"](f / "old" / "Call recording 4008123456_261110_093000.aac", 30)
    MAKERS["ogg"](f / "old" / "4008123456-2611120930.ogg", 30)
    amr(f / "4008123456_20261118200000.amr", 50)
    wav(f / "录音001.wav", 3)
    os.utime(f / "录音001.wav", (datetime(2026, 11, 19, 8, 0).timestamp(),) * 2)
    (f / "notes.txt").write_text("not audio")
    return f


def test_import_calls_shows_then_logs_with_recordings_attached(li_wei, folder, db_path):
    li_wei("numbers", "add", "95558", "--bank", "中信银行")
    log_add(
        li_wei,
        "4821",
        "2026-11-01 10:00",
        "--party",
        "agency",
        "--org",
        "某某资产",
        "--phone",
        "400-812-3456",
    )  # the book learns this one
    before = store_digest(db_path)
    r = li_wei("log", "import-calls", folder, "--dry-run")
    said = " ".join(r.stdout.split())  # what --yes then does: 4 logged, 2 skipped
    assert "4 would be logged, 2 from numbers the book does not know skipped" in said
    assert store_digest(db_path) == before
    r = li_wei("log", "import-calls", folder, ok=False)  # a script must say --yes
    assert r.exit_code == 2 and "--yes" in r.stderr and store_digest(db_path) == before
    r = li_wei("log", "import-calls", folder, "--yes")
    assert "Logged 4 entries" in r.stdout and "2 from numbers the book does not know" in r.stdout
    entries = {e["id"]: e for e in li_wei.json("log", "list", "--all")}
    by_time = {e["at"][:16]: e for e in entries.values()}
    bank = by_time["2026-11-21T10:15"]
    assert (bank["party"], bank["minutes"], bank["card"]) == ("bank", 1, "4821")
    agency = by_time["2026-11-18T20:00"]  # AMR, from the number the log learned
    assert (agency["party"], agency["org"], agency["minutes"]) == ("agency", "某某资产", 1)
    assert by_time["2026-11-10T09:30"]["org"] == "某某资产"  # Samsung, subfolder
    assert by_time["2026-11-12T09:30"]["minutes"] == 1  # ColorOS ogg
    assert "2026-11-20T22:40" not in by_time  # 张经理's own mobile: unknown, skipped
    ids = sorted(entries)
    assert [entries[i]["at"] for i in ids[1:]] == sorted(entries[i]["at"] for i in ids[1:])
    with_file = li_wei.json("evidence", "verify")
    assert with_file["ok"]
    # Again, with --card for the unknown callers: only they are logged, nothing twice.
    r = li_wei("log", "import-calls", folder, "--yes", "--card", "7730")
    assert "Logged 2 entries" in r.stdout and "already logged" in r.stdout
    assert "Nothing new" in li_wei("log", "import-calls", folder, "--yes").stdout
    assert len(li_wei.json("log", "list", "--all")) == 7


def test_a_file_date_is_said_in_the_entry(li_wei, folder):
    li_wei("log", "import-calls", folder, "--yes", "--card", "4821")
    e = next(e for e in li_wei.json("log", "list", "--all") if "录音001" in (e["note"] or ""))
    assert "time from file date" in e["note"] and e["at"].startswith("2026-11-19T08:00")


def test_windows_copied_gbk_names_are_read(li_wei, tmp_path):
    f = tmp_path / "copied"
    f.mkdir()
    name = "通话录音@张经理(13812345678)_20261120224000.wav".encode("gbk")
    with open(os.path.join(os.fsencode(f), name), "wb") as out:
        out.write(b"")
    wav(tmp_path / "w.wav", 3)
    os.replace(tmp_path / "w.wav", os.path.join(os.fsencode(f), name))
    r = li_wei("log", "import-calls", f, "--yes", "--card", "4821")
    assert "Logged 1 entries" in r.stdout
    e = li_wei.json("log", "list")[0]
    assert e["at"].startswith("2026-11-20T22:40") and "张经理" in e["note"]


SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="5">
  <sms protocol="0" address="95558" date="1763604000000" type="1" body="【中信银行】您的信用卡已逾期，请尽快还款。" read="1" />
  <sms protocol="0" address="+86 400 812 3456" date="1763690400000" type="1" body="再不还款就通知单位，让你上黑名单" read="1" />
  <sms protocol="0" address="13900001111" date="1763690500000" type="1" body="妈：周末回家吃饭吗" read="1" />
  <sms protocol="0" address="106900000" date="1763690600000" type="1" body="您的验证码是 123456" read="1" />
  <sms protocol="0" address="95558" date="1763690700000" type="2" body="我已申请分期" read="1" />
</smses>
"""


def test_import_sms_keeps_collection_messages_and_flags_their_claims(li_wei, tmp_path):
    li_wei("numbers", "add", "4008123456", "--card", "4821", "--party", "催收公司")
    f = tmp_path / "sms.xml"
    f.write_text(SMS, encoding="utf-8")
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    assert "Logged 3 entries" in r.stdout
    entries = li_wei.json("log", "list")
    notes = [e["note"] for e in entries]
    assert "妈：周末回家吃饭吗" not in notes and not any("验证码" in n for n in notes)
    threat = next(e for e in entries if "通知单位" in e["note"])
    assert threat["party"] == "agency" and set(threat["claims"].split(",")) == {
        "employer",
        "blacklist",
    }
    assert next(e for e in entries if e["note"] == "我已申请分期")["direction"] == "out"
    assert "false-claim" in {v["rule"] for v in li_wei.json("violations")}
    assert "Nothing new" in li_wei("log", "import-sms", f, "--yes", "--card", "4821").stdout
    assert len(li_wei.json("log", "list")) == 3


def test_import_sms_in_chinese(li_wei, tmp_path, monkeypatch):
    monkeypatch.setenv("DEBTCLI_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "160")
    f = tmp_path / "sms.xml"
    f.write_text(SMS, encoding="utf-8")
    r = li_wei("log", "导入短信", f, "--yes", "--card", "4821")
    assert "已记录 3 条" in r.stdout and "说法" in r.stdout
    assert "│ 黑名单、通知单位 │" in r.stdout  # a message's claims, listed as Chinese lists them
    monkeypatch.setenv("DEBTCLI_LANG", "en")
    r = li_wei("log", "import-sms", f, "--dry-run", "--card", "4821")
    assert "│ blacklist, employer │" in r.stdout  # and as English lists them


def test_a_message_dated_in_the_future_is_shown_and_left_out_and_the_rest_logged(
    li_wei, tmp_path, db_path
):
    """A phone whose clock was wrong once must not stop the whole backup going in: the message
    dated after today is shown as such, not logged, and said; the others are logged."""
    f = tmp_path / "sms.xml"
    f.write_text(SMS.replace('date="1763604000000"', 'date="1798156800000"'), encoding="utf-8")
    for lang, day, status, said in (
        ("en", "2026-12-25", "in the future", "1 dated in the future was left out: check the phone's clock "
         "(if it was wrong, log it by hand with debtcli log add --at …)."),
        ("zh", "2026年12月25日", "时间在未来", "1 条的时间在未来，未记录：请检查手机时间（如果时间有误，可用 debtcli "
         "log add --at … 手动记录）。"),
    ):  # fmt: skip
        before = store_digest(db_path)
        r = li_wei("--lang", lang, "log", "import-sms", f, "--dry-run", "--card", "4821")
        row = next(line for line in r.stdout.splitlines() if day in line)
        assert status in row and said in " ".join(r.stdout.split())
        assert store_digest(db_path) == before
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    assert "Logged 2 entries" in r.stdout and "1 dated in the future was left out" in r.stdout
    notes = [e["note"] for e in li_wei.json("log", "list")]
    assert len(notes) == 2 and not any("【中信银行】" in n for n in notes)
    again = li_wei("log", "import-sms", f, "--yes", "--card", "4821").stdout
    assert "Logged" not in again and "1 dated in the future was left out" in again


@pytest.mark.parametrize(
    "case", ["empty-folder", "not-backup", "truncated", "fifo", "huge", "a-file-for-calls"]
)
def test_bad_input_is_one_line_and_writes_nothing(li_wei, tmp_path, db_path, case):
    before = store_digest(db_path)
    target = tmp_path / "x.xml"
    command = "import-sms"
    if case == "empty-folder":
        target, command = tmp_path / "empty", "import-calls"
        target.mkdir()
        (target / "a.txt").write_text("x")
    elif case == "not-backup":
        target.write_text("<html><body>hi</body></html>")
    elif case == "truncated":
        target.write_text(SMS[:300])
    elif case == "fifo":
        os.mkfifo(target)
    elif case == "huge":
        with target.open("wb") as f:
            f.truncate(1 << 30)  # sparse: 1 GB on paper
    else:
        target.write_text(SMS)
        command = "import-calls"
    r = li_wei("log", command, target, "--yes", "--card", "4821", ok=False)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert store_digest(db_path) == before


def test_a_cut_off_backup_is_refused_naming_where_in_each_language(li_wei, tmp_path):
    """A backup copied only in part stops where the file does: the refusal says which line,
    in the user's language, without the XML parser's English."""
    cut = tmp_path / "sms.xml"
    cut.write_text(SMS[:300])
    for lang, exact in (
        ("en", f"{cut} is not a complete SMS backup (it cannot be read from line 5): nothing "
               "was imported"),
        ("zh", f"{cut} 不是完整的短信备份（从第 5 行起无法读取）：未导入任何内容"),
    ):  # fmt: skip
        r = li_wei("--lang", lang, "log", "import-sms", cut, "--yes", "--card", "4821", ok=False)
        assert_clean_failure(r, exact=exact)


def test_a_killed_import_lands_all_or_nothing(li_wei, tmp_path, db_path):
    import shutil
    import sys
    from pathlib import Path

    exe = shutil.which("debtcli", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("debtcli is not installed in this environment")
    rows = "\n".join(
        f'<sms address="95558" date="{1763604000000 + i * 1000}" type="1" body="逾期提醒 {i}" />'
        for i in range(40_000)
    )
    f = tmp_path / "big.xml"
    f.write_text(f"<smses>{rows}</smses>", encoding="utf-8")
    env = {**os.environ, "DEBTCLI_DB": str(db_path)}
    p = subprocess.Popen(
        [exe, "log", "import-sms", str(f), "--yes", "--card", "4821"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{db_path}-wal")
    start = wal.stat().st_size if wal.exists() else 0
    for _ in range(300):  # kill it as soon as it writes
        if p.poll() is not None or (wal.exists() and wal.stat().st_size > start):
            break
        time.sleep(0.01)
    p.send_signal(signal.SIGKILL)
    p.wait()
    n = len(json.loads(li_wei("log", "list", "--all", "--json").stdout))
    assert n in (0, 40_000)
    assert li_wei("evidence", "verify").exit_code == 0


def test_a_recording_that_cannot_be_logged_is_set_aside_by_its_file(li_wei, tmp_path):
    """One bad file does not keep the rest of a phone out of the log: it is named and counted."""
    f = tmp_path / "call_rec"
    f.mkdir()
    MAKERS["m4a"](f / "95558_20261121101500.m4a", 65)
    MAKERS["m4a"](f / "95558_20261122101500.m4a", 25 * 3600)  # a broken length: 25 hours
    li_wei("numbers", "add", "95558", "--bank", "中信银行")
    for lang, said in (
        ("en", "Set aside, not logged: 95558_20261122101500.m4a: --minutes 1500: a whole number "
         "from 0 to 1440"),
        ("zh", "已搁置，未记录：95558_20261122101500.m4a：--minutes 1500：应为 0 到 1440 之间的整数"),
    ):  # fmt: skip
        r = li_wei("--lang", lang, "log", "import-calls", f, "--yes")
        assert said in " ".join(r.stdout.split())
    assert len(li_wei.json("log", "list")) == 1


def test_messages_of_one_second_are_all_logged_in_order_at_the_imports_own_time(li_wei, tmp_path):
    """Two texts in the same second (a collector's template split in two) both land, in the
    order the phone kept them; recorded_at is when the import ran, on the --today it ran."""
    same = 'date="1763690400000"'
    f = tmp_path / "sms.xml"
    f.write_text(
        SMS.replace('date="1763690500000"', same).replace("13900001111", "+86 400 812 3456"),
        encoding="utf-8",
    )
    li_wei("numbers", "add", "4008123456", "--card", "4821", "--party", "催收公司")
    started = datetime.now().astimezone().replace(microsecond=0)
    li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    ended = datetime.now().astimezone()
    entries = sorted(li_wei.json("log", "list"), key=lambda e: e["id"])
    pair = [e["note"] for e in entries if e["at"].startswith("2025-11-21T10:00")]
    assert pair == ["再不还款就通知单位，让你上黑名单", "妈：周末回家吃饭吗"]
    shift = datetime.fromisoformat(TODAY).date() - started.date()
    for e in entries:
        recorded = datetime.fromisoformat(e["recorded_at"])
        assert started + shift <= recorded <= ended + shift, e["recorded_at"]


def test_a_message_that_cannot_be_logged_is_set_aside_by_its_sender(li_wei, tmp_path):
    long = "催收" * 2501  # 5,002 characters: over a note's 5,000
    f = tmp_path / "sms.xml"
    f.write_text(SMS.replace("【中信银行】您的信用卡已逾期，请尽快还款。", long), encoding="utf-8")
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    out = " ".join(r.stdout.split())
    assert (
        "Set aside, not logged: 95558: --note '催收催收催收催收催收催收催收催收催收催收…': at most 5000 "
        in out
    )
    assert "1 set aside" in out and "Logged 2 entries" in out


def _sms(tmp_path, *bodies_dates, encoding="UTF-8"):
    rows = "".join(
        f'<sms address="95558" date="{date}" type="1" body="{body}" />'
        for body, date in bodies_dates
    )
    f = tmp_path / "sms.xml"
    f.write_bytes(
        f"<?xml version='1.0' encoding='{encoding}'?><smses>{rows}</smses>".encode(encoding)
    )
    return f


def test_a_line_break_in_a_message_is_a_line_break_not_a_refusal(li_wei, tmp_path):
    f = _sms(
        tmp_path, ("逾期&#13;&#10;请还款", "1763604000000"), ("逾期&#13;催收", "1763604100000")
    )
    assert "Logged 2 entries" in li_wei("log", "import-sms", f, "--yes", "--card", "4821").stdout
    assert sorted(e["note"] for e in li_wei.json("log", "list")) == ["逾期\n催收", "逾期\n请还款"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_message_dated_before_1990_is_set_aside_and_the_rest_logged(li_wei, tmp_path, lang):
    f = _sms(tmp_path, ("信用卡逾期", "500000000000"), ("信用卡逾期请还款", "1763604000000"))
    r = li_wei("--lang", lang, "log", "import-sms", f, "--yes", "--card", "4821")
    out = " ".join(r.stdout.split())
    assert ("before 1990" if lang == "en" else "1990") in out
    assert ("1 set aside" if lang == "en" else "共搁置 1 条") in out
    assert [e["note"] for e in li_wei.json("log", "list")] == ["信用卡逾期请还款"]


def test_a_message_with_white_space_around_it_is_not_logged_twice(li_wei, tmp_path):
    f = _sms(tmp_path, ("  信用卡逾期，请还款  ", "1763604000000"))
    li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    assert "Nothing new" in li_wei("log", "import-sms", f, "--yes", "--card", "4821").stdout
    assert len(li_wei.json("log", "list")) == 1


@pytest.mark.parametrize("encoding", ["GB18030", "GBK"])
def test_a_backup_in_a_chinese_encoding_is_read(li_wei, tmp_path, encoding):
    f = _sms(tmp_path, ("【中信银行】您的信用卡已逾期", "1763604000000"), encoding=encoding)
    assert "Logged 1 entries" in li_wei("log", "import-sms", f, "--yes", "--card", "4821").stdout
    assert li_wei.json("log", "list")[0]["note"] == "【中信银行】您的信用卡已逾期"


def test_two_imports_of_the_same_recordings_at_once_log_each_once(li_wei, tmp_path, db_path):
    """Both imports looked before either wrote: the second finds the first's entries inside
    its own write transaction and logs nothing twice."""
    from datetime import date

    from debtcli import contactlog, phone
    from debtcli import store as st
    from debtcli.rules import load_pack

    f = tmp_path / "call_rec"
    f.mkdir()
    MAKERS["m4a"](f / "95558_20261121101500.m4a", 65)
    MAKERS["m4a"](f / "95558_20261121111500.m4a", 80)
    li_wei("numbers", "add", "95558", "--card", "4821")
    pack, s = load_pack("cn"), st.open_store(db_path)
    recordings, _ = phone.scan_recordings(f, pack.data["phone"])
    card = st.get_card(s, 1)
    proposals = [
        p._replace(card=card) for p in phone.propose_calls(recordings, {}, {}, "en")
    ]  # both looked at an empty log
    today = date.fromisoformat(TODAY)
    first = contactlog.import_proposals(s, pack, proposals, today)
    second = contactlog.import_proposals(s, pack, proposals, today)
    s.close()
    assert (len(first.ids), len(second.ids), second.already) == (2, 0, 2)
    assert len(li_wei.json("log", "list")) == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_dry_run_counts_what_yes_would_log_and_skip(li_wei, tmp_path, lang):
    f = tmp_path / "call_rec"
    f.mkdir()
    MAKERS["m4a"](f / "95558_20261121101500.m4a", 65)
    MAKERS["m4a"](f / "13900001111_20261121111500.m4a", 80)  # a number the book does not know
    li_wei("numbers", "add", "95558", "--card", "4821")
    dry = " ".join(li_wei("--lang", lang, "log", "import-calls", f, "--dry-run").stdout.split())
    said = ("Dry run: 1 would be logged, 1 from numbers the book does not know skipped"
            if lang == "en" else "试运行：将记录 1 条，1 条来自号码本中没有的号码，将跳过")  # fmt: skip
    assert said in dry
    done = li_wei("--lang", lang, "log", "import-calls", f, "--yes").stdout
    assert ("Logged 1 entries" if lang == "en" else "已记录 1 条") in done


def test_a_backup_that_declares_no_text_encoding_is_refused_in_a_line(li_wei, tmp_path):
    f = tmp_path / "sms.xml"
    f.write_text("<?xml version='1.0' encoding='rot13'?><smses></smses>", encoding="ascii")
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821", ok=False)
    assert_clean_failure(r, says="rot13")


def test_one_message_of_millions_of_characters_is_set_aside(li_wei, tmp_path):
    """(expat rescans an unfinished token at every piece it is fed: fed 16 KB at a time, one
    message of six million characters took half a minute; it is now fed 8 MB at a time.)"""
    f = _sms(tmp_path, ("逾期" * 3_000_000, "1763604000000"), ("信用卡逾期", "1763604100000"))
    r = li_wei("log", "import-sms", f, "--yes", "--card", "4821")
    assert "1 set aside" in r.stdout and "Logged 1 entries" in r.stdout


# --- issue 36: who dialled is read, never invented -------------------------------------------


@pytest.mark.parametrize(
    "stem, number, at, direction",
    [
        ("20261120_224000.123+0800_out_sim1_4008123456_Zhang_San", "4008123456",
         "2026-11-20 22:40:00+08:00", "out"),
        ("20261120_224000.123+0800_in_4008123456", "4008123456", "2026-11-20 22:40:00+08:00",
         "in"),
        ("19145520861 2026-11-20 22-40-00", "19145520861", "2026-11-20 22:40:00", "unknown"),
        ("+8613812345678_261120_224000577", "13812345678", "2026-11-20 22:40:00", "unknown"),
        ("20261120_224000.881926+0800_+8613812345678", "13812345678", "2026-11-20 22:40:00+08:00",
         "unknown"),  # BCR before it wrote the direction (Android 9)
        ("4008123456_20261120224000", "4008123456", "2026-11-20 22:40:00", "unknown"),
    ],
)  # fmt: skip
def test_bcr_and_vivo_names_are_read_and_the_direction_only_where_the_name_says(
    stem, number, at, direction
):
    parts = read_call_name(stem, load_pack("cn").data["phone"]["call_names"])
    assert (parts.number, str(parts.at), parts.direction) == (number, at, direction)


def test_a_recording_that_does_not_say_who_dialled_flags_nothing_until_the_user_says(
    li_wei, tmp_path, monkeypatch
):
    """A night-time call the user made to the agency must not become the agency's violation."""
    li_wei("numbers", "add", "4008123456", "--card", "4821", "--party", "agency")
    f = tmp_path / "call_rec"
    f.mkdir()
    MAKERS["m4a"](f / "4008123456_20261120224000.m4a", 65)
    MAKERS["m4a"](f / "20261121_224000.000+0800_in_4008123456.m4a", 65)
    (f / "notes.txt").write_text("not audio")
    r = li_wei("log", "import-calls", f, "--yes")
    assert "1 file not taken: not a recording" in r.stdout
    assert "direction unknown" in " ".join(r.stdout.split())
    entries = li_wei.json("log", "list")
    assert [e["direction"] for e in entries] == ["unknown", "in"]
    flagged = {v["entry"] for v in li_wei.json("violations")}
    assert entries[0]["id"] not in flagged and entries[1]["id"] in flagged
    monkeypatch.setenv("COLUMNS", "200")
    assert "电话（方向未知）" in li_wei("--lang", "zh", "log", "list").stdout
    li_wei("log", "amend", str(entries[0]["id"]), "--direction", "in")
    assert entries[0]["id"] in {v["entry"] for v in li_wei.json("violations")}


def test_oga_and_flac_recordings_are_read(li_wei, tmp_path):
    f = tmp_path / "call_rec"
    f.mkdir()
    MAKERS["ogg"](f / "20261120_101500.000+0800_out_95558.oga", 30)
    wav(f / "20261120_111500.000+0800_out_95558.flac", 3)  # not FLAC inside: length unknown
    r = li_wei("log", "import-calls", f, "--yes", "--card", "4821")
    assert "Logged 2 entries" in r.stdout


def test_list_shows_every_proposal_and_json_lists_calls_with_their_direction(li_wei, tmp_path):
    f = tmp_path / "call_rec"
    f.mkdir()
    for minute in range(45):
        MAKERS["m4a"](f / f"95558_2026112010{minute:02d}00.m4a", 5)
    (f / "notes.txt").write_text("not audio")
    listed = li_wei("log", "import-calls", f, "--list", "--card", "4821").stdout
    assert "10:44" in listed and "10:21" in listed and "--list shows every one" not in listed
    assert "--list shows every one" in li_wei("log", "import-calls", f, "--dry-run").stdout
    calls = li_wei.json("log", "import-calls", f)
    assert len(calls) == 45 and {c["direction"] for c in calls} == {"unknown"}
    assert li_wei.json("log", "list") == []  # neither wrote anything


def test_a_bcr_name_keeps_the_phones_own_zone_and_reads_capitals_and_spaced_numbers():
    names = load_pack("cn").data["phone"]["call_names"]
    parts = read_call_name("20261120_230000.000+0800_IN_sim2_+86 135 0000 9999_Li", names)
    assert str(parts.at) == "2026-11-20 23:00:00+08:00"
    assert (parts.direction, parts.number, parts.name) == ("in", "13500009999", "Li")
