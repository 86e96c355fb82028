"""End to end: the installed `debtcli` command, as a new user runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import debtcli

EXE = shutil.which("debtcli", path=str(Path(sys.executable).parent)) or shutil.which("debtcli")


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


def test_templates_and_packs_ship_with_the_package():
    from debtcli.rules import PACKS_DIR
    from debtcli.templating import builtin_dir

    assert (PACKS_DIR / "cn.toml").is_file()
    assert (builtin_dir() / "evidence_summary.html.j2").is_file()
