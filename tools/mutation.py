"""Mutation testing of debtcli's core: how many single-point bugs the tests catch, per module.

    python tools/mutation.py              # every untried mutant, then the scores
    python tools/mutation.py --report     # print the scores of the results kept
    python tools/mutation.py dates money  # some modules only: their untried mutants and survivors
    python tools/mutation.py --sample 40  # 40 untried mutants per module, and every survivor
    python tools/mutation.py --sample 0   # every survivor again (after new tests)
    python tools/mutation.py --sample 0 --function split   # the survivors of one function
    python tools/mutation.py --save       # keep what a run under way has found so far
    python tools/mutation.py --equivalent NAME "why"   # list a survivor that no test can kill

mutmut (configured in pyproject.toml's [tool.mutmut]) puts each mutant into a copy of the code
under mutants/ and runs the tests that reach the mutated function; a mutant the tests fail on
is killed. Results are kept between runs: after a change, only the functions that changed are
tried again. A full run of the eleven modules (about 7,300 mutants) takes the better part of a
day on two cores, longer than one working session, so the verdicts are also kept in the
repository (tools/mutation-results/, one file a module: each function's hash and each mutant's
exit code). A run on a fresh clone starts from them, mutmut tries again only the mutants of
functions whose source changed since, and a run cut short loses only the mutant under way:
commit tools/mutation-results/ as you go (--save copies mutmut's verdicts there while it runs).

A surviving mutant is a bug the tests would let through. Each one is either killed by a new
test of behaviour, or listed in tools/equivalent_mutants.toml with why no test can tell it
apart (the mutant behaves exactly as the code does), and its function's hash: a listing of a
function changed since no longer counts (the report names it). The score counts the listed ones
as not mutants at all; the goal (issue 19) is 90 % or more per module.
"""

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = (
    "evidence",
    "contactlog",
    "conduct",
    "flags",
    "stages",
    "standing",
    "agreements",
    "plan",
    "money",
    "dates",
    "rules",
)
GOAL = 90.0
KILLED = {1, 3, 37}  # a failing test, pytest's internal error, caught by the type check
TIMEOUT = {36, 24, -24, 152, 255}  # a mutant that loops for ever is caught too
NO_TESTS = 33  # mutmut knew no test that reaches the function (its stats predate it)
KEPT = ROOT / "tools" / "mutation-results"


LISTINGS = ROOT / "tools" / "equivalent_mutants.toml"


def listings() -> dict[str, dict[str, str]]:
    """Every entry of tools/equivalent_mutants.toml: mutant name -> {why, hash}."""
    return tomllib.loads(LISTINGS.read_text()) if LISTINGS.exists() else {}


def relist(path: Path, listed: dict[str, tuple[str, str] | None]) -> None:
    """Write listings (name -> (hash, why)) into the file, each in place of one of the same
    name (a stale one, say); None removes the name's listing."""
    import re

    text = path.read_text(encoding="utf-8")
    for name, entry in listed.items():
        block = rf'\n\["{re.escape(name)}"\]\nhash = "[0-9a-f]*"\nwhy = .*\n'
        text = re.sub(block, "", text).rstrip("\n") + "\n"
        if entry is not None:
            digest, why = entry
            text += (
                f'\n["{name}"]\nhash = "{digest}"\nwhy = {json.dumps(why, ensure_ascii=False)}\n'
            )
    path.write_text(text, encoding="utf-8")


def function_hash(name: str) -> str | None:
    """The hash of the function a mutant belongs to, as the verdicts stand (mutmut's copy if
    there is one, else those kept)."""
    module = name.split(".")[1]
    for path in (_meta(module), KEPT / f"{module}.json"):
        if path.exists():
            return json.loads(path.read_text())["hash_by_function_name"].get(_mangled(name))
    return None


def equivalent() -> dict[str, str]:
    """Mutant name -> why it cannot be told apart from the code, for the listings that still
    hold. mutmut numbers a function's mutants anew when its source changes, so a listing
    names its function's hash: once the function changes, mutant 12 may be another change
    altogether, and the listing no longer counts (stale_listings() names it, to be checked again)."""
    return {
        name: entry["why"]
        for name, entry in listings().items()
        if entry.get("hash") == function_hash(name)
    }


def stale_listings() -> list[str]:
    """The listings whose function has changed since: no longer counted as equivalent."""
    return [name for name, entry in listings().items() if entry.get("hash") != function_hash(name)]


def sync_data(code: bool = False) -> None:
    """mutmut copies the Python sources again when they change, but not the data beside them
    (the rule pack, the templates): a stale copy fails every test. Copy what differs. `code`:
    the tests and the modules mutmut does not mutate too (--quick runs them without mutmut)."""
    import filecmp
    import shutil

    copy = ROOT / "mutants"
    if not copy.is_dir():
        return  # mutmut's first run copies everything
    mutated = {ROOT / "debtcli" / f"{m}.py" for m in CORE}
    for folder in ("debtcli", "templates", *(("tests",) if code else ())):
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path in mutated:
                continue
            if path.suffix == ".py" and not code:
                continue
            target = copy / path.relative_to(ROOT)
            if not target.exists() or not filecmp.cmp(path, target, shallow=False):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


def _meta(module: str) -> Path:
    return ROOT / "mutants" / "debtcli" / f"{module}.py.meta"


def verdicts(module: str) -> dict[str, int | None]:
    """Each mutant of a module -> its exit code (None: untried), from mutmut's copy if there is
    one, else from the verdicts kept in the repository."""
    for path in (_meta(module), KEPT / f"{module}.json"):
        if path.exists():
            return json.loads(path.read_text())["exit_code_by_key"]
    return {}


def seed() -> None:
    """Give a fresh mutants/ the verdicts kept in the repository. mutmut, generating a module's
    mutants, keeps a verdict only where the function's hash is still the one recorded."""
    for module in CORE:
        kept, meta = KEPT / f"{module}.json", _meta(module)
        if kept.exists() and not meta.exists():
            meta.parent.mkdir(parents=True, exist_ok=True)
            data = json.loads(kept.read_text())
            data.setdefault("type_check_error_by_key", {})
            data.setdefault("durations_by_key", {})
            data.setdefault("estimated_durations_by_key", {})
            meta.write_text(json.dumps(data))


def save() -> None:
    """Copy mutmut's verdicts into the repository: each function's hash and each mutant's
    exit code, sorted, so that a commit shows only what changed."""
    KEPT.mkdir(exist_ok=True)
    for module in CORE:
        meta = _meta(module)
        if not meta.exists():
            continue
        data = json.loads(meta.read_text())
        kept = {
            "hash_by_function_name": dict(sorted(data["hash_by_function_name"].items())),
            "exit_code_by_key": dict(sorted(data["exit_code_by_key"].items())),
        }
        (KEPT / f"{module}.json").write_text(json.dumps(kept, indent=0) + "\n")


def scores(modules: tuple[str, ...]) -> tuple[list[tuple], list[str]]:
    listed = equivalent()
    rows, survivors = [], []
    for module in modules:
        codes = verdicts(module)
        if not codes:
            rows.append((module, 0, 0, 0, 0, None))
            continue
        killed = sum(
            1 for k, c in codes.items() if (c in KILLED or c in TIMEOUT) and k not in listed
        )
        same = sum(1 for k in codes if k in listed)
        untried = sum(1 for k, c in codes.items() if c is None and k not in listed)
        counted = len(codes) - same - untried
        score = 100.0 * killed / counted if counted else None
        rows.append((module, len(codes), killed, same, untried, score))
        survivors += [
            k
            for k, c in codes.items()
            if c is not None and c not in KILLED and c not in TIMEOUT and k not in listed
        ]
    return rows, survivors


def _mangled(name: str) -> str:
    """debtcli.plan.x_split__mutmut_4 -> x_split: the function's key in mutmut's hashes."""
    import re

    return re.sub(r"__mutmut_\d+$", "", name).rsplit(".", 1)[1]


def function_of(name: str) -> str:
    """debtcli.plan.x_split__mutmut_4 -> split; debtcli.rules.xǁPackǁfacts__mutmut_2 -> facts."""
    mangled = _mangled(name)
    return mangled.rsplit("ǁ", 1)[1] if "ǁ" in mangled else mangled.removeprefix("x_")


def sample(modules: tuple[str, ...], n: int | None, functions: tuple[str, ...] = ()) -> list[str]:
    """n untried mutants of each module (None: all of them), at random but the same each time,
    and its survivors (a test added since may kill them); only the functions named, if any."""
    import random

    listed = equivalent()
    names = []
    for module in modules:
        codes = {
            k: c
            for k, c in verdicts(module).items()
            if not functions or function_of(k) in functions
        }
        untried = sorted(k for k, c in codes.items() if c is None)
        names += random.Random(19).sample(
            untried, len(untried) if n is None else min(n, len(untried))
        )
        names += [
            k
            for k, c in codes.items()
            if c is not None and c not in KILLED | TIMEOUT and k not in listed
        ]
    return names


# mutmut's first step alone (what `mutmut run` does before any test): the copy under mutants/
# made again where the source changed, keeping the verdicts of the functions that did not.
_GENERATE = """
import os
from mutmut.__main__ import create_mutants, store_lines_covered_by_tests
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths
set_mutant_under_test("mutant_generation")
copy_src_dir(); copy_also_copy_files(); setup_source_paths(); store_lines_covered_by_tests()
create_mutants(os.cpu_count() or 2)
"""


def _version(hashes: dict[str, str], name: str) -> str:
    """A mutant's name and its function's source (by hash): a name is reused for another
    mutation once the function changes."""
    return f"{name}@{hashes.get(_mangled(name))}"


def quick(modules: tuple[str, ...], files: list[str], functions: tuple[str, ...]) -> None:
    """Try the untried mutants against a few fast test files first: a mutant that fails them is
    killed whatever the rest of the suite does, and costs seconds, where mutmut, running every
    test that reaches the function, takes 35-50 s for one of build_entry's. Those that pass are
    left untried, for mutmut's full run. Works on mutmut's copy under mutants/ (a mutmut run
    brings it up to date): not while one is running, which writes the same files."""
    import os
    import time
    from concurrent.futures import ThreadPoolExecutor

    copy = ROOT / "mutants"
    if not copy.is_dir():
        sys.exit("--quick needs mutmut's copy under mutants/: run mutmut once first")
    running = subprocess.run(["pgrep", "-f", "mutmut run"], capture_output=True, check=False)
    if running.returncode == 0:  # its children read the tests under mutants/ as they start
        sys.exit("a mutmut run is under way: --quick would change the tests it is reading")
    from mutmut.mutation.file_mutation import compute_function_hashes

    def changed(module: str) -> bool:  # a function whose source differs from mutmut's copy
        now = compute_function_hashes((ROOT / "debtcli" / f"{module}.py").read_text())
        copied = json.loads(_meta(module).read_text())["hash_by_function_name"]
        return any(now.get(f) != h for f, h in copied.items())

    if stale := [m for m in modules if changed(m)]:
        print(f"changed since mutmut's copy was made: {', '.join(stale)}; making it again")
        subprocess.run([sys.executable, "-c", _GENERATE], cwd=ROOT, check=True)
    sync_data(code=True)

    def run(mutant: str, timeout: float) -> int:
        env = os.environ | {"MUTANT_UNDER_TEST": mutant}
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *files]
        try:
            done = subprocess.run(command, cwd=copy, env=env, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return 36  # mutmut's code for a mutant caught by its timeout
        return done.returncode

    # Mutants these very tests (by content) let through already: a restarted pass skips them.
    import functools
    import hashlib

    tests = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in sorted(files))).hexdigest()
    passed_file = copy / "quick-passed.json"
    passed: dict[str, list[str]] = (
        json.loads(passed_file.read_text()) if passed_file.exists() else {}
    )
    seen = set(passed.setdefault(tests, []))

    start = time.monotonic()
    if (clean := run("", 600)) != 0:
        sys.exit(f"the quick tests fail without any mutant (exit {clean}): fix that first")
    timeout = max(30.0, 5 * (time.monotonic() - start))
    for module in modules:
        hashes = json.loads(_meta(module).read_text())["hash_by_function_name"]
        version = functools.partial(_version, hashes)
        names = [
            k
            for k, c in verdicts(module).items()
            if c is None
            and (not functions or function_of(k) in functions)
            and version(k) not in seen
        ]
        killed = 0
        with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
            for i in range(0, len(names), 20):  # kept every 20, so a stop loses little
                chunk = names[i : i + 20]
                codes = dict(zip(chunk, pool.map(lambda n: run(n, timeout), chunk), strict=True))
                meta = json.loads(_meta(module).read_text())
                caught = {k: c for k, c in codes.items() if c in KILLED or c in TIMEOUT}
                meta["exit_code_by_key"].update(caught)
                _meta(module).write_text(json.dumps(meta))
                passed[tests] += [version(k) for k in chunk if k not in caught]
                passed_file.write_text(json.dumps(passed))
                killed += len(caught)
                print(f"{module}: {killed} of {i + len(chunk)} killed", flush=True)
        print(f"{module}: {killed} of {len(names)} untried killed by {' '.join(files)}")
        save()


def _code(name: str) -> int | None:
    return verdicts(name.split(".")[1]).get(name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "modules", nargs="*", metavar="MODULE", help=f"some of: {', '.join(CORE)} (default: all)"
    )
    ap.add_argument("--report", action="store_true", help="print the scores of the results kept")
    ap.add_argument(
        "--function",
        action="append",
        default=[],
        metavar="NAME",
        help="with --sample: only the mutants of this function (repeat for more), e.g. "
        "--sample 0 --function check_bundle after tests of it were added",
    )
    ap.add_argument(
        "--equivalent",
        nargs=2,
        metavar=("NAME", "WHY"),
        help="list a survivor as equivalent, with why and its function's hash as it stands "
        "(look at it first: mutmut show NAME)",
    )
    ap.add_argument(
        "--drop-stale",
        action="store_true",
        help="remove the listings whose function has changed since (after looking at each: "
        "list again with --equivalent those that still hold)",
    )
    ap.add_argument(
        "--save",
        action="store_true",
        help="copy the verdicts of a run under way into tools/mutation-results/, then report",
    )
    ap.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="try N untried mutants of each module, drawn at random (the same draw each time), "
        "and again every survivor: an estimate of each score when a full run does not fit "
        "(--sample 0: the survivors only, after tests were added)",
    )
    ap.add_argument(
        "--quick",
        nargs="+",
        metavar="TESTFILE",
        help="first try the untried mutants against these fast test files only; those they "
        "kill are recorded, the rest stay for a full run (e.g. contactlog --quick "
        "tests/test_evidence.py)",
    )
    args = ap.parse_args()
    modules = tuple(args.modules) or CORE
    if unknown := [m for m in modules if m not in CORE]:
        ap.error(f"not a core module: {', '.join(unknown)} (one of: {', '.join(CORE)})")
    if args.function and args.sample is None and not args.quick:
        ap.error("--function goes with --sample or --quick (e.g. --sample 0 --function split)")
    if args.equivalent:
        name, why = args.equivalent
        if (digest := function_hash(name)) is None or _code(name) is None:
            ap.error(f"{name}: no such mutant tried (see --report)")
        relist(LISTINGS, {name: (digest, why)})
        modules = (name.split(".")[1],)
    elif args.drop_stale:
        relist(LISTINGS, dict.fromkeys(stale_listings()))
    elif args.save:
        save()
    elif args.quick:
        quick(modules, args.quick, tuple(args.function))
    elif not args.report:
        seed()
        sync_data()
        mutmut = Path(sys.executable).with_name("mutmut")
        # Named, mutmut runs those mutants even where it has a verdict; unnamed, every mutant
        # it has none for (among them those of the functions changed since the verdicts kept).
        # Names come from the verdicts as they stand: after editing a function, run without
        # --sample first, so that mutmut renumbers its mutants before any is named.
        sampling = args.sample is not None or modules != CORE
        names = sample(modules, args.sample, tuple(args.function)) if sampling else []
        if sampling and not names:
            print("nothing to run: no untried mutant and no survivor among those asked for")
        else:
            try:
                subprocess.run([str(mutmut), "run", *names], cwd=ROOT, check=False)
            finally:
                save()
    rows, survivors = scores(modules)
    print(f"\n{'module':12} {'mutants':>8} {'killed':>7} {'equiv.':>7} {'untried':>8} {'score':>7}")
    short = False
    for module, total, killed, same, untried, score in rows:
        shown = f"{score:6.1f}%" if score is not None else "    —"
        short |= score is None or score < GOAL or untried > 0
        print(f"{module:12} {total:8} {killed:7} {same:7} {untried:8} {shown}")
    if survivors:
        print(f"\n{len(survivors)} survivors (`mutmut show NAME` shows one):")
        for name in survivors:
            print(f"  {name}")
    stale = sum(1 for name in survivors if _code(name) == NO_TESTS)
    if stale:
        print(
            f"\n{stale} of them had no test recorded for their function: mutmut's record of "
            "which tests reach which function predates it. Delete mutants/mutmut-stats.json "
            "and run again."
        )
    if old := [name for name in stale_listings() if name.split(".")[1] in modules]:
        print(
            f"\n{len(old)} listed as equivalent, but their function has changed since, so "
            "mutmut has numbered its mutants anew: not counted. Look at each again (`mutmut "
            "show NAME`): list the one it now names with the function's new hash, or remove it."
        )
        for name in old:
            print(f"  {name}")
    if any(row[4] for row in rows):
        print("\nA score counts the mutants tried; with some untried it is an estimate.")
    print(f"\ngoal: {GOAL:.0f}% per module: {'not yet' if short else 'met'}")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
