"""The development tools' own data: a broken list of equivalent mutants would make
tools/mutation.py fail only at the end of a run that took hours."""

import importlib.util
import re
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "mutation.py"


def _tool():
    spec = importlib.util.spec_from_file_location("mutation", TOOL)
    assert spec and spec.loader
    mutation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutation)
    return mutation


def test_every_listed_equivalent_mutant_names_a_core_mutant_and_says_why():
    mutation = _tool()
    listed = mutation.listings()  # mutant -> {hash, why}; raises if the file does not parse
    assert len(listed) > 100
    name = re.compile(rf"debtcli\.({'|'.join(mutation.CORE)})\.x(ǁ\w+ǁ|_)\w+__mutmut_\d+")
    for mutant, entry in listed.items():
        assert name.fullmatch(mutant) and len(entry["why"]) > 20, mutant
        assert re.fullmatch(r"[0-9a-f]{12}", entry["hash"]), mutant


def test_a_listing_counts_only_while_its_function_is_unchanged(monkeypatch):
    """mutmut numbers a changed function's mutants anew: x_split__mutmut_4 listed for one
    change may name another after an edit, and a listing that still counted would hide it."""
    mutation = _tool()
    name = "debtcli.plan.x_split__mutmut_4"
    now = mutation.function_hash(name)
    assert now
    for recorded, counts in ((now, True), ("0" * 12, False)):
        monkeypatch.setattr(
            mutation, "listings", lambda r=recorded: {name: {"why": "w", "hash": r}}
        )
        assert (name in mutation.equivalent()) is counts
        assert (name in mutation.stale_listings()) is not counts


def test_a_listing_listed_again_replaces_the_stale_one(tmp_path):
    """A stale listing of the same name is replaced, not duplicated (TOML refuses a table
    twice, which would break every report); None removes one; a why may hold brackets."""
    import tomllib

    mutation = _tool()
    path = tmp_path / "equivalent.toml"
    path.write_text("# head\n", encoding="utf-8")
    a, b = "debtcli.plan.x_split__mutmut_4", "debtcli.plan.x_split__mutmut_5"
    mutation.relist(path, {a: ("0" * 12, "e['x'] [old]"), b: ("1" * 12, "kept")})
    mutation.relist(path, {a: ("2" * 12, "new reason")})
    listed = tomllib.loads(path.read_text(encoding="utf-8"))
    assert listed == {
        b: {"hash": "1" * 12, "why": "kept"},
        a: {"hash": "2" * 12, "why": "new reason"},
    }
    mutation.relist(path, {b: None})
    assert list(tomllib.loads(path.read_text(encoding="utf-8"))) == [a]
    assert path.read_text(encoding="utf-8").startswith("# head\n")
