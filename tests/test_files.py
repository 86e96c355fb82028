"""Files the user gives and files -o names (issue 34): a FIFO, a device or a never-ending
file is refused in a line before it is read, and -o never replaces anything but a plain file."""

import os
import stat

import pytest
from conftest import assert_clean_failure, log_add


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["evidence", "verify", "--bundle", "{fifo}"],
        ["evidence", "verify", "--bundle", "/dev/zero"],
        ["evidence", "stamp", "--tsa", "http://127.0.0.1:9/tsr", "--ca", "{fifo}"],
        ["evidence", "stamp", "--tsa", "http://127.0.0.1:9/tsr", "--ca", "/dev/zero"],
        ["--rules", "{fifo}", "status"],
        ["--rules", "/dev/zero", "status"],
        ["--rules", "{zero_toml}", "status"],
        ["import", "--json", "{fifo}"],
        ["restore", "{fifo}"],
    ],
)
def test_a_fifo_or_a_device_is_refused_before_it_is_read(li_wei, fifo, tmp_path, args):
    """Each of these would hang on the FIFO or read /dev/zero until memory ran out."""
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    r = li_wei(*[a.format(fifo=fifo, zero_toml=zero) for a in args], ok=False)
    assert_clean_failure(r, says="not a regular file")


def test_a_rule_pack_or_certificate_larger_than_it_can_be_is_refused(li_wei, tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (5 << 20))
    assert_clean_failure(li_wei("--rules", big, "status", ok=False), says="larger than 4 MB")
    pem = tmp_path / "big.pem"
    pem.write_bytes(b"-" * (2 << 20))
    r = li_wei("evidence", "stamp", "--tsa", "http://127.0.0.1:9/tsr", "--ca", pem, ok=False)
    assert_clean_failure(r, says="larger than 1 MB")


@pytest.mark.parametrize(
    "args",
    [
        ["backup", "-o", "{out}"],
        ["export", "--json", "-o", "{out}"],
        ["report", "-o", "{out}"],
        ["calendar", "-o", "{out}"],
        ["evidence", "export", "-o", "{out}"],
        ["letter", "make", "stop-third-party", "4821", "--name", "李伟", "--phone", "138",
         "-o", "{out}", "--force"],
        ["visit", "checklist", "-o", "{out}", "--force"],
    ],
)  # fmt: skip
@pytest.mark.parametrize("kind", ["fifo", "link-to-device"])
def test_o_never_replaces_a_device_or_a_fifo(li_wei, tmp_path, fifo, args, kind):
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--contacted", "family")
    out = fifo
    if kind == "link-to-device":
        out = tmp_path / "null"
        out.symlink_to("/dev/null")
    r = li_wei(*[a.format(out=out) for a in args], ok=False)
    assert_clean_failure(r, says="not a plain file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert kind == "fifo" or os.readlink(out) == "/dev/null"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("deep.json", ["import", "--json", "{path}"]),
        ("deep.json", ["visit", "check", "4821", "--answers", "{path}"]),
        ("deep.toml", ["--rules", "{path}", "status"]),
    ],
)
def test_a_document_nested_a_hundred_thousand_deep_is_refused_in_a_line(
    li_wei, tmp_path, name, args
):
    path = tmp_path / name
    depth = 100_000
    path.write_text(
        "[" * depth + "]" * depth if name.endswith(".json") else "a = " + "[" * depth + "]" * depth
    )
    r = li_wei(*[a.format(path=path) for a in args], ok=False)
    assert_clean_failure(r, says="nested too deeply")
