"""Time debtcli's commands against the floor of their own stack, in the same run.

    python benchmarks/run.py [--contacts 100000] [--runs 11] [--whole-log-only]

Builds stores in a temporary folder (20 cards, thousands of payments, N contacts), then prints,
for each command, the median wall time, the floor (`python -c "import typer, rich.console,
rich.table, sqlite3"`, the least any command on this stack can cost) and their ratio, with the
budget from the issues. Run it on a quiet machine; it writes nothing outside its temp folder.
"""

import argparse
import contextlib
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

EXE = shutil.which("debtcli", path=str(Path(sys.executable).parent)) or "debtcli"
FLOOR = [sys.executable, "-c", "import typer, rich.console, rich.table, sqlite3"]
BANKS = ["中信银行", "招商银行", "工商银行", "农业银行", "建设银行"]


def _run(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of cmd."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with {p.returncode}")
    return time.perf_counter() - t, usage.ru_utime + usage.ru_stime


def timed(
    cmd: list[str], env: dict, runs: int, base: list[str] = FLOOR
) -> tuple[float, float, float, float]:
    """Medians of cmd and of base (the floor), wall and CPU, run alternately so that both see
    the same machine (a VM's speed drifts by tens of percent over a minute; alternating
    cancels most of it, and CPU time is steadier than wall time)."""
    _run(cmd, env)  # warm-up: caches, byte code
    _run(base, env)
    own, floor = [], []
    for _ in range(runs):
        floor.append(_run(base, env))
        own.append(_run(cmd, env))
    return (
        statistics.median(w for w, _ in own),
        statistics.median(w for w, _ in floor),
        statistics.median(c for _, c in own),
        statistics.median(c for _, c in floor),
    )


def _own_kib(pid: int) -> int:
    """A process's share of physical memory (KiB): its proportional set size, where a page
    it shares with its forked workers counts once over all of them, not once in each (their
    resident sizes, summed, would count the interpreter and every module as many times as
    there are workers); its resident size where the kernel gives no PSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(x.split()[1]) for x in f if x.startswith("Pss:"))
    except (OSError, StopIteration):
        with open(f"/proc/{pid}/status") as f:
            return next(int(x.split()[1]) for x in f if x.startswith("VmRSS:"))


def tree_rss(pid: int) -> int:
    """Physical memory (KiB) of a process and every process below it, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(p))
    total, todo = 0, [pid]
    while todo:
        q = todo.pop()
        with contextlib.suppress(OSError, StopIteration):  # a process that just ended
            total += _own_kib(q)
        todo += children.get(q, [])
    return total


def measure(cmd: list[str], env: dict) -> tuple[int, float, float, str]:
    """Exit status, wall seconds, peak memory (MiB) of the whole process tree (workers
    included, sampled every 20 ms) and stderr of one run of cmd."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss(p.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - t
    return p.returncode, seconds, peak / 1024, p.stderr.read().decode() if p.stderr else ""


def once(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of the whole process tree."""
    code, seconds, peak, err = measure(cmd, env)
    if code:
        raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    return seconds, peak


def build_cards(db: Path, payments: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from datetime import date

    from debtcli import ledger
    from debtcli.store import open_store

    s = open_store(db)
    today = date.today()
    for i in range(20):
        last4 = f"{1000 + i}"
        ledger.add_card(s, bank=BANKS[i % len(BANKS)], last4=last4)
        ledger.record_overdue(
            s, last4, today - timedelta(days=30 + 9 * i), 100_000_000, principal=80_000_000
        )
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    with s.write() as c:
        for n in range(payments):
            card = 1 + n % 20
            c.execute(
                "INSERT INTO payments (card_id, episode_id, paid_on, amount, note, created_at) "
                "VALUES (?,?,?,?,?,?)",
                (card, card, (today - timedelta(days=n % 30)).isoformat(), 100, None, stamp),
            )
    s.close()


def write_csv(path: Path, n: int, cards: int = 20) -> None:
    start = datetime.now() - timedelta(days=200)
    channels = ["call", "call", "call", "sms", "app", "letter", "visit"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["card", "at", "channel", "party", "org", "contacted", "note"])
        for i in range(n):
            at = start + timedelta(minutes=2 * i % (200 * 24 * 60))
            w.writerow(
                [
                    f"{1000 + i % cards}",
                    at.strftime("%Y-%m-%d %H:%M"),
                    channels[i % 7],
                    "agency" if i % 3 else "bank",
                    "某某资产管理有限公司",
                    "family" if i % 97 == 0 else "self",
                    f"contact {i}",
                ]
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--payments", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument(
        "--whole-log-only",
        action="store_true",
        help="only the commands that read the whole log (for a million entries)",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="debtcli-bench-"))
    env = {
        **os.environ,
        "DEBTCLI_LANG": "en",
        "COLUMNS": "120",
        "DEBTCLI_CONFIG": str(tmp / "config"),
    }
    # Byte-code caching on, as for any installed program (some shells turn it off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        empty, big = tmp / "empty.db", tmp / "big.db"
        build_cards(empty, args.payments)
        build_cards(big, args.payments)
        week_ago = (datetime.now() - timedelta(days=7)).date().isoformat()
        csv_path = tmp / "contacts.csv"
        write_csv(csv_path, args.contacts)
        import_s = once([EXE, "--db", str(big), "log", "import", str(csv_path)], env)
        # The commands that read the whole log: time and peak memory against issue 20's
        # budgets, set for 100,000 entries; beyond, time may grow linearly and memory to 250 MiB.
        scale, cap = max(1.0, args.contacts / 100_000), 150 if args.contacts <= 100_000 else 250
        whole = [(f"log import {args.contacts:,} rows", import_s, 10.0 * scale)]
        for name, cmd, budget in (
            ("evidence verify", ["evidence", "verify"], 2.0),
            ("violations", ["violations"], 3.0),
            ("violations --json", ["violations", "--json"], None),
            ("report (summary)", ["report", "-o", str(tmp / "report.html")], 3.0),
            ("export --json", ["export", "--json", "-o", str(tmp / "x.json")], 4.0),
            ("backup", ["backup", "-o", str(tmp / "b.zip")], 6.0),
            ("evidence export", ["evidence", "export", "-o", str(tmp / "e.zip")], 4.0),
            (
                "evidence export --redact",
                ["evidence", "export", "--redact", "-o", str(tmp / "r.zip")],
                6.0,
            ),
            (
                "evidence verify --bundle",
                ["evidence", "verify", "--bundle", str(tmp / "e.zip")],
                4.0,
            ),
        ):
            whole.append(
                (
                    f"{name} ({args.contacts:,})",
                    once([EXE, "--db", str(big), *cmd], env),
                    budget and budget * scale,
                )
            )
        whole.append(
            (
                f"import --json ({args.contacts:,})",
                once(
                    [EXE, "--db", str(tmp / "fresh.db"), "import", "--json", str(tmp / "x.json")],
                    env,
                ),
                10.0 * scale,
            )
        )
        sizes = {
            "report file": (tmp / "report.html").stat().st_size,
            "bundle summary.html": _member_size(tmp / "e.zip", "summary.html"),
        }
        # The HTML report over one card with 10,000 events (every event shown).
        small = tmp / "report.db"
        build_cards(small, 0)
        write_csv(tmp / "report.csv", 10_000, cards=1)
        once([EXE, "--db", str(small), "log", "import", str(tmp / "report.csv")], env)
        whole.append(
            (
                "report, 10,000 events, --full",
                once(
                    [
                        EXE,
                        "--db",
                        str(small),
                        "report",
                        "1000",
                        "--full",
                        "-o",
                        str(tmp / "report.html"),
                    ],
                    env,
                ),
                2.0,
            )
        )
        if args.whole_log_only:
            print_whole(whole, cap, sizes)
            return

        db = ["--db", str(big)]
        rows = [
            ("status (no contacts)", [EXE, "--db", str(empty), "status"], 1.15),
            (f"status ({args.contacts:,} contacts)", [EXE, *db, "status"], 1.15),
            ("status --json", [EXE, *db, "status", "--json"], 1.15),
            ("stage CARD", [EXE, *db, "stage", "1000"], 1.15),
            ("card list", [EXE, *db, "card", "list"], 1.15),
            ("card show CARD", [EXE, *db, "card", "show", "1000"], 1.15),
            ("log list CARD (latest page)", [EXE, *db, "log", "list", "1003"], 1.15),
            (
                "log list CARD --since (a week)",
                [EXE, *db, "log", "list", "1003", "--since", week_ago],
                1.15,
            ),
            ("timeline CARD (latest page)", [EXE, *db, "timeline", "1003"], 1.3),
            ("facts arrest", [EXE, *db, "facts", "arrest"], 1.15),
            ("visit checklist CARD", [EXE, *db, "visit", "checklist", "1000"], 1.15),
            ("plan", [EXE, *db, "plan", "--income", "20000", "--expenses", "5000"], 1.15),
            (
                "log add",
                [EXE, *db, "log", "add", "1001", "--channel", "call", "--party", "bank"],
                1.3,
            ),
            ("pay", [EXE, *db, "pay", "1002", "1"], 1.3),
            ("--help", [EXE, *db, "--help"], 1.15),
            ("log add --help (zh)", [EXE, *db, "--lang", "zh", "log", "add", "--help"], 1.15),
            ("status (zh)", [EXE, *db, "--lang", "zh", "status"], 1.15),
        ]
        print(
            f"debtcli benchmarks — {args.runs} alternating runs each, medians; "
            f"python {sys.version.split()[0]}"
        )
        print(f"{'command':34} {'median':>9} {'floor':>9} {'ratio':>7} {'cpu ratio':>9}  budget")
        print(
            "(floor: python -c 'import typer, rich.console, rich.table, sqlite3', run "
            "alternately with each command)"
        )
        for name, cmd, budget in rows:
            m, floor, cpu, cpu_floor = timed(cmd, env, args.runs)
            verdict = "ok" if min(m / floor, cpu / cpu_floor) <= budget else "OVER"
            print(
                f"{name:34} {m * 1000:8.1f}ms {floor * 1000:8.1f}ms {m / floor:6.2f}× "
                f"{cpu / cpu_floor:8.2f}×  ≤ {budget}× {verdict}"
            )
        # The two stores differ only in their 100,000 contacts: timed against each other.
        m, base, cpu, cpu_base = timed(rows[1][1], env, args.runs, base=rows[0][1])
        ratio = min(m / base, cpu / cpu_base)
        print(
            f"{'status: contacts vs none':34} {m * 1000:8.1f}ms {base * 1000:8.1f}ms "
            f"{m / base:6.2f}× {cpu / cpu_base:8.2f}×  ≤ 1.10× {'ok' if ratio <= 1.10 else 'OVER'}"
        )
        # A correction reads only the entry it corrects: timed against `log add` itself.
        amend = [EXE, *db, "log", "amend", str(args.contacts // 2), "--note", "corrected"]
        m, base, cpu, cpu_base = timed(amend, env, args.runs, base=rows[12][1])
        ratio = min(m / base, cpu / cpu_base)
        print(
            f"{'log amend vs log add':34} {m * 1000:8.1f}ms {base * 1000:8.1f}ms "
            f"{m / base:6.2f}× {cpu / cpu_base:8.2f}×  ≤ 1.3× {'ok' if ratio <= 1.3 else 'OVER'}"
        )
        print_whole(whole, cap, sizes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _member_size(zip_path: Path, name: str) -> int:
    import zipfile

    with zipfile.ZipFile(zip_path) as z:
        return z.getinfo(name).file_size


def print_whole(whole: list, cap: int, sizes: dict[str, int]) -> None:
    print(f"{'whole-log command':34} {'time':>9} {'peak':>9}  budget (time; ≤ {cap} MiB)")
    for name, (seconds, mib), budget in whole:
        ok = (budget is None or seconds <= budget) and mib <= cap
        limit = f"≤ {budget:.0f} s" if budget else "—"
        print(f"{name:34} {seconds:8.2f}s {mib:7.0f}MiB  {limit} {'ok' if ok else 'OVER'}")
    for name, size in sizes.items():
        verdict = "ok" if size <= 3 << 20 else "OVER"
        print(f"{name:34} {size / (1 << 20):8.2f} MiB  ≤ 3 MiB {verdict}")


if __name__ == "__main__":
    main()
