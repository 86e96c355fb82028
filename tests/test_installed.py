"""End to end: the installed `debtcli` command, as a new user runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import debtcli

EXE = shutil.which("debtcli", path=str(Path(sys.executable).parent)) or shutil.which("debtcli")


def in_pty(args: list[str], env: dict[str, str]):
    """The installed debtcli in a pseudo-terminal (pexpect), where Ctrl-C interrupts it even
    when the tests run as a background job (whose children start with SIGINT ignored)."""
    import signal

    import pexpect

    return pexpect.spawn(
        EXE,
        args,
        env=env,
        encoding="utf-8",
        timeout=20,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.fixture
def run(tmp_path):
    if EXE is None:
        if os.environ.get("CI"):
            pytest.fail("the debtcli console script is not installed")
        pytest.skip("debtcli is not installed in this environment")
    env = {**os.environ, "DEBTCLI_DB": str(tmp_path / "s.db"), "COLUMNS": "120"}

    def go(*args, check=True):
        r = subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=60)
        if check:
            assert r.returncode == 0, r.stderr
        return r

    return go


def test_demo_from_the_installed_command(run, tmp_path):
    r = run("--db", str(tmp_path / "demo.db"), "--lang", "zh", "demo")
    assert "现状" in r.stdout and "中信银行" in r.stdout
    r = run("--db", str(tmp_path / "demo.db"), "evidence", "verify")
    assert "verified" in r.stdout


def test_bad_input_is_one_line_and_exit_2(run):
    r = run("pay", "4821", "100", check=False)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_version_and_module_entry(run):
    assert run("--version").stdout.strip() == f"debtcli {debtcli.__version__}"
    r = subprocess.run([sys.executable, "-m", "debtcli", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Usage" in r.stdout


def test_templates_and_packs_ship_with_the_package(run, tmp_path):
    """Installed from a wheel (as CI installs it), the templates live inside the package and
    the installed command renders a letter from them."""
    from debtcli.rules import PACKS_DIR
    from debtcli.templating import builtin_dir

    package = Path(debtcli.__file__).resolve().parent
    assert (PACKS_DIR / "cn.toml").is_file()
    if "site-packages" in str(package):
        assert builtin_dir() == package / "templates"
    for name in ("letters/installment.zh.md.j2", "visit_checklist.html.j2", "report.html.j2"):
        assert (builtin_dir() / name).is_file(), name
    run("card", "add", "--bank", "中信银行", "--last4", "4821")
    run("overdue", "4821", "--since", "2026-08-05", "--amount", "62400")
    r = run(
        "--lang",
        "zh",
        "letter",
        "make",
        "installment",
        "4821",
        "--months",
        "60",
        "--name",
        "李伟",
        "--phone",
        "138",
    )
    assert "个性化分期还款申请" in r.stdout


@pytest.fixture
def term(run, tmp_path):
    """The installed debtcli in a real pseudo-terminal (pexpect), with Li Wei's 4821 card."""

    run("card", "add", "--bank", "中信银行", "--last4", "4821")
    run("overdue", "4821", "--since", "2026-08-05", "--amount", "62400")
    env = {
        **os.environ,
        "DEBTCLI_DB": str(tmp_path / "s.db"),
        "COLUMNS": "120",
        "DEBTCLI_LANG": "en",
        "NO_COLOR": "1",
    }

    def spawn(*args):
        return in_pty(list(args), env)

    return spawn


def test_log_add_prompts_for_what_is_missing(term, run):
    child = term("log", "add", "4821")
    for prompt, answer in (
        ("When", "yesterday 22:40"),
        ("How did they contact you", "call"),
        ("Who was it", "agency"),
        ("Their organisation", "某某资产"),
        ("Their name", "张经理 A0137"),
        ("The number they used", ""),
        ("Whom did they reach", "family"),
        ("What was said", "called my mother"),
        ("Did they claim", "blacklist"),
        ("recording or screenshot", ""),
    ):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("Logged entry 1")
    child.expect("unrelated third party")
    child.expect(pexpect_eof())
    assert '"note": "called my mother"' in run("log", "list", "--json").stdout


def test_the_daily_callers_second_call_is_logged_with_enter_alone(term, run):
    """Issue 38: the agency's name and number were typed again for every daily call. The
    second time, one question offers the last caller; Enter through every prompt logs it."""
    run("log", "add", "4821", "--channel", "call", "--party", "agency", "--org", "某某资产",
        "--phone", "4008123456", "--at", "2026-11-20 10:00")  # fmt: skip
    child = term("log", "add", "4821")
    prompts = ["When", "How did they contact you", "The same caller as last time",
               "Whom did they reach", "What was said", "Did they claim", "recording or screenshot"]  # fmt: skip
    for prompt in prompts:
        child.expect(prompt)
        child.sendline("")
    child.expect("Logged entry 2")
    child.expect(pexpect_eof())
    second = __import__("json").loads(run("log", "list", "--json").stdout)[-1]
    assert (second["party"], second["org"], second["phone"]) == ("agency", "某某资产", "4008123456")


def test_an_installment_letter_asks_for_its_proposal_and_says_what_it_wrote(term, tmp_path):
    """Issue 42: in a terminal the letter asked name and phone, then stopped with "this letter
    needs a proposal: --months …" and the answers were lost."""
    out = tmp_path / "letter.md"
    child = term("letter", "make", "installment", "4821", "--name", "Li Wei", "--phone", "138",
                 "-o", str(out))  # fmt: skip
    child.expect("Your proposal")
    child.sendline("60")
    child.expect("It proposes 60")
    child.expect(pexpect_eof())
    assert out.exists() and "60" in out.read_text(encoding="utf-8")


def test_global_options_after_the_command_are_read(run, tmp_path):
    """Issue 38: `debtcli status --lang zh` said "No such option: --lang", in English."""
    other = tmp_path / "other.db"
    run("card", "add", "--bank", "中信银行", "--last4", "4821", "--db", str(other))
    assert other.exists()
    said = run("status", "--lang", "zh", "--db", str(other)).stdout
    assert "你现在的情况" in said or "截至" in said
    assert run("status", "--lang", "xx", check=False).returncode == 2


def test_ctrl_c_in_the_wizard_says_what_is_kept(tmp_path):
    """Issue 42: Ctrl-C in `debtcli 开始` ended it without a word."""
    import os

    env = {**os.environ, "DEBTCLI_DB": str(tmp_path / "w" / "s.db"), "DEBTCLI_LANG": "zh",
           "NO_COLOR": "1"}  # fmt: skip
    child = in_pty(["开始"], env)
    child.expect("哪家银行")
    child.sendline("中信银行")
    child.expect("最后四位")
    child.sendintr()
    child.expect("已停止。已添加的卡仍保留")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130


def pexpect_eof():
    import pexpect

    return pexpect.EOF


def test_visit_walk_in_a_real_terminal(term, run):
    child = term("visit", "check", "4821", "--at", "2026-11-22 15:00")
    answers = [
        ("How many people", "1"),
        ("work ID", "n"),
        ("authorisation", "n"),
        ("Which agency", "法院执行局"),
        ("Names", ""),
        ("Employee numbers", ""),
        ("Did the bank confirm", "denied"),
        ("personal account", "y"),
        ("Where did they ask", "微信"),
        ("police, court", "y"),
        ("ID photos", "n"),
        ("threaten", "n"),
    ]
    for prompt, answer in answers:
        child.expect(prompt)
        child.sendline(answer)
    child.expect("SCAM RED FLAGS")
    child.expect("Saved as log entry 1")
    child.expect(pexpect_eof())
    entry = __import__("json").loads(run("log", "list", "--json").stdout)[0]
    assert entry["channel"] == "visit" and entry["agents"] == 1


def test_visit_walk_answered_in_chinese_words(run, tmp_path):
    """At the door, in Chinese: 一个, 没有, 银行说不知道 are answers, not errors."""
    import os

    run("card", "add", "--bank", "中信银行", "--last4", "4821")
    env = {
        **os.environ,
        "DEBTCLI_DB": str(tmp_path / "s.db"),
        "COLUMNS": "120",
        "DEBTCLI_LANG": "zh",
        "NO_COLOR": "1",
    }
    child = in_pty(["visit", "check", "4821", "--at", "2026-11-22 15:00"], env)
    for prompt, answer in (
        ("门口有几个人", "一个"),
        ("工作证", "没有"),
        ("授权委托书", "没有"),
        ("哪家机构", "法院执行局"),
        ("姓名", ""),
        ("工号", ""),
        ("银行确认了", "银行说不知道"),
        ("个人账户", "是"),
        ("打到哪里", "微信"),
        ("自称公安", "对"),
        ("身份证照片", "没有"),
        ("威胁", "没有"),
    ):
        child.expect(prompt)
        assert "Please" not in child.before
        child.sendline(answer)
    child.expect("诈骗")
    child.expect("已保存为第 1 条")
    child.expect(pexpect_eof())
    assert "Please" not in child.before
    entry = __import__("json").loads(run("log", "list", "--json").stdout)[0]
    assert entry["agents"] == 1 and entry["party"] == "impostor"


def test_ctrl_c_mid_walk_saves_nothing(term, run, tmp_path):
    import hashlib

    db = tmp_path / "s.db"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    child = term("visit", "check", "4821")
    child.expect("How many people")
    child.sendline("2")
    child.expect("work ID")
    child.sendintr()
    child.expect("Stopped; nothing was saved")  # it said nothing before (issue 38)
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert run("log", "list", "--json").stdout.strip() == "[]"


def test_lazy_command_loading_still_finds_every_command(run):
    """main() loads only the invoked command's module; help and subcommands must not miss."""
    out = run("log", "--help").stdout
    assert all(word in out for word in ("add", "amend", "list", "import"))
    assert "--since" in run("log", "list", "--help").stdout
    assert "--credentials" in run("log", "add", "--help").stdout
    assert "visit" in run("--help").stdout and "timeline" in run("--help").stdout
    r = run("lgo", "list", check=False)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_reader_that_stops_early_gets_no_error(run, tmp_path):
    """`debtcli log list --csv | head`: when the pipe closes, debtcli stops quietly."""
    run("card", "add", "--bank", "中信银行", "--last4", "4821")
    rows = "".join(
        f"4821,2026-11-{1 + i % 20:02} 10:{i % 60:02},call,contact {i}\n" for i in range(3000)
    )
    (tmp_path / "c.csv").write_text("card,at,channel,note\n" + rows, encoding="utf-8")
    run("log", "import", str(tmp_path / "c.csv"))
    env = {**os.environ, "DEBTCLI_DB": str(tmp_path / "s.db"), "COLUMNS": "120"}
    p = subprocess.Popen(
        [EXE, "log", "list", "--csv"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert p.stdout.readline()
    p.stdout.close()
    assert p.wait(timeout=60) == 0
    assert p.stderr.read() == b""


def test_long_output_in_a_terminal_goes_through_the_pager(run, tmp_path):
    """In a terminal, a log longer than the screen is handed whole to $PAGER (here `wc -l`,
    which answers with the number of lines); one that fits, or any output to a pipe, is
    printed as it is."""
    import pexpect

    run("card", "add", "--bank", "中信银行", "--last4", "4821")
    for day in range(1, 13):
        run("log", "add", "4821", "--at", f"2026-11-{day:02} 10:00", "--channel", "call")
    piped = run("log", "list").stdout
    env = {
        **os.environ,
        "DEBTCLI_DB": str(tmp_path / "s.db"),
        "COLUMNS": "120",
        "PAGER": "wc -l",
        "NO_COLOR": "1",
    }

    def in_terminal(lines: int, pager: str = "wc -l") -> str:
        child = in_pty(["log", "list"], {**env, "LINES": str(lines), "PAGER": pager})
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        return child.before

    assert in_terminal(10).strip() == str(piped.count("\n"))
    assert "┏" in in_terminal(40)
    # A reader that quits after the first line (q in less): nothing else, no error.
    assert in_terminal(10, pager="head -1").strip() == piped.splitlines()[0]


def test_a_terminal_asks_before_an_overpayment_and_a_moved_episode(term, run):
    """A person at a terminal is asked (the prompt without the --force hint meant for
    scripts); no keeps the store as it was, yes records."""
    child = term("pay", "4821", "70000")
    child.expect("more than the ¥62,400.00 still owed")
    assert "--force" not in child.before
    child.sendline("n")
    child.expect("Not done: nothing was changed.")
    child.expect(pexpect_eof())
    assert "--force" not in child.before and "error" not in child.before
    child.close()
    assert child.exitstatus == 2
    assert json_of(run("pay", "list", "4821", "--json")) == []
    child = term("overdue", "4821", "--since", "2026-08-06", "--amount", "62400")
    child.expect("since 2026-08-05 → 2026-08-06")
    child.sendline("y")
    child.expect("corrected")
    child.expect(pexpect_eof())
    changes = json_of(run("card", "show", "4821", "--json"))["episodes"][0]["changes"]
    assert changes[0]["old"] == "2026-08-05" and changes[0]["new"] == "2026-08-06"


def json_of(result):
    return __import__("json").loads(result.stdout)


def test_a_door_visit_answered_in_chinese_words(term, run):
    """The prompts take the words a frightened person types, and a wrong answer is explained
    in Chinese (not rich's English "Please enter a valid integer number")."""
    import os

    env_lang = os.environ.get("DEBTCLI_LANG")
    child = term("--lang", "zh", "visit", "check", "4821", "--at", "2026-11-22 15:00")
    answers = [
        ("门口有几个人", "好几个"),
        ("没看懂", "一个"),
        ("工作证", "没有"),
        ("授权委托书", "没有"),
        ("哪家机构", "法院执行局"),
        ("姓名", ""),
        ("工号", ""),
        ("银行确认了", "银行说不知道"),
        ("个人账户", "是"),
        ("打到哪里", "微信"),
        ("公安、法院", "是"),
        ("身份证照片", "否"),
        ("威胁", "否"),
    ]
    for prompt, answer in answers:
        child.expect(prompt)
        child.sendline(answer)
    child.expect("诈骗警示")
    child.expect(pexpect_eof())
    entry = __import__("json").loads(run("log", "list", "--json").stdout)[0]
    assert entry["agents"] == 1 and entry["party"] == "impostor"
    assert env_lang == os.environ.get("DEBTCLI_LANG")


def test_log_add_prompts_in_chinese_take_chinese_words(term, run):
    child = term("--lang", "zh", "log", "add", "4821")
    for prompt, answer in (
        ("什么时候", "昨天 晚上10点40"),
        ("联系方式", "来电"),
        ("对方是谁", "催收公司"),
        ("对方机构", ""),
        ("对方姓名", ""),
        ("对方的号码", ""),
        ("他们联系了谁", "母亲"),
    ):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("说了什么")
    child.sendcontrol("c")  # interrupted: what was typed becomes a draft
    child.expect("已取消，未保存")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130
    assert __import__("json").loads(run("log", "list", "--json").stdout) == []
    child = term("--lang", "zh", "log", "add", "4821")
    child.expect("要继续填写吗")
    child.sendline("是")
    child.expect("说了什么")
    child.sendline("深夜打给我母亲")
    child.expect("他们有没有说")
    child.sendline("黑名单")
    child.expect("录音或截图")
    child.sendline("")
    child.expect("已记录第 1 条")
    child.expect(pexpect_eof())
    e = __import__("json").loads(run("log", "list", "--json").stdout)[0]
    assert (e["channel"], e["party"], e["contacted"]) == ("call", "agency", "family")
    assert e["at"][11:16] == "22:40" and e["claims"] == "blacklist"


def test_setup_walks_a_first_time_user_to_status_in_chinese(run, tmp_path):
    import os

    import pexpect

    env = {
        **os.environ,
        "DEBTCLI_DB": str(tmp_path / "new" / "s.db"),
        "COLUMNS": "120",
        "DEBTCLI_LANG": "zh",
        "NO_COLOR": "1",
    }
    child = in_pty(["开始"], env)
    for prompt, answer in (
        ("哪家银行", "中信银行"),
        ("最后四位", "48-21"),
        ("最后四位", "４８２１"),
        ("从哪天开始逾期", "8月5日"),
        ("一共欠多少", "6.24万"),
        ("其中本金", "70000"),  # more than is owed: told why and asked again
        ("超过欠款总额", "58000"),
        ("下一张卡是哪家银行的", "招商银行"),  # one card after another: no "another card?"
        ("最后四位", "7730"),
        ("从哪天开始逾期", "9月12日"),
        ("一共欠多少", "1.83万元"),  # far below the threshold: the principal is not asked
        ("下一张卡是哪家银行的", ""),  # Enter: no more cards
    ):
        child.expect(prompt)
        if answer is None:  # the refusal of the answer before: nothing English before it
            assert child.before.rstrip().endswith(("也许", "  ")), child.before
            assert "answer" not in child.before + child.after
            continue
        child.sendline(answer)
    child.expect("截至")
    child.expect("debtcli log add")
    child.expect(pexpect_eof())
    cards = __import__("json").loads(
        pexpect.run(
            f"{EXE} --db {tmp_path / 'new' / 's.db'} status --json", env=env, encoding="utf-8"
        )
    )
    assert [(c["last4"], c["owed"]) for c in cards] == [("4821", "62400.00"), ("7730", "18300.00")]


@pytest.mark.parametrize(
    "pasted",
    ["'{path}'", '"{path}"', "{escaped}", "file://{path}"],
    ids=["single-quotes", "double-quotes", "backslashes", "file-uri"],
)
def test_a_recording_dragged_into_the_terminal_is_attached(term, run, tmp_path, pasted):
    """What a terminal pastes for a dragged file: quotes, backslashes before spaces, or a
    file:// address (issue 38). A path that cannot be read is asked again; the answers before
    it are kept."""
    folder = tmp_path / "My Recordings (2026)"
    folder.mkdir()
    rec = folder / "call 22.40.m4a"
    rec.write_bytes(b"\x00\x00\x00\x20ftypM4A a call")
    escaped = str(rec).replace(" ", "\\ ").replace("(", "\\(").replace(")", "\\)")
    child = term("log", "add", "4821", "--at", "yesterday 22:40", "--channel", "call",
                 "--party", "agency", "--org", "某某资产", "--agent", "张经理",
                 "--contacted", "self", "--note", "a call")  # fmt: skip
    for prompt in ("The number they used", "Did they claim"):
        child.expect(prompt)
        child.sendline("")
    child.expect("recording or screenshot")
    child.sendline(str(tmp_path / "nothing.m4a"))
    child.expect("cannot find the file")
    child.sendline(pasted.format(path=rec, escaped=escaped))
    child.expect("Logged entry 1")
    child.expect(pexpect_eof())
    [entry] = __import__("json").loads(run("log", "list", "--json").stdout)
    assert [a["name"] for a in entry["attachments"]] == ["call 22.40.m4a"]
